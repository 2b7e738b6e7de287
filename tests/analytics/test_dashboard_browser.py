"""Done when: the dashboard of the demo's past edition, in a real browser, shows the peak hour
the scan log gives, and reads right to left in Arabic with its charts and tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Page, async_playwright, expect

from exhibitions.analytics.calendar_tables import CalendarMark
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.demo import DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD, load_demo
from exhibitions.events.tables import Exhibition
from exhibitions.exhibitors.tables import Application
from exhibitions.stands.tables import StandAssignment
from exhibitions.tickets.tables import Scan, Ticket
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
async def tab() -> AsyncIterator[Page]:
    """Debian's chromium, as in tests/browser/, on an organizer's laptop-sized screen."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await chromium.new_context(viewport={"width": 1200, "height": 900}, locale="fr-MA")
        yield await context.new_page()
        await chromium.close()


async def _expected_peak(slug: str) -> tuple[str, int, int]:
    """The busiest local hour, counted here from the raw scan log (not from the rollups the
    page reads): every admitted entry scan at a gate (not a seminar room's door), moved to the
    exhibition's time zone in Python."""
    exhibition = await Exhibition.select().where(Exhibition.slug == slug).first()
    assert exhibition is not None
    zone = ZoneInfo(exhibition["time_zone"])
    rows = await Scan.select(Scan.scanned_at).where(
        (Scan.exhibition == exhibition["id"])
        & (Scan.result == "admitted")
        & (Scan.direction == "in")
        & (Scan.checkpoint.kind == "gate")
    )
    counts = Counter(
        (row["scanned_at"].astimezone(zone).date().isoformat(), row["scanned_at"].astimezone(zone).hour) for row in rows
    )
    top = max(counts.values())
    day, hour = min(key for key, count in counts.items() if count == top)
    return day, hour, top


async def test_the_demo_dashboard_shows_the_peak_hour_of_the_scan_log(
    database: Database, live_server: str, tab: Page, artifacts_dir: Path
) -> None:
    result = await load_demo(now=utcnow())
    past = await Exhibition.select().where(Exhibition.slug == result.past_slug).first()
    assert past is not None
    assert past["status"] == "closed"
    assert await Ticket.count().where(Ticket.exhibition == past["id"]) == 56_000
    assert (
        await Application.count().where((Application.exhibition == past["id"]) & (Application.status == "approved"))
        == 500
    )
    assert await CalendarMark.count().where(CalendarMark.exhibition == past["id"]) == 3
    # Every exhibitor on a stand of its two pavilions, so the impact report's stands table is full.
    assert await StandAssignment.count().where(StandAssignment.stand.exhibition == past["id"]) == 500
    day, hour, _ = await _expected_peak(result.past_slug)
    page = tab
    await page.goto(f"{live_server}/login?lang=fr")
    await page.get_by_label("E-mail").fill(DEMO_ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(DEMO_ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.goto(f"{live_server}/organize/exhibitions/{result.past_slug}/dashboard")
    peak = page.locator("#peak-hour")
    await expect(peak).to_have_attribute("data-day", day)
    await expect(peak).to_have_attribute("data-hour", str(hour))
    await expect(peak).to_contain_text(f"{hour:02d}:00–{hour + 1:02d}:00")
    await expect(page.locator("#chart-by-hour svg")).to_have_count(1)
    await page.screenshot(path=str(artifacts_dir / "analytics-dashboard-fr.png"), full_page=True)

    await page.goto(f"{live_server}/organize/exhibitions/{result.past_slug}/dashboard?lang=ar")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator("#chart-by-day svg")).to_have_count(1)
    await expect(page.locator("#figure-by-hour details table caption")).to_have_count(1)
    await page.locator("#figure-by-hour details summary").click()
    await expect(page.locator("#table-by-hour tbody tr")).to_have_count(11)  # 10:00 to 20:00
    await expect(page.locator("#peak-hour")).to_have_attribute("data-hour", str(hour))
    await page.screenshot(path=str(artifacts_dir / "analytics-dashboard-ar.png"), full_page=True)

    # The upcoming national exhibition: warned of the exams marked on its last days, and shown
    # the past edition's hour profile.
    await page.goto(f"{live_server}/organize/exhibitions/{result.slugs[0]}/timing?lang=ar")
    await expect(page.locator('#date-warnings li[data-kind="unfavourable"]')).to_have_count(1)
    await expect(page.locator("#profile-basis")).to_have_attribute("data-editions", "1")
    await expect(page.locator("#profile-basis")).to_have_attribute("data-days", "10")
    await expect(page.locator("#chart-profile svg")).to_have_count(1)
    await page.screenshot(path=str(artifacts_dir / "analytics-timing-ar.png"), full_page=True)

    # The comparison of the upcoming edition with the past one: ticked first, its totals counted
    # from the scan log, and three charts, each with its table.
    came = (
        await Scan.select(Scan.ticket)
        .distinct()
        .where((Scan.exhibition == past["id"]) & (Scan.result == "admitted") & (Scan.checkpoint.kind == "gate"))
    )
    await page.goto(f"{live_server}/organize/exhibitions/{result.slugs[0]}/compare?lang=fr")
    await expect(page.locator(f'#compare-form input[value="{result.past_slug}"]')).to_be_checked()
    visitors = page.locator('#compare-totals tr[data-key="visitors"] td')
    await expect(visitors).to_have_count(2)
    await expect(visitors.nth(1)).to_have_attribute("data-value", str(len(came)))
    await expect(page.locator('#compare-totals tr[data-key="peak_hour"] td').nth(1)).to_have_attribute(
        "data-value", f"{day} {hour:02d}:00"
    )
    for key in ("exhibitors", "stands"):  # the past edition's 500 exhibitors, each on a stand
        await expect(page.locator(f'#compare-totals tr[data-key="{key}"] td').nth(1)).to_have_attribute(
            "data-value", "500"
        )
    await expect(page.locator(".chart[data-drawn=true] svg")).to_have_count(3)
    await page.screenshot(path=str(artifacts_dir / "analytics-compare-fr.png"), full_page=True)
    await page.goto(f"{live_server}/organize/exhibitions/{result.slugs[0]}/compare?lang=ar")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator(".chart[data-drawn=true] svg")).to_have_count(3)
    await page.locator("#figure-profile details summary").click()
    await expect(page.locator("#table-profile tbody tr")).to_have_count(11)
    await page.screenshot(path=str(artifacts_dir / "analytics-compare-ar.png"), full_page=True)
