"""The badges API: holders, quotas, batches and their files, with every refusal an RFC 9457
problem document naming the field and the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from litestar import Litestar

from exhibitions.badges import services
from exhibitions.badges.tables import BadgeHolder
from exhibitions.settings import Settings
from tests.badges.badges_data import API, exhibitor
from tests.badges.test_batches import pdf_text

JSON = "application/problem+json"


def fields(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.headers["content-type"].startswith(JSON), response.text
    return [(error["field"], error["code"]) for error in response.json().get("errors", [])]


async def test_bad_holders_are_refused_naming_the_field(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    headers = organizer["headers"]
    cases = [
        ({"role": "press"}, 422, [("full_name", "required")]),
        ({"role": "astronaut", "full_name": "X"}, 422, [("role", "invalid")]),
        ({"role": "press", "full_name": "X", "email": "not-an-email"}, 422, [("email", "invalid")]),
        ({"role": "press", "full_name": "X" * 201}, 422, [("full_name", "invalid")]),
        ({"role": "press", "full_name": "Nom\x00"}, 422, [("full_name", "control_characters")]),
        ({"role": "press", "full_name": "   "}, 422, [("full_name", "required")]),
        ({"role": "exhibitor_staff", "full_name": "Sans exposant"}, 422, [("organization_id", "required")]),
        ({"role": "press", "full_name": "X", "organization_id": 999999}, 422, [("organization_id", "invalid")]),
    ]
    for body, status, expected in cases:
        response = await client.post(f"{API}/holders", json=body, headers=headers)
        assert (response.status_code, fields(response)) == (status, expected), (body, response.text)
    assert await BadgeHolder.count() == 0
    anonymous = await client.get(f"{API}/holders")
    assert anonymous.status_code == 401
    nowhere = await client.get("/api/v1/exhibitions/nowhere/badges/holders", headers=headers)
    assert nowhere.status_code == 404


async def test_holders_are_listed_filtered_and_removed(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    headers = organizer["headers"]
    shop = await exhibitor(exhibition, 1, name_latin="Coopérative Al Amal")
    created = await client.post(
        f"{API}/holders",
        json={"role": "exhibitor_staff", "full_name": "Hind Sabri", "organization_id": shop.organization_id,
              "email": "Hind@AlAmal.ma", "language": "ar"},
        headers=headers,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    body = created.json()
    lead = body.pop("lead_url")
    assert lead.startswith("http://testserver/leads/")
    assert len(lead.rsplit("/", 1)[1]) == 22
    assert {k: body[k] for k in ("role", "full_name", "organization", "stand_code", "email", "language", "batches")} == {
        "role": "exhibitor_staff", "full_name": "Hind Sabri", "organization": "Coopérative Al Amal",
        "stand_code": "A01", "email": "hind@alamal.ma", "language": "ar", "batches": 0,
    }  # fmt: skip
    await client.post(f"{API}/holders", json={"role": "vip", "full_name": "Ministre"}, headers=headers)
    listed = await client.get(f"{API}/holders", params={"role": "vip"}, headers=headers)
    assert [(h["full_name"], h["role"]) for h in listed.json()["items"]] == [("Ministre", "vip")]
    assert listed.json()["total"] == 1
    bad_filter = await client.get(f"{API}/holders", params={"per_page": 500}, headers=headers)
    assert bad_filter.status_code == 422
    assert fields(bad_filter)[0][0] == "per_page"

    third = await client.post(
        f"{API}/holders", json={"role": "exhibitor_staff", "full_name": "Deux", "organization_id": shop.organization_id},
        headers=headers,
    )  # fmt: skip
    assert third.status_code == 201
    full = await client.post(
        f"{API}/holders", json={"role": "exhibitor_staff", "full_name": "Trois", "organization_id": shop.organization_id},
        headers=headers,
    )  # fmt: skip
    assert (full.status_code, fields(full)) == (409, [("full_name", "quota_full")])
    raised = await client.put(f"{API}/quotas/{shop.organization_id}", json={"quota": 3}, headers=headers)
    assert raised.json() == {"organization_id": shop.organization_id, "base": 2, "override": 3, "used": 2}
    too_many = await client.put(f"{API}/quotas/{shop.organization_id}", json={"quota": 9000}, headers=headers)
    assert (too_many.status_code, fields(too_many)) == (422, [("quota", "invalid")])
    quotas = await client.get(f"{API}/quotas", headers=headers)
    assert [(q["code"], q["rule"], q["quota"], q["used"]) for q in quotas.json()] == [("A01", 2, 3, 2)]

    removed = await client.delete(f"{API}/holders/{body['id']}", headers=headers)
    assert removed.status_code == 204
    gone = await client.get(f"{API}/holders/{body['id']}", headers=headers)
    assert gone.status_code == 404


async def test_a_batch_over_the_api_from_request_to_download(
    client: httpx.AsyncClient, app: Litestar, settings: Settings, exhibition: int, organizer: dict[str, Any],
    tmp_path: Path,
) -> None:  # fmt: skip
    headers = organizer["headers"]
    empty = await client.post(f"{API}/batches", json={"role": "speaker"}, headers=headers)
    assert (empty.status_code, fields(empty)) == (422, [("role", "empty")])
    bad = await client.post(f"{API}/batches", json={"size": "a3"}, headers=headers)
    assert (bad.status_code, fields(bad)) == (422, [("size", "invalid")])
    for name in ("Rim Lahlou", "Driss Chraibi"):
        await client.post(f"{API}/holders", json={"role": "press", "full_name": name}, headers=headers)
    queued = await client.post(f"{API}/batches", json={"role": "press", "size": "label"}, headers=headers)
    assert queued.status_code == 201
    batch = queued.json()
    assert {k: batch[k] for k in ("status", "total", "done", "size", "role", "new_only", "download_url")} == {
        "status": "queued", "total": 2, "done": 0, "size": "label", "role": "press", "new_only": False,
        "download_url": None,
    }  # fmt: skip
    early = await client.get(f"{API}/batches/{batch['id']}/file", headers=headers)
    assert (early.status_code, fields(early)) == (409, [("status", "not_done")])
    not_failed = await client.post(f"{API}/batches/{batch['id']}/retry", headers=headers)
    assert (not_failed.status_code, fields(not_failed)) == (409, [("status", "not_failed")])

    # The app reads files from its settings' data directory: render there, as its scheduler would.
    data_dir = Path(app.state.settings.data_dir)
    [result] = await services.render_due_batches(base_url="http://testserver", data_dir=data_dir, processes=1)
    try:
        status = await client.get(f"{API}/batches/{batch['id']}", headers=headers)
        assert {k: status.json()[k] for k in ("status", "done", "total", "page_count", "attempts")} == {
            "status": "done", "done": 2, "total": 2, "page_count": 1, "attempts": 1,
        }  # fmt: skip
        download = await client.get(status.json()["download_url"], headers=headers)
        assert download.status_code == 200
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["cache-control"] == "private, no-store"
        pdf = tmp_path / "batch.pdf"
        pdf.write_bytes(download.content)
        text = pdf_text(pdf)
        assert "Rim Lahlou" in text
        assert "Driss Chraibi" in text
    finally:
        assert result.path is not None
        result.path.unlink()
    listed = await client.get(f"{API}/batches", headers=headers)
    assert [b["id"] for b in listed.json()] == [batch["id"]]
    missing = await client.get(f"{API}/batches/999999", headers=headers)
    assert missing.status_code == 404

    one = await client.get(f"{API}/holders", headers=headers)
    holder_id = one.json()["items"][0]["id"]
    single = await client.get(f"{API}/holders/{holder_id}/badge.pdf", params={"size": "label"}, headers=headers)
    assert single.status_code == 200
    assert single.content.startswith(b"%PDF")


async def test_sync_reports_what_it_added(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    first = await client.post(f"{API}/sync", headers=organizer["headers"])
    assert first.json() == {"speaker": 0, "moderator": 0, "organizer": 1, "staff": 0}
    again = await client.post(f"{API}/sync", headers=organizer["headers"])
    assert again.json() == {"speaker": 0, "moderator": 0, "organizer": 0, "staff": 0}
