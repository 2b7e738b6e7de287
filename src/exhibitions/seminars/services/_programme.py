"""The programme as the conflict engine sees it (``seminars.conflicts``: plain data in, plain
data out), built from the rows; the exhibition's settings (travel gap, severities); and the
checks: one session's conflicts when it is saved, the whole programme's on demand."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict as ConflictError
from exhibitions.errors import FieldError, InvalidInput
from exhibitions.events.hours import DayHours
from exhibitions.events.services import opening_schedule
from exhibitions.seminars import conflicts as engine
from exhibitions.seminars import queries
from exhibitions.seminars.labels import ProgrammeNames, conflict_message
from exhibitions.seminars.schemas import ProgrammeSettingsIn
from exhibitions.seminars.services._attendance import registered_counts
from exhibitions.seminars.services._common import db, lock_programme, organizers_exhibition
from exhibitions.seminars.tables import ProgrammeSettings, SessionStatus
from exhibitions.web.i18n import Translator


@dataclass(frozen=True)
class CheckedConflicts:
    """Conflicts, with the names a message about them needs."""

    conflicts: tuple[engine.Conflict, ...]
    names: ProgrammeNames

    @property
    def has_errors(self) -> bool:
        return engine.has_errors(self.conflicts)

    @property
    def error_count(self) -> int:
        return sum(1 for conflict in self.conflicts if conflict.severity == engine.Severity.error)

    @property
    def warning_count(self) -> int:
        return sum(1 for conflict in self.conflicts if conflict.severity == engine.Severity.warning)

    def described(self, translator: Translator) -> list[dict[str, Any]]:
        """Each conflict as plain values, with its message in the reader's language."""
        return [
            {
                "kind": conflict.kind.value,
                "severity": conflict.severity.value,
                "session_ids": list(conflict.session_ids),
                "person_id": conflict.person_id,
                "room_id": conflict.room_id,
                "detail": dict(conflict.detail),
                "message": conflict_message(
                    conflict.kind.value,
                    conflict.session_ids,
                    conflict.person_id,
                    conflict.room_id,
                    conflict.detail,
                    self.names,
                    translator,
                ),
            }
            for conflict in self.conflicts
        ]


# The field of the session a conflict of each kind is about, for forms and problem details.
_FIELDS = {
    "room_double_booked": "room_id",
    "room_too_small": "room_id",
    "person_double_booked": "people",
    "person_unavailable": "people",
    "travel_too_short": "people",
    "outside_opening_hours": "starts_at",
}


class ScheduleConflict(ConflictError):
    """Saving the session would give it a conflict of severity ``error``: nothing was written."""

    problem = "schedule-conflict"
    title = "The session conflicts with the programme"

    def __init__(self, checked: CheckedConflicts, session_id: int) -> None:
        errors = [c for c in checked.conflicts if c.severity == engine.Severity.error]
        super().__init__(
            "; ".join(f"{c.kind.value} ({', '.join(map(str, c.session_ids))})" for c in errors),
            errors=[
                FieldError(_FIELDS[c.kind.value], c.kind.value, f"conflicts with sessions {list(c.session_ids)}")
                for c in errors
            ],
        )
        self.checked = checked
        # The session refused: a new one's id was rolled back with it and names nothing.
        self.session_id = session_id

    def problem_extensions(self, translator: Translator) -> dict[str, Any]:
        return {"conflicts": self.checked.described(translator)}


def opening_windows(time_zone: str, days: list[DayHours]) -> tuple[engine.Window, ...]:
    """The venue's open hours, one window a day (exceptions applied, closed days left out), in UTC."""
    zone = ZoneInfo(time_zone)
    return tuple(
        engine.Window(
            datetime.combine(day.day, day.opens_at, tzinfo=zone).astimezone(UTC),
            datetime.combine(day.day, day.closes_at, tzinfo=zone).astimezone(UTC),
        )
        for day in days
        if day.opens_at is not None and day.closes_at is not None
    )


def rules_of(settings: Mapping[str, Any] | None) -> engine.ConflictRules:
    if settings is None:
        return engine.ConflictRules()
    overrides = {
        engine.ConflictKind(kind): engine.Severity(value) for kind, value in json.loads(settings["severities"]).items()
    }
    return engine.ConflictRules(
        severities={**engine.DEFAULT_SEVERITIES, **overrides},
        travel_gap=timedelta(minutes=int(settings["travel_gap_minutes"])),
    )


async def programme_of(exhibition: dict[str, Any]) -> tuple[engine.Programme, ProgrammeNames]:
    exhibition_id = exhibition["id"]
    sessions = await queries.sessions(exhibition_id)
    participations = await queries.participations(exhibition_id)
    rooms = await queries.rooms(exhibition_id)
    people = await queries.people(exhibition_id)
    windows = await queries.availability(exhibition_id)
    sign_ups = await registered_counts(exhibition_id)
    programme = engine.Programme(
        sessions=tuple(
            engine.Session(
                id=row["id"],
                room_id=row["room"],
                starts_at=row["starts_at"],
                ends_at=row["ends_at"],
                people=tuple(engine.Participation(p["person"], p["role"]) for p in participations.get(row["id"], [])),
                sign_ups=sign_ups.get(row["id"], 0),
                cancelled=row["status"] == SessionStatus.cancelled.value,
            )
            for row in sessions
        ),
        rooms={row["id"]: engine.Room(row["id"], row["building"], row["capacity"]) for row in rooms},
        people={
            row["id"]: engine.Person(
                row["id"], tuple(engine.Window(w["starts_at"], w["ends_at"]) for w in windows.get(row["id"], []))
            )
            for row in people
        },
        opening=opening_windows(exhibition["time_zone"], await opening_schedule(exhibition)),
    )
    names = ProgrammeNames(
        sessions={row["id"]: {lang: row[f"title_{lang}"] for lang in ("ar", "fr", "en")} for row in sessions},
        people={row["id"]: (row["name_ar"], row["name_latin"]) for row in people},
        rooms={row["id"]: row["name"] for row in rooms},
    )
    return programme, names


async def conflicts_of_session(
    exhibition: dict[str, Any], session_id: int, *, refuse_errors: bool = False
) -> CheckedConflicts:
    """The conflicts of one stored session against the programme; with ``refuse_errors``
    (inside the write's transaction) ScheduleConflict when one is an error, which rolls back."""
    programme, names = await programme_of(exhibition)
    rules = rules_of(await queries.settings(exhibition["id"]))
    session = next(s for s in programme.sessions if s.id == session_id)
    checked = CheckedConflicts(tuple(engine.check_session(programme, session, rules)), names)
    if refuse_errors and checked.has_errors:
        raise ScheduleConflict(checked, session_id)
    return checked


async def programme_conflicts(*, slug: str, actor: Actor | None) -> CheckedConflicts:
    """Every conflict of the whole programme."""
    exhibition = await organizers_exhibition(slug, actor)
    programme, names = await programme_of(exhibition)
    rules = rules_of(await queries.settings(exhibition["id"]))
    return CheckedConflicts(tuple(engine.check_programme(programme, rules)), names)


def _settings_out(row: Mapping[str, Any] | None) -> dict[str, Any]:
    rules = rules_of(row)
    return {
        "travel_gap_minutes": int(rules.travel_gap.total_seconds() // 60),
        "severities": {kind.value: rules.severities[kind].value for kind in engine.ConflictKind},
    }


async def get_programme_settings(*, slug: str, actor: Actor | None) -> dict[str, Any]:
    """The travel gap and every conflict kind's severity (the defaults where none was set)."""
    exhibition = await organizers_exhibition(slug, actor)
    return _settings_out(await queries.settings(exhibition["id"]))


async def set_programme_settings(
    *, slug: str, data: ProgrammeSettingsIn, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    """Replace the travel gap and the severities; kinds not sent go back to their default."""
    exhibition = await organizers_exhibition(slug, actor)
    kinds = {kind.value for kind in engine.ConflictKind}
    if unknown := sorted(set(data.severities) - kinds):
        raise InvalidInput(
            [
                FieldError(f"severities.{kind}", "unknown_conflict_kind", f"one of {', '.join(sorted(kinds))}")
                for kind in unknown
            ]
        )
    async with write_transaction(db()):
        await lock_programme(exhibition["id"], now)
        await ProgrammeSettings.update(
            {
                ProgrammeSettings.travel_gap_minutes: data.travel_gap_minutes,
                ProgrammeSettings.severities: json.dumps(dict(sorted(data.severities.items()))),
                ProgrammeSettings.updated_at: now,
            }
        ).where(ProgrammeSettings.exhibition == exhibition["id"])
    return _settings_out(await queries.settings(exhibition["id"]))
