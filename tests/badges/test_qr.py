"""The badges' QR symbols: qrcode's, with a fixed mask, and a camera reads them."""

from __future__ import annotations

import random

import numpy as np
import pytest
import zxingcpp

from exhibitions.badges.qr import qr_matrix, qr_svg


def _picture(matrix: list[list[bool]], scale: int = 4) -> np.ndarray:
    dark = np.array(matrix, dtype=bool)
    return np.where(np.kron(dark, np.ones((scale, scale), dtype=bool)), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("length", [1, 20, 40, 60, 90, 130, 200, 300])
def test_symbols_of_every_length_read_back(length: int) -> None:
    draw = random.Random(length)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789abcdef-_/:."
    for _ in range(12):
        data = "https://expo.example.ma/l/" + "".join(draw.choice(alphabet) for _ in range(length))
        assert [symbol.text for symbol in zxingcpp.read_barcodes(_picture(qr_matrix(data)))] == [data]


def test_the_svg_is_one_stroked_path_that_decodes(tmp_path: object) -> None:
    data = "https://expo.example.ma/l/7F3K9Q2M"
    svg = qr_svg(data)
    assert svg.count("<path") == 1
    assert 'stroke-width="1"' in svg
    size = len(qr_matrix(data))
    assert f'viewBox="0 0 {size} {size}"' in svg
    # Drawn back from its commands, the picture is the symbol: every run is "M x y.5h w".
    picture = np.ones((size * 4, size * 4), dtype=np.uint8) * 255
    path = svg.split(' d="')[1].split('"')[0]
    for command in path.split("M")[1:]:
        start, rest = command.split(" ")
        row, width = rest.split(".5h")
        x, y, w = int(start), int(row), int(width)
        picture[y * 4 : y * 4 + 4, x * 4 : (x + w) * 4] = 0
    symbols = zxingcpp.read_barcodes(picture)
    assert [symbol.text for symbol in symbols] == [data]
