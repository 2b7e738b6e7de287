"""A speaker, in Chromium and in Arabic, opens the link of her invitation, confirms one
session and asks for another time for the second; the database holds both answers."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from exhibitions.clock import utcnow
from exhibitions.seminars.services import _speakers as speakers
from exhibitions.seminars.tables import SessionPerson
from exhibitions.settings import Settings
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.seminars.speakers_data import programme


async def test_a_speaker_answers_through_her_link_in_arabic(
    live_server: str,
    page: Page,  # noqa: F811
    exhibition: int,
    settings: Settings,
    artifacts_dir: Path,
) -> None:
    p = await programme(exhibition)
    token = await speakers.speaker_link(person_id=p.people["amina"], secret_key=settings.secret_key, now=utcnow())
    # The link of her e-mail: the page speaks her language, whatever the browser's (French here).
    await page.goto(f"{live_server}/speakers/{token}?lang=ar")
    await expect(page.get_by_role("heading", level=1)).to_have_text("جلساتكم، أمينة برادة")
    assert await page.evaluate("document.documentElement.dir") == "rtl"

    opening = page.locator(f"#session-{p.appearances[('amina', 'opening')]}")
    await expect(opening.get_by_role("heading", level=3)).to_have_text("الإطار القانوني للاقتصاد التضامني")
    await opening.get_by_label("أؤكد حضوري").check()
    await opening.get_by_role("button", name="إرسال ردي").click()
    opening = page.locator(f"#session-{p.appearances[('amina', 'opening')]}")
    await expect(opening.get_by_role("status")).to_have_text("سُجِّل ردكم. شكرا لكم.")
    await expect(opening.locator(".response-confirmed")).to_have_text("مؤكَّد")

    workshop = page.locator(f"#session-{p.appearances[('amina', 'workshop')]}")
    await workshop.get_by_label("أطلب موعدا آخر").check()
    await workshop.get_by_role("button", name="إرسال ردي").click()
    # Another time without saying which: the form says so, and keeps the choice.
    workshop = page.locator(f"#session-{p.appearances[('amina', 'workshop')]}")
    await expect(workshop.locator(".error")).to_have_text("اذكروا الأيام والأوقات التي تناسبكم.")
    await expect(workshop.get_by_label("أطلب موعدا آخر")).to_be_checked()
    await workshop.get_by_label("رسالة إلى المنظمين").fill("يناسبني يوم 8 ماي بعد الزوال.")
    await workshop.get_by_role("button", name="إرسال ردي").click()
    workshop = page.locator(f"#session-{p.appearances[('amina', 'workshop')]}")
    await expect(workshop.get_by_role("status")).to_have_text("سُجِّل ردكم. شكرا لكم.")
    await expect(workshop.locator(".response-reschedule_requested")).to_have_text("طلب موعدا آخر")
    await page.screenshot(path=str(artifacts_dir / "speaker-page-ar.png"), full_page=True)

    rows = (
        await SessionPerson.select(SessionPerson.id, SessionPerson.response, SessionPerson.response_message)
        .where(SessionPerson.person == p.people["amina"])
        .order_by(SessionPerson.id)
    )
    assert [(row["id"], row["response"], row["response_message"]) for row in rows] == [
        (p.appearances[("amina", "opening")], "confirmed", ""),
        (p.appearances[("amina", "workshop")], "reschedule_requested", "يناسبني يوم 8 ماي بعد الزوال."),
    ]
