"""Journeys in a real browser."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image
from playwright.async_api import Page, expect

from exhibitions.demo import load_demo
from exhibitions.tickets.signing import read_claims
from exhibitions.tickets.tables import Ticket
from tests.conftest import NOW, ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.tickets.pdf import pdf_pages


async def test_home_page_in_arabic_runs_right_to_left(
    live_server: str, page: Page, organizer: dict[str, Any], artifacts_dir: Path
) -> None:
    await load_demo(now=NOW)
    await page.goto(f"{live_server}/?lang=ar")
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    assert await page.evaluate("document.documentElement.lang") == "ar"
    assert await page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    await expect(page.get_by_role("heading", level=1)).to_have_text("معارض الاقتصاد الاجتماعي والتضامني")
    # Right-to-left layout: the brand sits at the right edge, the first card's title starts at the right.
    brand = await page.locator(".brand").bounding_box()
    assert brand is not None
    assert brand["x"] + brand["width"] > 412 - 40
    card_titles = page.locator(".card h3")
    # The three to come by first day, then last season's closed national edition (the demo's past one).
    await expect(card_titles).to_have_count(4)
    await expect(card_titles.first).to_contain_text("السوق المتنقل للاقتصاد الاجتماعي والتضامني")
    await expect(card_titles.last).to_contain_text("المعرض الوطني للاقتصاد الاجتماعي والتضامني - دورة")
    await page.screenshot(path=str(artifacts_dir / "home-ar.png"), full_page=True)


async def test_live_search_filters_without_reloading(live_server: str, page: Page, organizer: dict[str, Any]) -> None:
    await load_demo(now=NOW)
    await page.goto(f"{live_server}/?lang=fr")
    await expect(page.locator(".card")).to_have_count(4)  # with the demo's past edition
    await page.evaluate("window.__marker = 'same page'")
    await page.get_by_label("Rechercher par nom ou ville").fill("Oujda")
    await expect(page.locator(".card")).to_have_count(1)
    await expect(page.locator(".card h3")).to_have_text(
        "Marché itinérant de l'économie sociale et solidaire - L'Oriental"
    )
    assert await page.evaluate("window.__marker") == "same page"  # htmx swapped the list; no navigation


async def test_organizer_logs_in_sees_the_dashboard_and_logs_out(
    live_server: str, page: Page, organizer: dict[str, Any], artifacts_dir: Path
) -> None:
    await load_demo(now=NOW)
    await page.goto(f"{live_server}/organize/?lang=fr")
    await expect(page).to_have_url(f"{live_server}/login?next=/organize%3Flang%3Dfr")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    await page.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill("not-the-password")
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("alert")).to_have_text("L'e-mail ou le mot de passe est incorrect.")
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page).to_have_url(f"{live_server}/organize?lang=fr")
    await expect(page.get_by_text("Connecté en tant que Organisatrice")).to_be_visible()
    await expect(page.locator("table.list tbody tr")).to_have_count(4)  # with the demo's past edition
    await expect(page.get_by_role("link", name="Nouveau salon")).to_be_visible()
    await page.screenshot(path=str(artifacts_dir / "organize-fr.png"), full_page=True)
    await page.get_by_role("button", name="Se déconnecter").click()
    await expect(page).to_have_url(f"{live_server}/")
    await page.goto(f"{live_server}/organize/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")


async def test_a_visitor_registers_and_gets_a_ticket_with_a_qr_code(
    live_server: str, page: Page, exhibition: int, artifacts_dir: Path
) -> None:
    await page.goto(f"{live_server}/exhibitions/sess-2027?lang=ar")
    await page.get_by_role("link", name="سجل مجانا").click()
    await page.get_by_label("الاسم الكامل").fill("فاطمة الزهراء بنعلي")
    await page.get_by_label("الهاتف المحمول").fill("06 12 34 56 78")
    await page.get_by_label("مكان الإقامة").select_option("MA-09")
    await page.get_by_role("button", name="احصل على تذكرتي").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("المعرض الوطني للاقتصاد الاجتماعي والتضامني")
    await expect(page.locator(".holder")).to_have_text("فاطمة الزهراء بنعلي")
    qr = page.locator(".qr-box svg")
    box = await qr.bounding_box()
    assert box is not None
    assert box["width"] > 200  # large enough for a gate camera on a phone screen
    assert box["width"] == box["height"]
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    await page.screenshot(path=str(artifacts_dir / "ticket-ar.png"), full_page=True)
    # What a gate camera sees: the symbol on screen decodes to the ticket's signed code.
    [symbol] = zxingcpp.read_barcodes(Image.open(io.BytesIO(await qr.screenshot())))
    token = page.url.split("/tickets/", 1)[1].split("?", 1)[0]
    ticket = await Ticket.select(Ticket.id, Ticket.manual_code).where(Ticket.access_token == token).first()
    assert symbol.format == zxingcpp.BarcodeFormat.QRCode
    assert symbol.text.startswith("EX")
    await expect(page.locator(".manual-code strong")).to_have_text(ticket["manual_code"])
    claims, _, _ = read_claims(symbol.text)
    assert (claims.exhibition_id, claims.ticket_id) == (exhibition, ticket["id"])


async def test_a_group_leader_registers_a_class_and_downloads_one_pdf(
    live_server: str, page: Page, exhibition: int, artifacts_dir: Path, tmp_path: Path
) -> None:
    await page.goto(f"{live_server}/exhibitions/sess-2027/register?lang=ar")
    await page.get_by_role("link", name="تأتون في مجموعة (تعاونية، قسم دراسي)؟ سجلوا الجميع دفعة واحدة.").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("تسجيل مجموعة")
    await page.get_by_label("الاسم الكامل").fill("خديجة أيت واحمان")
    await page.get_by_label("الهاتف المحمول").fill("0612345678")
    await page.get_by_label("مكان الإقامة").select_option("MA-09")
    await page.get_by_label("الأشخاص المرافقون لك").fill("يوسف العلوي\nSara Benali\n\nأمينة الإدريسي\n")
    await page.get_by_role("button", name="احصل على تذاكرنا").click()
    await expect(page.locator(".holder")).to_have_text("خديجة أيت واحمان")
    members = page.locator("ol.members li bdi")
    await expect(members).to_have_text(["يوسف العلوي", "Sara Benali", "أمينة الإدريسي"])
    await page.screenshot(path=str(artifacts_dir / "group-ticket-ar.png"), full_page=True)
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="حمّل كل تذاكر المجموعة (PDF)").click()
    path = tmp_path / "group.pdf"
    await (await download_info.value).save_as(path)
    pages = pdf_pages(path.read_bytes())
    assert len(pages) == 4  # the leader and three members, one page each
    assert "Sara Benali" in pages[2]
