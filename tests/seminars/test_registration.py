"""Registering for sessions against capacity: the waitlist, its automatic promotion and the
e-mail that says so, and the database deciding races, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import asyncpg
import httpx
import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict
from exhibitions.notifications.services import deliver_due
from exhibitions.notifications.tables import Outbox
from exhibitions.seminars import services
from exhibitions.seminars.attendance_tables import SessionRegistration
from exhibitions.settings import Settings
from exhibitions.tickets import services as ticket_services
from tests.conftest import NOW
from tests.notifications.conftest import Mailbox, mailbox, smtp_server  # noqa: F401 - fixtures
from tests.seminars.attendance_data import SLUG, Programme, local, session, update_session, usual_programme, visitor

REFUSED = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)
BASE_URL = "http://testserver"


def _actor(organizer: dict[str, Any]) -> Actor:
    return Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))


@pytest.fixture
async def programme(exhibition: int, organizer: dict[str, Any]) -> Programme:
    """The usual programme, published as version 1; its workshop needs registration."""
    made = await usual_programme(exhibition)
    await services.publish_programme(slug=SLUG, actor=_actor(organizer), now=NOW, base_url=BASE_URL)
    return made


async def _register(client: httpx.AsyncClient, token: str, session_id: int) -> httpx.Response:
    return await client.put(f"/api/v1/tickets/{token}/registrations/{session_id}")


async def _statuses(session_id: int) -> list[tuple[str, str, int | None]]:
    rows = await SessionRegistration.raw(
        "SELECT t.holder_name, r.status, r.position FROM session_registration r JOIN ticket t ON t.id = r.ticket"
        " WHERE r.session = {} ORDER BY r.status, r.position, t.holder_name",
        session_id,
    )
    return [(row["holder_name"], row["status"], row["position"]) for row in rows]


async def _registered_count(session_id: int) -> int:
    rows = await SessionRegistration.raw("SELECT registered FROM session_places WHERE session = {}", session_id)
    return int(rows[0]["registered"])


async def test_a_seat_then_the_waitlist_when_the_session_is_full(
    client: httpx.AsyncClient, programme: Programme, settings: Settings
) -> None:
    await update_session(programme.workshop, capacity=2)
    people = [
        await visitor(settings, name, f"{name.lower()}@example.ma") for name in ("Amal", "Badr", "Chama", "Driss")
    ]
    answers = [await _register(client, one["access_token"], programme.workshop) for one in people]
    assert [(answer.status_code, answer.json()) for answer in answers] == [
        (201, {"session": programme.workshop, "status": "registered", "waitlist_rank": None}),
        (201, {"session": programme.workshop, "status": "registered", "waitlist_rank": None}),
        (201, {"session": programme.workshop, "status": "waitlisted", "waitlist_rank": 1}),
        (201, {"session": programme.workshop, "status": "waitlisted", "waitlist_rank": 2}),
    ]
    again = await _register(client, people[3]["access_token"], programme.workshop)
    assert (again.status_code, again.json()["waitlist_rank"]) == (200, 2)  # the same place, not a second one
    assert await _statuses(programme.workshop) == [
        ("Amal", "registered", None), ("Badr", "registered", None), ("Chama", "waitlisted", 1), ("Driss", "waitlisted", 2),
    ]  # fmt: skip
    mine = await client.get(f"/api/v1/tickets/{people[2]['access_token']}/programme")
    assert mine.json() == {
        "exhibition": SLUG,
        "starred": [],
        "registrations": [{"session": programme.workshop, "status": "waitlisted", "waitlist_rank": 1}],
    }
    programme_json = (await client.get(f"/api/v1/exhibitions/{SLUG}/programme")).json()
    workshop = next(one for one in programme_json["sessions"] if one["id"] == programme.workshop)
    # Capacity and counts are live: the capacity applies from the moment the organizer sets it.
    assert (workshop["capacity"], workshop["registered"], workshop["waitlisted"], workshop["full"]) == (2, 2, 2, True)


async def test_a_hundred_visitors_at_once_for_thirty_places_give_thirty_registered_and_seventy_waitlisted(
    client: httpx.AsyncClient, programme: Programme, settings: Settings
) -> None:
    people = [await visitor(settings, f"Visiteur {n:03}", f"v{n:03}@example.ma") for n in range(100)]
    answers = await asyncio.gather(*(_register(client, one["access_token"], programme.workshop) for one in people))
    assert sorted(answer.status_code for answer in answers) == [201] * 100
    outcomes = sorted(answer.json()["status"] for answer in answers)
    assert outcomes == ["registered"] * 30 + ["waitlisted"] * 70
    ranks = sorted(answer.json()["waitlist_rank"] for answer in answers if answer.json()["status"] == "waitlisted")
    assert ranks == list(range(1, 71))  # one place each, no gap, no tie
    rows = await _statuses(programme.workshop)
    assert [status for _, status, _ in rows].count("registered") == 30
    assert sorted(position for _, status, position in rows if status == "waitlisted") == list(range(1, 71))  # type: ignore[type-var]
    assert await _registered_count(programme.workshop) == 30


async def test_one_visitor_registering_twice_at_once_holds_one_seat(
    client: httpx.AsyncClient, programme: Programme, settings: Settings
) -> None:
    amal = await visitor(settings, "Amal", "amal@example.ma")
    answers = await asyncio.gather(*(_register(client, amal["access_token"], programme.workshop) for _ in range(5)))
    assert sorted(answer.status_code for answer in answers) == [200] * 4 + [201]
    assert {answer.json()["status"] for answer in answers} == {"registered"}
    assert await _registered_count(programme.workshop) == 1
    assert await SessionRegistration.count() == 1


async def test_two_cancellations_at_once_promote_the_first_two_of_the_waitlist_and_tell_them(
    client: httpx.AsyncClient,
    programme: Programme,
    settings: Settings,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    await update_session(programme.workshop, capacity=2)
    seated = [await visitor(settings, name, f"{name.lower()}@example.ma") for name in ("Amal", "Badr")]
    waiting = [
        await visitor(settings, "Chama", "chama@example.ma", "fr"),
        await visitor(settings, "Dounia", "dounia@example.ma", "ar"),
        await visitor(settings, "Elias", "elias@example.ma"),
    ]
    for one in seated + waiting:
        await _register(client, one["access_token"], programme.workshop)
    cancelled = await asyncio.gather(
        *(client.delete(f"/api/v1/tickets/{one['access_token']}/registrations/{programme.workshop}") for one in seated)
    )
    assert [answer.status_code for answer in cancelled] == [204, 204]
    assert await _statuses(programme.workshop) == [
        ("Chama", "registered", None), ("Dounia", "registered", None), ("Elias", "waitlisted", 3),
    ]  # fmt: skip
    assert await _registered_count(programme.workshop) == 2
    elias = await client.get(f"/api/v1/tickets/{waiting[2]['access_token']}/programme")
    assert elias.json()["registrations"][0]["waitlist_rank"] == 1  # next in line now

    report = await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url=BASE_URL)
    assert report.sent == 2
    by_recipient = {message["To"]: message for message in mailbox.messages}
    assert sorted(by_recipient) == ["chama@example.ma", "dounia@example.ma"]
    french = by_recipient["chama@example.ma"]
    assert french["Subject"] == "Vous avez une place : Atelier : financer une coopérative"
    assert french["Content-Language"] == "fr"
    text = french.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Une place s'est libérée dans la séance « Atelier : financer une coopérative »" in text
    assert "Salle\u00a0: Salle Rif" in text
    assert f"{BASE_URL}/tickets/{waiting[0]['access_token']}/programme?lang=fr" in text
    arabic = by_recipient["dounia@example.ma"]
    assert arabic["Subject"] == "لديكم مقعد: ورشة: تمويل تعاونية"
    arabic_text = arabic.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "مرحبا Dounia،" in arabic_text
    assert "القاعة: Salle Rif" in arabic_text
    html = arabic.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert 'dir="rtl"' in html


async def test_giving_up_a_waitlist_place_promotes_nobody_and_keeps_the_order(
    client: httpx.AsyncClient, programme: Programme, settings: Settings
) -> None:
    await update_session(programme.workshop, capacity=1)
    people = [
        await visitor(settings, name, None, phone=f"+212 6 12 34 56 7{n}") for n, name in enumerate(("A", "B", "C"))
    ]
    for one in people:
        await _register(client, one["access_token"], programme.workshop)
    answer = await client.delete(f"/api/v1/tickets/{people[1]['access_token']}/registrations/{programme.workshop}")
    assert answer.status_code == 204
    assert await _statuses(programme.workshop) == [("A", "registered", None), ("C", "waitlisted", 2)]
    again = await client.delete(f"/api/v1/tickets/{people[1]['access_token']}/registrations/{programme.workshop}")
    assert again.status_code == 404
    # Seat holder A leaves: C (no e-mail) is seated all the same, and nothing is queued.
    await client.delete(f"/api/v1/tickets/{people[0]['access_token']}/registrations/{programme.workshop}")
    assert await _statuses(programme.workshop) == [("C", "registered", None)]
    assert await Outbox.count().where(Outbox.rule == services.RULE_WAITLIST_PROMOTED) == 0


async def test_a_larger_capacity_seats_the_waitlist_in_order(
    client: httpx.AsyncClient, programme: Programme, settings: Settings
) -> None:
    await update_session(programme.workshop, capacity=1)
    people = [await visitor(settings, name, f"{name.lower()}@example.ma") for name in ("Amal", "Badr", "Chama")]
    for one in people:
        await _register(client, one["access_token"], programme.workshop)
    await update_session(programme.workshop, capacity=2)
    promoted = await services.fill_from_waitlist(session_id=programme.workshop, now=utcnow(), base_url=BASE_URL)
    assert [one.email for one in promoted] == ["badr@example.ma"]
    assert await _statuses(programme.workshop) == [
        ("Amal", "registered", None), ("Badr", "registered", None), ("Chama", "waitlisted", 2),
    ]  # fmt: skip


async def test_the_scheduled_tending_seats_the_waitlist_when_capacity_grows(
    client: httpx.AsyncClient, programme: Programme, settings: Settings
) -> None:
    await update_session(programme.workshop, capacity=1)
    people = [await visitor(settings, name, f"{name.lower()}@example.ma") for name in ("Amal", "Badr", "Chama")]
    for one in people:
        await _register(client, one["access_token"], programme.workshop)
    await update_session(programme.workshop, capacity=3)
    report = await services.tend_waitlists(now=utcnow(), base_url=BASE_URL)
    assert report == services.WaitlistReport(moved=0, released=0, promoted=2)
    assert await _statuses(programme.workshop) == [
        ("Amal", "registered", None), ("Badr", "registered", None), ("Chama", "registered", None),
    ]  # fmt: skip
    assert await _registered_count(programme.workshop) == 3
    # Nothing left to do: a second run changes nothing.
    assert await services.tend_waitlists(now=utcnow(), base_url=BASE_URL) == services.WaitlistReport(0, 0, 0)


async def test_a_replaced_ticket_keeps_its_seat_and_stars_and_a_cancelled_one_frees_its_seat(
    client: httpx.AsyncClient, programme: Programme, settings: Settings, organizer: dict[str, Any]
) -> None:
    await update_session(programme.workshop, capacity=2)
    amal, badr, chama = [
        await visitor(settings, name, f"{name.lower()}@example.ma") for name in ("Amal", "Badr", "Chama")
    ]
    for one in (amal, badr, chama):
        await _register(client, one["access_token"], programme.workshop)
    starred = await client.put(f"/api/v1/tickets/{amal['access_token']}/stars/{programme.opening}")
    assert starred.status_code in (200, 201)
    actor = _actor(organizer)
    replacement = await ticket_services.replace_ticket(
        slug=SLUG, ticket_id=amal["id"], actor=actor, secret_key=settings.secret_key, now=utcnow()
    )
    await ticket_services.revoke_ticket(slug=SLUG, ticket_id=badr["id"], actor=actor, now=utcnow())

    report = await services.tend_waitlists(now=utcnow(), base_url=BASE_URL)
    assert report == services.WaitlistReport(moved=2, released=1, promoted=1)
    rows = await SessionRegistration.raw(
        "SELECT ticket, status FROM session_registration WHERE session = {} ORDER BY ticket", programme.workshop
    )
    assert rows == [
        {"ticket": chama["id"], "status": "registered"},
        {"ticket": replacement.row["id"], "status": "registered"},
    ]
    assert await _registered_count(programme.workshop) == 2
    mine = await client.get(f"/api/v1/tickets/{replacement.row['access_token']}/programme")
    assert mine.json() == {
        "exhibition": SLUG,
        "starred": [programme.opening],
        "registrations": [{"session": programme.workshop, "status": "registered", "waitlist_rank": None}],
    }
    assert await services.tend_waitlists(now=utcnow(), base_url=BASE_URL) == services.WaitlistReport(0, 0, 0)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "cancelled"}, "session_cancelled"),
        ({"needs_registration": False}, "registration_not_needed"),
    ],
)
async def test_a_cancelled_session_or_one_open_to_all_takes_no_registration(
    client: httpx.AsyncClient, programme: Programme, settings: Settings, organizer: dict[str, Any],
    change: dict[str, Any], code: str,
) -> None:  # fmt: skip
    await update_session(programme.workshop, **change)
    await services.publish_programme(slug=SLUG, actor=_actor(organizer), now=NOW, base_url=BASE_URL)
    amal = await visitor(settings, "Amal", "amal@example.ma")
    answer = await _register(client, amal["access_token"], programme.workshop)
    assert answer.status_code == 409
    assert [(error["field"], error["code"]) for error in answer.json()["errors"]] == [("session", code)]
    assert await SessionRegistration.count() == 0


async def test_registration_closes_when_the_session_starts(programme: Programme, settings: Settings) -> None:
    amal = await visitor(settings, "Amal", "amal@example.ma")
    starts_at = local(0, 11, 30)  # the workshop's start
    with pytest.raises(Conflict) as refused:
        await services.register_for_session(
            access_token=amal["access_token"], session_id=programme.workshop, now=starts_at
        )
    assert [(error.field, error.code) for error in refused.value.errors] == [("session", "session_started")]


async def test_unknown_tickets_draft_sessions_and_cancelled_tickets_are_refused(
    client: httpx.AsyncClient, programme: Programme, settings: Settings, organizer: dict[str, Any]
) -> None:
    draft = await session(
        programme.exhibition, track_id=programme.legal, room_id=programme.hall_b, starts_at=NOW, status="draft",
        needs_registration=True,
    )  # fmt: skip
    amal = await visitor(settings, "Amal", "amal@example.ma")
    assert (await _register(client, "no-such-token", programme.workshop)).status_code == 404
    assert (await _register(client, "x" * 65, programme.workshop)).status_code == 404
    unpublished = await _register(client, amal["access_token"], draft)
    assert unpublished.status_code == 404  # a draft is not public
    assert (await _register(client, amal["access_token"], 2_147_483_647)).status_code == 404
    assert (await _register(client, amal["access_token"], 2_147_483_648)).status_code == 422
    await SessionRegistration.raw("UPDATE ticket SET status = 'revoked' WHERE id = {}", amal["id"])
    revoked = await _register(client, amal["access_token"], programme.workshop)
    assert revoked.status_code == 409
    assert revoked.json()["errors"][0]["code"] == "ticket_cancelled"
    assert await SessionRegistration.count() == 0


async def test_the_database_refuses_positions_that_break_the_rules(programme: Programme, settings: Settings) -> None:
    amal, badr = await visitor(settings, "Amal", "amal@example.ma"), await visitor(settings, "Badr", "badr@example.ma")

    async def insert(ticket: int, status: str, position: int | None, session_id: int = programme.workshop) -> None:
        await SessionRegistration.raw(
            "INSERT INTO session_registration (exhibition, session, ticket, status, position, created_at)"
            " VALUES ({}, {}, {}, {}, {}, {})",
            programme.exhibition, session_id, ticket, status, position, NOW,
        )  # fmt: skip

    for ticket, status, position in ((amal["id"], "registered", 1), (amal["id"], "waitlisted", None),
                                     (amal["id"], "maybe", None), (amal["id"], "waitlisted", 0)):  # fmt: skip
        with pytest.raises(REFUSED):
            await insert(ticket, status, position)
    await insert(amal["id"], "waitlisted", 1)
    with pytest.raises(REFUSED):  # the same position twice
        await insert(badr["id"], "waitlisted", 1)
    with pytest.raises(REFUSED):  # the same ticket twice
        await insert(amal["id"], "registered", None)
    with pytest.raises(REFUSED):  # a counter below zero
        await SessionRegistration.raw(
            "INSERT INTO session_places (session, registered) VALUES ({}, -1)", programme.panel
        )
    assert await SessionRegistration.count() == 1


async def test_sign_ups_beyond_the_room_make_the_programme_check_warn_that_it_is_too_small(
    client: httpx.AsyncClient, programme: Programme, settings: Settings, organizer: dict[str, Any]
) -> None:
    await SessionRegistration.raw("UPDATE seminar_room SET capacity = 2 WHERE id = {}", programme.hall_b)
    for name in ("Amal", "Badr", "Chama"):
        await _register(client, (await visitor(settings, name, f"{name.lower()}@example.ma"))["access_token"],
                        programme.workshop)  # fmt: skip
    assert await services.registered_counts(programme.exhibition) == {programme.workshop: 3}
    checked = await services.programme_conflicts(slug=SLUG, actor=_actor(organizer))
    too_small = [conflict for conflict in checked.conflicts if conflict.kind == "room_too_small"]
    assert [(c.session_ids, c.severity, dict(c.detail)) for c in too_small] == [
        ((programme.workshop,), "warning", {"capacity": 2, "sign_ups": 3})
    ]
