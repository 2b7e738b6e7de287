"""Reading badge PDFs as a person would: poppler's text, cropped to a box, and its pixels."""

from __future__ import annotations

import io
import re
import subprocess

from pypdf import PdfReader

from exhibitions.badges.layouts import POINTS_PER_MM

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _clean(text: str) -> str:
    return " ".join(_BIDI_CONTROLS.sub("", text).split())


def region_text(pdf: bytes, *, page: int, left: float, top: float, width: float, height: float) -> str:
    """The text poppler reads inside a rectangle of the page (millimetres), in reading order
    (Arabic in logical order), bidi controls removed, whitespace runs made single spaces."""
    crop = [round(value * POINTS_PER_MM) for value in (left, top, width, height)]
    command = ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page)]
    command += ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3]), "-", "-"]
    return _clean(subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode("utf-8"))


def words(pdf: bytes, *, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """Each word of the page with its box in millimetres: (word, left, top, right, bottom)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return [
        (
            _BIDI_CONTROLS.sub("", word),
            float(x0) / POINTS_PER_MM,
            float(y0) / POINTS_PER_MM,
            float(x1) / POINTS_PER_MM,
            float(y1) / POINTS_PER_MM,
        )
        for x0, y0, x1, y1, word in found
    ]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in millimetres, to 0.1 mm."""
    reader = PdfReader(io.BytesIO(pdf))
    return [
        (round(float(page.mediabox.width) / POINTS_PER_MM, 1), round(float(page.mediabox.height) / POINTS_PER_MM, 1))
        for page in reader.pages
    ]


def page_png(pdf: bytes, page: int = 1, dpi: int = 150) -> bytes:
    return subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
