"""An organizer, in Chromium and in Arabic, generates a grid of stands, assigns one to an
approved cooperative and locks it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from exhibitions.stands.tables import StandAssignment
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.stands.stands_data import SLUG, application, halls


async def test_an_organizer_generates_assigns_and_locks_a_stand_in_arabic(
    live_server: str,
    page: Page,  # noqa: F811
    exhibition: int,
    organizer: dict[str, Any],
    artifacts_dir: Path,
) -> None:
    await halls(exhibition)
    coop = await application(exhibition, 1, name="Coopérative Tifawin")
    await page.goto(f"{live_server}/organize/exhibitions/{SLUG}/stands?lang=ar")
    await page.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("الأروقة")
    assert await page.evaluate("document.documentElement.dir") == "rtl"

    await page.locator("#f-grid-prefix").fill("B")
    await page.locator("#f-grid-rows").fill("2")
    await page.locator("#f-grid-columns").fill("5")
    await page.locator("#f-grid-aisle_width").fill("4")
    await page.get_by_label("أروقة طرفي الصف أروقة زاوية").check()
    await page.get_by_role("button", name="إنشاء الأروقة").click()
    await expect(page.locator("table.stands tbody tr")).to_have_count(10)

    row = page.locator("#stand-B-7")
    await row.locator("select[name=application]").select_option(str(coop))
    await row.get_by_role("button", name="تخصيص").click()
    await expect(page.locator("#stand-B-7")).to_contain_text("Coopérative Tifawin")
    await page.locator("#stand-B-7").get_by_role("button", name="تثبيت").click()
    await expect(page.locator("#stand-B-7")).to_contain_text("مثبَّت")
    await page.screenshot(path=str(artifacts_dir / "stands-ar.png"), full_page=True)
    await page.goto(f"{live_server}/organize/exhibitions/{SLUG}/stands?lang=fr")
    await expect(page.locator("#stand-B-7")).to_contain_text("verrouillé")
    await expect(page.locator("#f-plan-width")).to_have_value("60")
    await page.screenshot(path=str(artifacts_dir / "stands-fr.png"), full_page=True)
    rows = await StandAssignment.raw(
        "SELECT s.code, sa.application, sa.locked FROM stand_assignment sa JOIN stand s ON s.id = sa.stand"
    )
    assert [(r["code"], r["application"], bool(r["locked"])) for r in rows] == [("B-7", coop, True)]
