"""The badge pages: the organizers' holders list, forms and batches; the exhibitor portal's
staff badges within the quota; the lead page. Errors come back in the reader's language."""

from __future__ import annotations

from typing import Any

import httpx

from exhibitions.badges import services
from exhibitions.badges.tables import BadgeBatch, BadgeHolder
from tests.badges.badges_data import PAGES, exhibitor
from tests.exhibitors.test_portal import sign_in, text_of
from tests.factories import csrf_token, login


async def test_an_exhibitor_requests_and_cancels_staff_badges_in_arabic(
    client: httpx.AsyncClient, exhibition: int
) -> None:
    shop = await exhibitor(exhibition, 1, name_ar="تعاونية النور", name_latin=None, email="noor@test.ma", language="ar")
    await sign_in(client, "noor@test.ma")
    application = await client.get(f"/portal/applications/{shop.application_id}?lang=ar")
    assert f'href="/portal/applications/{shop.application_id}/badges/"' in application.text
    url = f"/portal/applications/{shop.application_id}/badges/"
    form = await client.get(url)
    assert form.status_code == 200
    assert 'dir="rtl"' in form.text
    assert "0 من أصل 2" in text_of(form.text)
    for name in ("خديجة بنعلي", "Mohamed El Fassi"):
        sent = await client.post(url, data={"full_name": name, "language": "ar", "_csrf_token": csrf_token(form.text)})
        assert sent.status_code == 302, sent.text
    full = await client.get(url)
    assert "request-form" not in full.text  # nothing left to request
    refused = await client.post(url, data={"full_name": "ثالث", "_csrf_token": csrf_token(full.text)})
    assert refused.status_code == 422
    assert "حصتكم" in text_of(refused.text)
    assert 'value="ثالث"' in refused.text  # what was typed stays
    empty = await client.post(url, data={"full_name": " ", "_csrf_token": csrf_token(full.text)})
    assert empty.status_code == 422
    holders = await BadgeHolder.select(BadgeHolder.id, BadgeHolder.full_name).order_by(BadgeHolder.id)
    assert [h["full_name"] for h in holders] == ["خديجة بنعلي", "Mohamed El Fassi"]
    cancelled = await client.post(f"{url}{holders[0]['id']}/cancel", data={"_csrf_token": csrf_token(full.text)})
    assert cancelled.status_code == 302
    after = await client.get(url)
    assert "1 من أصل 2" in text_of(after.text)
    assert "خديجة" not in after.text


async def test_a_submitted_application_has_no_badges_yet(client: httpx.AsyncClient, exhibition: int) -> None:
    shop = await exhibitor(exhibition, 2, status="submitted", email="wait@test.ma")
    await sign_in(client, "wait@test.ma")
    page = await client.get(f"/portal/applications/{shop.application_id}/badges/?lang=fr")
    assert page.status_code == 200
    assert "Les badges du personnel sont pour les exposants acceptés" in text_of(page.text)
    other = await exhibitor(exhibition, 3, email="other@test.ma")
    stranger = await client.get(f"/portal/applications/{other.application_id}/badges/")
    assert stranger.status_code == 404


async def test_organizers_list_add_and_print_in_french(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    await login(client)
    shop = await exhibitor(exhibition, 4, name_latin="Coopérative Amal")
    listing = await client.get(f"{PAGES}/?lang=fr")
    assert listing.status_code == 200
    assert "Aucun badge pour l’instant." in text_of(listing.text) or "Aucun badge" in text_of(listing.text)
    csrf = csrf_token(listing.text)
    missing = await client.post(
        f"{PAGES}/holders", data={"role": "exhibitor_staff", "full_name": "Ali", "_csrf_token": csrf}
    )
    assert missing.status_code == 422
    assert 'value="Ali"' in missing.text
    added = await client.post(
        f"{PAGES}/holders",
        data={"role": "exhibitor_staff", "full_name": "Ali Ouazzani", "organization_id": str(shop.organization_id),
              "language": "fr", "_csrf_token": csrf},
    )  # fmt: skip
    assert added.status_code == 302
    for n in range(55):
        await client.post(
            f"{PAGES}/holders", data={"role": "press", "full_name": f"Presse {n:02d}", "_csrf_token": csrf}
        )
    first = await client.get(f"{PAGES}/?role=press")
    assert "Presse 00" in first.text
    assert "Presse 54" not in first.text
    assert "role=press&amp;page=2" in first.text
    second = await client.get(f"{PAGES}/?role=press&page=2")
    assert "Presse 54" in second.text
    assert "Ali Ouazzani" not in second.text
    search = await client.get(f"{PAGES}/?q=ouazz")
    assert "Ali Ouazzani" in search.text
    assert "Presse 00" not in search.text

    empty = await client.post(f"{PAGES}/batches", data={"role": "vip", "size": "a6", "_csrf_token": csrf})
    assert empty.status_code == 422
    assert "Aucun badge ne correspond à ce choix." in text_of(empty.text)
    queued = await client.post(f"{PAGES}/batches", data={"role": "press", "size": "a6", "_csrf_token": csrf})
    assert (queued.status_code, queued.headers["location"]) == (302, f"{PAGES}/batches")
    batch = await BadgeBatch.select().first()
    assert batch is not None
    assert batch["total"] == 55
    batches = await client.get(f"{PAGES}/batches")
    assert f'hx-get="{PAGES}/batches/{batch["id"]}/row"' in batches.text
    assert "0 / 55" in batches.text
    holder = await BadgeHolder.select(BadgeHolder.id).where(BadgeHolder.full_name == "Ali Ouazzani").first()
    assert holder is not None
    single = await client.get(f"{PAGES}/holders/{holder['id']}/badge.pdf")
    assert single.status_code == 200
    assert single.content.startswith(b"%PDF")
    quota = await client.post(f"{PAGES}/quotas/{shop.organization_id}", data={"quota": "lots", "_csrf_token": csrf})
    assert quota.status_code == 422
    set_quota = await client.post(f"{PAGES}/quotas/{shop.organization_id}", data={"quota": "5", "_csrf_token": csrf})
    assert set_quota.status_code == 302


async def test_the_lead_page_names_the_organization_not_the_person(client: httpx.AsyncClient, exhibition: int) -> None:
    shop = await exhibitor(exhibition, 5, name_latin="Coopérative Tafilalet", email="taf@test.ma")
    from exhibitions.badges.schemas import StaffBadgeIn
    from tests.conftest import NOW

    row = await services.request_staff_badge(
        application_id=shop.application_id, data=StaffBadgeIn(full_name="Yasmine Alami", email="y@taf.ma"),
        actor=shop.actor, now=NOW,
    )  # fmt: skip
    page = await client.get(f"/leads/{row['lead_id']}?lang=fr")
    assert page.status_code == 200
    assert "Badge de Coopérative Tafilalet" in text_of(page.text)
    assert "Yasmine" not in page.text
    assert "y@taf.ma" not in page.text
    assert (await client.get("/leads/" + "x" * 22)).status_code == 404
    assert (await client.get("/leads/short")).status_code == 404


async def test_a_failed_batch_shows_its_reason_and_retry_in_french(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any], tmp_path: Any
) -> None:
    await login(client)
    listing = await client.get(f"{PAGES}/?lang=fr")
    csrf = csrf_token(listing.text)
    await client.post(f"{PAGES}/holders", data={"role": "vip", "full_name": "Invitée d'honneur", "_csrf_token": csrf})
    await client.post(f"{PAGES}/batches", data={"size": "label", "_csrf_token": csrf})
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a directory")
    [failed] = await services.render_due_batches(base_url="http://testserver", data_dir=blocked, processes=1)
    assert failed.status == "failed"
    page = await client.get(f"{PAGES}/batches")
    row = text_of(page.text)
    assert "Échec" in row
    assert "L’impression s’est arrêtée. Relancez-la" in row
    assert "hx-get" not in page.text  # nothing to poll once it stopped
    retried = await client.post(f"{PAGES}/batches/{failed.batch_id}/retry", data={"_csrf_token": csrf})
    assert retried.status_code == 302
    again = await client.get(f"{PAGES}/batches/{failed.batch_id}/row")
    assert 'data-status="queued"' in again.text
    assert 'hx-trigger="every 1s"' in again.text
