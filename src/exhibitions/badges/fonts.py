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
from dataclasses import dataclass
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


@cache
def _vertical_metrics(family: str, bold: bool) -> tuple[float, float]:
    """The font's ascent and descent, in ems."""
    from PIL import ImageFont

    size = 2048
    ascent, descent = ImageFont.truetype(font_file(family, bold=bold), size).getmetrics()
    return ascent / size, descent / size


@dataclass(frozen=True)
class LineMetrics:
    """A line of text at 1 pt: the distance from one line to the next, and how far the
    fonts' glyph boxes reach above the first line and below the last one."""

    pitch: float
    above: float
    below: float


def line_metrics(text: str, line_height: float, *, bold: bool = True) -> LineMetrics:
    """The lines of ``text`` when CSS says ``line-height: line_height``.

    Every inline box is ``line_height`` tall, but each font places its box on the baseline
    by its own ascent and descent (half the leading above, half below). The element's first
    font (Noto Sans, the "strut") is always there; an Arabic run adds Noto Naskh Arabic,
    whose box sits lower: the line grows by the difference (1.2 becomes 1.37), and its deep
    descenders reach below the line box."""
    families = [LATIN_FAMILY]
    if _ARABIC_RUN.search(text):
        families.append(ARABIC_FAMILY)
    metrics = [_vertical_metrics(family, bold) for family in families]
    tops = [ascent + (line_height - ascent - descent) / 2 for ascent, descent in metrics]
    line_top = max(tops)
    line_bottom = max(line_height - top for top in tops)
    return LineMetrics(
        pitch=line_top + line_bottom,
        above=max(0.0, max(ascent for ascent, _ in metrics) - line_top),
        below=max(0.0, max(descent for _, descent in metrics) - line_bottom),
    )


def bold_width(text: str) -> float:
    return text_width(text, bold=True)


def regular_width(text: str) -> float:
    return text_width(text, bold=False)
