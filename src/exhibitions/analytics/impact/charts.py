"""The impact report's charts, drawn by matplotlib as PNG images (200 dpi) for WeasyPrint.

- Why not SVG: WeasyPrint's SVG engine reverses Arabic words in ``<text>``, and with the text
  as paths (``svg.fonttype = "path"``) it drew each glyph in Python: one 20-session chart took
  6 s to lay out, the 600-exhibitor report 24 s (bench/impact_report.py, loaded machine).
  Agg draws the same chart in a fraction of that, text shaped by matplotlib itself; at 200
  dpi it prints sharp on A4.
- matplotlib 3.11 shapes and orders Arabic itself (libraqm): labels go in as logical text.
  Passing them through ``arabic_reshaper`` and ``bidi.get_display`` first, as older
  matplotlib needed, reverses them (measured: the words came out mirrored).
- In Arabic the charts read right to left: the bars grow leftwards from the right edge, their
  labels on the right.
- matplotlib is imported here only, on the first chart (about 1.5 s): the web process pays
  for it on the first report, not at start-up.

Plain values in, PNG bytes out; every chart's numbers are also a table in the report.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# A sober palette that prints well in grey too.
COLOURS = ("#1f6f78", "#e0a030", "#7a8b99", "#b5475b")
FONTS = ["Noto Sans", "Noto Naskh Arabic", "DejaVu Sans"]
WIDTH_IN = 6.6  # the A4 page's text width, 168 mm
DPI = 200
LABEL_POINTS = 8


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


def _figure(labels: Sequence[str], series: int, *, rtl: bool, legend: bool) -> tuple[Any, Any]:
    """A figure as tall as its bars need, its margins set from the longest label.

    Margins are measured, not left to matplotlib's constrained layout: that draws every
    figure once more to find them (a third of the charts' time, bench/impact_report.py)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    above = 0.3 if legend else 0.08  # inches over the plot: the legend's row, never over a bar
    height = min(max(0.9 + above + len(labels) * (0.24 + 0.16 * series), 1.6), 8.5)
    figure = Figure(figsize=(WIDTH_IN, height))
    font = FontProperties(family=FONTS, size=LABEL_POINTS)
    measure = TextToPath()
    longest = max((measure.get_text_width_height_descent(label, font, ismath=False)[0] for label in labels), default=0)
    label_side = min((longest + 10) / (WIDTH_IN * 72), 0.45)  # points to a share of the width
    value_side = 0.03
    figure.subplots_adjust(
        left=value_side if rtl else label_side, right=1 - (label_side if rtl else value_side),
        bottom=0.32 / height, top=1 - above / height,
    )  # fmt: skip
    return figure, figure.add_subplot()


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ") if float(value).is_integer() else f"{value:,.1f}".replace(",", " ")


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    rtl: bool,
    unit: str = "",
    limit: float | None = None,
    marks: Sequence[tuple[float | None, float | None]] = (),
) -> bytes:
    """Horizontal bars, one group per label and one bar per series, each with its value
    written at its end. ``limit`` fixes the value axis' end (100 for shares); ``marks`` gives
    a (minimum, maximum) per label, drawn as ticks across its bars (quotas)."""
    from matplotlib import rc_context

    with rc_context({"font.family": FONTS, "font.size": LABEL_POINTS}):
        figure, axes = _figure(labels, len(series), rtl=rtl, legend=len(series) > 1)
        count = max(len(series), 1)
        thickness = 0.8 / count
        largest = max([value for one in series for value in one.values] + [0.0])
        # Room past the longest bar for its value.
        end = limit if limit is not None else (largest * 1.18 or 1.0)
        for index, one in enumerate(series):
            positions = [row + (index - (count - 1) / 2) * thickness for row in range(len(labels))]
            axes.barh(
                positions, one.values, height=thickness * 0.9, color=COLOURS[index % len(COLOURS)],
                label=one.name,
            )  # fmt: skip
            # Each value just past its bar's end, on the side the bar grows to (offsets are on the
            # page, so an inverted axis needs the opposite sign; bar_label does not know that).
            for position, value in zip(positions, one.values, strict=True):
                axes.annotate(
                    _number(value) + unit, (value, position), xytext=(-3 if rtl else 3, 0), textcoords="offset points",
                    ha="right" if rtl else "left", va="center", fontsize=7, color="#333333",
                )  # fmt: skip
        for row, (low, high) in enumerate(marks):
            for bound, style in ((low, "-"), (high, "--")):
                if bound is not None:
                    axes.plot([bound, bound], [row - 0.45, row + 0.45], color="#b5475b", linestyle=style, linewidth=1.4)
        axes.set_yticks(range(len(labels)), list(labels))
        if limit is None and all(float(value).is_integer() for one in series for value in one.values):
            from matplotlib.ticker import MaxNLocator

            axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # no "2.5 exhibitors"
        axes.invert_yaxis()  # the first label at the top, as in the table
        axes.set_xlim(0, end * (1.12 if limit is not None else 1.0))
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
        axes.spines[["top", "left" if not rtl else "right"]].set_visible(False)
        axes.spines["right" if not rtl else "left"].set_visible(False)
        axes.tick_params(axis="y", length=0)
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        if len(series) > 1:
            # One row above the plot, from the side the reading starts.
            axes.legend(
                loc="lower right" if rtl else "lower left", bbox_to_anchor=(1, 1) if rtl else (0, 1),
                ncols=len(series), frameon=False, fontsize=7, borderaxespad=0.2,
            )  # fmt: skip
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
