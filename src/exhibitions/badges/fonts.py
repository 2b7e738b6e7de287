"""The real width of a word in the badges' fonts, shaped as the PDF will shape it.

The templates set names in "Noto Sans" (Latin, Tifinagh-free Latin-script names) with
"Noto Naskh Arabic" for Arabic letters. A word is cut into runs of Arabic and non-Arabic
letters; each run is shaped by HarfBuzz (Pillow's Raqm layout) in its font and direction,
so that joined Arabic letters, ligatures and marks count for what they really take.
Font files are found through fontconfig, as the PDF's renderer finds them."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

# Pillow sizes fonts in pixels; measured at 100 and divided, a width is "points at 1 pt".
_REFERENCE_SIZE = 100
_ARABIC_RUN = re.compile("([\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+)")
LATIN_FAMILY = "Noto Sans"
ARABIC_FAMILY = "Noto Naskh Arabic"


class FontMissing(RuntimeError):
    """fontconfig has no file for a family the badges need (install fonts-noto-core)."""


@cache
def font_file(family: str, *, bold: bool) -> str:
    pattern = f"{family}:{'bold' if bold else 'regular'}"
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontMissing("fc-match (fontconfig) is not installed")
    # A fixed program and our own family names: nothing from a user reaches the command.
    found = subprocess.run(  # noqa: S603
        [fc_match, "-f", "%{family}\t%{file}", pattern], capture_output=True, text=True, check=False
    )
    names, _, path = found.stdout.partition("\t")
    if found.returncode or family not in names.split(","):
        raise FontMissing(f"fontconfig has no {pattern!r} (got {found.stdout!r}): install fonts-noto-core")
    return path


@cache
def _font(family: str, bold: bool) -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(font_file(family, bold=bold), _REFERENCE_SIZE, layout_engine=ImageFont.Layout.RAQM)


@lru_cache(maxsize=65536)
def text_width(text: str, *, bold: bool = True) -> float:
    """The advance width of ``text`` at 1 pt, in points: Arabic runs in Noto Naskh Arabic
    (right to left, shaped), the rest in Noto Sans."""
    width = 0.0
    for index, run in enumerate(_ARABIC_RUN.split(text)):
        if not run:
            continue
        if index % 2:  # the split's captured groups, at odd indexes, are the Arabic runs
            width += _font(ARABIC_FAMILY, bold).getlength(run, direction="rtl", language="ar")
        else:
            width += _font(LATIN_FAMILY, bold).getlength(run, direction="ltr")
    return width / _REFERENCE_SIZE


def bold_width(text: str) -> float:
    return text_width(text, bold=True)


def regular_width(text: str) -> float:
    return text_width(text, bold=False)
