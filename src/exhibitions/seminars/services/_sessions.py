"""Sessions and the people who take part in them, each with a role.

A session write runs in one transaction that first locks the exhibition's programme
(``lock_programme``), then checks the references (a track, a room and people of this
exhibition: the composite foreign keys refuse the rest), writes, and checks the conflicts
the session now has against the whole programme: one whose severity is ``error`` rolls
the write back (``ScheduleConflict``, a 409 listing them); warnings are kept and returned.
Every change bumps ``sequence`` in the same UPDATE. A change of time asks its people again.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.seminars import queries
from exhibitions.seminars.schemas import ParticipationIn, SessionIn, SessionUpdate
from exhibitions.seminars.services._common import (
    INTEGRITY_ERRORS,
    db,
    lock_programme,
    organizers_exhibition,
    sent_fields,
)
from exhibitions.seminars.services._programme import CheckedConflicts, conflicts_of_session
from exhibitions.seminars.services._tracks import ensure_default_tracks
from exhibitions.seminars.tables import Role, SeminarSession, SessionPerson, SessionStatus, SessionType
from exhibitions.seminars.validation import session_errors, utc


def session_in(row: dict[str, Any], people: list[dict[str, Any]]) -> SessionIn:
    """A stored session as the input that would store it again (the base of a partial update)."""
    return SessionIn(
        type=SessionType(row["session_type"]), track=row["track_code"], starts_at=row["starts_at"],
        ends_at=row["ends_at"], title_ar=row["title_ar"], title_fr=row["title_fr"], title_en=row["title_en"],
        abstract_ar=row["abstract_ar"], abstract_fr=row["abstract_fr"], abstract_en=row["abstract_en"],
        room_id=row["room"], languages=row["languages"].split(","), interpretation=bool(row["interpretation"]),
        needs_registration=bool(row["needs_registration"]), capacity=row["capacity"],
        status=SessionStatus(row["status"]),
        people=[ParticipationIn(person_id=p["person"], role=Role(p["role"])) for p in people],
    )  # fmt: skip


async def _reference_errors(exhibition_id: int, data: SessionIn) -> tuple[int | None, list[FieldError]]:
    """(the track's id, errors naming a track, a room or people not of this exhibition)."""
    errors = []
    track = await queries.track(exhibition_id, data.track)
    if track is None:
        errors.append(FieldError("track", "unknown_track", f"{data.track!r} is not a track of this exhibition"))
    if data.room_id is not None and await queries.room(exhibition_id, data.room_id) is None:
        errors.append(FieldError("room_id", "unknown_room", f"room {data.room_id} is not a room of this exhibition"))
    known = await queries.person_ids(exhibition_id, sorted({p.person_id for p in data.people}))
    errors.extend(
        FieldError(f"people[{index}].person_id", "unknown_person", f"person {p.person_id} is not in this programme")
        for index, p in enumerate(data.people)
        if p.person_id not in known
    )
    return (None if track is None else int(track["id"])), errors


async def _checked(exhibition_id: int, data: SessionIn) -> dict[Any, Any]:
    """The columns to store, or InvalidInput naming every bad field."""
    errors = session_errors(data)
    track_id, reference_errors = await _reference_errors(exhibition_id, data)
    if errors or reference_errors:
        raise InvalidInput([*errors, *reference_errors])
    return {
        SeminarSession.title_ar: data.title_ar.strip(),
        SeminarSession.title_fr: data.title_fr.strip(),
        SeminarSession.title_en: data.title_en.strip(),
        SeminarSession.abstract_ar: data.abstract_ar.strip(),
        SeminarSession.abstract_fr: data.abstract_fr.strip(),
        SeminarSession.abstract_en: data.abstract_en.strip(),
        SeminarSession.session_type: data.type.value,
        SeminarSession.track: track_id,
        SeminarSession.room: data.room_id,
        SeminarSession.starts_at: utc(data.starts_at),
        SeminarSession.ends_at: utc(data.ends_at),
        SeminarSession.languages: ",".join(data.languages),
        SeminarSession.interpretation: data.interpretation,
        SeminarSession.needs_registration: data.needs_registration,
        SeminarSession.capacity: data.capacity,
        SeminarSession.status: data.status.value,
    }


async def _place_people(exhibition_id: int, session_id: int, people: list[ParticipationIn]) -> None:
    """The session's people become exactly ``people``; those kept keep their response."""
    kept = [p.person_id for p in people]
    remove = SessionPerson.delete().where(SessionPerson.session == session_id)
    if kept:
        remove = remove.where(SessionPerson.person.not_in(kept))
    await remove
    for position, participation in enumerate(people):
        await SessionPerson.raw(
            "INSERT INTO session_person (exhibition, session, person, role, position) VALUES ({}, {}, {}, {}, {})"
            " ON CONFLICT (session, person) DO UPDATE SET role = excluded.role, position = excluded.position",
            exhibition_id, session_id, participation.person_id, participation.role.value, position,
        )  # fmt: skip


async def _session(exhibition: dict[str, Any], session_id: int) -> dict[str, Any]:
    row = await queries.session(exhibition["id"], session_id)
    if row is None:
        raise NotFound(f"no session {session_id} in this exhibition")
    people = await queries.participations(exhibition["id"], session_id)
    return {**row, "people": people.get(session_id, [])}


async def list_sessions(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    exhibition = await organizers_exhibition(slug, actor)
    people = await queries.participations(exhibition["id"])
    return [{**row, "people": people.get(row["id"], [])} for row in await queries.sessions(exhibition["id"])]


async def get_session(*, slug: str, session_id: int, actor: Actor | None) -> tuple[dict[str, Any], CheckedConflicts]:
    """The session, and the conflicts it has now (every severity but ``ignore``)."""
    exhibition = await organizers_exhibition(slug, actor)
    row = await _session(exhibition, session_id)
    return row, await conflicts_of_session(exhibition, session_id)


async def create_session(
    *, slug: str, data: SessionIn, actor: Actor | None, now: datetime
) -> tuple[dict[str, Any], CheckedConflicts]:
    """The new session and its warnings; ScheduleConflict (nothing written) when it has errors."""
    exhibition = await organizers_exhibition(slug, actor)
    await ensure_default_tracks(exhibition["id"])
    async with write_transaction(db()):
        await lock_programme(exhibition["id"], now)
        values = await _checked(exhibition["id"], data)
        session = SeminarSession(
            exhibition=exhibition["id"], guid=str(uuid.uuid4()), created_at=now, updated_at=now,
            **{column._meta.name: value for column, value in values.items()},
        )  # fmt: skip
        rows = await SeminarSession.insert(session).returning(SeminarSession.id)
        session_id = int(rows[0]["id"])
        await _place_people(exhibition["id"], session_id, data.people)
        checked = await conflicts_of_session(exhibition, session_id, refuse_errors=True)
    return await _session(exhibition, session_id), checked


async def update_session(
    *, slug: str, session_id: int, changes: SessionUpdate, actor: Actor | None, now: datetime
) -> tuple[dict[str, Any], CheckedConflicts]:
    """Only the fields sent change; ``people`` sent replaces the list. The sequence goes up by
    one with every change; ScheduleConflict (nothing written) when the result has errors."""
    exhibition = await organizers_exhibition(slug, actor)
    await ensure_default_tracks(exhibition["id"])
    sent = sent_fields(changes)
    async with write_transaction(db()):
        await lock_programme(exhibition["id"], now)
        current = await queries.session(exhibition["id"], session_id, for_update=True)
        if current is None:
            raise NotFound(f"no session {session_id} in this exhibition")
        people = (await queries.participations(exhibition["id"], session_id)).get(session_id, [])
        merged = msgspec.structs.replace(session_in(current, people), **sent)
        values = await _checked(exhibition["id"], merged)
        await SeminarSession.update(
            {**values, SeminarSession.sequence: SeminarSession.sequence + 1, SeminarSession.updated_at: now}
        ).where(SeminarSession.id == session_id)
        if "people" in sent:
            await _place_people(exhibition["id"], session_id, merged.people)
        if (_stored(current["starts_at"]), _stored(current["ends_at"])) != (
            values[SeminarSession.starts_at],
            values[SeminarSession.ends_at],
        ):
            await _ask_again(session_id)
        checked = await conflicts_of_session(exhibition, session_id, refuse_errors=True)
    return await _session(exhibition, session_id), checked


def _stored(value: datetime | str) -> datetime:
    """A stored moment as ``_checked`` writes it (SQLite hands raw reads back as text)."""
    return utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


async def _ask_again(session_id: int) -> None:
    """A session at another time is a new question: who confirmed (or asked for another
    time, which this may answer) is asked again, and their page, the nudges and the
    organizers' answers column say so. Who declined stays declined."""
    await SessionPerson.raw(
        "UPDATE session_person SET response = 'invited', response_message = '', responded_at = NULL"
        " WHERE session = {} AND response IN ('confirmed', 'reschedule_requested')",
        session_id,
    )


async def delete_session(*, slug: str, session_id: int, actor: Actor | None) -> None:
    """Only a draft: a scheduled session is cancelled instead, so that those told of it hear
    it is off."""
    exhibition = await organizers_exhibition(slug, actor)
    current = await _session(exhibition, session_id)
    if current["status"] != SessionStatus.draft.value:
        reason = "only a draft session can be deleted: set a scheduled one's status to cancelled"
        raise Conflict(reason, errors=[FieldError("status", "not_a_draft", reason)])
    try:
        await SeminarSession.delete().where(
            (SeminarSession.id == session_id) & (SeminarSession.status == SessionStatus.draft.value)
        )
    except INTEGRITY_ERRORS as exc:  # rows of other domains (registrations) hold it
        raise Conflict("the session is referred to elsewhere") from exc
