"""Auto-fitting a text to its box: the largest font size at which the text, wrapped at its
spaces, fits the box's width and height. Pure: the width of each word comes from a
``measure`` function (``fonts.py`` measures the shaped width on the real font files), so
the rule is tested with a fake ruler and used with the real one.

Wrapping is greedy at spaces, as the PDF's line breaker does. A word wider than the box
shrinks the text; only at the smallest size is it broken anywhere (the templates say
``overflow-wrap: anywhere``), counted as the lines it takes. The result errs on the small
side: ``slack`` keeps a margin for the breaker and the fonts' fallbacks, so that the name
is never wider or taller than its box."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A word's advance width in points when set at 1 pt (its width at s pt is s times that).
Measure = Callable[[str], float]


@dataclass(frozen=True)
class Fit:
    size: float  # points
    lines: int
    fits: bool  # False when even the smallest size is too big: the caller decides what to do


def line_count(words: list[float], space: float, width: float) -> int:
    """How many lines ``words`` (widths in points) take in ``width`` points, greedy at spaces."""
    lines = 0
    current = 0.0
    for word in words:
        if word > width:
            # Broken anywhere: it starts on its own line and fills whole lines.
            lines += math.ceil(word / width)
            current = word - (math.ceil(word / width) - 1) * width
            continue
        if current and current + space + word <= width:
            current += space + word
        else:
            lines += 1
            current = word
    return max(lines, 1)


def fit_text(
    text: str,
    *,
    width: float,
    height: float,
    measure: Measure,
    max_size: float,
    min_size: float,
    line_height: float = 1.2,
    max_lines: int | None = None,
    step: float = 0.5,
    slack: float = 0.94,
) -> Fit:
    """The largest size between ``max_size`` and ``min_size`` (by ``step`` points) at which
    ``text`` fits ``width`` x ``height`` points in at most ``max_lines`` lines."""
    return fit_paragraphs(
        [text],
        width=width,
        height=height,
        measure=measure,
        max_size=max_size,
        min_size=min_size,
        line_height=line_height,
        max_lines=max_lines,
        step=step,
        slack=slack,
    )


def fit_paragraphs(
    paragraphs: Sequence[str],
    *,
    width: float,
    height: float,
    measure: Measure,
    max_size: float,
    min_size: float,
    line_height: float = 1.2,
    gap: float = 0.0,
    overhang: float = 0.0,
    max_lines: int | None = None,
    step: float = 0.5,
    slack: float = 0.94,
) -> Fit:
    """``fit_text`` for paragraphs one under the other, each followed by ``gap`` em of space
    (a paragraph's bottom margin); ``max_lines`` bounds the lines of all of them together.
    ``overhang`` (em) is what the glyphs take beyond the lines, above the first and below
    the last (deep Arabic descenders)."""
    if width <= 0 or height <= 0 or min_size <= 0 or max_size < min_size or step <= 0:
        raise ValueError("the box, the sizes and the step must be positive, max_size >= min_size")
    unit_paragraphs = [[measure(word) for word in paragraph.split()] for paragraph in paragraphs]
    unit_space = measure(" ")
    usable = width * slack
    height_available = height * slack

    def lines_at(size: float) -> int:
        return sum(line_count([word * size for word in words], unit_space * size, usable) for words in unit_paragraphs)

    def fits(size: float, lines: int) -> bool:
        needed = lines * size * line_height + (len(paragraphs) * gap + overhang) * size
        return needed <= height_available and (max_lines is None or lines <= max_lines)

    widest = max((word for words in unit_paragraphs for word in words), default=0.0)
    size = max_size
    while size >= min_size - 1e-9:
        # A word is broken only as a last resort: a long word shrinks first.
        if widest * size <= usable:
            lines = lines_at(size)
            if fits(size, lines):
                return Fit(size, lines, True)
        size = round(size - step, 3)
    lines = lines_at(min_size)
    return Fit(min_size, lines, fits(min_size, lines))
