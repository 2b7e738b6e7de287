"""POST /api/v1/organizations/import and the organizer's import page: who may, what the
report says, and that the confirmed file is the one previewed."""

from __future__ import annotations

from typing import Any

import httpx

from exhibitions.exhibitors.tables import Organization
from tests.exhibitors.test_api import _exhibitor
from tests.exhibitors.test_import import GOOD, HEADER
from tests.factories import csrf_token, login

IMPORT = "/api/v1/organizations/import"
BAD_ROW = "mutual,,Mutuelle Amal,M-9,,MA-13,Fès,services,10,2,\n"


def _upload(text: str | bytes, name: str = "organizations.csv") -> dict[str, Any]:
    content = text.encode() if isinstance(text, str) else text
    return {"file": (name, content, "text/csv")}


async def test_an_organizer_checks_then_imports_a_file(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    dry = await client.post(
        f"{IMPORT}?dry_run=true", files=_upload(HEADER + GOOD + BAD_ROW), headers=organizer["headers"]
    )
    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert {key: body[key] for key in ("dry_run", "encoding", "rows", "created", "updated", "unchanged", "bad")} == {
        "dry_run": True, "encoding": "utf-8", "rows": 3, "created": 2, "updated": 0, "unchanged": 0, "bad": 1,
    }  # fmt: skip
    assert body["errors"] == [{
        "row": 4, "field": "region", "column": "Region", "code": "unknown_region",
        "reason": "must be a region code, MA-01 to MA-12, or a region's name", "other_row": None,
    }]  # fmt: skip
    assert await Organization.count() == 0
    done = await client.post(IMPORT, files=_upload(HEADER + GOOD + BAD_ROW), headers=organizer["headers"])
    assert (done.json()["dry_run"], done.json()["created"], done.json()["bad"]) == (False, 2, 1)
    assert await Organization.count() == 2


async def test_unreadable_files_are_a_422_naming_the_file(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    latin1 = "Nom;Ville\nCoopérative;Fès\n".encode("latin-1")
    response = await client.post(IMPORT, files=_upload(latin1), headers=organizer["headers"])
    assert response.status_code == 422
    assert [(error["field"], error["code"]) for error in response.json()["errors"]] == [("file", "bad_encoding")]
    missing = await client.post(IMPORT, files={"other": ("a.csv", b"x")}, headers=organizer["headers"])
    assert missing.status_code == 422
    assert [(error["field"], error["code"]) for error in missing.json()["errors"]] == [("file", "required")]


async def test_only_organizers_import_and_export(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    exhibitor = await _exhibitor("fatima@argan-khair.ma")
    assert (await client.post(IMPORT, files=_upload(HEADER + GOOD), headers=exhibitor)).status_code == 403
    assert (await client.post(IMPORT, files=_upload(HEADER + GOOD))).status_code == 401
    assert (await client.get("/api/v1/organizations/export", headers=exhibitor)).status_code == 403
    assert (await client.get("/api/v1/organizations/export")).status_code == 401
    assert (await client.get("/api/v1/exhibitions/sess-2027/applications/export")).status_code == 401
    assert await Organization.count() == 0


async def test_the_import_page_previews_then_imports_the_same_file(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    await login(client)
    form = await client.get("/organize/organizations/import?lang=fr")
    assert form.status_code == 200
    assert 'href="/static/samples/organizations.csv"' in form.text
    preview = await client.post(
        "/organize/organizations/import", data={"_csrf_token": csrf_token(form.text)},
        files=_upload(HEADER + GOOD + BAD_ROW),
    )  # fmt: skip
    assert preview.status_code == 200, preview.text
    assert 'data-count="created">2<' in preview.text
    assert "Région inconnue" in preview.text  # the bad row's reason, in the organizer's language
    assert await Organization.count() == 0
    token = preview.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    done = await client.post(
        "/organize/organizations/import/confirm", data={"_csrf_token": csrf_token(preview.text), "token": token}
    )
    assert done.status_code == 200
    assert 'data-count="created">2<' in done.text
    assert await Organization.count() == 2
    # A preview is imported once.
    again = await client.post(
        "/organize/organizations/import/confirm", data={"_csrf_token": csrf_token(preview.text), "token": token}
    )
    assert again.status_code == 410
    assert await Organization.count() == 2


async def test_the_page_re_shows_the_form_with_the_file_problem(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    await login(client)
    form = await client.get("/organize/organizations/import?lang=ar")
    response = await client.post(
        "/organize/organizations/import", data={"_csrf_token": csrf_token(form.text)},
        files=_upload("Name,City\nX,Y\n"),
    )  # fmt: skip
    assert response.status_code == 422
    assert 'id="import-problems"' in response.text
    assert 'dir="rtl"' in response.text


async def test_files_over_the_default_body_limit_are_taken(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    # 1.2 MB: past the API's usual 1 MB body limit, within the import's 10 MB.
    notes = "x" * 100_000
    rows = "".join(f"association,,Association {n},A-{n},,MA-04,Rabat,other,1,0,,{notes}\n" for n in range(12))
    text = HEADER.strip() + ",Notes\n" + rows
    response = await client.post(f"{IMPORT}?dry_run=true", files=_upload(text), headers=organizer["headers"])
    assert response.status_code == 200, response.text[:300]
    assert (response.json()["created"], response.json()["ignored_columns"]) == (12, ["Notes"])
