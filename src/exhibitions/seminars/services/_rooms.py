"""Seminar rooms. Each room is a tickets checkpoint of kind ``room`` (re-entry after exit,
its capacity the room's), made, renamed and deleted with the room in one transaction, so the
door staff can scan a room as soon as it exists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.seminars import queries
from exhibitions.seminars.schemas import RoomIn, RoomUpdate
from exhibitions.seminars.services._common import INTEGRITY_ERRORS, db, organizers_exhibition, refused, sent_fields
from exhibitions.seminars.tables import SeminarRoom
from exhibitions.text import control_character_errors
from exhibitions.tickets.tables import Checkpoint, CheckpointKind, CheckpointPolicy


def _errors(data: RoomIn) -> list[FieldError]:
    errors = control_character_errors({"name": data.name, "building": data.building})
    if not errors and not data.name.strip():
        errors.append(FieldError("name", "required", "must not be blank"))
    return errors


async def list_rooms(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    exhibition = await organizers_exhibition(slug, actor)
    return await queries.rooms(exhibition["id"])


async def _room(exhibition: dict[str, Any], room_id: int) -> dict[str, Any]:
    row = await queries.room(exhibition["id"], room_id)
    if row is None:
        raise NotFound(f"no room {room_id} in this exhibition")
    return row


async def get_room(*, slug: str, room_id: int, actor: Actor | None) -> dict[str, Any]:
    return await _room(await organizers_exhibition(slug, actor), room_id)


async def create_room(*, slug: str, data: RoomIn, actor: Actor | None, now: datetime) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    if errors := _errors(data):
        raise InvalidInput(errors)
    name = data.name.strip()
    try:
        async with write_transaction(db()):
            checkpoint = await Checkpoint.insert(
                Checkpoint(
                    exhibition=exhibition["id"],
                    name=name,
                    kind=CheckpointKind.room.value,
                    policy=CheckpointPolicy.reentry_after_exit.value,
                    capacity=data.capacity,
                )
            ).returning(Checkpoint.id)  # fmt: skip
            rows = await SeminarRoom.insert(
                SeminarRoom(
                    exhibition=exhibition["id"], name=name, building=data.building.strip(), capacity=data.capacity,
                    checkpoint=checkpoint[0]["id"], created_at=now, updated_at=now,
                )
            ).returning(SeminarRoom.id)  # fmt: skip
    except Exception as exc:
        raise (refused(exc) or exc) from None
    return await _room(exhibition, rows[0]["id"])


async def update_room(
    *, slug: str, room_id: int, changes: RoomUpdate, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    """A new name or capacity is the checkpoint's too; a capacity under the people inside is refused."""
    exhibition = await organizers_exhibition(slug, actor)
    current = await _room(exhibition, room_id)
    base = RoomIn(name=current["name"], capacity=current["capacity"], building=current["building"])
    merged = msgspec.structs.replace(base, **sent_fields(changes))
    if errors := _errors(merged):
        raise InvalidInput(errors)
    try:
        async with write_transaction(db()):
            await SeminarRoom.update(
                {
                    SeminarRoom.name: merged.name.strip(),
                    SeminarRoom.building: merged.building.strip(),
                    SeminarRoom.capacity: merged.capacity,
                    SeminarRoom.updated_at: now,
                }
            ).where(SeminarRoom.id == room_id)
            await Checkpoint.update({Checkpoint.name: merged.name.strip(), Checkpoint.capacity: merged.capacity}).where(
                Checkpoint.id == current["checkpoint"]
            )
    except Exception as exc:
        raise (refused(exc) or exc) from None
    return await _room(exhibition, room_id)


async def delete_room(*, slug: str, room_id: int, actor: Actor | None) -> None:
    """Only a room without sessions, and whose door nobody has been scanned at."""
    exhibition = await organizers_exhibition(slug, actor)
    current = await _room(exhibition, room_id)
    if current["sessions"]:
        reason = "sessions are held in this room: move or delete them first"
        raise Conflict(reason, errors=[FieldError("room_id", "room_in_use", reason)])
    if await queries.room_admissions(current["checkpoint"]):
        reason = "visitors were scanned at this room's door: its attendance is kept"
        raise Conflict(reason, errors=[FieldError("room_id", "room_has_attendance", reason)])
    try:
        async with write_transaction(db()):
            await SeminarRoom.delete().where(SeminarRoom.id == room_id)
            await Checkpoint.delete().where(Checkpoint.id == current["checkpoint"])
    except INTEGRITY_ERRORS as exc:
        # A session placed in the room meanwhile: the foreign key refuses the delete.
        reason = "sessions are held in this room: move or delete them first"
        raise Conflict(reason, errors=[FieldError("room_id", "room_in_use", reason)]) from exc
