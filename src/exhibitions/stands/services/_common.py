"""What every stands service shares: who may act, and the database's refusals in the
caller's terms."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg

from exhibitions.accounts.actor import Actor
from exhibitions.errors import (
    Conflict,
    DuplicateValue,
    ExhibitionsError,
    FieldError,
    InvalidInput,
    StandOverlap,
    StandTaken,
)
from exhibitions.events import services as event_services
from exhibitions.stands.tables import Stand


def db() -> Any:
    return Stand._meta.db


async def organizers_exhibition(slug: str, actor: Actor | None) -> dict[str, Any]:
    return await event_services.managed_exhibition(
        slug, actor, refusal="only the exhibition's organizers manage its stands"
    )


async def lock_assignments(exhibition_id: int) -> None:
    """Inside a transaction: hold the exhibition's stand assignments until it ends, so that
    moves by hand and accepted proposals apply one at a time (an accepted proposal checks
    that nothing moved since it was computed). PostgreSQL locks the exhibition's row; SQLite
    needs nothing, its write transaction holds the whole database."""
    if db().engine_type == "postgres":
        await Stand.raw("SELECT id FROM exhibition WHERE id = {} FOR UPDATE", exhibition_id)


def _refusal(exc: BaseException) -> str | None:
    """Which of the schema's rules (migration m0014) refused the write, if one did."""
    if isinstance(exc, sqlite3.IntegrityError):
        message = str(exc)
        for rule in ("stand_overlap", "stand_capacity", "application_not_approved"):
            if rule in message:
                return rule
        if "stand.exhibition, stand.code" in message:
            return "stand_code_once"
        if "stand_assignment.stand, stand_assignment.seat" in message:
            return "stand_assignment_seat_once"
        if "stand_assignment.application" in message:
            return "stand_assignment_application_once"
        return None
    if isinstance(exc, asyncpg.ExclusionViolationError):
        return "stand_overlap"
    if isinstance(exc, asyncpg.CheckViolationError) and str(exc) in ("stand_capacity", "application_not_approved"):
        return str(exc)
    if isinstance(exc, asyncpg.UniqueViolationError):
        return exc.constraint_name  # type: ignore[no-any-return]
    return None


def refused(exc: BaseException, *, code: str = "", application: int | None = None) -> ExhibitionsError | None:
    """The error to answer for a write the database refused, or None if it was no rule of ours."""
    rule = _refusal(exc)
    if rule == "stand_overlap":
        return StandOverlap(
            f"stand {code} overlaps another stand of the hall",
            errors=[FieldError("x", "stand_overlap", f"stand {code} overlaps another stand of the hall")],
        )
    if rule == "stand_code_once":
        return DuplicateValue(
            f"stand code {code} is taken", errors=[FieldError("code", "duplicate", f"stand {code} exists already")]
        )
    if rule in ("stand_assignment_seat_once", "stand_capacity"):
        return taken(code)
    if rule == "stand_assignment_application_once":
        return Conflict(
            "the application has a stand already",
            errors=[FieldError("application", "already_assigned", f"application {application} has a stand already")],
        )
    if rule == "application_not_approved":
        return not_approved(application)
    return None


def taken(code: str) -> StandTaken:
    reason = f"every seat of stand {code} is assigned already"
    return StandTaken(reason, errors=[FieldError("code", "stand_taken", reason)])


def not_approved(application: int | None) -> InvalidInput:
    return InvalidInput.single(
        "application", "not_approved", f"application {application} is not an approved application of this exhibition"
    )
