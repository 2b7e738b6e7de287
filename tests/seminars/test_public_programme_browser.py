"""A visitor, in Chromium, opens the programme from their ticket link, stars a session and
registers for the workshop without leaving the page (htmx); the Arabic page reads right to left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from exhibitions.accounts.actor import Actor
from exhibitions.seminars import services
from exhibitions.seminars.attendance_tables import SessionRegistration, SessionStar
from exhibitions.settings import Settings
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.conftest import NOW
from tests.seminars.attendance_data import SLUG, usual_programme, visitor


async def test_a_visitor_stars_and_registers_in_the_browser_and_the_arabic_page_is_rtl(
    live_server: str,
    page: Page,  # noqa: F811
    exhibition: int,
    organizer: dict[str, Any],
    settings: Settings,
    artifacts_dir: Path,
) -> None:
    made = await usual_programme(exhibition)
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    await services.publish_programme(slug=SLUG, actor=actor, now=NOW, base_url=live_server)
    salma = await visitor(settings, "Salma", "salma@example.ma", "fr")

    await page.goto(f"{live_server}/tickets/{salma['access_token']}/programme")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mon programme")
    opening = page.locator(f"#session-{made.opening}")
    await opening.get_by_role("button", name="☆ Suivre").click()
    await expect(page.locator(f"#session-{made.opening}").get_by_role("button", name="★ Suivie")).to_be_visible()
    workshop = page.locator(f"#session-{made.workshop}")
    await expect(workshop).to_contain_text("30 places restantes")
    await workshop.get_by_role("button", name="M'inscrire").click()
    await expect(page.locator(f"#session-{made.workshop}")).to_contain_text("Vous êtes inscrit.")
    await expect(page.locator(f"#session-{made.workshop}")).to_contain_text("29 places restantes")
    assert page.url == f"{live_server}/tickets/{salma['access_token']}/programme"  # htmx: no page load
    await expect(page.locator("#mine")).to_contain_text("Atelier : financer une coopérative")
    await expect(page.locator("#mine")).to_contain_text("Ouverture : la loi 112-12")
    await page.screenshot(path=str(artifacts_dir / "programme-visitor-fr.png"), full_page=True)
    calendar = await page.request.get(live_server + (await page.locator("#my-calendar").get_attribute("href") or ""))
    assert "SUMMARY:Atelier : financer une coopérative" in (await calendar.text())
    assert [row["session"] for row in await SessionStar.select(SessionStar.session)] == [made.opening]
    assert [row["session"] for row in await SessionRegistration.select(SessionRegistration.session)] == [made.workshop]

    await page.goto(f"{live_server}/tickets/{salma['access_token']}/programme?lang=ar")
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    await expect(page.locator("#mine")).to_contain_text("ورشة: تمويل تعاونية")
    await expect(page.locator("#mine")).to_contain_text("مسجَّل")
    # Rooms as columns: the first room's column sits on the right in Arabic.
    atlas = await page.locator(".room-column").nth(0).bounding_box()
    rif = await page.locator(".room-column").nth(1).bounding_box()
    assert atlas is not None
    assert rif is not None
    if atlas["y"] == rif["y"]:  # side by side on a wide screen
        assert atlas["x"] > rif["x"]
    await page.set_viewport_size({"width": 1100, "height": 900})
    atlas = await page.locator(".room-column").nth(0).bounding_box()
    rif = await page.locator(".room-column").nth(1).bounding_box()
    assert atlas is not None
    assert rif is not None
    assert atlas["x"] > rif["x"]
    await page.screenshot(path=str(artifacts_dir / "programme-visitor-ar.png"), full_page=True)
