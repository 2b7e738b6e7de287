"""The exhibitor directory in a real browser: right to left in Arabic, live search, photos."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from exhibitions.demo import load_demo
from tests.conftest import NOW


async def test_a_visitor_searches_the_directory_in_arabic_and_opens_an_exhibitor(
    live_server: str, page: Page, organizer: dict[str, Any], artifacts_dir: Path
) -> None:
    result = await load_demo(now=NOW)
    await page.goto(f"{live_server}/exhibitions/{result.slugs[0]}/exhibitors?lang=ar")
    assert await page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    await expect(page.get_by_role("heading", level=1)).to_have_text("العارضون")
    await expect(page.locator(".card")).to_have_count(7)
    await page.screenshot(path=str(artifacts_dir / "directory-ar.png"), full_page=True)
    await page.evaluate("window.__marker = 'same page'")
    # Typed without hamza, the name is written with it: found all the same, without reloading.
    await page.get_by_label("البحث بالاسم أو المدينة، بالحروف العربية أو اللاتينية").fill("اركان")
    await expect(page.locator(".card")).to_have_count(1)
    assert await page.evaluate("window.__marker") == "same page"
    assert "q=" in page.url  # the address keeps the search, to share it
    await page.get_by_label("الجهة").select_option("MA-01")
    await expect(page.locator(".card")).to_have_count(0)
    await expect(page.locator(".empty")).to_have_text("لا عارض يطابق بحثك.")
    await page.get_by_label("الجهة").select_option("")
    await page.locator(".card a").first.click()
    await expect(page.locator("h1")).to_contain_text("تعاونية أركان الخير")
    await expect(page.locator("#stand")).to_have_text("سيُعلن عن مكان الرواق لاحقا")
    thumbnail = page.locator(".products img").first
    await expect(thumbnail).to_be_visible()
    assert await thumbnail.evaluate("image => image.complete && image.naturalWidth") == 320
    await page.screenshot(path=str(artifacts_dir / "directory-exhibitor-ar.png"), full_page=True)
