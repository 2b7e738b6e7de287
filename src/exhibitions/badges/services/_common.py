"""What every badges service shares: who may act, the database handle, and the
organization's name as a badge prints it."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg

from exhibitions.accounts.actor import Actor
from exhibitions.badges.tables import BadgeHolder
from exhibitions.events import services as event_services

BADGES_REFUSAL = "only the exhibition's organizers manage its badges"
# What a refused write raises, on either engine.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)


def db() -> Any:
    return BadgeHolder._meta.db


async def raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await BadgeHolder.raw(sql, *args)  # type: ignore[no-any-return]


async def organizers_exhibition(slug: str, actor: Actor | None) -> dict[str, Any]:
    return await event_services.managed_exhibition(slug, actor, refusal=BADGES_REFUSAL)


def user_of(actor: Actor | None) -> int | None:
    """The account to record as the author: none for the command line (user 0)."""
    return actor.user_id if actor is not None and actor.user_id > 0 else None


def organization_name(name_ar: str | None, name_latin: str | None, language: str) -> str:
    """The name in the badge's script when there is one, else the other."""
    first, second = (name_ar, name_latin) if language == "ar" else (name_latin, name_ar)
    return first or second or ""
