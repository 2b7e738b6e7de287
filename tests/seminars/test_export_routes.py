"""The programme's export routes: exact headers and bodies (built by the pure exporters from the
programme the rows should make), the frab XML valid against its schema, revalidation by ETag,
drafts private, and a person's calendar for organizers only."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from lxml import etree

from exhibitions.accounts.actor import Actor
from exhibitions.events import services as event_services
from exhibitions.seminars.exports import (
    ExportPerson,
    ExportProgramme,
    ExportRoom,
    ExportSession,
    to_c3voc_json,
    to_frab_xml,
    to_ics,
)
from exhibitions.seminars.tables import SeminarSession, SessionPerson
from tests.conftest import NOW
from tests.factories import FIRST_DAY, LAST_DAY, exhibition_create, login
from tests.seminars.documents_data import Programme, publish, seed_programme
from tests.seminars.exports_sample import SCHEMA

BASE = "http://testserver"
PROGRAMME_URL = f"{BASE}/exhibitions/sess-2027/programme"
TITLES = {
    "ar": "المعرض الوطني للاقتصاد الاجتماعي والتضامني",
    "fr": "Salon national de l'économie sociale et solidaire",
    "en": "National Exhibition of the Social and Solidarity Economy",
}


@pytest.fixture
async def programme(exhibition: int, organizer: dict[str, Any]) -> Programme:
    seeded = await seed_programme(exhibition)
    await publish(organizer)
    return seeded


def _expected(seeded: Programme, *, language: str = "fr", only: tuple[str, ...] | None = None) -> ExportProgramme:
    """The programme the rows must make, written out by hand."""
    rooms, people, sessions = seeded.rooms, seeded.people, seeded.sessions
    amina = ExportPerson(
        id=people["amina"]["id"], name="Amina El Idrissi", name_ar="أمينة الإدريسي",
        affiliation="Université Mohammed V", bio={"fr": "Juriste."},
    )  # fmt: skip
    jean = ExportPerson(id=people["jean"]["id"], name="Jean Dupont", affiliation="AFD")
    mohamed = ExportPerson(id=people["mohamed"]["id"], name="", name_ar="محمد بنعلي", affiliation="مكتب تنمية التعاون")
    legal = {"ar": "الإطار القانوني", "fr": "Cadre juridique", "en": "Legal framework"}
    chosen = {
        "opening": ExportSession(
            id=sessions["opening"]["id"], guid=sessions["opening"]["guid"],
            title={"ar": "افتتاح: القانون 112.12 المتعلق بالتعاونيات", "fr": "Ouverture : la loi 112-12 sur les coopératives"},
            abstract={"ar": "عشر سنوات من التطبيق.", "fr": "Dix ans d'application."}, type="keynote", track=legal,
            track_code="legal", room_id=rooms["atlas"]["id"], starts_at=sessions["opening"]["starts_at"],
            ends_at=sessions["opening"]["ends_at"], people=((amina, "speaker"), (jean, "moderator")),
            languages=("fr", "ar"), interpretation=True, sequence=1,
            url=f"{PROGRAMME_URL}#session-{sessions['opening']['id']}",
        ),
        "finance": ExportSession(
            id=sessions["finance"]["id"], guid=sessions["finance"]["guid"], title={"ar": "التمويل التضامني"},
            abstract={"ar": "كيف تمول التعاونيات مشاريعها؟"}, type="panel", track={"fr": "Politiques publiques"},
            track_code="policy", room_id=rooms["rif"]["id"], starts_at=sessions["finance"]["starts_at"],
            ends_at=sessions["finance"]["ends_at"], people=((mohamed, "speaker"), (amina, "discussant")),
            languages=("ar",), interpretation=False, sequence=0,
            url=f"{PROGRAMME_URL}#session-{sessions['finance']['id']}",
        ),
        "workshop": ExportSession(
            id=sessions["workshop"]["id"], guid=sessions["workshop"]["guid"], title={"fr": "Atelier : vendre en ligne"},
            abstract={}, type="workshop", track={"fr": "Politiques publiques"}, track_code="policy",
            room_id=rooms["atlas"]["id"], starts_at=sessions["workshop"]["starts_at"],
            ends_at=sessions["workshop"]["ends_at"], people=((jean, "speaker"),), languages=("fr",),
            interpretation=False, sequence=3, cancelled=True,
            url=f"{PROGRAMME_URL}#session-{sessions['workshop']['id']}",
        ),
    }  # fmt: skip
    return ExportProgramme(
        slug="sess-2027", title=TITLES, time_zone="Africa/Casablanca", starts_on=FIRST_DAY, ends_on=LAST_DAY,
        version=NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), base_url=PROGRAMME_URL, host="testserver",
        rooms=(
            ExportRoom(id=rooms["atlas"]["id"], name="Salle Atlas", building="Pavillon A", capacity=120),
            ExportRoom(id=rooms["rif"]["id"], name="قاعة الريف", building="Pavillon B", capacity=40),
        ),
        sessions=tuple(session for name, session in chosen.items() if only is None or name in only),
        language=language,
    )  # fmt: skip


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _headers(response: httpx.Response) -> dict[str, str]:
    wanted = ("content-type", "etag", "cache-control", "content-disposition", "x-content-type-options")
    return {name: response.headers[name] for name in wanted if name in response.headers}


async def test_the_calendar_is_the_published_programme(client: httpx.AsyncClient, programme: Programme) -> None:
    # The programme was published at NOW: that is its version and every event's DTSTAMP.
    response = await client.get("/exhibitions/sess-2027/programme.ics")
    assert response.status_code == 200
    body = to_ics(_expected(programme), name=TITLES["fr"], stamp=NOW)
    assert response.content == body
    assert _headers(response) == {
        "content-type": "text/calendar; charset=utf-8",
        "etag": _etag(body),
        "cache-control": "public, max-age=60",
        "content-disposition": 'inline; filename="programme-sess-2027.ics"',
        "x-content-type-options": "nosniff",
    }
    text = response.text
    assert "Brouillon" not in text  # drafts are never exported
    assert text.count("BEGIN:VEVENT") == 3
    assert "STATUS:CANCELLED" in text


async def test_the_calendar_in_arabic(client: httpx.AsyncClient, programme: Programme) -> None:
    response = await client.get("/exhibitions/sess-2027/programme.ics?lang=ar")
    assert response.content == to_ics(_expected(programme, language="ar"), name=TITLES["ar"], stamp=NOW)
    assert (await client.get("/exhibitions/sess-2027/programme.ics?lang=xx")).status_code == 422


async def test_an_unchanged_file_is_not_sent_again_and_a_published_change_is(
    client: httpx.AsyncClient, programme: Programme, organizer: dict[str, Any]
) -> None:
    first = await client.get("/exhibitions/sess-2027/programme.ics")
    again = await client.get("/exhibitions/sess-2027/programme.ics", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    moved = datetime(2027, 3, 2, 8, 0, tzinfo=UTC)
    await SeminarSession.update(
        {SeminarSession.title_fr: "Ouverture officielle", SeminarSession.sequence: 2, SeminarSession.updated_at: moved}
    ).where(SeminarSession.id == programme.sessions["opening"]["id"])
    # An edit reaches no calendar before it is published...
    unpublished = await client.get(
        "/exhibitions/sess-2027/programme.ics", headers={"If-None-Match": first.headers["etag"]}
    )
    assert unpublished.status_code == 304
    # ...and every calendar once it is.
    assert await publish(organizer, now=moved) == 2
    changed = await client.get("/exhibitions/sess-2027/programme.ics", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200
    assert "SUMMARY:Ouverture officielle" in changed.text
    assert "SEQUENCE:2" in changed.text
    assert "DTSTAMP:20270302T080000Z" in changed.text


async def test_the_frab_xml_validates_and_is_exact(client: httpx.AsyncClient, programme: Programme) -> None:
    response = await client.get("/api/v1/exhibitions/sess-2027/programme.xml")
    assert response.status_code == 200
    body = to_frab_xml(_expected(programme))
    assert response.content == body
    assert _headers(response) == {
        "content-type": "application/xml",
        "etag": _etag(body),
        "cache-control": "public, max-age=60",
        "content-disposition": 'inline; filename="programme-sess-2027.xml"',
        "x-content-type-options": "nosniff",
    }
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.fromstring(response.content)
    assert schema.validate(document), schema.error_log
    titles = [element.text for element in document.iter("title")]
    assert titles == [TITLES["fr"], "Ouverture : la loi 112-12 sur les coopératives", "التمويل التضامني"]


async def test_the_c3voc_json_is_exact(client: httpx.AsyncClient, programme: Programme) -> None:
    response = await client.get("/api/v1/exhibitions/sess-2027/programme.json?lang=ar")
    body = to_c3voc_json(_expected(programme, language="ar"))
    assert response.status_code == 200
    assert response.content == body
    assert _headers(response) == {
        "content-type": "application/json",
        "etag": _etag(body),
        "cache-control": "public, max-age=60",
        "content-disposition": 'inline; filename="programme-sess-2027.json"',
        "x-content-type-options": "nosniff",
    }
    assert json.loads(body)["schedule"]["conference"]["title"] == TITLES["ar"]
    unknown = await client.get("/api/v1/exhibitions/sess-2027/programme.json?lang=xx")
    assert unknown.status_code == 422
    assert unknown.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in unknown.json()["errors"]] == ["lang"]


async def test_an_exhibition_without_sessions_exports_an_empty_programme(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    unpublished = await client.get("/api/v1/exhibitions/sess-2027/programme.json")
    assert unpublished.status_code == 404
    assert unpublished.json()["detail"] == "the programme of 'sess-2027' is not published yet"
    assert (await client.get("/exhibitions/sess-2027/programme.pdf")).status_code == 404
    # Its organizers see the preview meanwhile.
    preview = await client.get("/api/v1/exhibitions/sess-2027/programme.json", headers=organizer["headers"])
    assert preview.status_code == 200
    assert preview.headers["cache-control"] == "private, no-cache"
    await publish(organizer)
    response = await client.get("/api/v1/exhibitions/sess-2027/programme.json")
    assert response.status_code == 200
    days = json.loads(response.content)["schedule"]["conference"]["days"]
    assert len(days) == 10  # the exhibition's days, each without a session
    assert all(day["rooms"] == {} for day in days)


async def test_a_draft_exhibition_is_for_its_organizers_and_never_in_a_shared_cache(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    draft = exhibition_create(slug="draft-2027", starts_on=FIRST_DAY, ends_on=LAST_DAY)
    await event_services.create_exhibition(data=draft, actor=actor, now=NOW)
    anonymous = await client.get("/api/v1/exhibitions/draft-2027/programme.xml")
    assert anonymous.status_code == 404
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert (await client.get("/exhibitions/draft-2027/programme.ics")).status_code == 404
    preview = await client.get("/api/v1/exhibitions/draft-2027/programme.xml", headers=organizer["headers"])
    assert preview.status_code == 200
    assert preview.headers["cache-control"] == "private, no-cache"


async def test_unknown_exhibitions(client: httpx.AsyncClient, exhibition: int) -> None:
    response = await client.get("/api/v1/exhibitions/nope-2027/programme.json")
    assert response.status_code == 404
    assert response.json()["detail"] == "no exhibition 'nope-2027'"
    assert (await client.get("/exhibitions/nope-2027/programme.pdf")).status_code == 404


async def test_a_persons_calendar_is_theirs_and_for_organizers(client: httpx.AsyncClient, programme: Programme) -> None:
    amina = programme.people["amina"]["id"]
    url = f"/organize/exhibitions/sess-2027/people/{amina}/programme.ics"
    assert (await client.get(url)).status_code in (302, 303)  # the login page first
    await login(client)
    response = await client.get(url)
    assert response.status_code == 200
    # In her language (Arabic), with the sessions she did not decline.
    expected = _expected(programme, language="ar", only=("opening", "finance"))
    assert response.content == to_ics(expected, name=f"{TITLES['ar']} · أمينة الإدريسي", stamp=NOW)
    assert response.headers["cache-control"] == "private, no-cache"
    assert response.headers["content-disposition"] == f'inline; filename="programme-sess-2027-person-{amina}.ics"'
    await SessionPerson.update({SessionPerson.response: "declined"}).where(
        (SessionPerson.person == amina) & (SessionPerson.session == programme.sessions["finance"]["id"])
    )
    declined = await client.get(url + "?lang=fr")
    assert declined.text.count("BEGIN:VEVENT") == 1
    assert (await client.get("/organize/exhibitions/sess-2027/people/999999/programme.ics")).status_code == 404
