"""The exhibitor directory in a real browser: right to left in Arabic, live search, photos."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from exhibitions.demo import load_demo
from exhibitions.events.tables import Hall
from tests.conftest import NOW
from tests.exhibitors.directory_data import png_with_alpha


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
    # The demo publishes an allocation: the exhibitor's stand, its hall, and the plan showing it.
    await expect(page.locator("#stand")).to_have_text(
        re.compile(r"^A-\d+ · Hall A · Produits du terroir · على المخطط$")
    )
    code = (await page.locator("#stand").inner_text()).split(" · ")[0]
    # The hall's id, not 1: PostgreSQL's sequences go on counting across tests.
    [hall] = await Hall.raw(
        "SELECT h.id FROM hall h JOIN exhibition e ON e.venue = h.venue"
        " WHERE e.slug = {} AND h.name = 'Hall A · Produits du terroir'",
        result.slugs[0],
    )
    await expect(page.locator("#stand a")).to_have_attribute(
        "href", f"/exhibitions/{result.slugs[0]}/halls/{hall['id']}/plan?highlight={code}&lang=ar"
    )
    thumbnail = page.locator(".products img").first
    await expect(thumbnail).to_be_visible()
    assert await thumbnail.evaluate("image => image.complete && image.naturalWidth") == 320
    await page.screenshot(path=str(artifacts_dir / "directory-exhibitor-ar.png"), full_page=True)


async def test_an_exhibitor_adds_a_product_with_a_photo(
    live_server: str, page: Page, organizer: dict[str, Any], artifacts_dir: Path, tmp_path: Path
) -> None:
    await load_demo(now=NOW)
    from exhibitions.demo import DEMO_EXHIBITOR_EMAIL, DEMO_EXHIBITOR_PASSWORD
    from exhibitions.exhibitors.tables import Organization

    argan = await Organization.select(Organization.id).where(Organization.registry_number == "DEMO-1/2012").first()
    products = f"{live_server}/portal/organizations/{argan['id']}/products"
    await page.goto(f"{products}?lang=fr")
    await page.get_by_label("E-mail").fill(DEMO_EXHIBITOR_EMAIL)
    await page.get_by_label("Mot de passe").fill(DEMO_EXHIBITOR_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Produits")
    await expect(page.locator("#products tbody tr")).to_have_count(2)
    photo = tmp_path / "miel.png"
    photo.write_bytes(png_with_alpha(900, 600))
    await page.get_by_label("Nom du produit").fill("Miel de thym")
    await page.get_by_label("Description courte").fill("Récolté dans l'Anti-Atlas.")
    await page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    await page.get_by_role("button", name="Ajouter le produit").click()
    await expect(page.locator("#products tbody tr")).to_have_count(3)
    thumbnail = page.locator("#products tbody tr").last.locator("img")
    await expect(thumbnail).to_be_visible()
    assert await thumbnail.evaluate("image => image.complete && image.naturalWidth") == 320
    await page.screenshot(path=str(artifacts_dir / "products-fr.png"), full_page=True)
