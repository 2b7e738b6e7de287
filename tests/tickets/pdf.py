"""Reading PDFs as a person and a gate camera would: poppler's text and pixels, zxing's decoding."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import zxingcpp
from PIL import Image

# pdftotext marks right-to-left runs with embedding controls; the text itself is in logical order.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ARABIC = re.compile("[\u0600-\u06ff]")


def pdf_pages(pdf: bytes, *, raw: bool = False) -> list[str]:
    """Each page's text, bidi controls removed, whitespace runs made single spaces. ``raw``
    keeps the order in which the document draws its text (the document's order for Latin
    scripts, but Arabic words come out right to left); otherwise poppler guesses the reading
    order, Arabic in logical order, and columns side by side may interleave."""
    mode = ["-raw"] if raw else []
    command = ["pdftotext", *mode, "-enc", "UTF-8", "-", "-"]
    text = subprocess.run(command, input=pdf, capture_output=True, check=True).stdout
    pages = _BIDI_CONTROLS.sub("", text.decode("utf-8")).split("\f")
    return [" ".join(page.split()) for page in pages[:-1]]  # the text ends with a form feed


def word_boxes(pdf: bytes) -> dict[str, tuple[float, float]]:
    """(left, right) in points of each word's first occurrence on the first page. Poppler
    gives an Arabic word's letters in drawing order, right to left: they are put back."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    boxes: dict[str, tuple[float, float]] = {}
    for left, right, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html
    ):
        word = _BIDI_CONTROLS.sub("", word)
        boxes.setdefault(word[::-1] if _ARABIC.search(word) else word, (float(left), float(right)))
    return boxes


def pdf_fonts(pdf: bytes, tmp_path: Path) -> set[str]:
    """The font families embedded (``AAAAAA+Noto-Sans-Bold`` -> ``Noto-Sans-Bold``)."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:]}


def page_png(pdf: bytes, page: int = 1, dpi: int = 150) -> bytes:
    return subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout


def qr_codes(png: bytes) -> list[str]:
    """The text of every QR symbol on the picture."""
    symbols = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return [symbol.text for symbol in symbols if symbol.format == zxingcpp.BarcodeFormat.QRCode]
