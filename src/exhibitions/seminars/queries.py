"""Reads of an exhibition's seminar programme: hand-written SQL through Piccolo's ``raw``.
Every read names the exhibition, so an id of another exhibition finds nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from exhibitions.seminars.tables import SeminarSession

_ROOMS = """
SELECT r.*, (SELECT COUNT(*) FROM seminar_session s WHERE s.room = r.id) AS sessions
FROM seminar_room r WHERE r.exhibition = {}"""
_TRACKS = """
SELECT t.*, (SELECT COUNT(*) FROM seminar_session s WHERE s.track = t.id) AS sessions
FROM seminar_track t WHERE t.exhibition = {}"""
_PEOPLE = """
SELECT p.*, (SELECT COUNT(*) FROM session_person sp WHERE sp.person = p.id) AS sessions
FROM seminar_person p WHERE p.exhibition = {}"""
_SESSIONS = """
SELECT s.*, t.code AS track_code, t.name_ar AS track_ar, t.name_fr AS track_fr, t.name_en AS track_en,
       r.name AS room_name
FROM seminar_session s
JOIN seminar_track t ON t.id = s.track
LEFT JOIN seminar_room r ON r.id = s.room
WHERE s.exhibition = {}"""
_PARTICIPATIONS = """
SELECT sp.*, p.name_ar, p.name_latin
FROM session_person sp JOIN seminar_person p ON p.id = sp.person
WHERE sp.exhibition = {}"""


async def _raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await SeminarSession.raw(sql, *args)  # type: ignore[no-any-return]


def _first(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return rows[0] if rows else None


async def rooms(exhibition_id: int) -> list[dict[str, Any]]:
    return await _raw(_ROOMS + " ORDER BY r.name, r.id", exhibition_id)


async def room(exhibition_id: int, room_id: int) -> dict[str, Any] | None:
    return _first(await _raw(_ROOMS + " AND r.id = {}", exhibition_id, room_id))


async def room_admissions(checkpoint_id: int) -> int:
    rows = await _raw("SELECT COUNT(*) AS n FROM admission WHERE checkpoint = {}", checkpoint_id)
    return int(rows[0]["n"])


async def tracks(exhibition_id: int) -> list[dict[str, Any]]:
    return await _raw(_TRACKS + " ORDER BY t.position, t.code", exhibition_id)


async def track(exhibition_id: int, code: str) -> dict[str, Any] | None:
    return _first(await _raw(_TRACKS + " AND t.code = {}", exhibition_id, code))


async def people(exhibition_id: int) -> list[dict[str, Any]]:
    return await _raw(_PEOPLE + " ORDER BY COALESCE(NULLIF(p.name_latin, ''), p.name_ar), p.id", exhibition_id)


async def person(exhibition_id: int, person_id: int) -> dict[str, Any] | None:
    return _first(await _raw(_PEOPLE + " AND p.id = {}", exhibition_id, person_id))


async def person_ids(exhibition_id: int, candidates: Sequence[int]) -> set[int]:
    """Which of ``candidates`` are people of this exhibition."""
    if not candidates:
        return set()
    placeholders = ", ".join("{}" for _ in candidates)
    rows = await _raw(
        f"SELECT id FROM seminar_person WHERE exhibition = {{}} AND id IN ({placeholders})",  # noqa: S608
        exhibition_id,
        *candidates,
    )
    return {int(row["id"]) for row in rows}


async def availability(exhibition_id: int) -> dict[int, list[dict[str, Any]]]:
    """Each person's availability windows, in time order."""
    rows = await _raw(
        "SELECT a.* FROM person_availability a JOIN seminar_person p ON p.id = a.person"
        " WHERE p.exhibition = {} ORDER BY a.person, a.starts_at",
        exhibition_id,
    )
    windows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        windows[int(row["person"])].append(row)
    return windows


async def sessions(exhibition_id: int) -> list[dict[str, Any]]:
    return await _raw(_SESSIONS + " ORDER BY s.starts_at, r.name, s.id", exhibition_id)


async def session(exhibition_id: int, session_id: int, *, for_update: bool = False) -> dict[str, Any] | None:
    """``for_update`` locks the row on PostgreSQL (SQLite's write transaction holds the whole database)."""
    lock = " FOR UPDATE OF s" if for_update and SeminarSession._meta.db.engine_type == "postgres" else ""
    return _first(await _raw(_SESSIONS + " AND s.id = {}" + lock, exhibition_id, session_id))


async def participations(exhibition_id: int, session_id: int | None = None) -> dict[int, list[dict[str, Any]]]:
    """Who takes part in each session (or in one), in the organizer's order."""
    sql, args = _PARTICIPATIONS, [exhibition_id]
    if session_id is not None:
        sql, args = sql + " AND sp.session = {}", [exhibition_id, session_id]
    by_session: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in await _raw(sql + " ORDER BY sp.session, sp.position, sp.id", *args):
        by_session[int(row["session"])].append(row)
    return by_session


async def settings(exhibition_id: int, *, for_update: bool = False) -> dict[str, Any] | None:
    lock = " FOR UPDATE" if for_update and SeminarSession._meta.db.engine_type == "postgres" else ""
    sql = "SELECT * FROM programme_settings WHERE exhibition = {}" + lock  # noqa: S608 - a constant suffix
    return _first(await _raw(sql, exhibition_id))
