"""A hall's floor plan as SVG: plain dataclasses in, a string out (no database, no request).

The viewBox is in metres times ``SCALE`` (decimetres), so a stand at x = 12.5 m is drawn at
x = 125. Each stand is a ``<g>`` carrying ``data-stand`` and ``data-organization`` for the
interactive page, a ``<title>`` for screen readers and tooltips, its rectangle coloured by
status or by sector, its code and its exhibitors' names fitted inside. The legend sits under
the hall, in the plan's language.

Text is never measured here (that would need the fonts): a name's width is estimated from
its length, generously, and the font shrinks to fit; below a readable size the name is cut
with an ellipsis. The full names stay in the ``<title>``.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from exhibitions.exhibitors.labels import SECTOR_LABELS
from exhibitions.web.i18n import N_, RTL_LANGUAGES, Translator

# ---- Data contract ----------------------------------------------------------------------

StandStatus = Literal["free", "assigned", "proposed", "locked", "moved"]
ColourBy = Literal["status", "sector"]
STATUSES: tuple[StandStatus, ...] = ("free", "assigned", "proposed", "locked", "moved")


@dataclass(frozen=True)
class PlanExhibitor:
    id: int
    name_ar: str
    name_latin: str
    sector: str
    region: str


@dataclass(frozen=True)
class PlanStand:
    code: str
    x: float
    y: float
    width: float
    depth: float
    type: str = "standard"
    zone: str = ""
    status: StandStatus = "free"
    exhibitors: Sequence[PlanExhibitor] = field(default_factory=tuple)
    highlight: bool = False


@dataclass(frozen=True)
class PlanHall:
    id: int
    name: str
    width_m: float
    depth_m: float


# ---- Drawing ----------------------------------------------------------------------------

SCALE = 10  # viewBox units per metre
PADDING = 1.0  # units between a stand's edge and its text
LINE_HEIGHT = 1.2  # in ems
# An estimate of a glyph's advance, in ems, on the wide side so text does not overflow:
# Latin capitals and digits in a sans font average about 0.6 em; so do Arabic letters in
# Noto Naskh as WeasyPrint lays them out (measured on the sample's names).
CHAR_EM = 0.62
ARABIC_CHAR_EM = 0.6
MIN_FONT = 2.0  # 0.2 m: the smallest text printed on A3 for a 100 m hall stays legible
MAX_CODE_FONT = 8.0
MAX_NAME_FONT = 6.0
ELLIPSIS = "…"
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"

STATUS_LABELS: dict[str, str] = {
    "free": N_("Free"),
    "assigned": N_("Assigned"),
    "proposed": N_("Proposed"),
    "locked": N_("Locked"),
    "moved": N_("Moved"),
}
STATUS_FILLS: dict[str, str] = {
    "free": "#eef1f4",
    "assigned": "#a9dcb5",
    "proposed": "#fff1b8",
    "locked": "#9cc3e6",
    "moved": "#f6b98a",
}
# Light fills that keep dark text readable (contrast ≥ 7:1 with #1d2433).
SECTOR_FILLS: dict[str, str] = {
    "agriculture": "#b7e1a1",
    "handicrafts": "#f3c98b",
    "fishing": "#a7d3f0",
    "argan": "#e8d39a",
    "food_processing": "#f4b6b6",
    "textile": "#d9bff0",
    "services": "#bfe7e0",
    "other": "#dadde3",
}
_EXTRA_FILLS = ("#f0c4dc", "#c9d6a3", "#c4cff2", "#f2d4b3", "#b9e0c9", "#e3c6b0")
TEXT_COLOUR = "#1d2433"
HIGHLIGHT_COLOUR = "#c2185b"

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# A run of Latin letters or digits (with the spaces and punctuation between them) inside Arabic text.
_LATIN_RUN = re.compile(
    r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f .,'&()/-]*[A-Za-z0-9\u00c0-\u024f.)]|[A-Za-z0-9]"
)


@dataclass(frozen=True)
class FittedLine:
    text: str
    font_size: float
    truncated: bool


def is_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


def number(value: float) -> str:
    """A coordinate as SVG wants it: no trailing zeros, at most two decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def estimated_width(text: str, font_size: float) -> float:
    em = ARABIC_CHAR_EM if is_arabic(text) else CHAR_EM
    return len(text) * em * font_size


def fit_line(text: str, width: float, max_font: float) -> FittedLine | None:
    """``text`` at the largest font up to ``max_font`` that fits ``width``; cut with an
    ellipsis at MIN_FONT when even that is too wide. None when not one letter fits."""
    text = " ".join(text.split())
    if not text or width <= 0 or max_font < MIN_FONT:
        return None
    em = ARABIC_CHAR_EM if is_arabic(text) else CHAR_EM
    fitting = width / (len(text) * em)
    if fitting >= MIN_FONT:
        # Rounded down, so the rounding never pushes the text over the edge.
        return FittedLine(text, math.floor(min(fitting, max_font) * 100) / 100, False)
    room = int(width / (em * MIN_FONT)) - 1  # characters, keeping one for the ellipsis
    if room < 1:
        return None
    return FittedLine(text[:room].rstrip() + ELLIPSIS, MIN_FONT, True)


def shown_name(exhibitor: PlanExhibitor, language: str) -> str:
    """The name in the reader's script when there is one: Arabic for Arabic readers."""
    if language in RTL_LANGUAGES:
        return exhibitor.name_ar or exhibitor.name_latin
    return exhibitor.name_latin or exhibitor.name_ar


def sector_fill(sector: str) -> str:
    if sector in SECTOR_FILLS:
        return SECTOR_FILLS[sector]
    digest = hashlib.sha1(sector.encode()).digest()  # noqa: S324 - a colour, not a secret
    return _EXTRA_FILLS[digest[0] % len(_EXTRA_FILLS)]


def stand_fill(stand: PlanStand, colour_by: ColourBy) -> str:
    if colour_by == "sector":
        return sector_fill(stand.exhibitors[0].sector) if stand.exhibitors else STATUS_FILLS["free"]
    return STATUS_FILLS[stand.status]


def text_element(text: str, x: float, y: float, font_size: float, *, bold: bool = False) -> str:
    """A centred line. Arabic text runs right to left, with any Latin run inside it kept left
    to right in its own ``<tspan>``; Latin text and codes run left to right. The Unicode
    isolates (RLI/LRI … PDI) repeat the attributes for renderers that read only the text."""
    weight = ' font-weight="700"' if bold else ""
    common = f'x="{number(x)}" y="{number(y)}" font-size="{number(font_size)}" text-anchor="middle"{weight}'
    if not is_arabic(text):
        return f'<text {common} direction="ltr" unicode-bidi="embed">{LRI}{escape(text)}{PDI}</text>'
    parts: list[str] = []
    position = 0
    for run in _LATIN_RUN.finditer(text):
        parts.append(escape(text[position : run.start()]))
        parts.append(f'<tspan direction="ltr" unicode-bidi="embed">{LRI}{escape(run.group())}{PDI}</tspan>')
        position = run.end()
    parts.append(escape(text[position:]))
    return f'<text {common} direction="rtl" unicode-bidi="embed" xml:lang="ar">{RLI}{"".join(parts)}{PDI}</text>'


def stand_title(stand: PlanStand, translator: Translator) -> str:
    names = [
        " / ".join(name for name in (exhibitor.name_ar, exhibitor.name_latin) if name) for exhibitor in stand.exhibitors
    ]
    if not names:
        return f"{stand.code}: {translator.gettext('Free')}"
    return f"{stand.code}: {'; '.join(names)}"


@dataclass(frozen=True)
class StandLine:
    """A line of a stand's label, in viewBox units: its text, font size, and the top of its
    line box (``LINE_HEIGHT`` ems tall, centred horizontally on the stand)."""

    text: str
    font_size: float
    top: float
    bold: bool
    arabic: bool


def stand_lines(stand: PlanStand, language: str) -> list[StandLine]:
    """The stand's code (bold) and its exhibitors' names in the reader's script, each at the
    largest font that fits the stand's inner width, the lines centred vertically. Too flat a
    stand gets its code alone; a tiny one nothing. The SVG draws them as ``<text>``, the
    printed plan as HTML over the drawing."""
    y, width, depth = stand.y * SCALE, stand.width * SCALE, stand.depth * SCALE
    inner_width = width - 2 * PADDING
    inner_height = depth - 2 * PADDING
    names = [shown_name(exhibitor, language) for exhibitor in stand.exhibitors]
    lines_wanted = 1 + len(names)
    line_room = inner_height / (lines_wanted * LINE_HEIGHT)
    code = fit_line(stand.code, inner_width, min(MAX_CODE_FONT, line_room))
    fitted_names = [fit_line(name, inner_width, min(MAX_NAME_FONT, line_room)) for name in names]
    if code is None or not any(fitted_names):
        # No room for the names under the code: the code alone, as large as fits, or nothing.
        code = fit_line(stand.code, inner_width, min(MAX_CODE_FONT, inner_height / LINE_HEIGHT))
        fitted_names = []
    fitted: list[tuple[FittedLine, bool]] = [(code, True)] if code else []
    fitted += [(line, False) for line in fitted_names if line is not None]
    top = y + depth / 2 - sum(line.font_size * LINE_HEIGHT for line, _ in fitted) / 2
    lines = []
    for line, bold in fitted:
        lines.append(StandLine(line.text, line.font_size, top, bold, is_arabic(line.text)))
        top += line.font_size * LINE_HEIGHT
    return lines


def _stand(stand: PlanStand, colour_by: ColourBy, translator: Translator, for_print: bool) -> str:
    x, y = stand.x * SCALE, stand.y * SCALE
    width, depth = stand.width * SCALE, stand.depth * SCALE
    classes = ["stand", f"status-{stand.status}", f"type-{stand.type}"]
    if stand.highlight:
        classes.append("highlight")
    organizations = " ".join(str(exhibitor.id) for exhibitor in stand.exhibitors)
    stroke = HIGHLIGHT_COLOUR if stand.highlight else "#46506a"
    stroke_width = "1.2" if stand.highlight else "0.4"
    dashes = ' stroke-dasharray="2 1.2"' if stand.status == "proposed" else ""
    if stand.status == "moved":
        stroke, stroke_width = ("#b35400", "1") if not stand.highlight else (stroke, stroke_width)
    rectangle = (
        f'<rect x="{number(x)}" y="{number(y)}" width="{number(width)}" height="{number(depth)}"'
        f' fill="{stand_fill(stand, colour_by)}" stroke="{stroke}" stroke-width="{stroke_width}"{dashes}/>'
    )
    # On paper a stand is its drawing only: no group, title or data for a script (each
    # element costs WeasyPrint's HTML parser and style cascade time).
    parts = (
        [rectangle]
        if for_print
        else [
            f"<g class={quoteattr(' '.join(classes))} data-stand={quoteattr(stand.code)}"
            f" data-organization={quoteattr(organizations)} data-status={quoteattr(stand.status)}"
            f' tabindex="0" aria-label={quoteattr(stand_title(stand, translator))}>',
            f"<title>{escape(stand_title(stand, translator))}</title>",
            rectangle,
        ]
    )
    if stand.status == "moved":
        # A corner arrow, so a move reads without colour too.
        size = min(width, depth) * 0.22
        parts.append(
            f'<path d="M{number(x + width - size - 0.6)} {number(y + 0.6 + size)} l{number(size)} {number(-size)}'
            f' m{number(-size * 0.55)} 0 h{number(size * 0.55)} v{number(size * 0.55)}"'
            f' fill="none" stroke="#b35400" stroke-width="{number(max(size * 0.15, 0.3))}"/>'
        )
    if not for_print:
        for line in stand_lines(stand, translator.language):
            # The baseline sits 0.3 em above its line's bottom, leaving room for descenders.
            parts.append(
                text_element(
                    line.text, x + width / 2, line.top + line.font_size * (LINE_HEIGHT - 0.3), line.font_size,
                    bold=line.bold,
                )
            )  # fmt: skip
        parts.append("</g>")
    return "".join(parts)


def _legend(
    entries: list[tuple[str, str, bool]], top: float, width: float, font_size: float, rtl: bool
) -> tuple[str, float]:
    """Swatches and labels in rows under the hall, starting from the reader's side. Returns
    the markup and the height used."""
    swatch = font_size
    gap = font_size * 0.5
    spacing = font_size * 1.8
    row_height = font_size * 1.8
    x, row = 0.0, 0
    parts = ['<g class="legend">']
    for label, fill, dashed in entries:
        item = swatch + gap + estimated_width(label, font_size) + spacing
        if x > 0 and x + item > width:
            x, row = 0.0, row + 1
        y = top + row * row_height
        swatch_x = width - x - swatch if rtl else x
        text_x = swatch_x - gap if rtl else swatch_x + swatch + gap
        dash = ' stroke-dasharray="2 1.2"' if dashed else ""
        parts.append(
            f'<rect x="{number(swatch_x)}" y="{number(y)}" width="{number(swatch)}" height="{number(swatch)}"'
            f' fill="{fill}" stroke="#46506a" stroke-width="0.4"{dash}/>'
        )
        if rtl:
            # In right-to-left text, "start" is the right end: the label ends by its swatch.
            attributes, text = ' text-anchor="start" direction="rtl" xml:lang="ar"', label
        else:
            attributes, text = ' text-anchor="start" direction="ltr"', label
        parts.append(
            f'<text x="{number(text_x)}" y="{number(y + swatch * 0.85)}" font-size="{number(font_size)}"'
            f"{attributes}>{escape(text)}</text>"
        )
        x += item
    parts.append("</g>")
    return "".join(parts), (row + 1) * row_height


def legend_entries(
    stands: Sequence[PlanStand], colour_by: ColourBy, translator: Translator
) -> list[tuple[str, str, bool]]:
    """(label, fill, dashed) for each colour the plan uses, in a fixed order."""
    if colour_by == "status":
        present = {stand.status for stand in stands}
        return [
            (translator.gettext(STATUS_LABELS[status]), STATUS_FILLS[status], status == "proposed")
            for status in STATUSES
            if status in present
        ]
    sectors = {stand.exhibitors[0].sector for stand in stands if stand.exhibitors}
    ordered = [sector for sector in SECTOR_FILLS if sector in sectors] + sorted(sectors - SECTOR_FILLS.keys())
    entries = [
        (translator.gettext(SECTOR_LABELS.get(sector, sector)), sector_fill(sector), False) for sector in ordered
    ]
    if any(not stand.exhibitors for stand in stands):
        entries.append((translator.gettext(STATUS_LABELS["free"]), STATUS_FILLS["free"], False))
    return entries


def render_plan_svg(
    hall: PlanHall,
    stands: Sequence[PlanStand],
    *,
    colour_by: ColourBy = "status",
    language: str = "en",
    for_print: bool = False,
) -> str:
    """The hall's plan as a standalone SVG document (no XML declaration, so it also inlines
    in HTML). ``for_print``: the drawing only, for WeasyPrint, whose SVG text engine reverses
    Arabic words: no text and no legend (the printed plan sets :func:`stand_lines` and
    :func:`legend_entries` in HTML over and under it, which Pango shapes and orders right)."""
    translator = Translator(language)
    rtl = language in RTL_LANGUAGES
    width, depth = hall.width_m * SCALE, hall.depth_m * SCALE
    if for_print:
        legend, total_height = "", depth
    else:
        legend_font = max(min(width, depth) / 40, 4.0)
        legend_top = depth + legend_font * 1.5
        entries = legend_entries(stands, colour_by, translator)
        legend, legend_height = _legend(entries, legend_top, width, legend_font, rtl)
        total_height = legend_top + legend_height
    label = translator.gettext("Floor plan of {hall}").format(hall=hall.name)
    body = "".join(_stand(stand, colour_by, translator, for_print) for stand in stands)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="floor-plan" role="img" aria-label={quoteattr(label)}'
        f' viewBox="-2 -2 {number(width + 4)} {number(total_height + 4)}" data-hall="{hall.id}"'
        f' data-colour-by="{colour_by}" xml:lang="{language}" direction="{"rtl" if rtl else "ltr"}"'
        f' font-family="Noto Sans, Noto Naskh Arabic, DejaVu Sans, sans-serif" fill="{TEXT_COLOUR}">'
        f"<title>{escape(label)}</title>"
        f'<rect class="hall" x="0" y="0" width="{number(width)}" height="{number(depth)}"'
        f' fill="#ffffff" stroke="#1d2433" stroke-width="1"/>'
        f'<g class="stands">{body}</g>{legend}</svg>'
    )
