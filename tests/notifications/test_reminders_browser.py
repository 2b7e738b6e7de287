"""An organizer, in Chromium and in Arabic, reads the reminders page: each rule, its next
sending in local time, how many people it reaches, and its message in the three languages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Page, expect

from exhibitions.notifications.tables import Outbox
from exhibitions.settings import Settings
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.factories import FIRST_DAY
from tests.notifications.test_reminders import _approved_exhibitor, register

PAGE = "/organize/exhibitions/sess-2027/reminders"


async def test_the_organizer_previews_every_rule_in_arabic(
    live_server: str,
    page: Page,  # noqa: F811
    exhibition: int,
    organizer: dict[str, Any],
    settings: Settings,
    artifacts_dir: Path,
) -> None:
    await register(settings, "amina@example.ma", "ar", "أمينة العلوي")
    await register(settings, "jean@example.fr", "fr", "Jean Dupont")
    await _approved_exhibitor(exhibition, "argan@example.ma")
    await Outbox.raw("UPDATE exhibition SET setup_on = {} WHERE id = {}", FIRST_DAY - timedelta(days=1), exhibition)

    await page.goto(f"{live_server}{PAGE}?lang=ar")
    await page.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("التذكيرات")
    assert await page.evaluate("document.documentElement.dir") == "rtl"

    visitors = page.locator("tr[data-rule=visitor_day_before]")
    await expect(visitors.locator("td").first).to_have_text("الزوار الحاملون لتذكرة")
    await expect(visitors.locator(".recipients")).to_have_text("2")
    # The day before the opening, at 10:00 Casablanca time.
    day_before = (FIRST_DAY - timedelta(days=1)).isoformat()
    await expect(visitors.locator(".next-send time")).to_have_attribute("datetime", f"{day_before}T09:00:00+00:00")
    await expect(visitors.locator(".next-send")).to_contain_text("10:00")
    exhibitors = page.locator("tr[data-rule=exhibitor_setup_d2]")
    await expect(exhibitors.locator(".recipients")).to_have_text("1")
    await expect(page.locator("tr[data-rule=speaker_session_7d] .recipients")).to_have_text("0")

    samples = page.locator("#rule-visitor_day_before details")
    await expect(samples).to_have_count(3)
    await expect(samples.locator(".sample-subject")).to_have_text(
        [
            "غدا: المعرض الوطني للاقتصاد الاجتماعي والتضامني",
            "Demain : Salon national de l'économie sociale et solidaire",
            "Tomorrow: National Exhibition of the Social and Solidarity Economy",
        ]
    )
    arabic = page.locator("#rule-visitor_day_before details[data-language=ar]")
    await expect(arabic).to_have_attribute("dir", "rtl")
    await expect(arabic.locator(".sample-text")).to_contain_text("أمينة العلوي")
    await page.locator("#rule-visitor_day_before details[data-language=fr] summary").click()
    await expect(page.locator("#rule-visitor_day_before details[data-language=fr] .sample-text")).to_contain_text(
        "/tickets/"
    )
    await page.screenshot(path=str(artifacts_dir / "reminders-page-ar.png"), full_page=True)


async def test_the_page_is_for_organizers(client: httpx.AsyncClient, exhibition: int) -> None:
    response = await client.get(PAGE, follow_redirects=False)
    assert response.status_code in (302, 303, 401)
    assert "Recipients" not in response.text
