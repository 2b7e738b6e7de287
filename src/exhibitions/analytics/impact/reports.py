"""The impact report as a file: the one way in for the pages, the API and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from exhibitions.accounts.actor import Actor
from exhibitions.analytics.impact import document, figures, spreadsheet
from exhibitions.documents import render_in_thread
from exhibitions.errors import FieldError, InvalidInput
from exhibitions.settings import LANGUAGES

Format = Literal["pdf", "xlsx"]
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    filename: str  # ASCII: it goes into a header
    media_type: str


def _checked(language: str, fmt: str) -> None:
    errors = []
    if language not in LANGUAGES:
        errors.append(FieldError("lang", "invalid_choice", f"must be one of {', '.join(LANGUAGES)}"))
    if fmt not in MEDIA_TYPES:
        errors.append(FieldError("format", "invalid_choice", "must be pdf or xlsx"))
    if errors:
        raise InvalidInput(errors)


async def impact_report(
    *, slug: str, actor: Actor | None, language: str, fmt: str, now: datetime,
    on_step: Callable[[str], None] | None = None,
) -> ReportFile:  # fmt: skip
    """The exhibition's impact report in ``language`` as a PDF or an XLSX, for its organizers
    (NotFound for an unknown exhibition, PermissionDenied for anyone else). Both formats are
    rendered in the documents' worker thread, one at a time: each takes seconds of CPU.
    ``on_step`` hears "figures", then "render" (the command line's progress)."""
    _checked(language, fmt)
    step = on_step or (lambda _name: None)
    step("figures")
    found = await figures.impact_figures(slug=slug, actor=actor, now=now)
    step("render")
    render = document.report_pdf if fmt == "pdf" else spreadsheet.report_xlsx
    content = await render_in_thread(render, found, language=language)
    ascii_slug = slug.encode("ascii", "ignore").decode() or "exhibition"
    return ReportFile(content, f"{ascii_slug}-impact-report-{language}.{fmt}", MEDIA_TYPES[fmt])
