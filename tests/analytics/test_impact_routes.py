"""The impact report's doors: the organizers' page and files, the API, and the command line.
Only the exhibition's organizers get it; anyone else gets 401, 403 or 404, never the figures."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook  # type: ignore[import-untyped]

from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName, TokenKind
from exhibitions.events import services as event_services
from exhibitions.settings import Settings
from tests.analytics import impact_data
from tests.conftest import NOW
from tests.factories import csrf_token, exhibition_create, login
from tests.tickets.pdf import pdf_pages

API = "/api/v1/exhibitions/sess-2027/reports"
PAGES = "/organize/exhibitions/sess-2027"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STRANGER = ("autre@example.ma", "un mot de passe long")


async def _stranger(organizer: dict[str, Any]) -> dict[str, str]:
    """An organizer of another exhibition only, and a reviewer of this one; its API token."""
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    await event_services.create_exhibition(data=exhibition_create(slug="autre-2027"), actor=actor, now=NOW)
    other = await event_services.get_exhibition_detail(slug="autre-2027", actor=actor)
    this = await event_services.get_exhibition_detail(slug="sess-2027", actor=actor)
    user_id = await account_services.create_user(email=STRANGER[0], password=STRANGER[1], now=NOW, display_name="Autre")
    await account_services.grant_role(user_id=user_id, role=RoleName.organizer, now=NOW, exhibition_id=other.row["id"])
    await account_services.grant_role(user_id=user_id, role=RoleName.reviewer, now=NOW, exhibition_id=this.row["id"])
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW, name="tests")
    return {"Authorization": f"Bearer {token}"}


async def test_the_api_serves_the_pdf_and_the_workbook_to_organizers(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    await impact_data.build(exhibition)
    pdf = await client.get(f"{API}/impact.pdf", params={"lang": "ar"}, headers=organizer["headers"])
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'attachment; filename="sess-2027-impact-report-ar.pdf"'
    assert pdf.headers["cache-control"] == "private, no-store"
    pages = pdf_pages(pdf.content)
    assert len(pages) == 5
    assert "العارضون 5" in pages[0]

    xlsx = await client.get(f"{API}/impact.xlsx", headers=organizer["headers"])
    assert (xlsx.status_code, xlsx.headers["content-type"]) == (200, XLSX)
    assert xlsx.headers["content-disposition"] == 'attachment; filename="sess-2027-impact-report-fr.xlsx"'
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook["Chiffres clés"]["B2"].value == 5


async def test_the_api_refuses_everyone_else(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    stranger = await _stranger(organizer)
    anonymous = await client.get(f"{API}/impact.pdf")
    assert anonymous.status_code == 401
    refused = await client.get(f"{API}/impact.xlsx", headers=stranger)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "only this exhibition's organizers may download its impact report"
    missing = await client.get("/api/v1/exhibitions/no-such-fair/reports/impact.pdf", headers=organizer["headers"])
    assert missing.status_code == 404
    bad = await client.get(f"{API}/impact.pdf", params={"lang": "de"}, headers=organizer["headers"])
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in bad.json()["errors"]] == ["lang"]


async def test_the_organizers_page_links_each_language_and_serves_the_files(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    await impact_data.build(exhibition)
    await login(client)
    overview = await client.get(f"{PAGES}/impact-report", params={"lang": "fr"})
    assert overview.status_code == 200
    for language in ("ar", "fr", "en"):
        assert f'href="{PAGES}/impact-report.pdf?lang={language}"' in overview.text
        assert f'href="{PAGES}/impact-report.xlsx?lang={language}"' in overview.text
    assert "Rapport d&#39;impact" in overview.text or "Rapport d'impact" in overview.text

    french = await client.get(f"{PAGES}/impact-report.pdf", params={"lang": "fr"})
    assert (french.status_code, french.headers["content-type"]) == (200, "application/pdf")
    assert pdf_pages(french.content)[0].startswith("RAPPORT D'IMPACT Salon national")
    english = await client.get(f"{PAGES}/impact-report.xlsx", params={"lang": "en"})
    assert load_workbook(io.BytesIO(english.content)).sheetnames[:2] == ["Key figures", "Exhibitors by region"]


async def test_the_page_refuses_another_exhibitions_organizer(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    await _stranger(organizer)
    anonymous = await client.get(f"{PAGES}/impact-report.pdf")
    assert anonymous.status_code in (302, 303)
    assert anonymous.headers["location"].startswith("/login")
    signed_in = await client.post(
        "/login",
        data={
            "email": STRANGER[0],
            "password": STRANGER[1],
            "_csrf_token": csrf_token((await client.get("/login")).text),
        },
    )
    assert signed_in.status_code in (302, 303)
    assert (await client.get(f"{PAGES}/impact-report")).status_code == 403
    assert (await client.get(f"{PAGES}/impact-report.pdf")).status_code == 403
    assert (await client.get("/organize/exhibitions/no-such-fair/impact-report.xlsx")).status_code == 404


def test_the_report_command_writes_the_files(
    settings: Settings, exhibition: int, organizer: dict[str, Any], tmp_path: Path
) -> None:
    # An exhibition with nothing recorded yet: the report is all zeros, and says so.
    command = str(Path(sys.executable).parent / "exhibitions")
    environment = {**os.environ, "EXHIBITIONS_DATABASE_URL": settings.database_url}
    target = tmp_path / "rapport.pdf"
    done = subprocess.run(
        [command, "report", "sess-2027", "--language", "fr", "--output", str(target)],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote {target} ({target.stat().st_size:,} bytes)\n"
    pages = pdf_pages(target.read_bytes())
    assert pages[0].startswith("RAPPORT D'IMPACT Salon national")
    assert "Exposants 0 Organisations dirigées par des femmes 0 (0 %)" in pages[0]
    workbook = tmp_path / "tables.xlsx"
    done = subprocess.run(
        [command, "report", "sess-2027", "--language", "ar", "--xlsx", "--output", str(workbook)],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert load_workbook(workbook).sheetnames[0] == "الأرقام الرئيسية"
    missing = subprocess.run(
        [command, "report", "no-such-fair"], capture_output=True, text=True, env=environment, timeout=120,
        check=False,
    )  # fmt: skip
    # (rich's progress leaves a blank line behind on stderr)
    assert (missing.returncode, missing.stderr.rstrip("\n")) == (2, "error: no exhibition 'no-such-fair'")
