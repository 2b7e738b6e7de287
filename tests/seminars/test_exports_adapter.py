"""The stored programme as the exports read it: scheduled and cancelled sessions, their texts
in every language written, people in their roles; the frab XML of it validates."""

from __future__ import annotations

from typing import Any

import httpx
from lxml import etree

from exhibitions.accounts.actor import Actor
from exhibitions.seminars import services
from exhibitions.seminars.exports import ExportPerson, ExportRoom, to_frab_xml, to_ics
from tests.seminars.exports_sample import SCHEMA
from tests.seminars.seminars_data import at, person, post, room, session


async def test_the_stored_programme_becomes_the_exports_model(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    headers = organizer["headers"]
    salle = await post(client, headers, "/rooms", room())
    amina = await post(client, headers, "/people", person(bio_fr="Juriste.", bio_ar="قانونية."))
    jean = await post(client, headers, "/people", person("Jean Dupont", ""))
    people = [{"person_id": amina["id"], "role": "speaker"}, {"person_id": jean["id"], "role": "moderator"}]
    opening = await post(client, headers, "/sessions", session(room_id=salle["id"], status="scheduled", people=people))
    await post(client, headers, "/sessions", session("11:00", "12:00", room_id=salle["id"], title_fr="Brouillon"))
    await client.patch(f"/api/v1/exhibitions/sess-2027/sessions/{opening['id']}", json={"ends_at": at(0, "11:00")},
                       headers=headers)  # fmt: skip
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))

    programme = await services.export_programme(slug="sess-2027", actor=actor, base_url="https://ess.example.ma/")
    assert (programme.host, programme.time_zone, programme.language) == ("ess.example.ma", "Africa/Casablanca", "fr")
    assert programme.rooms == (ExportRoom(id=salle["id"], name="Salle Ibn Khaldoun", building="Pavillon A",
                                          capacity=80),)  # fmt: skip
    (exported,) = programme.sessions
    assert (exported.guid, exported.type, exported.track_code, exported.sequence, exported.cancelled) == (
        opening["guid"], "panel", "legal_framework", 1, False,
    )  # fmt: skip
    assert exported.title == {"ar": "الإطار القانوني للاقتصاد الاجتماعي والتضامني", "fr": "Le cadre juridique de l'ESS"}
    assert exported.track == {"ar": "الإطار القانوني", "fr": "Cadre juridique", "en": "Legal framework"}
    assert exported.people == (
        (ExportPerson(id=amina["id"], name="Amina Berrada", name_ar="أمينة برادة", affiliation="Université Mohammed V",
                      bio={"ar": "قانونية.", "fr": "Juriste."}), "speaker"),
        (ExportPerson(id=jean["id"], name="Jean Dupont", affiliation="Université Mohammed V"), "moderator"),
    )  # fmt: skip
    assert exported.languages == ("ar", "fr")
    with_drafts = await services.export_programme(
        slug="sess-2027", actor=actor, base_url="https://ess.example.ma/", include_drafts=True
    )
    assert len(with_drafts.sessions) == 2

    validator = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert validator.validate(etree.fromstring(to_frab_xml(programme))), validator.error_log
    calendar = to_ics(programme, name="Programme").decode()
    assert f"UID:{opening['guid']}@ess.example.ma" in calendar
    assert "SEQUENCE:1" in calendar
