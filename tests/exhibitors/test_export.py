"""Exports of organizations and applications: columns, formula cells neutralized in CSV and
XLSX, who may, and an export imported back changes nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from openpyxl import load_workbook

from exhibitions.exhibitors.services._export import APPLICATION_COLUMNS, ORGANIZATION_HEADERS
from exhibitions.exhibitors.tables import Organization
from tests.exhibitors.test_api import COOPERATIVE, _exhibitor
from tests.exhibitors.test_import import GOOD, HEADER
from tests.factories import login

FORMULA = "=cmd|' /C calc'!A0"
EXPORT = "/api/v1/organizations/export"


async def _import(client: httpx.AsyncClient, organizer: dict[str, Any], content: bytes, name: str) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/organizations/import", files={"file": (name, content, "application/octet-stream")},
        headers=organizer["headers"],
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def _registry(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    rows = HEADER + GOOD + f'association,,"{FORMULA}",A-1,,MA-04,Rabat,other,1,0,+212612345678\n'
    assert (await _import(client, organizer, rows.encode(), "orgs.csv"))["created"] == 3


async def test_the_csv_export_has_a_bom_english_headers_and_harmless_cells(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    await _registry(client, organizer)
    response = await client.get(EXPORT, headers=organizer["headers"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="organizations.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == ORGANIZATION_HEADERS
    assert rows[0][:5] == ["ID", "Legal form", "Name (Arabic)", "Name (Latin)", "Registry number"]
    assert [row[3] for row in rows[1:]] == [
        "Coopérative Argan Al Khair",
        "Association Femmes de l'Oasis",
        f"'{FORMULA}",
    ]
    assert rows[3][15] == "'+212612345678"  # a phone starting with + is a formula too


async def test_the_xlsx_export_stores_formula_text_as_a_string(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    await _registry(client, organizer)
    response = await client.get(f"{EXPORT}?format=xlsx", headers=organizer["headers"])
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="organizations.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]][:4] == ["ID", "Legal form", "Name (Arabic)", "Name (Latin)"]
    cell = sheet.cell(row=4, column=4)
    assert (cell.value, cell.data_type) == (f"'{FORMULA}", "s")
    assert sheet.cell(row=2, column=3).value == "تعاونية أركان الخير"


async def test_an_export_imported_back_changes_nothing(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    await _registry(client, organizer)
    before = await Organization.select().order_by(Organization.id)
    for fmt in ("csv", "xlsx"):
        exported = await client.get(f"{EXPORT}?format={fmt}", headers=organizer["headers"])
        report = await _import(client, organizer, exported.content, f"organizations.{fmt}")
        assert (report["created"], report["updated"], report["unchanged"], report["bad"]) == (0, 0, 3, 0), report
        assert report["ignored_columns"] == ["ID", "Is women-led (derived)", "Created at", "Updated at"]
    assert await Organization.select().order_by(Organization.id) == before


async def test_applications_export_for_the_exhibitions_organizers(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    exhibitor = await _exhibitor("fatima@argan-khair.ma")
    organization = (await client.post("/api/v1/organizations", json=COOPERATIVE, headers=exhibitor)).json()
    draft = await client.post(
        "/api/v1/exhibitions/sess-2027/applications",
        json={"organization": organization["id"], "needs_power": True, "products": "=HYPERLINK(\"http://x\")"},
        headers=exhibitor,
    )  # fmt: skip
    assert draft.status_code == 201, draft.text
    url = "/api/v1/exhibitions/sess-2027/applications/export"
    assert (await client.get(url, headers=exhibitor)).status_code == 403
    assert (
        await client.get("/api/v1/exhibitions/nowhere/applications/export", headers=organizer["headers"])
    ).status_code == 404
    response = await client.get(url, headers=organizer["headers"])
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == [header for header, _ in APPLICATION_COLUMNS]
    assert {key: rows[0][key] for key in ("Name (Latin)", "ICE", "Status", "Needs power", "Is women-led (derived)", "Products")} == {
        "Name (Latin)": "Coopérative Argan Al Khair", "ICE": "001561191000066", "Status": "draft",
        "Needs power": "True", "Is women-led (derived)": "True", "Products": "'=HYPERLINK(\"http://x\")",
    }  # fmt: skip
    await login(client)
    page = await client.get("/organize/exhibitions/sess-2027/applications.xlsx")
    assert page.status_code == 200
    assert page.headers["content-disposition"] == 'attachment; filename="sess-2027-applications.xlsx"'
    sheet = load_workbook(io.BytesIO(page.content)).worksheets[0]
    assert sheet.max_row == 2
    assert (await client.get("/organize/organizations.csv")).content == (
        await client.get(EXPORT, headers=organizer["headers"])
    ).content
