from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from exhibitions.seminars.exports import to_c3voc_json
from tests.seminars.exports_sample import PROGRAMME

# The rules of c3voc's schedule schema (https://c3voc.de/schedule/schema.json) this export follows.
EVENT_REQUIRED = {
    "abstract", "date", "duration", "guid", "id", "language", "links", "persons",
    "room", "slug", "start", "subtitle", "title", "track", "type", "url",
}  # fmt: skip
EVENT_ALLOWED = EVENT_REQUIRED | {
    "logo", "description", "recording_license", "do_not_record", "do_not_stream", "attachments", "answers",
}  # fmt: skip
CONFERENCE_REQUIRED = {"title", "acronym", "days", "daysCount", "start", "end", "timeslot_duration"}
ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
DURATION = re.compile(r"^[0-9]+:[0-9]{2}$")
TIME_ZONE = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def event(**fields: Any) -> dict[str, Any]:
    return {"description": "", "links": [], **fields}


EXPECTED = {
    "schedule": {
        "version": "3",
        "base_url": "https://ess.example.ma/seminars/sess-2027/",
        "conference": {
            "acronym": "sess_2027",
            "title": "Salon national de l'ESS",
            "start": "2027-03-13",
            "end": "2027-03-14",
            "daysCount": 2,
            "timeslot_duration": "00:15",
            "time_zone_name": "Africa/Casablanca",
            "rooms": [
                {"name": "Salle Atlas", "guid": "3ce6982c-6546-5a82-bfe8-41989d9baa9c", "capacity": 120},
                {"name": "قاعة الريف", "guid": "79107684-dc77-56d7-ac41-1c7ed75155a2", "capacity": 40},
            ],
            "days": [
                {
                    "index": 1,
                    "date": "2027-03-13",
                    "day_start": "2027-03-13T10:00:00+00:00",
                    "day_end": "2027-03-13T15:00:00+00:00",
                    "rooms": {
                        "Salle Atlas": [
                            event(
                                guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a01",
                                id=101,
                                date="2027-03-13T10:00:00+00:00",
                                start="10:00",
                                duration="01:30",
                                room="Salle Atlas",
                                slug="sess_2027-101-ouverture_la_loi_112_12_sur_les_cooperatives",
                                url="https://ess.example.ma/seminars/sess-2027/sessions/101",
                                title="Ouverture : la loi 112-12 sur les coopératives",
                                subtitle="افتتاح: القانون 112.12 المتعلق بالتعاونيات",
                                track="Cadre juridique",
                                type="keynote",
                                language="fr",
                                abstract="Dix ans d'application, bilan & perspectives.",
                                description="عشر سنوات من التطبيق.",
                                persons=[
                                    {"id": 7, "public_name": "Amina El Idrissi"},
                                    {"id": 8, "public_name": "Jean Dupont"},
                                ],
                            )
                        ],
                        "قاعة الريف": [
                            event(
                                guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a02",
                                id=102,
                                date="2027-03-13T14:00:00+00:00",
                                start="14:00",
                                duration="01:00",
                                room="قاعة الريف",
                                slug="sess_2027-102",
                                url="https://ess.example.ma/seminars/sess-2027/",  # no page of its own
                                title="التمويل التضامني",
                                subtitle="",
                                track="Politiques publiques",
                                type="panel",
                                language="ar",
                                abstract="كيف تمول التعاونيات مشاريعها؟",
                                persons=[
                                    {"id": 9, "public_name": "محمد بنعلي"},
                                    {"id": 7, "public_name": "Amina El Idrissi"},
                                ],
                            )
                        ],
                    },
                },
                {
                    "index": 2,
                    "date": "2027-03-14",
                    "day_start": "2027-03-14T15:30:00+01:00",
                    "day_end": "2027-03-14T16:15:00+01:00",
                    "rooms": {
                        "Salle Atlas": [],  # the cancelled workshop is left out
                        "قاعة الريف": [
                            event(
                                guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a04",
                                id=104,
                                date="2027-03-14T15:30:00+01:00",
                                start="15:30",
                                duration="00:45",
                                room="قاعة الريف",
                                slug="sess_2027-104-table_ronde_cooperer_entre_rives",
                                url="https://ess.example.ma/seminars/sess-2027/sessions/104",
                                title="Table ronde : coopérer entre rives",
                                subtitle="Round table: cooperating across shores",
                                track="partnership",
                                type="round_table",
                                language="fr",
                                abstract="",
                                persons=[
                                    {"id": 8, "public_name": "Jean Dupont"},
                                    {"id": 7, "public_name": "Amina El Idrissi"},
                                ],
                            )
                        ],
                    },
                },
            ],
        },
    }
}


def test_exact_structure() -> None:
    assert json.loads(to_c3voc_json(PROGRAMME)) == EXPECTED


def test_arabic_is_written_as_is_in_utf8() -> None:
    payload = to_c3voc_json(PROGRAMME)
    assert "قاعة الريف".encode() in payload
    assert b"\\u0642" not in payload


def assert_follows_c3voc_rules(document: dict[str, Any]) -> None:
    assert set(document) == {"schedule"}
    schedule = document["schedule"]
    assert {"version", "conference"} <= set(schedule)
    assert "rooms" not in schedule
    conference = schedule["conference"]
    assert set(conference) >= CONFERENCE_REQUIRED
    assert ACRONYM.match(conference["acronym"])
    assert TIME_ZONE.match(conference["time_zone_name"])
    assert conference["daysCount"] == len(conference["days"])
    for room in conference["rooms"]:
        assert set(room) <= {"name", "guid", "description", "capacity"}
        assert {"name", "guid"} <= set(room)
    for day in conference["days"]:
        assert set(day) == {"index", "date", "day_start", "day_end", "rooms"}
        for name, events in day["rooms"].items():
            for item in events:
                assert EVENT_REQUIRED <= set(item) <= EVENT_ALLOWED
                assert item["room"] == name
                assert SLUG.match(item["slug"])
                assert DURATION.match(item["duration"])
                assert isinstance(item["id"], int)
                assert item["id"] >= 1
                for person in item["persons"]:
                    assert set(person) == {"id", "public_name"}  # frab's person, and only it


def test_follows_the_c3voc_schema_rules() -> None:
    assert_follows_c3voc_rules(json.loads(to_c3voc_json(PROGRAMME)))


def test_rooms_of_one_name_share_their_key_in_time_order() -> None:
    atlas_b = dataclasses.replace(PROGRAMME.rooms[0], id=3, building="Pavillon C")
    early = dataclasses.replace(PROGRAMME.sessions[0], id=110, guid="g-110", room_id=3)
    early = dataclasses.replace(
        early, starts_at=early.starts_at.replace(hour=8), ends_at=early.starts_at.replace(hour=9)
    )
    programme = dataclasses.replace(PROGRAMME, rooms=(*PROGRAMME.rooms, atlas_b), sessions=(*PROGRAMME.sessions, early))
    document = json.loads(to_c3voc_json(programme))
    first_day = document["schedule"]["conference"]["days"][0]
    assert [item["id"] for item in first_day["rooms"]["Salle Atlas"]] == [110, 101]
    assert len(document["schedule"]["conference"]["rooms"]) == 3
