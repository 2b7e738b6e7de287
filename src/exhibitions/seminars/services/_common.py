"""What every seminars service shares: who may act, the lock that serializes an
exhibition's programme writes, and the database's refusals in the caller's terms."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg
import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.errors import Conflict, DuplicateValue, ExhibitionsError, FieldError
from exhibitions.events import services as event_services
from exhibitions.seminars import queries
from exhibitions.seminars.permissions import PROGRAMME_REFUSAL
from exhibitions.seminars.tables import ProgrammeSettings, SeminarSession

# What a refused write raises, on either engine.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)


def sent_fields(changes: msgspec.Struct) -> dict[str, Any]:
    """The fields of a partial update that were sent (``None`` included: it clears)."""
    return {key: value for key, value in msgspec.structs.asdict(changes).items() if value is not msgspec.UNSET}


def db() -> Any:
    return SeminarSession._meta.db


async def organizers_exhibition(slug: str, actor: Actor | None) -> dict[str, Any]:
    return await event_services.managed_exhibition(slug, actor, refusal=PROGRAMME_REFUSAL)


async def lock_programme(exhibition_id: int, now: Any) -> dict[str, Any]:
    """Inside a write transaction: the exhibition's settings row, locked until commit.

    Every session write takes it first, so that two organizers placing sessions at once are
    checked for conflicts one after the other (on SQLite the IMMEDIATE transaction already
    holds the whole database). The row is made on first need, by the unique key."""
    await ProgrammeSettings.insert(ProgrammeSettings(exhibition=exhibition_id, updated_at=now)).on_conflict(
        action="DO NOTHING"
    )
    row = await queries.settings(exhibition_id, for_update=True)
    assert row is not None  # inserted above or there already; deleted only with its exhibition
    return row


_RULES = {
    # SQLite names the columns; PostgreSQL the constraint.
    "seminar_room.exhibition, seminar_room.name": "seminar_room_name_once",
    "checkpoint.exhibition, checkpoint.name": "checkpoint_name_once",
    "seminar_track.exhibition, seminar_track.code": "seminar_track_code_once",
    "checkpoint_inside_in_range": "checkpoint_inside_in_range",
}


def _refusal(exc: BaseException) -> str | None:
    if isinstance(exc, sqlite3.IntegrityError):
        return next((rule for text, rule in _RULES.items() if text in str(exc)), None)
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return exc.constraint_name  # type: ignore[no-any-return]
    return None


def refused(exc: BaseException) -> ExhibitionsError | None:
    """The error to answer for a write the database refused, or None if it was no rule of ours."""
    rule = _refusal(exc)
    if rule in ("seminar_room_name_once", "checkpoint_name_once"):
        reason = "a room or a checkpoint of this exhibition has this name already"
        return DuplicateValue(reason, errors=[FieldError("name", "duplicate", reason)])
    if rule == "seminar_track_code_once":
        reason = "a track of this exhibition has this code already"
        return DuplicateValue(reason, errors=[FieldError("code", "duplicate", reason)])
    if rule == "checkpoint_inside_in_range":
        reason = "more people are in the room now than this capacity"
        return Conflict(reason, errors=[FieldError("capacity", "under_occupancy", reason)])
    return None
