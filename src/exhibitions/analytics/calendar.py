"""Calendar marks: add, list and remove the dates an organizer marks (Friday prayer, Ramadan,
school holidays, public holidays, unfavourable days). The one way in for pages, API and demo.

A mark of one exhibition is for its organizers; a national mark (``national=True``, no
exhibition) shows on every exhibition's calendar and is for organizers of every exhibition.
The database refuses a mark twice (``calendar_mark_once``): the insert is ``ON CONFLICT DO
NOTHING RETURNING``, and nothing returned is a DuplicateValue.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName
from exhibitions.analytics.calendar_tables import CalendarMark, MarkKind
from exhibitions.analytics.timing import Mark
from exhibitions.db import fetch
from exhibitions.errors import DuplicateValue, FieldError, InvalidInput, NotFound, PermissionDenied
from exhibitions.events.services import managed_exhibition
from exhibitions.text import control_character_errors

MAX_NOTE = 200
MAX_DAYS = 400  # a year and a little: Ramadan, a school year's holidays, never a decade


def validate_mark(
    *,
    kind: str,
    starts_on: date | None,
    ends_on: date | None,
    weekday: int | None,
    from_time: time | None,
    to_time: time | None,
    note: str,
) -> list[FieldError]:
    """Every reason the fields cannot make a mark, all at once."""
    errors = control_character_errors({"note": note})
    if kind not in {item.value for item in MarkKind}:
        errors.append(FieldError("kind", "invalid_choice", "must be one of " + ", ".join(k.value for k in MarkKind)))
    if starts_on is None:
        errors.append(FieldError("starts_on", "required", "is required"))
    if ends_on is None:
        errors.append(FieldError("ends_on", "required", "is required"))
    if starts_on is not None and ends_on is not None:
        if ends_on < starts_on:
            errors.append(FieldError("ends_on", "ends_before_start", "must be on or after starts_on"))
        elif (ends_on - starts_on).days + 1 > MAX_DAYS:
            errors.append(FieldError("ends_on", "invalid", f"a mark covers at most {MAX_DAYS} days"))
    if weekday is not None and not 0 <= weekday <= 6:
        errors.append(FieldError("weekday", "invalid_choice", "must be 0 (Monday) to 6 (Sunday)"))
    if (from_time is None) != (to_time is None):
        missing = "to_time" if to_time is None else "from_time"
        errors.append(FieldError(missing, "required", "give both times of the window, or neither"))
    elif from_time is not None and to_time is not None and from_time >= to_time:
        errors.append(FieldError("to_time", "invalid", "must be after from_time"))
    if len(note) > MAX_NOTE:
        errors.append(FieldError("note", "text_too_long", f"at most {MAX_NOTE} characters"))
    if kind == MarkKind.other.value and not note.strip():
        errors.append(FieldError("note", "required", "say what the day is"))
    return errors


async def add_mark(
    *,
    slug: str,
    kind: str,
    starts_on: date | None,
    ends_on: date | None,
    actor: Actor | None,
    now: datetime,
    weekday: int | None = None,
    from_time: time | None = None,
    to_time: time | None = None,
    note: str = "",
    national: bool = False,
) -> dict[str, Any]:
    """The new mark's row. ``slug`` is the exhibition whose calendar the organizer is on; a
    national mark needs an organizer of every exhibition."""
    exhibition = await managed_exhibition(slug, actor, refusal="only its organizers mark an exhibition's calendar")
    assert actor is not None
    if national and not actor.has_role(RoleName.organizer):
        raise PermissionDenied("only organizers of every exhibition add national marks")
    note = note.strip()
    if errors := validate_mark(
        kind=kind, starts_on=starts_on, ends_on=ends_on, weekday=weekday, from_time=from_time, to_time=to_time,
        note=note,
    ):  # fmt: skip
        raise InvalidInput(errors)
    rows = await fetch(
        CalendarMark._meta.db,
        'INSERT INTO calendar_mark (exhibition, kind, starts_on, ends_on, weekday, from_time, to_time, note,'
        ' created_by, created_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT DO NOTHING'
        " RETURNING id, exhibition, kind, starts_on, ends_on, weekday, from_time, to_time, note",
        None if national else exhibition["id"], kind, starts_on, ends_on, weekday, from_time, to_time, note,
        actor.user_id, now,
    )  # fmt: skip
    if not rows:
        raise DuplicateValue(
            "this mark is on the calendar already",
            errors=[FieldError("starts_on", "duplicate", "the same mark covers these dates already")],
        )
    return dict(rows[0])


async def remove_mark(*, slug: str, mark_id: int, actor: Actor | None) -> None:
    """Remove a mark of this exhibition, or a national one (organizers of every exhibition)."""
    exhibition = await managed_exhibition(slug, actor, refusal="only its organizers mark an exhibition's calendar")
    assert actor is not None
    row = await CalendarMark.select(CalendarMark.id, CalendarMark.exhibition).where(CalendarMark.id == mark_id).first()
    if row is None or row["exhibition"] not in (None, exhibition["id"]):
        raise NotFound(f"no mark {mark_id} on this calendar")
    if row["exhibition"] is None and not actor.has_role(RoleName.organizer):
        raise PermissionDenied("only organizers of every exhibition remove national marks")
    await CalendarMark.delete().where(CalendarMark.id == mark_id)


async def marks_between(exhibition_id: int, starts_on: date, ends_on: date) -> list[Mark]:
    """This exhibition's marks and the national ones that touch ``starts_on``..``ends_on``."""
    rows = await (
        CalendarMark.select()
        .where(
            ((CalendarMark.exhibition == exhibition_id) | CalendarMark.exhibition.is_null())
            & (CalendarMark.starts_on <= ends_on)
            & (CalendarMark.ends_on >= starts_on)
        )
        .order_by(CalendarMark.starts_on)
        .order_by(CalendarMark.id)
    )
    return [
        Mark(
            kind=row["kind"], starts_on=row["starts_on"], ends_on=row["ends_on"], weekday=row["weekday"],
            from_time=row["from_time"], to_time=row["to_time"], note=row["note"], id=row["id"],
            national=row["exhibition"] is None,
        )
        for row in rows
    ]  # fmt: skip


async def list_marks(*, slug: str, actor: Actor | None) -> list[Mark]:
    """Every mark on this exhibition's calendar (its own and the national ones), by first day."""
    exhibition = await managed_exhibition(slug, actor, refusal="only its organizers see an exhibition's calendar")
    return await marks_between(exhibition["id"], date.min, date.max)
