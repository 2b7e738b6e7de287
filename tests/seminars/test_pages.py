"""The organizers' programme pages: rooms, people with availability, sessions with people in
roles; errors and refused clashes shown in the organizer's language."""

from __future__ import annotations

from typing import Any

import httpx

from exhibitions.seminars.tables import PersonAvailability, SeminarPerson, SeminarRoom, SeminarSession, SessionPerson
from tests.factories import FIRST_DAY, csrf_token, login

PAGE = "/organize/exhibitions/sess-2027/programme"


async def test_an_organizer_builds_a_programme_on_the_pages_and_a_clash_is_refused(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    await login(client)
    shown = await client.get(PAGE)
    assert shown.status_code == 200
    assert "Aucune session pour l&#39;instant." in shown.text
    token = csrf_token(shown.text)
    for name, building in (("Salle 1", "Pavillon A"), ("Salle 2", "Pavillon B")):
        added = await client.post(f"{PAGE}/rooms", data={"_csrf_token": token, "name": name, "building": building,
                                                         "capacity": "80"})  # fmt: skip
        assert (added.status_code, added.headers["location"]) == (302, f"{PAGE}/rooms")
    rooms = {row["name"]: row["id"] for row in await SeminarRoom.select(SeminarRoom.name, SeminarRoom.id)}
    bad_person = await client.post(
        f"{PAGE}/people/new",
        data={"_csrf_token": token, "name_latin": "", "name_ar": "", "availability": "demain matin", "language": "fr"},
    )
    assert bad_person.status_code == 422
    assert '<p class="error" id="e-name_latin">Donnez le nom en caractères arabes, latins, ou les deux.</p>' in (
        bad_person.text
    )
    assert "Ligne 1 : Cette ligne est illisible ; suivez l&#39;exemple." in bad_person.text
    day = FIRST_DAY.isoformat()
    person = await client.post(
        f"{PAGE}/people/new",
        data={"_csrf_token": token, "name_latin": "Amina Berrada", "name_ar": "أمينة برادة", "country": "ma",
              "language": "ar", "availability": f"{day} 09:00-13:00"},
    )  # fmt: skip
    assert person.status_code == 302, person.text
    amina = await SeminarPerson.select().first()
    assert (amina["country"], amina["language"], await PersonAvailability.count()) == ("MA", "ar", 1)

    def session(title: str, room: str, starts: str, ends: str) -> dict[str, str]:
        return {"_csrf_token": token, "title_fr": title, "type": "panel", "track": "public_policy",
                "room_id": str(rooms[room]), "day": day, "starts": starts, "ends": ends, "lang_fr": "true",
                "status": "scheduled", "person_0": str(amina["id"]), "role_0": "speaker", "person_1": "",
                "role_1": "speaker"}  # fmt: skip

    assert (
        await client.post(f"{PAGE}/sessions/new", data=session("Ouverture", "Salle 1", "10:00", "11:00"))
    ).status_code == 302
    refused = await client.post(f"{PAGE}/sessions/new", data=session("Atelier", "Salle 2", "10:30", "11:30"))
    assert refused.status_code == 409
    assert "La session n&#39;a pas été enregistrée" in refused.text
    assert "Amina Berrada est dans deux sessions en même temps : « Ouverture » et « Atelier »." in refused.text
    assert 'value="Atelier"' in refused.text  # what was typed is kept
    in_arabic = await client.post(
        f"{PAGE}/sessions/new?lang=ar", data={**session("Atelier", "Salle 2", "11:30", "11:00")}
    )
    assert in_arabic.status_code == 422
    assert 'dir="rtl"' in in_arabic.text
    assert "يجب أن تكون النهاية بعد البداية." in in_arabic.text
    later = await client.post(f"{PAGE}/sessions/new", data=session("Atelier", "Salle 2", "11:30", "12:30"))
    assert later.status_code == 302
    assert (await SeminarSession.count(), await SessionPerson.count()) == (2, 2)
    programme = await client.get(PAGE + "?lang=fr")
    assert "Aucun conflit dans le programme." in programme.text
    assert "Salle 1" in programme.text
    assert "Atelier" in programme.text
    assert "Intervenant" in programme.text


async def test_a_warning_is_saved_and_shown_on_the_session_and_the_programme(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    await login(client)
    token = csrf_token((await client.get(f"{PAGE}/people/new")).text)
    day = FIRST_DAY.isoformat()
    await client.post(f"{PAGE}/people/new", data={"_csrf_token": token, "name_latin": "Jean Dupont", "language": "fr",
                                                  "availability": f"{day} 14:00-18:00"})  # fmt: skip
    jean = await SeminarPerson.select().first()
    saved = await client.post(
        f"{PAGE}/sessions/new",
        data={"_csrf_token": token, "title_fr": "Matinale", "type": "keynote", "track": "initiatives", "room_id": "",
              "day": day, "starts": "10:00", "ends": "11:00", "status": "draft", "person_0": str(jean["id"]),
              "role_0": "moderator"},
    )  # fmt: skip
    session_id = (await SeminarSession.select(SeminarSession.id).first())["id"]
    assert saved.headers["location"] == f"{PAGE}/sessions/{session_id}"
    shown = await client.get(saved.headers["location"])
    assert "Jean Dupont n&#39;est pas disponible à l&#39;heure de « Matinale »." in shown.text
    programme = await client.get(PAGE + "?lang=en")
    assert "1 warning" in programme.text
    assert "Person not available" in programme.text


async def test_the_exhibition_page_links_its_organizers_to_the_programme(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    await login(client)
    page = await client.get("/exhibitions/sess-2027")
    assert 'href="/organize/exhibitions/sess-2027/programme"' in page.text
