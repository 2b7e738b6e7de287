"""A speaker's page behind their signed link (or their account): their sessions, their
answers, and every way a link is refused."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import unescape
from typing import Any

import httpx

from exhibitions.accounts import services as account_services
from exhibitions.notifications.tables import Outbox
from exhibitions.seminars import links
from exhibitions.seminars.services import _speakers as speakers
from exhibitions.seminars.tables import SeminarPerson, SeminarSession, SessionPerson
from exhibitions.settings import Settings
from exhibitions.web.i18n import Translator
from tests.conftest import NOW
from tests.exhibitors.test_portal import sign_in
from tests.factories import csrf_token, login
from tests.seminars.speakers_data import Programme, programme

ANSWERED_AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _text(html: str) -> str:
    """The page's words, as a reader sees them: tags and runs of white space taken out."""
    inline = re.sub(r"</?(bdi|q|span|strong|a)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


async def _link(settings: Settings, person_id: int) -> str:
    return await speakers.speaker_link(person_id=person_id, secret_key=settings.secret_key, now=NOW)


async def _answers() -> list[tuple[int, str, str]]:
    rows = await SessionPerson.select(
        SessionPerson.id, SessionPerson.response, SessionPerson.response_message
    ).order_by(SessionPerson.id)
    return [(row["id"], row["response"], row["response_message"]) for row in rows]


async def test_the_link_opens_the_persons_sessions_in_their_language(
    client: httpx.AsyncClient, exhibition: int, settings: Settings
) -> None:
    p = await programme(exhibition)
    claire = await client.get(f"/speakers/{await _link(settings, p.people['claire'])}")
    assert claire.status_code == 200
    assert '<html lang="fr" dir="ltr">' in claire.text
    text = _text(claire.text)
    assert "Vos séances, Claire Dubois" in text
    assert (
        "Le cadre juridique de l'économie solidaire Quand vendredi 7 mai 2027, 10:00 – 11:30"
        " Où Salle Ibn Khaldoun, Pavillon A Votre rôle Modérateur Avec Amina Berrada (Intervenant)"
        " Votre réponse Invité"
    ) in text
    assert "Atelier des coopératives" not in text  # not hers

    amina = await client.get(f"/speakers/{await _link(settings, p.people['amina'])}")
    assert '<html lang="ar" dir="rtl">' in amina.text
    text = _text(amina.text)
    assert "جلساتكم، أمينة برادة" in text
    assert "الإطار القانوني للاقتصاد التضامني" in text
    assert "ورشة التعاونيات النسائية" in text
    assert "دوركم متدخل بمشاركة Claire Dubois (مسيّر)" in text
    assert "بمشاركة John Smith (معقّب)" in text
    # An explicit choice of language wins over the person's.
    english = await client.get(f"/speakers/{await _link(settings, p.people['amina'])}?lang=en")
    assert "Your sessions, Amina Berrada" in _text(english.text)
    assert "Speaker With Claire Dubois (Moderator)" in _text(english.text)


async def _answer(
    client: httpx.AsyncClient, path: str, session_person: int, response: str, message: str = ""
) -> httpx.Response:
    page = await client.get(path)
    if 'name="_csrf_token"' not in page.text:  # no form on the page: any page's token will do
        page = await client.get("/login")
    return await client.post(
        f"{path}/sessions/{session_person}",
        data={"response": response, "message": message, "_csrf_token": csrf_token(page.text)},
    )


async def test_a_speaker_confirms_asks_another_time_and_declines(
    client: httpx.AsyncClient, exhibition: int, settings: Settings
) -> None:
    p = await programme(exhibition)
    path = f"/speakers/{await _link(settings, p.people['amina'])}"
    opening, workshop = p.appearances[("amina", "opening")], p.appearances[("amina", "workshop")]

    confirmed = await _answer(client, path, opening, "confirmed")
    assert confirmed.status_code == 302
    assert confirmed.headers["location"] == f"{path}?answered={opening}#session-{opening}"
    after = await client.get(confirmed.headers["location"])
    assert "سُجِّل ردكم. شكرا لكم." in after.text

    # Another time needs a message saying which.
    refused = await _answer(client, path, workshop, "reschedule_requested", "   ")
    assert refused.status_code == 422
    assert "اذكروا الأيام والأوقات التي تناسبكم." in refused.text
    rescheduled = await _answer(client, path, workshop, "reschedule_requested", "Le 8 mai après-midi me convient.")
    assert rescheduled.status_code == 302
    assert await _answers() == [
        (opening, "confirmed", ""),
        (p.appearances[("claire", "opening")], "invited", ""),
        (workshop, "reschedule_requested", "Le 8 mai après-midi me convient."),
        (p.appearances[("john", "workshop")], "invited", ""),
    ]
    # Changing one's mind replaces the answer; declining takes an optional message.
    assert (await _answer(client, path, opening, "declined")).status_code == 302
    assert (await _answers())[0] == (opening, "declined", "")

    bad = await _answer(client, path, opening, "maybe", "x" * 2001)
    assert bad.status_code == 422
    arabic = Translator("ar")
    assert arabic.gettext("Choose one of the options.") in bad.text
    assert arabic.gettext("This text is too long.") in bad.text
    assert (await _answers())[0] == (opening, "declined", "")


async def test_a_session_moved_to_another_time_asks_its_people_again(
    client: httpx.AsyncClient, exhibition: int, settings: Settings, organizer: dict[str, Any]
) -> None:
    p = await programme(exhibition)
    amina = f"/speakers/{await _link(settings, p.people['amina'])}"
    claire = f"/speakers/{await _link(settings, p.people['claire'])}"
    opening = p.sessions["opening"]
    await _answer(client, amina, p.appearances[("amina", "opening")], "confirmed")
    await _answer(client, claire, p.appearances[("claire", "opening")], "declined", "Je serai à Paris.")
    # This programme's day is not one of the fixture's opening days: hours are not the point here.
    lenient = {"severities": {"outside_opening_hours": "warning"}}
    await client.put("/api/v1/exhibitions/sess-2027/programme/settings", json=lenient, headers=organizer["headers"])
    path = f"/api/v1/exhibitions/sess-2027/sessions/{opening}"
    session = (await client.get(path, headers=organizer["headers"])).json()
    # A new title is no new question...
    retitled = await client.patch(path, json={"title_fr": "Le cadre juridique"}, headers=organizer["headers"])
    assert retitled.status_code == 200, retitled.text
    assert [row[1] for row in await _answers()][:2] == ["confirmed", "declined"]
    # ...another time is: who confirmed is asked again, who declined stays declined.
    later = {
        "starts_at": session["starts_at"].replace("T09:00", "T10:00"),
        "ends_at": session["ends_at"].replace("T10:30", "T11:30"),
    }
    moved = await client.patch(path, json=later, headers=organizer["headers"])
    assert moved.status_code == 200, moved.text
    assert (await _answers())[:2] == [
        (p.appearances[("amina", "opening")], "invited", ""),
        (p.appearances[("claire", "opening")], "declined", "Je serai à Paris."),
    ]


async def test_one_cannot_answer_for_someone_else_nor_for_a_cancelled_session(
    client: httpx.AsyncClient, exhibition: int, settings: Settings
) -> None:
    p = await programme(exhibition)
    path = f"/speakers/{await _link(settings, p.people['claire'])}"
    theirs = await _answer(client, path, p.appearances[("john", "workshop")], "declined")
    assert theirs.status_code == 404
    await SeminarSession.update({SeminarSession.status: "cancelled"}).where(SeminarSession.id == p.sessions["opening"])
    page = await client.get(path)
    assert "Cette séance a été annulée." in page.text
    assert 'name="response"' not in page.text
    cancelled = await _answer(client, path, p.appearances[("claire", "opening")], "confirmed")
    assert cancelled.status_code == 409
    assert [row[1] for row in await _answers()] == ["invited"] * 4


async def test_forged_expired_and_revoked_links_are_refused_with_a_clear_page(
    client: httpx.AsyncClient, exhibition: int, settings: Settings, organizer: dict[str, Any]
) -> None:
    p = await programme(exhibition)
    token = await _link(settings, p.people["john"])
    key = links.link_key(settings.secret_key)

    forged = await client.get(f"/speakers/{token[:-2]}xx?lang=en")
    assert forged.status_code == 403
    assert "This link is not valid: copy all of it from the e-mail" in forged.text
    tampered = links.sign_link(
        links.SpeakerLink(p.people["amina"], exhibition, date(2030, 1, 1), 1), links.link_key("x")
    )
    assert (await client.get(f"/speakers/{tampered}")).status_code == 403

    expired = links.sign_link(links.SpeakerLink(p.people["john"], exhibition, date(2026, 1, 1), 1), key)
    refused = await client.get(f"/speakers/{expired}?lang=ar")
    assert refused.status_code == 410
    assert "انتهت صلاحية هذا الرابط." in refused.text
    assert '<html lang="ar" dir="rtl">' in refused.text

    reissued = await client.post(
        f"/api/v1/exhibitions/sess-2027/speakers/{p.people['john']}/link", headers=organizer["headers"]
    )
    assert reissued.status_code == 200
    new_token = reissued.json()["url"].rsplit("/", 1)[1]
    assert reissued.json() == {"person": p.people["john"], "url": f"http://testserver/speakers/{new_token}"}
    assert new_token != token
    revoked = await client.get(f"/speakers/{token}?lang=fr")
    assert revoked.status_code == 410
    assert "Ce lien a été remplacé par un plus récent." in revoked.text
    assert (await client.get(f"/speakers/{new_token}")).status_code == 200
    # Answering through a revoked link changes nothing.
    page = await client.get(f"/speakers/{new_token}")
    stale = await client.post(
        f"/speakers/{token}/sessions/{p.appearances[('john', 'workshop')]}",
        data={"response": "confirmed", "message": "", "_csrf_token": csrf_token(page.text)},
    )
    assert stale.status_code == 410
    assert [row[1] for row in await _answers()] == ["invited"] * 4

    # A link of a person who is gone, or signed for another exhibition, opens nothing.
    other_exhibition = links.sign_link(links.SpeakerLink(p.people["claire"], exhibition + 1, date(2030, 1, 1), 1), key)
    assert (await client.get(f"/speakers/{other_exhibition}")).status_code == 410
    claire = await _link(settings, p.people["claire"])
    await SessionPerson.delete().where(SessionPerson.person == p.people["claire"])
    await SeminarPerson.delete().where(SeminarPerson.id == p.people["claire"])
    assert (await client.get(f"/speakers/{claire}")).status_code == 410


async def test_a_person_with_an_account_sees_the_same_page_at_speakers_me(
    client: httpx.AsyncClient, exhibition: int
) -> None:
    p = await programme(exhibition)
    assert (await client.get("/speakers/me")).status_code == 302  # to the login page
    user = await account_services.create_user(
        email="john@coop.org", password="speaker-password-1", now=NOW, preferred_language="en"
    )
    await SeminarPerson.update({SeminarPerson.user: user}).where(SeminarPerson.id == p.people["john"])
    await sign_in(client, "john@coop.org", "speaker-password-1")
    mine = await client.get("/speakers/me?lang=en")
    assert mine.status_code == 200
    assert "Your sessions, John Smith" in _text(mine.text)
    assert "Discussant With Amina Berrada (Speaker)" in _text(mine.text)
    workshop = p.appearances[("john", "workshop")]
    answered = await _answer(client, "/speakers/me", workshop, "confirmed")
    assert answered.status_code == 302
    assert answered.headers["location"] == f"/speakers/me?answered={workshop}#session-{workshop}"
    assert (await _answers())[3] == (workshop, "confirmed", "")
    # Someone else's session is not on this page.
    assert (await _answer(client, "/speakers/me", p.appearances[("amina", "opening")], "confirmed")).status_code == 404


async def test_a_speaker_subscribes_to_their_own_sessions_by_their_link_or_their_account(
    client: httpx.AsyncClient, exhibition: int, settings: Settings
) -> None:
    p = await programme(exhibition)
    token = await _link(settings, p.people["claire"])
    page = await client.get(f"/speakers/{token}")
    assert f'href="/speakers/{token}/programme.ics?lang=fr" data-calendar' in page.text
    calendar = await client.get(f"/speakers/{token}/programme.ics")
    assert calendar.status_code == 200
    assert calendar.headers["content-type"] == "text/calendar; charset=utf-8"
    assert calendar.headers["cache-control"] == "private, no-cache"
    # Hers only (she moderates one session), before the programme is published.
    assert calendar.text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Le cadre juridique de l'économie solidaire" in calendar.text
    assert (await client.get(f"/speakers/{token[:-2]}xx/programme.ics")).status_code == 403

    user = await account_services.create_user(
        email="claire@coop.org", password="speaker-password-1", now=NOW, preferred_language="fr"
    )
    await SeminarPerson.update({SeminarPerson.user: user}).where(SeminarPerson.id == p.people["claire"])
    await sign_in(client, "claire@coop.org", "speaker-password-1")
    mine = await client.get(f"/speakers/me/people/{p.people['claire']}/programme.ics")
    assert mine.content == calendar.content
    # Another person's calendar is not hers to read.
    assert (await client.get(f"/speakers/me/people/{p.people['amina']}/programme.ics")).status_code == 404


async def test_organizers_read_every_answer(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    p: Programme = await programme(exhibition)
    await speakers.respond(
        session_person_id=p.appearances[("claire", "opening")], person_id=p.people["claire"],
        response="reschedule_requested", message="Plutôt l'après-midi.", now=ANSWERED_AT,
    )  # fmt: skip
    rows = await speakers.responses_of(exhibition_id=exhibition)
    assert [(r["session_person"], r["response"], r["response_message"]) for r in rows] == [
        (p.appearances[("amina", "opening")], "invited", ""),
        (p.appearances[("claire", "opening")], "reschedule_requested", "Plutôt l'après-midi."),
        (p.appearances[("amina", "workshop")], "invited", ""),
        (p.appearances[("john", "workshop")], "invited", ""),
    ]
    answered = await client.get("/api/v1/exhibitions/sess-2027/speakers/responses", headers=organizer["headers"])
    assert answered.status_code == 200
    assert answered.json()[1] == {
        "session_person": p.appearances[("claire", "opening")],
        "session": p.sessions["opening"],
        "person": p.people["claire"],
        "person_name": "Claire Dubois",
        "session_title": "Le cadre juridique de l'économie solidaire",
        "starts_at": p.starts["opening"].isoformat().replace("+00:00", "Z"),
        "role": "moderator",
        "response": "reschedule_requested",
        "message": "Plutôt l'après-midi.",
        "responded_at": "2026-12-01T08:00:00Z",
    }
    assert (await client.get("/api/v1/exhibitions/sess-2027/speakers/responses")).status_code == 401
    user = await account_services.create_user(email="someone@test.ma", password="someone-password-1", now=NOW)
    _, token = await account_services.issue_token(user_id=user, kind=account_services.TokenKind.personal, now=NOW)
    stranger = {"Authorization": f"Bearer {token}"}
    for method, path in (
        ("GET", "/speakers/responses"),
        ("POST", "/speakers/invitations"),
        ("POST", f"/speakers/{p.people['john']}/link"),
    ):
        refused = await client.request(method, f"/api/v1/exhibitions/sess-2027{path}", headers=stranger)
        assert refused.status_code == 403, path
    unknown = await client.post("/api/v1/exhibitions/sess-2027/speakers/999999/link", headers=organizer["headers"])
    assert unknown.status_code == 404


async def test_organizers_invite_the_speakers_from_the_people_page_and_see_their_answers(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int, settings: Settings
) -> None:
    p = await programme(exhibition)
    await login(client)
    people_page = "/organize/exhibitions/sess-2027/programme/people"
    shown = await client.get(people_page)
    assert "Inviter les intervenants" in shown.text
    invited = await client.post(f"{people_page}/invite", data={"_csrf_token": csrf_token(shown.text)})
    assert (invited.status_code, invited.headers["location"]) == (302, f"{people_page}?invited=3")
    rows = await Outbox.select(Outbox.recipient).where(Outbox.rule == "speaker_invited").order_by(Outbox.recipient)
    assert [row["recipient"] for row in rows] == ["amina@univ.ma", "claire@ess.fr", "john@coop.org"]
    assert "3 invitations envoyées." in _text((await client.get(f"{people_page}?invited=3")).text)
    # Once per link: a second click invites nobody.
    again = await client.post(f"{people_page}/invite", data={"_csrf_token": csrf_token(shown.text)})
    assert again.headers["location"] == f"{people_page}?invited=0"

    path = f"/speakers/{await _link(settings, p.people['claire'])}"
    await _answer(client, path, p.appearances[("claire", "opening")], "reschedule_requested", "Plutôt l'après-midi.")
    text = _text((await client.get(people_page)).text)
    assert (
        "Claire Dubois À tout moment 1 A demandé un autre horaire — Le cadre juridique de l'économie solidaire"
        " (Plutôt l'après-midi.) John Smith À tout moment 1 Invité — Atelier des coopératives de femmes"
    ) in text
