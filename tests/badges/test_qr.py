"""The badges' QR symbols are the very symbols qrcode makes, and a camera reads them."""

from __future__ import annotations

import random

import numpy as np
import pytest
import qrcode
import qrcode.util
import zxingcpp

from exhibitions.badges.qr import penalty, qr_matrix, qr_svg


def _qrcode_matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


@pytest.mark.parametrize("length", [1, 20, 40, 60, 90, 130, 200, 300])
def test_the_symbol_and_its_mask_are_those_qrcode_chooses(length: int) -> None:
    draw = random.Random(length)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789abcdef-_/:."
    for _ in range(12):
        data = "https://expo.example.ma/l/" + "".join(draw.choice(alphabet) for _ in range(length))
        assert qr_matrix(data) == _qrcode_matrix(data), data


def test_the_penalty_is_qrcodes_lost_point() -> None:
    draw = np.random.default_rng(7)
    for size in (21, 25, 45, 57):
        for _ in range(10):
            modules = draw.random((size, size)) < draw.uniform(0.2, 0.8)
            assert penalty(modules) == qrcode.util.lost_point(modules.tolist())


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
