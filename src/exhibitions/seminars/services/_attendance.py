"""Visitors and sessions: stars, registration against capacity with a waitlist that moves up
by itself, and each room's status at its door.

A visitor is their ticket: its unguessable access token is their key to the programme, as
it is to the ticket page.

Capacity is the database's to keep (migration m0019). A session's ``session_places`` row
counts its registered people; a seat is taken by ``UPDATE … SET registered = registered + 1
WHERE registered < capacity RETURNING``, in the transaction that writes the registration, and
a registration that finds no seat takes the next waitlist position from the same row. Every
write about a session's registrations updates (so locks, on PostgreSQL) that row first, so
they take turns: 100 visitors at once for 30 places give 30 registered and 70 waitlisted, and
two cancellations at once promote two different people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, NotFound, PermissionDenied
from exhibitions.events import queries as event_queries
from exhibitions.events import services as event_services
from exhibitions.notifications import services as notifications
from exhibitions.notifications.emails import render
from exhibitions.seminars.attendance_tables import RegistrationStatus, SessionRegistration
from exhibitions.seminars.exports import to_ics
from exhibitions.seminars.labels import in_language
from exhibitions.seminars.services._publishing import (
    PublicSession,
    PublishedProgramme,
    export_published,
    latest_programme,
    local_range,
)
from exhibitions.web.i18n import Translator

RULE_WAITLIST_PROMOTED = "session_waitlist_promoted"
DOOR_REFUSAL = "only this exhibition's organizers and gate staff may see its rooms"
# The longest an access token is (tickets make them 32 characters).
MAX_TOKEN_LENGTH = 64


def _db() -> Any:
    return SessionRegistration._meta.db


# ---------------------------------------------------------------------------------------------
# The visitor


@dataclass(frozen=True)
class Visitor:
    ticket_id: int
    exhibition_id: int
    slug: str
    access_token: str
    holder_name: str
    email: str | None
    language: str
    valid: bool


async def visitor_of(access_token: str) -> Visitor:
    """The ticket behind a link; NotFound for anything else."""
    if not access_token or len(access_token) > MAX_TOKEN_LENGTH:
        raise NotFound("no such ticket")
    rows = await SessionRegistration.raw(
        "SELECT t.id, t.exhibition, t.access_token, t.holder_name, t.email, t.language, t.status, e.slug"
        " FROM ticket t JOIN exhibition e ON e.id = t.exhibition WHERE t.access_token = {}",
        access_token,
    )
    if not rows:
        raise NotFound("no such ticket")
    row = rows[0]
    return Visitor(
        ticket_id=row["id"], exhibition_id=row["exhibition"], slug=row["slug"], access_token=row["access_token"],
        holder_name=row["holder_name"], email=row["email"], language=row["language"], valid=row["status"] == "valid",
    )  # fmt: skip


def _refused(field: str, code: str, reason: str) -> Conflict:
    return Conflict(reason, errors=[FieldError(field, code, reason)])


def _valid(visitor: Visitor) -> Visitor:
    if not visitor.valid:
        raise _refused("ticket", "ticket_cancelled", "this ticket was cancelled")
    return visitor


async def _programme_of(visitor: Visitor) -> PublishedProgramme:
    exhibition = await event_queries.get_exhibition(visitor.slug)
    programme = await latest_programme(exhibition)
    if programme is None:
        raise NotFound("the programme is not published yet")
    return programme


async def _published_session(visitor: Visitor, session_id: int) -> tuple[PublishedProgramme, PublicSession]:
    programme = await _programme_of(visitor)
    session = programme.session(session_id)
    if session is None:
        raise NotFound(f"no published session {session_id}")
    return programme, session


# ---------------------------------------------------------------------------------------------
# Stars


async def star_session(*, access_token: str, session_id: int, now: datetime) -> bool:
    """Star a published session; True when it was not starred yet."""
    visitor = _valid(await visitor_of(access_token))
    await _published_session(visitor, session_id)
    rows = await SessionRegistration.raw(
        "INSERT INTO session_star (exhibition, session, ticket, created_at) VALUES ({}, {}, {}, {})"
        " ON CONFLICT (session, ticket) DO NOTHING RETURNING id",
        visitor.exhibition_id, session_id, visitor.ticket_id, now,
    )  # fmt: skip
    return bool(rows)


async def unstar_session(*, access_token: str, session_id: int) -> bool:
    """True when it was starred."""
    visitor = await visitor_of(access_token)
    rows = await SessionRegistration.raw(
        "DELETE FROM session_star WHERE session = {} AND ticket = {} RETURNING id", session_id, visitor.ticket_id
    )
    return bool(rows)


# ---------------------------------------------------------------------------------------------
# Registration


@dataclass(frozen=True)
class Registration:
    session_id: int
    status: RegistrationStatus
    # On the waitlist: how many are ahead of this visitor, plus one (1: the next seat is theirs).
    waitlist_rank: int | None
    created: bool = False


class _AlreadyRegistered(Exception):
    """Raised inside the transaction to roll back the seat it took."""


# A seat, if one is free. Capacity: the session's own, else its room's; neither: no limit.
_TAKE_SEAT = (
    "UPDATE session_places SET registered = registered + 1 WHERE session = {} AND registered <"
    " (SELECT COALESCE(s.capacity, r.capacity, 2147483647) FROM seminar_session s"
    "  LEFT JOIN seminar_room r ON r.id = s.room WHERE s.id = {})"
    " RETURNING registered"
)
_NEXT_POSITION = (
    "UPDATE session_places SET last_position = last_position + 1 WHERE session = {} RETURNING last_position"
)


async def _lock_places(session_id: int) -> None:
    """The session's counters, made on first need and locked until commit (PostgreSQL; on
    SQLite the IMMEDIATE transaction holds the whole database already)."""
    await SessionRegistration.raw(
        "INSERT INTO session_places (session) VALUES ({}) ON CONFLICT (session) DO NOTHING", session_id
    )
    if _db().engine_type == "postgres":
        await SessionRegistration.raw("SELECT id FROM session_places WHERE session = {} FOR UPDATE", session_id)


async def _rank(session_id: int, position: int | None) -> int | None:
    if position is None:
        return None
    rows = await SessionRegistration.raw(
        "SELECT COUNT(*) AS ahead FROM session_registration WHERE session = {} AND status = 'waitlisted'"
        " AND position < {}",
        session_id, position,
    )  # fmt: skip
    return int(rows[0]["ahead"]) + 1


async def _registration_of(session_id: int, ticket_id: int) -> dict[str, Any] | None:
    rows = await SessionRegistration.raw(
        "SELECT * FROM session_registration WHERE session = {} AND ticket = {}", session_id, ticket_id
    )
    return rows[0] if rows else None


async def _view(row: Mapping[str, Any], *, created: bool) -> Registration:
    return Registration(
        session_id=row["session"], status=RegistrationStatus(row["status"]),
        waitlist_rank=await _rank(row["session"], row["position"]), created=created,
    )  # fmt: skip


async def register_for_session(*, access_token: str, session_id: int, now: datetime) -> Registration:
    """A seat, or a place on the waitlist when the session is full. Registering again
    returns the registration there is."""
    visitor = _valid(await visitor_of(access_token))
    _, session = await _published_session(visitor, session_id)
    existing = await _registration_of(session_id, visitor.ticket_id)
    if existing is not None:
        return await _view(existing, created=False)
    if session.cancelled:
        raise _refused("session", "session_cancelled", "this session is cancelled")
    if not session.needs_registration:
        raise _refused("session", "registration_not_needed", "this session is open to all: no registration")
    if now >= session.starts_at:
        raise _refused("session", "session_started", "this session has started; registration is closed")
    try:
        async with write_transaction(_db()):
            await _lock_places(session_id)
            seat = await SessionRegistration.raw(_TAKE_SEAT, session_id, session_id)
            position = None
            if not seat:
                position = (await SessionRegistration.raw(_NEXT_POSITION, session_id))[0]["last_position"]
            status = RegistrationStatus.registered if seat else RegistrationStatus.waitlisted
            rows = await SessionRegistration.raw(
                "INSERT INTO session_registration (exhibition, session, ticket, status, position, created_at)"
                " VALUES ({}, {}, {}, {}, {}, {}) ON CONFLICT (session, ticket) DO NOTHING RETURNING *",
                visitor.exhibition_id, session_id, visitor.ticket_id, status.value, position, now,
            )  # fmt: skip
            if not rows:
                raise _AlreadyRegistered
            return await _view(rows[0], created=True)
    except _AlreadyRegistered:
        # The same visitor twice at once: the other request registered them.
        again = await _registration_of(session_id, visitor.ticket_id)
        assert again is not None  # inserted by the request that won; deleted only by its visitor
        return await _view(again, created=False)


@dataclass(frozen=True)
class Promotion:
    registration_id: int
    ticket_id: int
    email: str | None


async def cancel_registration(*, access_token: str, session_id: int, now: datetime, base_url: str) -> list[Promotion]:
    """Give up a seat or a waitlist place; the first waitlisted visitor (if any) takes the
    freed seat in the same transaction and is told by e-mail. The people promoted."""
    visitor = await visitor_of(access_token)
    if await _registration_of(session_id, visitor.ticket_id) is None:
        raise NotFound("this ticket is not registered for this session")
    programme = await _programme_of(visitor)
    async with write_transaction(_db()):
        await _lock_places(session_id)
        removed = await SessionRegistration.raw(
            "DELETE FROM session_registration WHERE session = {} AND ticket = {} RETURNING status",
            session_id, visitor.ticket_id,
        )  # fmt: skip
        if not removed:
            raise NotFound("this ticket is not registered for this session")
        if removed[0]["status"] != RegistrationStatus.registered.value:
            return []
        await SessionRegistration.raw(
            "UPDATE session_places SET registered = registered - 1 WHERE session = {}", session_id
        )
        return await _fill_seats(session_id, programme=programme, now=now, base_url=base_url)


async def fill_from_waitlist(*, session_id: int, now: datetime, base_url: str) -> list[Promotion]:
    """Promote waitlisted visitors into free seats, e.g. after the session's capacity (or its
    room) grew. For the services that edit sessions."""
    programme = await _programme_of_session(session_id, {})
    async with write_transaction(_db()):
        await _lock_places(session_id)
        return await _fill_seats(session_id, programme=programme, now=now, base_url=base_url)


@dataclass(frozen=True)
class WaitlistReport:
    moved: int  # registrations and stars carried to a replacement ticket
    released: int  # seats and waitlist places given up by cancelled tickets
    promoted: int  # waitlisted visitors seated


# Registrations and stars of tickets that are no longer valid. A replaced ticket's go to the
# ticket that replaced it (``ticket.replaces``): the visitor keeps their seat and their stars.
_REPLACED = """
SELECT old.id AS old_ticket, new.id AS new_ticket FROM ticket old JOIN ticket new ON new.replaces = old.id
WHERE old.status = 'revoked' AND (
    EXISTS (SELECT 1 FROM session_registration r WHERE r.ticket = old.id)
    OR EXISTS (SELECT 1 FROM session_star s WHERE s.ticket = old.id))
"""
_CANCELLED = """
SELECT r.session, r.ticket FROM session_registration r JOIN ticket t ON t.id = r.ticket
WHERE t.status = 'revoked' AND NOT EXISTS (SELECT 1 FROM ticket n WHERE n.replaces = t.id)
"""
# Scheduled sessions yet to start with a free seat and someone waiting for it: the seat
# count can grow under the waitlist (a larger room or capacity) without a cancellation.
_FILLABLE = """
SELECT p.session FROM session_places p
JOIN seminar_session s ON s.id = p.session LEFT JOIN seminar_room r ON r.id = s.room
WHERE s.status = 'scheduled' AND s.starts_at > {} AND p.registered < COALESCE(s.capacity, r.capacity, 2147483647)
AND EXISTS (SELECT 1 FROM session_registration w WHERE w.session = p.session AND w.status = 'waitlisted')
ORDER BY p.session
"""


async def tend_waitlists(*, now: datetime, base_url: str) -> WaitlistReport:
    """What keeps seats honest between visitors' own actions; the scheduler runs it every
    minute. A replaced ticket's registrations and stars move to its replacement; a cancelled
    ticket's seat or waitlist place is given up; then every session with a free seat and a
    waitlist seats the first waiting (a capacity raised, a room changed). Each session's
    changes run under its counters' lock, like a visitor's own cancellation."""
    moved = released = promoted = 0
    for pair in await SessionRegistration.raw(_REPLACED):
        async with write_transaction(_db()):
            for table in ("session_registration", "session_star"):
                rows = await SessionRegistration.raw(
                    f"UPDATE {table} SET ticket = {{}} WHERE ticket = {{}} RETURNING id",  # noqa: S608 - fixed names
                    pair["new_ticket"], pair["old_ticket"],
                )  # fmt: skip
                moved += len(rows)
    programmes: dict[int, PublishedProgramme | None] = {}
    for seat in await SessionRegistration.raw(_CANCELLED):
        programme = await _programme_of_session(seat["session"], programmes)
        async with write_transaction(_db()):
            await _lock_places(seat["session"])
            removed = await SessionRegistration.raw(
                "DELETE FROM session_registration WHERE session = {} AND ticket = {} RETURNING status",
                seat["session"], seat["ticket"],
            )  # fmt: skip
            released += len(removed)
            if removed and removed[0]["status"] == RegistrationStatus.registered.value:
                await SessionRegistration.raw(
                    "UPDATE session_places SET registered = registered - 1 WHERE session = {}", seat["session"]
                )
                seated = await _fill_seats(seat["session"], programme=programme, now=now, base_url=base_url)
                promoted += len(seated)
    for row in await SessionRegistration.raw(_FILLABLE, now):
        programme = await _programme_of_session(row["session"], programmes)
        async with write_transaction(_db()):
            await _lock_places(row["session"])
            promoted += len(await _fill_seats(row["session"], programme=programme, now=now, base_url=base_url))
    return WaitlistReport(moved=moved, released=released, promoted=promoted)


async def _programme_of_session(
    session_id: int, known: dict[int, PublishedProgramme | None]
) -> PublishedProgramme | None:
    """The latest version of the session's exhibition, read once per exhibition into ``known``."""
    rows = await SessionRegistration.raw(
        "SELECT e.id, e.slug FROM seminar_session s JOIN exhibition e ON e.id = s.exhibition WHERE s.id = {}",
        session_id,
    )
    if not rows:
        raise NotFound(f"no session {session_id}")
    exhibition_id = int(rows[0]["id"])
    if exhibition_id not in known:
        known[exhibition_id] = await latest_programme(await event_queries.get_exhibition(rows[0]["slug"]))
    return known[exhibition_id]


_FIRST_WAITLISTED = """
SELECT r.id, r.ticket, t.email, t.language, t.access_token, t.holder_name
FROM session_registration r JOIN ticket t ON t.id = r.ticket
WHERE r.session = {} AND r.status = 'waitlisted' ORDER BY r.position LIMIT 1
"""


async def _fill_seats(
    session_id: int, *, programme: PublishedProgramme | None, now: datetime, base_url: str
) -> list[Promotion]:
    """Inside the transaction that holds the session's counters: seat waitlisted people, first
    come first served, while seats are free. A session that has started seats nobody."""
    session = programme.session(session_id) if programme is not None else None
    if programme is None or session is None or session.cancelled or now >= session.starts_at:
        return []
    promoted: list[Promotion] = []
    while True:
        candidate = await SessionRegistration.raw(_FIRST_WAITLISTED, session_id)
        if not candidate or not await SessionRegistration.raw(_TAKE_SEAT, session_id, session_id):
            return promoted
        person = candidate[0]
        await SessionRegistration.raw(
            "UPDATE session_registration SET status = 'registered', position = NULL, promoted_at = {}"
            " WHERE id = {} AND status = 'waitlisted'",
            now, person["id"],
        )  # fmt: skip
        promoted.append(Promotion(registration_id=person["id"], ticket_id=person["ticket"], email=person["email"]))
        if person["email"]:
            await _tell_promoted(person, programme=programme, session=session, now=now, base_url=base_url)


async def _tell_promoted(
    person: Mapping[str, Any], *, programme: PublishedProgramme, session: PublicSession, now: datetime, base_url: str
) -> None:
    language = person["language"]
    translator = Translator(language)
    zone = programme.zone
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    exhibition = programme.exhibition
    values = {
        "exhibition": exhibition.get(f"title_{language}") or exhibition["title_fr"],
        "holder_name": person["holder_name"],
        "title": in_language(session.title, language),
        "short_title": in_language(session.title, language)[:120],
        "when": local_range(start, end, zone, translator),
        "room": session.room["name"] if session.room else "",
        "link": f"{base_url}/tickets/{person['access_token']}/programme?lang={language}",
    }
    await notifications.enqueue(
        rule=RULE_WAITLIST_PROMOTED,
        recipient=person["email"],
        subject_key=f"session_registration:{person['id']}",
        language=language,
        now=now,
        exhibition_id=exhibition["id"],
        rendered=render("seminars/session_waitlist_promoted", language=language, values=values),
    )


# ---------------------------------------------------------------------------------------------
# What visitors and the programme pages read


@dataclass(frozen=True)
class Places:
    capacity: int | None  # the session's own, else its room's (as they are now); None: no limit
    registered: int
    waitlisted: int

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.registered >= self.capacity

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered, 0)


NO_PLACES = Places(capacity=None, registered=0, waitlisted=0)


async def places(exhibition_id: int) -> dict[int, Places]:
    """Capacity, registered and waitlisted people of every session of the exhibition."""
    rows = await SessionRegistration.raw(
        "SELECT s.id, COALESCE(s.capacity, r.capacity) AS capacity, COALESCE(p.registered, 0) AS registered,"
        " (SELECT COUNT(*) FROM session_registration w WHERE w.session = s.id AND w.status = 'waitlisted')"
        " AS waitlisted"
        " FROM seminar_session s LEFT JOIN seminar_room r ON r.id = s.room"
        " LEFT JOIN session_places p ON p.session = s.id WHERE s.exhibition = {}",
        exhibition_id,
    )
    return {row["id"]: Places(row["capacity"], int(row["registered"]), int(row["waitlisted"])) for row in rows}


async def registered_counts(exhibition_id: int) -> dict[int, int]:
    """Sign-ups (registered and waitlisted) per session: what the conflict engine's
    "room too small" check compares with the room's capacity."""
    counted = await places(exhibition_id)
    return {
        session: count.registered + count.waitlisted
        for session, count in counted.items()
        if count.registered or count.waitlisted
    }


@dataclass(frozen=True)
class VisitorProgramme:
    visitor: Visitor
    starred: frozenset[int]
    registrations: Mapping[int, Registration]


async def visitor_programme(*, access_token: str) -> VisitorProgramme:
    """The sessions a visitor starred and registered for."""
    visitor = await visitor_of(access_token)
    stars = await SessionRegistration.raw("SELECT session FROM session_star WHERE ticket = {}", visitor.ticket_id)
    rows = await SessionRegistration.raw(
        "SELECT r.session, r.status, r.position, (SELECT COUNT(*) FROM session_registration w"
        "  WHERE w.session = r.session AND w.status = 'waitlisted' AND w.position < r.position) AS ahead"
        " FROM session_registration r WHERE r.ticket = {}",
        visitor.ticket_id,
    )
    registrations = {
        row["session"]: Registration(
            session_id=row["session"],
            status=RegistrationStatus(row["status"]),
            waitlist_rank=int(row["ahead"]) + 1 if row["position"] is not None else None,
        )
        for row in rows
    }
    return VisitorProgramme(
        visitor=visitor, starred=frozenset(row["session"] for row in stars), registrations=registrations
    )


async def visitor_calendar(*, access_token: str, base_url: str) -> tuple[bytes, str]:
    """The visitor's starred and registered sessions as an iCalendar file (as published), and
    its file name. A subscribed calendar follows moves and cancellations by UID and SEQUENCE."""
    mine = await visitor_programme(access_token=access_token)
    programme = await _programme_of(mine.visitor)
    exported = await export_published(programme, base_url=base_url, language=mine.visitor.language)
    chosen = [
        session for session in exported.sessions if session.id in mine.starred or session.id in mine.registrations
    ]
    name = f"{in_language(exported.title, mine.visitor.language)} · {mine.visitor.holder_name}"
    return to_ics(exported, sessions=chosen, name=name), f"{mine.visitor.slug}-my-programme.ics"


# ---------------------------------------------------------------------------------------------
# Rooms at their doors


@dataclass(frozen=True)
class RoomStatus:
    room_id: int
    name: str
    building: str
    capacity: int
    inside: int  # the room checkpoint's occupancy, moved by the door staff's scans

    @property
    def full(self) -> bool:
        return self.inside >= self.capacity


async def room_statuses(exhibition_id: int) -> list[RoomStatus]:
    rows = await SessionRegistration.raw(
        "SELECT r.id, r.name, r.building, r.capacity, c.inside FROM seminar_room r"
        " JOIN checkpoint c ON c.id = r.checkpoint WHERE r.exhibition = {} ORDER BY r.name, r.id",
        exhibition_id,
    )
    return [RoomStatus(row["id"], row["name"], row["building"], row["capacity"], row["inside"]) for row in rows]


async def public_room_statuses(*, slug: str, actor: Actor | None) -> list[RoomStatus]:
    """Every room's status, for the public programme (an exhibition anyone may see)."""
    detail = await event_services.get_exhibition_detail(slug=slug, actor=actor)
    return await room_statuses(detail.row["id"])


def _may_watch_doors(actor: Actor | None, exhibition_id: int) -> bool:
    if actor is None or actor.device_exhibition_id is not None:
        return False
    return actor.has_role(RoleName.organizer, exhibition_id) or actor.has_role(RoleName.gate_staff, exhibition_id)


@dataclass(frozen=True)
class DoorView:
    exhibition: Mapping[str, Any]
    rooms: list[RoomStatus]
    # The session in each room now, or next today, by room id.
    current: Mapping[int, PublicSession]
    updated_at: datetime  # local time


async def door_view(*, slug: str, actor: Actor | None, now: datetime) -> DoorView:
    """The door staff's view: each room's occupancy and its session now (the exhibition's
    organizers and gate staff)."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    if not _may_watch_doors(actor, exhibition["id"]):
        raise PermissionDenied(DOOR_REFUSAL)
    programme = await latest_programme(exhibition)
    zone = ZoneInfo(exhibition["time_zone"])
    current: dict[int, PublicSession] = {}
    if programme is not None:
        today = now.astimezone(zone).date()
        for session in programme.sessions:
            if session.cancelled or session.room is None or session.ends_at <= now:
                continue
            if session.starts_at.astimezone(zone).date() != today:
                continue
            current.setdefault(session.room["id"], session)
    return DoorView(
        exhibition=exhibition, rooms=await room_statuses(exhibition["id"]), current=current,
        updated_at=now.astimezone(zone),
    )  # fmt: skip
