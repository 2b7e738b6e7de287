"""The seminar programme over the API: rooms with their checkpoints, tracks, people, sessions;
every bad input a problem document naming its field; a clash refused with its conflicts."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName, TokenKind
from exhibitions.events import services as event_services
from exhibitions.seminars.tables import PersonAvailability, SeminarRoom, SeminarSession, SessionPerson
from exhibitions.tickets.tables import Checkpoint
from tests.conftest import NOW
from tests.factories import exhibition_create
from tests.seminars.seminars_data import API, at, fields, person, post, room, session, utc_text


def problem(status: int, kind: str, title: str, path: str, errors: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "type": f"urn:exhibitions:problem:{kind}", "title": title, "status": status,
        "detail": "; ".join(f"{field}: {reason}" for field, _, reason in errors), "instance": API + path,
        "errors": [{"field": field, "code": code, "reason": reason} for field, code, reason in errors],
    }  # fmt: skip


INVALID = (422, "invalid-input", "Some fields are invalid")


async def test_a_room_comes_with_its_door_checkpoint_which_follows_it(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    created = await post(client, organizer["headers"], "/rooms", room())
    checkpoint = await Checkpoint.select().where(Checkpoint.id == created["checkpoint_id"]).first()
    assert created == {"id": created["id"], "name": "Salle Ibn Khaldoun", "building": "Pavillon A", "capacity": 80,
                       "checkpoint_id": checkpoint["id"], "sessions": 0}  # fmt: skip
    assert (checkpoint["exhibition"], checkpoint["name"], checkpoint["kind"], checkpoint["policy"],
            checkpoint["capacity"]) == (exhibition, "Salle Ibn Khaldoun", "room", "reentry_after_exit", 80)  # fmt: skip
    again = await client.post(API + "/rooms", json=room(capacity=10), headers=organizer["headers"])
    assert (again.status_code, fields(again)) == (409, [("name", "duplicate")])
    changed = await client.patch(
        f"{API}/rooms/{created['id']}", json={"name": "Salle Al Farabi", "capacity": 120}, headers=organizer["headers"]
    )
    assert (changed.json()["name"], changed.json()["capacity"]) == ("Salle Al Farabi", 120)
    checkpoint = await Checkpoint.select().where(Checkpoint.id == created["checkpoint_id"]).first()
    assert (checkpoint["name"], checkpoint["capacity"]) == ("Salle Al Farabi", 120)
    deleted = await client.delete(f"{API}/rooms/{created['id']}", headers=organizer["headers"])
    assert deleted.status_code == 204
    assert (await SeminarRoom.count(), await Checkpoint.count()) == (0, 0)


async def test_a_room_whose_name_a_gate_holds_is_refused_and_nothing_is_left_behind(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    await Checkpoint.insert(Checkpoint(exhibition=exhibition, name="Salle Ibn Khaldoun", kind="gate"))
    refused = await client.post(API + "/rooms", json=room(), headers=organizer["headers"])
    assert (refused.status_code, fields(refused)) == (409, [("name", "duplicate")])
    assert (await SeminarRoom.count(), await Checkpoint.count()) == (0, 1)


async def test_the_four_default_tracks_come_first_and_organizers_add_others(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    listed = await client.get(API + "/tracks", headers=organizer["headers"])
    assert [(t["code"], t["name_fr"]) for t in listed.json()] == [
        ("legal_framework", "Cadre juridique"), ("public_policy", "Politiques publiques"),
        ("initiatives", "Initiatives"), ("international_partnership", "Partenariat et coopération internationale"),
    ]  # fmt: skip
    added = await post(client, organizer["headers"], "/tracks", {"code": "youth", "name_ar": "الشباب", "position": 5})
    assert added == {"code": "youth", "name_ar": "الشباب", "name_fr": "", "name_en": "", "position": 5, "sessions": 0}
    unnamed = await client.post(API + "/tracks", json={"code": "empty"}, headers=organizer["headers"])
    assert (unnamed.status_code, fields(unnamed)) == (422, [("name", "name_required")])
    again = await client.post(API + "/tracks", json={"code": "youth", "name_fr": "J"}, headers=organizer["headers"])
    assert (again.status_code, fields(again)) == (409, [("code", "duplicate")])


async def test_a_person_with_availability_windows_and_the_fields_a_person_is_refused_for(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    created = await post(
        client, organizer["headers"], "/people",
        person(email=" Amina.Berrada@UM5.ac.ma ", phone="+33 6 12 34 56 78", language="ar",
               availability=[{"starts_at": at(1, "09:00"), "ends_at": at(1, "13:00")},
                             {"starts_at": at(0, "14:00"), "ends_at": at(0, "18:00")}]),
    )  # fmt: skip
    assert {key: created[key] for key in ("name_latin", "email", "phone", "language", "country", "sessions")} == {
        "name_latin": "Amina Berrada", "email": "amina.berrada@um5.ac.ma", "phone": "+33612345678",
        "language": "ar", "country": "MA", "sessions": 0,
    }  # fmt: skip
    assert created["availability"] == [
        {"starts_at": utc_text(0, "14:00"), "ends_at": utc_text(0, "18:00")},
        {"starts_at": utc_text(1, "09:00"), "ends_at": utc_text(1, "13:00")},
    ]
    bad = await client.post(
        API + "/people",
        json={"name_latin": " ", "country": "XX", "phone": "12", "email": "nobody",
              "availability": [{"starts_at": "2027-05-07T10:00:00", "ends_at": at(0, "12:00")},
                               {"starts_at": at(0, "12:00"), "ends_at": at(0, "11:00")}]},
        headers=organizer["headers"],
    )  # fmt: skip
    assert bad.status_code == 422
    assert fields(bad) == [
        ("name", "name_required"), ("country", "unknown_country_code"), ("phone", "invalid_international_phone"),
        ("availability[0].starts_at", "missing_time_zone"), ("availability[1].ends_at", "ends_not_after_start"),
        ("email", "invalid_email"),
    ]  # fmt: skip
    changed = await client.patch(
        f"{API}/people/{created['id']}", json={"availability": [], "phone": None}, headers=organizer["headers"]
    )
    assert (changed.json()["availability"], changed.json()["phone"], changed.json()["email"]) == (
        [], None, "amina.berrada@um5.ac.ma",
    )  # fmt: skip
    assert await PersonAvailability.count() == 0


@pytest.fixture
async def setting(client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int) -> dict[str, Any]:
    """Two rooms and three people of the exhibition."""
    headers = organizer["headers"]
    return {
        "rooms": [(await post(client, headers, "/rooms", room(name)))["id"] for name in ("Salle 1", "Salle 2")],
        "people": [
            (await post(client, headers, "/people", person(latin, arabic)))["id"]
            for latin, arabic in (
                ("Amina Berrada", "أمينة برادة"),
                ("Jean Dupont", ""),
                ("Youssef Alami", "يوسف العلمي"),
            )
        ],
    }


async def test_a_session_is_saved_with_its_people_and_read_back(
    client: httpx.AsyncClient, organizer: dict[str, Any], setting: dict[str, Any]
) -> None:
    amina, jean, _ = setting["people"]
    body = session(room_id=setting["rooms"][0], people=[{"person_id": amina, "role": "speaker"},
                                                        {"person_id": jean, "role": "moderator"}])  # fmt: skip
    created = await post(client, organizer["headers"], "/sessions", body)
    assert created == {
        "id": created["id"], "guid": created["guid"], "type": "panel", "track": "legal_framework",
        "starts_at": utc_text(0, "10:00"), "ends_at": utc_text(0, "11:00"),
        "title_ar": "الإطار القانوني للاقتصاد الاجتماعي والتضامني", "title_fr": "Le cadre juridique de l'ESS",
        "title_en": "", "abstract_ar": "", "abstract_fr": "", "abstract_en": "", "room_id": setting["rooms"][0],
        "languages": ["ar", "fr"], "interpretation": False, "needs_registration": False, "capacity": None,
        "status": "draft", "sequence": 0,
        "people": [
            {"person_id": amina, "name_ar": "أمينة برادة", "name_latin": "Amina Berrada", "role": "speaker",
             "response": "invited", "response_message": "", "responded_at": None},
            {"person_id": jean, "name_ar": "", "name_latin": "Jean Dupont", "role": "moderator",
             "response": "invited", "response_message": "", "responded_at": None},
        ],
        "conflicts": [],
    }  # fmt: skip
    assert len(created["guid"]) == 36
    listed = await client.get(API + "/sessions", headers=organizer["headers"])
    assert [s["id"] for s in listed.json()] == [created["id"]]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ends_at": at(0, "09:00")}, [("ends_at", "ends_not_after_start", "must be after starts_at")]),
        (
            {"starts_at": "2027-05-07T10:00:00"},
            [("starts_at", "missing_time_zone", "must carry a UTC offset, like 2027-05-07T10:00:00+01:00")],
        ),
        (
            {"title_ar": "", "title_fr": " "},
            [("title", "title_required", "give a title in at least one of title_ar, title_fr, title_en")],
        ),
        (
            {"people": "unknown"},
            [("people[2].person_id", "unknown_person", "person 2147483647 is not in this programme")],
        ),
        ({"room_id": "foreign"}, "foreign"),
        ({"track": "cooking"}, [("track", "unknown_track", "'cooking' is not a track of this exhibition")]),
    ],
    ids=[
        "ends-before-start",
        "no-time-zone",
        "no-title",
        "unknown-person",
        "room-of-another-exhibition",
        "unknown-track",
    ],
)
async def test_each_bad_session_is_a_problem_document_naming_its_field(
    client: httpx.AsyncClient, organizer: dict[str, Any], setting: dict[str, Any], change: dict[str, Any],
    expected: Any,
) -> None:  # fmt: skip
    body = session(**{"room_id": setting["rooms"][0], **change})
    if change.get("people") == "unknown":
        body["people"] = [{"person_id": setting["people"][0], "role": "speaker"},
                          {"person_id": setting["people"][1], "role": "moderator"},
                          {"person_id": 2_147_483_647, "role": "discussant"}]  # fmt: skip
    if change.get("room_id") == "foreign":
        actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
        await event_services.create_exhibition(data=exhibition_create(slug="other-2027"), actor=actor, now=NOW)
        other = await client.post("/api/v1/exhibitions/other-2027/rooms", json=room(), headers=organizer["headers"])
        body["room_id"] = other.json()["id"]
        expected = [("room_id", "unknown_room", f"room {body['room_id']} is not a room of this exhibition")]
    response = await client.post(API + "/sessions", json=body, headers=organizer["headers"])
    assert response.json() == problem(*INVALID, "/sessions", expected)
    assert await SeminarSession.count() == 0


async def test_a_clash_is_refused_with_its_conflicts_and_a_warning_is_saved(
    client: httpx.AsyncClient, organizer: dict[str, Any], setting: dict[str, Any]
) -> None:
    headers = organizer["headers"]
    salle_1, salle_2 = setting["rooms"]
    amina, jean, youssef = setting["people"]
    first = await post(client, headers, "/sessions", session(room_id=salle_1, title_fr="Ouverture", title_ar="",
                                                             people=[{"person_id": amina, "role": "speaker"}]))  # fmt: skip
    clash = session("10:30", "11:30", room_id=salle_1, title_fr="Atelier", title_ar="",
                    people=[{"person_id": jean, "role": "speaker"}, {"person_id": amina, "role": "moderator"}])  # fmt: skip
    refused = await client.post(API + "/sessions", json=clash, headers={**headers, "Accept-Language": "fr"})
    assert refused.status_code == 409
    problem_document = refused.json()
    assert {key: problem_document[key] for key in ("type", "status", "title")} == {
        "type": "urn:exhibitions:problem:schedule-conflict", "status": 409,
        "title": "The session conflicts with the programme",
    }  # fmt: skip
    refused_id = problem_document["conflicts"][0]["session_ids"][1]
    assert problem_document["conflicts"] == [
        {"kind": "room_double_booked", "severity": "error", "session_ids": [first["id"], refused_id],
         "person_id": None, "room_id": salle_1, "detail": {"overlap_minutes": 30},
         "message": "Salle 1 accueille deux sessions en même temps : « Ouverture » et « Atelier »."},
        {"kind": "person_double_booked", "severity": "error", "session_ids": [first["id"], refused_id],
         "person_id": amina, "room_id": None, "detail": {"overlap_minutes": 30},
         "message": "Amina Berrada est dans deux sessions en même temps : « Ouverture » et « Atelier »."},
    ]  # fmt: skip
    assert [(e["field"], e["code"]) for e in problem_document["errors"]] == [
        ("room_id", "room_double_booked"),
        ("people", "person_double_booked"),
    ]
    assert (await SeminarSession.count(), await SessionPerson.count()) == (1, 1)

    # Youssef can only come in the afternoon: a warning, saved and returned.
    await client.patch(f"{API}/people/{youssef}", json={"availability": [
        {"starts_at": at(0, "14:00"), "ends_at": at(0, "18:00")}]}, headers=headers)  # fmt: skip
    warned = await post(client, {**headers, "Accept-Language": "en"}, "/sessions", session(room_id=salle_2, title_en="Cooperation", title_fr="",
                                                              title_ar="", people=[{"person_id": youssef, "role": "rapporteur"}]))  # fmt: skip
    assert warned["conflicts"] == [
        {"kind": "person_unavailable", "severity": "warning", "session_ids": [warned["id"]], "person_id": youssef,
         "room_id": None, "detail": {}, "message": "Youssef Alami is not available at the time of « Cooperation »."},
    ]  # fmt: skip
    whole = await client.get(API + "/programme/conflicts", headers=headers)
    assert (whole.json()["errors"], whole.json()["warnings"]) == (0, 1)


async def test_every_change_bumps_the_sequence_and_a_move_into_a_clash_changes_nothing(
    client: httpx.AsyncClient, organizer: dict[str, Any], setting: dict[str, Any]
) -> None:
    headers = organizer["headers"]
    salle_1, salle_2 = setting["rooms"]
    first = await post(client, headers, "/sessions", session(room_id=salle_1))
    second = await post(client, headers, "/sessions", session("12:00", "13:00", room_id=salle_2))
    path = f"{API}/sessions/{second['id']}"
    moved = await client.patch(path, json={"starts_at": at(0, "11:00"), "ends_at": at(0, "12:00")}, headers=headers)
    assert (moved.status_code, moved.json()["sequence"], moved.json()["starts_at"]) == (200, 1, utc_text(0, "11:00"))
    people = [{"person_id": setting["people"][0], "role": "discussant"}]
    assert (await client.patch(path, json={"people": people}, headers=headers)).json()["sequence"] == 2
    into_clash = await client.patch(path, json={"room_id": salle_1, "starts_at": at(0, "10:30")}, headers=headers)
    assert into_clash.status_code == 409
    again = await client.get(path, headers=headers)
    assert (again.json()["sequence"], again.json()["room_id"], again.json()["starts_at"]) == (
        2, salle_2, utc_text(0, "11:00"),
    )  # fmt: skip
    cancelled = await client.patch(f"{API}/sessions/{first['id']}", json={"status": "cancelled"}, headers=headers)
    assert cancelled.json()["sequence"] == 1
    # A cancelled session holds its room no more.
    assert (
        await client.patch(path, json={"room_id": salle_1, "starts_at": at(0, "10:30")}, headers=headers)
    ).status_code == 200


async def test_two_organizers_placing_sessions_in_one_room_at_once_get_one_of_them(
    client: httpx.AsyncClient, organizer: dict[str, Any], setting: dict[str, Any]
) -> None:
    bodies = [session(room_id=setting["rooms"][0], title_fr=f"Session {n}") for n in range(4)]
    responses = await asyncio.gather(
        *[client.post(API + "/sessions", json=body, headers=organizer["headers"]) for body in bodies]
    )
    assert sorted(response.status_code for response in responses) == [201, 409, 409, 409]
    assert await SeminarSession.count() == 1


async def test_settings_change_severities_and_the_travel_gap(
    client: httpx.AsyncClient, organizer: dict[str, Any], setting: dict[str, Any]
) -> None:
    headers = organizer["headers"]
    defaults = await client.get(API + "/programme/settings", headers=headers)
    assert defaults.json() == {"travel_gap_minutes": 15, "severities": {
        "room_double_booked": "error", "person_double_booked": "error", "person_unavailable": "warning",
        "outside_opening_hours": "error", "room_too_small": "warning", "travel_too_short": "warning"}}  # fmt: skip
    changed = await client.put(
        API + "/programme/settings",
        json={"travel_gap_minutes": 30, "severities": {"room_double_booked": "warning"}},
        headers=headers,
    )
    assert changed.json()["severities"]["room_double_booked"] == "warning"
    assert changed.json()["travel_gap_minutes"] == 30
    await post(client, headers, "/sessions", session(room_id=setting["rooms"][0]))
    second = await post(client, headers, "/sessions", session(room_id=setting["rooms"][0], title_fr="Bis"))
    assert [(c["kind"], c["severity"]) for c in second["conflicts"]] == [("room_double_booked", "warning")]
    unknown = await client.put(API + "/programme/settings", json={"severities": {"rain": "error"}}, headers=headers)
    assert unknown.status_code == 422
    assert fields(unknown) == [("severities.rain", "unknown_conflict_kind")]


async def test_a_session_outside_the_opening_hours_is_refused(
    client: httpx.AsyncClient, organizer: dict[str, Any], setting: dict[str, Any]
) -> None:
    late = await client.post(API + "/sessions", json=session("19:30", "20:30"), headers=organizer["headers"])
    assert late.status_code == 409
    assert [c["kind"] for c in late.json()["conflicts"]] == ["outside_opening_hours"]


async def _headers_of(email: str, *, organizer_of: int | None = None) -> dict[str, str]:
    user_id = await account_services.create_user(email=email, password="a-password-12", now=NOW)
    if organizer_of is not None:
        await account_services.grant_role(user_id=user_id, role=RoleName.organizer, exhibition_id=organizer_of, now=NOW)
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    return {"Authorization": f"Bearer {token}"}


async def test_only_the_exhibitions_organizers_build_its_programme(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    await event_services.create_exhibition(data=exhibition_create(slug="other-2027"), actor=actor, now=NOW)
    other_id = (await event_services.get_exhibition_detail(slug="other-2027", actor=actor)).row["id"]
    exhibitor = await _headers_of("fatima@argan-khair.ma")
    other_organizer = await _headers_of("karim@other.ma", organizer_of=other_id)
    for method, path, body in (("GET", "/rooms", None), ("POST", "/rooms", room()), ("POST", "/sessions", session()),
                               ("GET", "/programme/conflicts", None), ("PUT", "/programme/settings", {})):  # fmt: skip
        nobody = await client.request(method, API + path, json=body)
        assert nobody.status_code == 401
        for headers in (exhibitor, other_organizer):
            refused = await client.request(method, API + path, json=body, headers=headers)
            assert refused.json() == {
                "type": "urn:exhibitions:problem:permission-denied", "title": "You may not do this", "status": 403,
                "detail": "only the exhibition's organizers build its seminar programme", "instance": API + path,
            }  # fmt: skip
    assert (await SeminarRoom.count(), await SeminarSession.count()) == (0, 0)
