"""A hall's plan as a printable PDF: the plan with its legend on an A3 landscape page, then
an index of stands and exhibitors (Arabic and Latin names).

Rendered by WeasyPrint from ``templates/stands/plan_pdf.html`` and
``static/css/plan-pdf.css`` through ``exhibitions.documents`` (only our templates and
static files can be read; one render at a time). Plain values in, bytes out.

WeasyPrint's SVG text engine reverses Arabic words, so the SVG is the drawing only and each
stand's code and names are HTML set over it, absolutely positioned in millimetres: HTML
text goes through Pango, which shapes and orders Arabic right. The fonts are the ones the
SVG's estimate (``plan.fit_line``) was made for; each label is clipped to its stand too,
so a name the estimate misjudges is cut, never spilled over a neighbour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exhibitions.documents import document_environment, html_to_pdf, render_in_thread
from exhibitions.exhibitors.labels import SECTOR_LABELS
from exhibitions.stands.plan import (
    PADDING,
    SCALE,
    ColourBy,
    PlanHall,
    PlanStand,
    legend_entries,
    render_plan_svg,
    stand_lines,
)
from exhibitions.web.i18n import Translator

TEMPLATE = "stands/plan_pdf.html"
# The room static/css/plan-pdf.css leaves the plan on its A3 landscape page, in mm: the
# page less its margins, the title and the legend.
PLAN_WIDTH_MM = 396.0
PLAN_HEIGHT_MM = 222.0
# The SVG's viewBox starts 2 units before the hall, so its 1-unit outline is not cut.
FRAME = 2.0


@dataclass(frozen=True)
class IndexRow:
    code: str
    name_ar: str
    name_latin: str
    sector: str


@dataclass(frozen=True)
class LabelLine:
    text: str
    font_mm: float
    bold: bool
    arabic: bool


@dataclass(frozen=True)
class StandLabel:
    """A stand's code and names as HTML over the drawing: the stand's inner box in mm from
    the plan's top-left corner, and the room above the first line (to centre them)."""

    left: float
    top: float
    width: float
    height: float
    padding_top: float
    lines: tuple[LabelLine, ...]


@dataclass(frozen=True)
class PlanBox:
    width: float
    height: float
    labels: tuple[StandLabel, ...]


def natural_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """B-2 before B-14: digit runs compare as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", code))


def index_rows(stands: Sequence[PlanStand], translator: Translator) -> list[IndexRow]:
    """A row per exhibitor (a shared stand has two), in stand order; free stands are left out."""
    rows = []
    for stand in sorted(stands, key=lambda stand: natural_key(stand.code)):
        for exhibitor in stand.exhibitors:
            sector = (
                translator.gettext(SECTOR_LABELS[exhibitor.sector])
                if exhibitor.sector in SECTOR_LABELS
                else exhibitor.sector
            )
            rows.append(IndexRow(stand.code, exhibitor.name_ar, exhibitor.name_latin, sector))
    return rows


def plan_box(hall: PlanHall, stands: Sequence[PlanStand], language: str) -> PlanBox:
    """The plan's size on the page (the SVG's proportions, as large as the room allows) and
    each stand's label placed on it, in mm."""
    view_width = hall.width_m * SCALE + 2 * FRAME
    view_height = hall.depth_m * SCALE + 2 * FRAME
    mm = min(PLAN_WIDTH_MM / view_width, PLAN_HEIGHT_MM / view_height)  # per viewBox unit
    labels = []
    for stand in stands:
        lines = stand_lines(stand, language)
        if not lines:
            continue
        inner_top = stand.y * SCALE + PADDING
        labels.append(
            StandLabel(
                left=round((stand.x * SCALE + PADDING + FRAME) * mm, 3),
                top=round((inner_top + FRAME) * mm, 3),
                width=round((stand.width * SCALE - 2 * PADDING) * mm, 3),
                height=round((stand.depth * SCALE - 2 * PADDING) * mm, 3),
                padding_top=round(max(lines[0].top - inner_top, 0) * mm, 3),
                lines=tuple(
                    LabelLine(line.text, round(line.font_size * mm, 3), line.bold, line.arabic) for line in lines
                ),
            )
        )
    return PlanBox(round(view_width * mm, 3), round(view_height * mm, 3), tuple(labels))


def plan_html(
    hall: PlanHall, stands: Sequence[PlanStand], *, title: str, language: str, colour_by: ColourBy = "sector"
) -> str:
    """The document's HTML: what the PDF shows, for a test or a person to read."""
    translator = Translator(language)
    template = document_environment().get_template(TEMPLATE)
    return template.render(
        lang=language,
        dir=translator.direction,
        _=translator.gettext,
        gettext=translator.gettext,
        ngettext=translator.ngettext,
        title=title,
        hall=hall,
        svg=render_plan_svg(hall, stands, colour_by=colour_by, language=language, for_print=True),
        box=plan_box(hall, stands, language),
        legend=legend_entries(stands, colour_by, translator),
        rows=index_rows(stands, translator),
        stand_count=len(stands),
    )


def plan_pdf(
    hall: PlanHall, stands: Sequence[PlanStand], *, title: str, language: str, colour_by: ColourBy = "sector"
) -> bytes:
    """Blocks for the time of the render: call ``render_plan_pdf`` from the event loop."""
    return html_to_pdf(plan_html(hall, stands, title=title, language=language, colour_by=colour_by))


async def render_plan_pdf(
    hall: PlanHall, stands: Sequence[PlanStand], *, title: str, language: str, colour_by: ColourBy = "sector"
) -> bytes:
    """The PDF, rendered in a worker thread, one document at a time per process (tickets too)."""
    return await render_in_thread(plan_pdf, hall, stands, title=title, language=language, colour_by=colour_by)
