"""Reading spreadsheets (``exhibitors.spreadsheets``) and what their cells mean
(``exhibitors.importing``): pure functions, no database."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from exhibitions.errors import FieldError, InvalidInput
from exhibitions.exhibitors import importing
from exhibitions.exhibitors.spreadsheets import MAX_FILE_BYTES, read_sheet
from exhibitions.exhibitors.tables import LegalForm, Sector

ARABIC_CSV = "الشكل القانوني,الاسم بالعربية,رقم التسجيل,الجهة,المدينة,القطاع\nتعاونية,تعاونية أركان الخير,12/2015,سوس - ماسة,تارودانت,أركان\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _refusal(data: bytes) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        read_sheet(data)
    return [(error.field, error.code) for error in caught.value.errors]


def test_utf8_with_and_without_byte_order_mark() -> None:
    plain = read_sheet(ARABIC_CSV.encode("utf-8"))
    marked = read_sheet(b"\xef\xbb\xbf" + ARABIC_CSV.encode("utf-8"))
    assert (plain.encoding, marked.encoding) == ("utf-8", "utf-8-sig")
    assert (
        plain.headers
        == marked.headers
        == ["الشكل القانوني", "الاسم بالعربية", "رقم التسجيل", "الجهة", "المدينة", "القطاع"]
    )
    assert (
        plain.rows
        == marked.rows
        == [(2, ["تعاونية", "تعاونية أركان الخير", "12/2015", "سوس - ماسة", "تارودانت", "أركان"])]
    )


def test_arabic_windows_1256_is_decoded() -> None:
    # The bytes Excel writes for "CSV" on an Arabic Windows.
    data = ARABIC_CSV.encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    sheet = read_sheet(data)
    assert sheet.encoding == "cp1256"
    assert sheet.rows[0][1][1] == "تعاونية أركان الخير"


def test_a_latin_1_file_is_refused_not_misread_as_arabic() -> None:
    data = "Nom;Ville\nCoopérative Tamount;Fès\nAssociation Réseau;Salé\n".encode("latin-1")
    assert _refusal(data) == [("file", "bad_encoding")]


def test_semicolons_and_commas_are_both_read() -> None:
    semicolons = read_sheet(b"Nom;Ville;Membres\nTifawine, coop;Agadir;12\n")
    assert semicolons.headers == ["Nom", "Ville", "Membres"]
    assert semicolons.rows == [(2, ["Tifawine, coop", "Agadir", "12"])]
    commas = read_sheet(b'Name,City\n"Tifawine; coop",Agadir\n\n,\nAmal,Fes\n')
    # Blank lines are skipped; the numbers stay those of the file's lines.
    assert commas.rows == [(2, ["Tifawine; coop", "Agadir"]), (5, ["Amal", "Fes"])]


def test_xlsx_numbers_keep_what_they_identify() -> None:
    sheet = read_sheet(_xlsx([["ICE", "Registry number", "Phone", "Members"], [1561191000066, 12345, 528841234, 40]]))
    assert sheet.encoding == "xlsx"
    columns = importing.Columns(fields={0: "ice", 1: "registry_number", 2: "phone", 3: "members_total"}, headers={})
    parsed = importing.parse_row(*sheet.rows[0], columns)
    assert parsed.values == {
        "ice": "001561191000066", "registry_number": "12345", "phone": "0528841234", "members_total": 40,
    }  # fmt: skip
    assert parsed.errors == []


def test_files_that_are_not_spreadsheets_or_too_big_are_refused() -> None:
    assert _refusal(b"") == [("file", "empty_file")]
    assert _refusal(b"x" * (MAX_FILE_BYTES + 1)) == [("file", "file_too_large")]
    assert _refusal(b"PK\x03\x04 not really a zip") == [("file", "not_a_spreadsheet")]
    assert _refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == [("file", "bad_encoding")]


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 50_000_000)
    assert _refusal(buffer.getvalue()) == [("file", "file_too_large")]


def test_headers_are_recognized_in_three_languages() -> None:
    english = importing.map_headers(["Legal form", "Name (Latin)", "Registry number", "Region", "City", "Sector"])
    french = importing.map_headers(["Forme juridique", "Nom", "N° registre", "Région", "Ville", "Secteur", "Remarque"])
    arabic = importing.map_headers(["الشكل القانوني", "الاسم بالعربية", "رقم التسجيل", "الجهة", "المدينة", "القطاع"])
    assert list(english.fields.values()) == ["legal_form", "name_latin", "registry_number", "region", "city", "sector"]
    assert list(french.fields.values()) == ["legal_form", "name_latin", "registry_number", "region", "city", "sector"]
    assert french.ignored == ["Remarque"]
    assert list(arabic.fields.values()) == ["legal_form", "name_ar", "registry_number", "region", "city", "sector"]


def test_missing_and_repeated_columns_are_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        importing.map_headers(["Nom", "Name", "Region", "City", "Sector"])
    assert caught.value.errors == [
        FieldError("file", "duplicate_column", "columns 'Nom' and 'Name' both mean name_latin"),
        FieldError("file", "missing_column", "no column for legal_form; see the sample file for the headers"),
        FieldError("file", "missing_column", "no column for registry_number; see the sample file for the headers"),
    ]


def test_cells_in_any_of_the_three_languages() -> None:
    columns = importing.map_headers(
        ["Legal form", "Name", "Registry number", "Region", "City", "Sector", "Women-led", "Members", "Year founded"]
    )
    parsed = importing.parse_row(
        7, ["Coopérative", "'=Tifawine", " 12/2015 ", "Drâa-Tafilalet", "Zagora", "الصناعة التقليدية", "نعم", "40.0", ""],
        columns,
    )  # fmt: skip
    assert parsed.errors == []
    assert parsed.values == {
        "legal_form": LegalForm.cooperative, "name_latin": "=Tifawine", "registry_number": "12/2015",
        "region": "MA-08", "city": "Zagora", "sector": Sector.handicrafts, "declared_women_led": True,
        "members_total": 40, "founded_year": None,
    }  # fmt: skip
    bad = importing.parse_row(8, ["ngo", "X", "1", "MA-13", "Rabat", "mining", "maybe", "-3", "1850"], columns)
    assert [(error.field, error.code) for error in bad.errors] == [
        ("legal_form", "unknown_legal_form"), ("region", "unknown_region"), ("sector", "unknown_sector"),
        ("declared_women_led", "invalid_choice"), ("members_total", "not_a_number"), ("founded_year", "out_of_range"),
    ]  # fmt: skip


CELLS = st.one_of(
    st.none(), st.text(max_size=30), st.integers(min_value=-(10**16), max_value=10**16), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(CELLS, max_size=16))
def test_any_cells_give_values_or_named_errors_never_an_exception(cells: list[Any]) -> None:
    columns = importing.Columns(fields=dict(enumerate(importing.COLUMNS)), headers={})
    parsed = importing.parse_row(2, cells, columns)
    assert {error.field for error in parsed.errors} <= set(importing.COLUMNS)
    assert set(parsed.values).isdisjoint(error.field for error in parsed.errors)


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=300)
    | st.text(max_size=200).map(lambda text: text.encode("utf-8"))
    | st.binary(max_size=300).map(lambda tail: b"PK\x03\x04" + tail)
)
def test_any_bytes_are_read_or_refused_naming_the_file(data: bytes) -> None:
    errors: list[FieldError] = []
    try:
        read_sheet(data)
    except InvalidInput as exc:
        errors = exc.errors
    assert {error.field for error in errors} <= {"file"}
