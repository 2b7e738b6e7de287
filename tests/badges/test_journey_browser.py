"""Issue 7's badge journey in a real browser: an exhibitor requests two staff badges from its
portal and meets its quota; the organizer prints a batch of exhibitor staff, watches its
progress (htmx polling) and downloads a PDF that has both names."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, expect

from exhibitions.badges import services
from exhibitions.badges.tables import BadgeHolder
from exhibitions.settings import Settings
from tests.badges.badges_data import EXHIBITOR_PASSWORD, PAGES, exhibitor
from tests.badges.test_batches import pdf_pages, pdf_text
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD


def _remove_batch_files(data_dir: Path) -> None:
    for rendered in services.batch_directory(data_dir).glob("badges-*.pdf"):
        rendered.unlink()


async def _log_in(page: Page, base: str, url: str, email: str, password: str) -> None:  # noqa: F811
    await page.goto(f"{base}{url}")
    await page.get_by_label("E-mail").fill(email)
    await page.get_by_label("Mot de passe").fill(password)
    await page.get_by_role("button", name="Se connecter").click()


async def test_exhibitor_requests_staff_badges_and_the_organizer_prints_them(
    live_server: str,
    browser: Browser,  # noqa: F811
    page: Page,  # noqa: F811
    exhibition: int,
    organizer: dict[str, Any],
    settings: Settings,
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    shop = await exhibitor(exhibition, 1, name_latin="Coopérative Tamount", email="tamount@test.ma")
    # The exhibitor: its application, the badges section, two requests, the quota met.
    await _log_in(page, live_server, f"/portal/applications/{shop.application_id}?lang=fr", "tamount@test.ma",
                  EXHIBITOR_PASSWORD)  # fmt: skip
    await page.get_by_role("link", name="Badges du personnel").click()
    await expect(page.locator("#quota-left")).to_have_text("0 badges du personnel demandés sur 2 ; il en reste 2.")
    for name, title in (("Rachida Oulhaj", "Gérante"), ("Brahim Ait Lahcen", "Artisan")):
        await page.get_by_label("Nom complet").fill(name)
        await page.get_by_label("Titre ou fonction").fill(title)
        await page.get_by_role("button", name="Demander le badge").click()
        await expect(page.get_by_role("row", name=name)).to_be_visible()
    await expect(page.locator("#quota-left")).to_have_text("2 badges du personnel demandés sur 2 ; il en reste 0.")
    await expect(page.locator("#request-form")).to_have_count(0)
    await page.screenshot(path=artifacts_dir / "badges-portal-fr.png", full_page=True)
    await page.goto(f"{live_server}/portal/applications/{shop.application_id}/badges/?lang=ar")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator("#quota-left")).to_have_text("طُلبت 2 من أصل 2 من شارات الفريق؛ تبقى 0.")
    await page.screenshot(path=artifacts_dir / "badges-portal-ar.png", full_page=True)
    await page.goto(f"{live_server}/portal/applications/{shop.application_id}/badges/?lang=fr")
    assert await BadgeHolder.count() == 2

    # The organizer, in another browser context: a batch of exhibitor staff.
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-MA")
    organizer_page = await context.new_page()
    try:
        await _log_in(organizer_page, live_server, f"{PAGES}/?lang=fr", ORGANIZER_EMAIL, ORGANIZER_PASSWORD)
        await expect(organizer_page.get_by_role("row", name="Rachida Oulhaj")).to_be_visible()
        await organizer_page.goto(f"{live_server}{PAGES}/?lang=ar")
        await expect(organizer_page.locator("html")).to_have_attribute("dir", "rtl")
        await organizer_page.screenshot(path=artifacts_dir / "badges-holders-ar.png", full_page=True)
        await organizer_page.goto(f"{live_server}{PAGES}/?lang=fr")
        await organizer_page.locator("#b-role").select_option("exhibitor_staff")
        await organizer_page.get_by_role("button", name="Imprimer le lot").click()
        row = organizer_page.locator("#batches tbody tr").first
        await expect(row).to_contain_text("En attente")
        await expect(row).to_contain_text("0 / 2")

        # The scheduler's work, done here (the test server does not tick): the page polls meanwhile.
        rendering = asyncio.create_task(
            services.render_due_batches(base_url=live_server, data_dir=settings.data_dir, processes=1)
        )
        await expect(row).to_contain_text("Prêt", timeout=120_000)
        [result] = await rendering
        assert (result.status, result.page_count) == ("done", 1)
        await organizer_page.screenshot(path=artifacts_dir / "badges-batches-fr.png", full_page=True)
        async with organizer_page.expect_download() as download_info:
            await row.get_by_role("link", name="Télécharger le PDF").click()
        download = await download_info.value
        saved = tmp_path / "staff-badges.pdf"
        await download.save_as(saved)
        assert pdf_pages(saved) == 1
        text = " ".join(pdf_text(saved).split())
        assert "Rachida Oulhaj" in text
        assert "Brahim Ait Lahcen" in text or ("Brahim" in text and "Lahcen" in text)
        assert "Coopérative Tamount" in text
        (artifacts_dir / "badges-batch-journey.pdf").write_bytes(saved.read_bytes())
    finally:
        await context.close()
        # The batch's file sits in the server's data directory (var/badges): leave it clean.
        _remove_batch_files(Path(settings.data_dir))
