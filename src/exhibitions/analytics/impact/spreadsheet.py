"""The impact report's tables as one XLSX workbook: a sheet per table of the PDF, headers in
the reader's language, numbers as numbers (the same rows ``document.report_tables`` gives
the PDF). Text cells go through the house's neutralizing (``exhibitions.spreadsheets``): an
organization's or session's name can never run as a formula."""

from __future__ import annotations

import io
import re
from typing import Any

from exhibitions.analytics.impact.document import Table, key_figures, report_tables
from exhibitions.analytics.impact.figures import ImpactFigures
from exhibitions.spreadsheets import neutralize
from exhibitions.web.i18n import Translator

# Characters a sheet's name may not hold, and its longest length (Excel's rules).
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31


def sheet_name(title: str, taken: set[str]) -> str:
    """``title`` as a valid sheet name, unique in the workbook."""
    base = _NOT_IN_SHEET_NAMES.sub(" ", title).strip()[:SHEET_NAME_LENGTH].rstrip() or "Sheet"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name, number = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
    taken.add(name.casefold())
    return name


def _cell(sheet: Any, value: Any) -> Any:
    value = neutralize(value)
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
    return cell


def report_xlsx(figures: ImpactFigures, *, language: str) -> bytes:
    """The workbook: the key figures first, then one sheet per table, in the PDF's order."""
    # openpyxl loads only in the processes that write a workbook.
    from openpyxl import Workbook  # type: ignore[import-untyped]

    translator = Translator(language)
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    first = Table(
        "summary", translator.gettext("Key figures"),
        (translator.gettext("Figure"), translator.gettext("Value"), translator.gettext("Share (%)")),
        tuple(key_figures(figures, translator)),
    )  # fmt: skip
    for table in [first, *report_tables(figures, translator, charts=False)]:
        sheet = workbook.create_sheet(title=sheet_name(table.title, taken))
        if translator.direction == "rtl":
            sheet.sheet_view.rightToLeft = True
        sheet.append([_cell(sheet, header) for header in table.headers])
        for row in table.rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
