"""Reading the organizers' spreadsheets: CSV or XLSX bytes in, a header and numbered rows
out. Pure: no database, no web. The rules of what a cell means live in ``importing``.

CSV files come from Excel and LibreOffice in three encodings here: UTF-8, UTF-8 with a
byte order mark, and Windows-1256 (Excel's "CSV" on an Arabic Windows). UTF-8 is tried
strictly first; Windows-1256 only when its reading is plausibly Arabic, because any byte
string "decodes" as a one-byte code page and a Latin-1 or Shift-JIS file would be
imported as gibberish. Anything else is refused with a message that says how to save it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from exhibitions.errors import InvalidInput

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# An XLSX is a zip: a few kilobytes can inflate to gigabytes (a "zip bomb"). Real sheets of
# 50,000 rows inflate to some tens of megabytes.
MAX_XLSX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_COLUMNS = 100

Cell = str | int | float | bool | datetime | date | None


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    # (the row's number as the spreadsheet shows it, the header being row 1; its cells)
    rows: list[tuple[int, list[Cell]]]
    # "utf-8", "utf-8-sig", "cp1256" or "xlsx": said in reports so people know what was read.
    encoding: str


def _refuse(code: str, reason: str) -> InvalidInput:
    return InvalidInput.single("file", code, reason)


def read_sheet(data: bytes) -> Sheet:
    """The first sheet of an XLSX file, or a CSV file; InvalidInput naming ``file`` when it
    cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse("file_too_large", f"the file is over {MAX_FILE_BYTES // (1024 * 1024)} MB; split it")
    if not data.strip():
        raise _refuse("empty_file", "the file is empty")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    return _read_csv(data)


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise _refuse("bad_encoding", "the file starts as UTF-8 but is not; save it again as CSV UTF-8") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1256", errors="replace")
    if _plausibly_arabic(text):
        return text, "cp1256"
    raise _refuse(
        "bad_encoding",
        'the file is neither UTF-8 nor Arabic Windows-1256 text; save it as "CSV UTF-8" and upload it again',
    )


def _plausibly_arabic(text: str) -> bool:
    """Most of the non-ASCII letters are Arabic ones (French accents also exist in
    Windows-1256, so a French Latin-1 file, all é and à, is not taken for Arabic)."""
    beyond_ascii = [char for char in text if ord(char) > 127]
    if not beyond_ascii or "\ufffd" in beyond_ascii:
        return False
    arabic = sum(1 for char in beyond_ascii if "\u0600" <= char <= "\u06ff")
    return arabic >= 0.6 * len(beyond_ascii)


def _delimiter(first_line: str) -> str:
    """Excel writes ";" where the decimal mark is a comma (French settings), "," elsewhere."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Sheet:
    text, encoding = decode_csv(data)
    if not text.strip():  # a byte order mark alone, say
        raise _refuse("empty_file", "the file is empty")
    if "\x00" in text:
        raise _refuse("not_a_spreadsheet", "this is not a CSV or XLSX file")
    lines = io.StringIO(text, newline="")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(lines, delimiter=_delimiter(first_line))
    try:
        headers = [cell.strip() for cell in next(reader, [])]
        rows: list[tuple[int, list[Cell]]] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            # The line the row ends on: the spreadsheet's row number (header = 1) unless a
            # cell above holds a line break, and then still what a text editor shows.
            rows.append((reader.line_num, list(cells)))
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
    except csv.Error as exc:
        raise _refuse("bad_csv", f"line {reader.line_num}: {exc}") from None
    return Sheet(headers=headers, rows=rows, encoding=encoding)


def _too_many_rows() -> InvalidInput:
    return _refuse("too_many_rows", f"the file has more than {MAX_ROWS:,} rows; split it")


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse("not_a_spreadsheet", "this is not a CSV or XLSX file") from None
    # A high ratio alone is harmless while the total stays small (a sheet of repeated values
    # compresses very well); together they are what a bomb looks like.
    suspicious = inflated > 20 * 1024 * 1024 and inflated > MAX_XLSX_RATIO * len(data)
    if inflated > MAX_XLSX_INFLATED_BYTES or suspicious:
        raise _refuse("file_too_large", "the workbook inflates to too much data; save it again or split it")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises anything from KeyError to XML errors on a broken file
        raise _refuse("not_a_spreadsheet", "this file could not be read as an XLSX workbook") from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        first = next(lines, None)
        if first is None:
            raise _refuse("empty_file", "the first sheet is empty")
        headers = ["" if cell is None else str(cell).strip() for cell in first]
        rows: list[tuple[int, list[Cell]]] = []
        for number, cells in enumerate(lines, start=2):
            values = [_xlsx_value(cell) for cell in cells]
            if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
    finally:
        workbook.close()
    return Sheet(headers=headers, rows=rows, encoding="xlsx")


def _xlsx_value(cell: Any) -> Cell:
    if cell is None or isinstance(cell, str | int | float | bool | datetime | date):
        return cell  # type: ignore[no-any-return]
    return str(cell)
