"""Issue 6's journey in one browser: the organizer adds two rooms, a speaker and three sessions,
sees a clash refused, invites the speaker and publishes; the speaker confirms through her
link; a visitor registers for a session and finds it in her calendar file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from exhibitions.clock import utcnow
from exhibitions.notifications.tables import Outbox
from exhibitions.seminars.attendance_tables import SessionRegistration
from exhibitions.seminars.services import _speakers as speakers
from exhibitions.seminars.tables import SeminarPerson, SeminarSession, SessionPerson
from exhibitions.settings import Settings
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.seminars.attendance_data import visitor

PROGRAMME = "/organize/exhibitions/sess-2027/programme"


async def test_organizer_speaker_and_visitor_go_through_the_programme(
    live_server: str,
    page: Page,  # noqa: F811
    exhibition: int,
    organizer: dict[str, Any],
    settings: Settings,
    artifacts_dir: Path,
) -> None:
    # The organizer: two rooms, a speaker, three sessions (one clash refused, then moved).
    await page.goto(f"{live_server}{PROGRAMME}/rooms?lang=fr")
    await page.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    for name, building in (("Salle Ibn Khaldoun", "Pavillon A"), ("Salle Al Massira", "Pavillon B")):
        await page.locator("#f-name").fill(name)
        await page.locator("#f-building").fill(building)
        await page.locator("#f-capacity").fill("80")
        await page.get_by_role("button", name="Ajouter la salle").click()
        await expect(page.get_by_role("row", name=name)).to_be_visible()

    await page.goto(f"{live_server}{PROGRAMME}/people/new")
    await page.locator("#f-name_ar").fill("أمينة برادة")
    await page.locator("#f-name_latin").fill("Amina Berrada")
    await page.locator("#f-email").fill("amina@univ.ma")
    await page.locator("#f-language").select_option("fr")
    await page.get_by_role("button", name="Enregistrer").click()
    [amina] = await SeminarPerson.select(SeminarPerson.id).where(SeminarPerson.name_latin == "Amina Berrada")

    async def add_session(title: str, room: str, starts: str, ends: str, *, open_to_visitors: bool = False) -> None:
        await page.goto(f"{live_server}{PROGRAMME}/sessions/new")
        await page.locator("#f-title_fr").fill(title)
        await page.locator("#f-room_id").select_option(label=f"{room} (80)")
        await page.locator("#f-starts").fill(starts)
        await page.locator("#f-ends").fill(ends)
        await page.locator("#f-status").select_option("scheduled")
        if open_to_visitors:
            await page.locator("input[name=needs_registration]").check()
        if title == "Ouverture":
            await page.locator("#f-person_0").select_option(str(amina["id"]))
        await page.get_by_role("button", name="Enregistrer la session").click()

    await add_session("Ouverture", "Salle Ibn Khaldoun", "10:00", "11:00")
    await add_session("Coopératives et territoires", "Salle Al Massira", "10:00", "11:00", open_to_visitors=True)
    await add_session("Atelier juridique", "Salle Ibn Khaldoun", "10:30", "11:30")
    await expect(page.locator("#conflicts")).to_contain_text(
        "Salle Ibn Khaldoun accueille deux sessions en même temps : « Ouverture » et « Atelier juridique »."
    )
    assert await SeminarSession.count() == 2
    await page.locator("#f-starts").fill("11:00")
    await page.locator("#f-ends").fill("12:00")
    await page.get_by_role("button", name="Enregistrer la session").click()
    await expect(page.locator(".session-card")).to_have_count(3)

    await page.goto(f"{live_server}{PROGRAMME}/people")
    await page.get_by_role("button", name="Inviter les intervenants").click()
    await expect(page.get_by_role("status")).to_have_text("1 invitation envoyée.")
    assert await Outbox.count().where(Outbox.rule == "speaker_invited") == 1

    # The speaker opens her link (the one her invitation carries) and confirms.
    [appearance] = await SessionPerson.select(SessionPerson.id).where(SessionPerson.person == amina["id"])
    link = await speakers.speaker_link(person_id=amina["id"], secret_key=settings.secret_key, now=utcnow())
    await page.goto(f"{live_server}/speakers/{link}")
    card = page.locator(f"#session-{appearance['id']}")
    await card.get_by_label("Je confirme").check()
    await card.get_by_role("button", name="Envoyer ma réponse").click()
    await expect(page.locator(f"#session-{appearance['id']}").get_by_role("status")).to_be_visible()
    answered = await SessionPerson.select(SessionPerson.response).where(SessionPerson.id == appearance["id"])
    assert answered == [{"response": "confirmed"}]

    # The organizer publishes; the people page shows her answer.
    await page.goto(f"{live_server}{PROGRAMME}/people")
    await expect(page.locator("table.list")).to_contain_text("Confirmé — Ouverture")
    await page.goto(f"{live_server}{PROGRAMME}/versions")
    await page.get_by_role("button", name="Publier le programme maintenant").click()

    # A visitor registers for the open session and finds it in her calendar.
    salma = await visitor(settings, "Salma", "salma@example.ma", "fr")
    [open_session] = await SeminarSession.select(SeminarSession.id).where(
        SeminarSession.title_fr == "Coopératives et territoires"
    )
    await page.goto(f"{live_server}/tickets/{salma['access_token']}/programme")
    card = page.locator(f"#session-{open_session['id']}")
    await card.get_by_role("button", name="M'inscrire").click()
    await expect(page.locator(f"#session-{open_session['id']}")).to_contain_text("Vous êtes inscrit.")
    await page.screenshot(path=str(artifacts_dir / "journey-visitor-fr.png"), full_page=True)
    calendar = await page.request.get(live_server + (await page.locator("#my-calendar").get_attribute("href") or ""))
    body = await calendar.text()
    assert "SUMMARY:Coopératives et territoires" in body
    assert "SUMMARY:Ouverture" not in body  # neither starred nor registered
    registrations = await SessionRegistration.select(SessionRegistration.session, SessionRegistration.status)
    assert registrations == [{"session": open_session["id"], "status": "registered"}]
