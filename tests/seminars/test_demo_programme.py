"""The demo gives the national exhibition a programme: two rooms, six people, eight sessions in
the four tracks over two days, without a refused conflict."""

from __future__ import annotations

from exhibitions.accounts import queries as account_queries
from exhibitions.db import Database
from exhibitions.demo import DEMO_ORGANIZER_EMAIL, load_demo
from exhibitions.seminars import services
from exhibitions.seminars.tables import SeminarSession
from tests.conftest import NOW


async def test_the_national_exhibition_has_a_bilingual_programme(database: Database) -> None:
    result = await load_demo(now=NOW)
    user = await account_queries.find_user_by_email(DEMO_ORGANIZER_EMAIL)
    assert user is not None
    organizer = await account_queries.actor_for_user(user)
    slug = result.slugs[0]
    rooms = await services.list_rooms(slug=slug, actor=organizer)
    people = await services.list_people(slug=slug, actor=organizer)
    sessions = await services.list_sessions(slug=slug, actor=organizer)
    assert [(room["name"], room["building"]) for room in rooms] == [
        ("Salle Al Massira", "Pavillon B"), ("Salle Ibn Khaldoun", "Pavillon A"),
    ]  # fmt: skip
    assert len(people) == 6
    assert {person["country"] for person in people} == {"MA", "BE", "ES", "MR"}
    assert sum(1 for person in people if person["name_ar"] and person["name_latin"]) == 4
    assert len(sessions) == 8
    assert {session["track_code"] for session in sessions} == {
        "legal_framework", "public_policy", "initiatives", "international_partnership",
    }  # fmt: skip
    assert all(session["title_ar"] and session["title_fr"] for session in sessions)
    assert len({session["starts_at"].date() for session in sessions}) == 2
    checked = await services.programme_conflicts(slug=slug, actor=organizer)
    assert [(c.kind.value, c.severity.value) for c in checked.conflicts] == [("travel_too_short", "warning")]
    again = await load_demo(now=NOW)
    assert again.created == []
    # Loading again adds nothing: still the national exhibition's eight (and the past edition's).
    national = await SeminarSession.count().where(SeminarSession.exhibition == rooms[0]["exhibition"])
    assert national == 8
