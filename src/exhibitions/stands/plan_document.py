"""A hall's plan as a printable PDF: the plan with its legend on an A3 landscape page, then
an index of stands and exhibitors (Arabic and Latin names).

Rendered by WeasyPrint from ``templates/stands/plan_pdf.html`` and
``static/css/plan-pdf.css`` through the tickets' locked-down fetcher (``html_to_pdf``): only
our templates and static files can be read. Plain values in, bytes out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import anyio.to_thread

from exhibitions.exhibitors.labels import SECTOR_LABELS
from exhibitions.stands.plan import ColourBy, PlanHall, PlanStand, legend_entries, render_plan_svg
from exhibitions.tickets.documents import _environment, html_to_pdf
from exhibitions.web.i18n import Translator

TEMPLATE = "stands/plan_pdf.html"


@dataclass(frozen=True)
class IndexRow:
    code: str
    name_ar: str
    name_latin: str
    sector: str


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


def plan_html(
    hall: PlanHall, stands: Sequence[PlanStand], *, title: str, language: str, colour_by: ColourBy = "sector"
) -> str:
    """The document's HTML: what the PDF shows, for a test or a person to read."""
    translator = Translator(language)
    template = _environment().get_template(TEMPLATE)
    return template.render(
        lang=language,
        dir=translator.direction,
        _=translator.gettext,
        gettext=translator.gettext,
        ngettext=translator.ngettext,
        title=title,
        hall=hall,
        svg=render_plan_svg(hall, stands, colour_by=colour_by, language=language, for_print=True),
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
    """The PDF, rendered in a worker thread so the event loop keeps serving."""
    render = partial(plan_pdf, hall, stands, title=title, language=language, colour_by=colour_by)
    return await anyio.to_thread.run_sync(render)
