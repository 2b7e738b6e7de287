"""Rows out to the spreadsheets people open: CSV for Excel and XLSX, every text cell made
safe. Shared by every export (visitors, organizations, applications).

A cell that starts with = + - or @ is a formula to a spreadsheet program: a visitor's
"name" like ``=cmd|' /C calc'!A0`` would run when an organizer opens the file. Exports
prefix such text with an apostrophe, which spreadsheets show as text and never evaluate;
:func:`restore_text` takes the apostrophe off again when an export is imported back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")
# Excel reads a CSV as UTF-8 (Arabic names intact) only when it starts with the byte order mark.
BYTE_ORDER_MARK = "\ufeff"


def neutralize(value: Any) -> Any:
    """The value as a spreadsheet cell that cannot run: dates as ISO text, formula-like text
    behind an apostrophe; anything else unchanged."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return f"'{value}"
    return value


def restore_text(value: str) -> str:
    """The text :func:`neutralize` protected, as it was: ``'=x`` -> ``=x``."""
    if value[:1] == "'" and value[1:2] in FORMULA_STARTS and value[1:2] != "":
        return value[1:]
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A UTF-8 CSV with the byte order mark, every cell neutralized."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else neutralize(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet1") -> bytes:
    """One sheet; text cells are typed as strings (never formulas) and neutralized too, so
    that copying them into another program is as safe."""
    # openpyxl is imported by the processes that write a workbook only (it is slow to load).
    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([_xlsx_cell(sheet, header) for header in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    value = neutralize(value)
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
    return cell
