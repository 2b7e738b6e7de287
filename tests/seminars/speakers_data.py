"""A small programme for the speaker workflow's tests, inserted through the Piccolo tables.

Two rooms, one track, three people (Arabic, French and English readers) and two sessions on
Friday 7 May 2027: 10:00-11:30 and 15:00-16:00 Casablanca time (UTC+1 outside Ramadan, so
09:00 and 14:00 UTC). The day is fixed, so that pages and e-mails read the same whatever day
the suite runs; the ``exhibition`` fixture's dates follow today's (links expire 30 days after
its last day), and every rule about time takes the tests' ``now``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.events.tables import Exhibition
from exhibitions.seminars.tables import SeminarPerson, SeminarRoom, SeminarSession, SeminarTrack, SessionPerson
from exhibitions.tickets.tables import Checkpoint

CASABLANCA = ZoneInfo("Africa/Casablanca")
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
SESSION_DAY = date(2027, 5, 7)


@dataclass(frozen=True)
class Programme:
    exhibition_id: int
    first_day: date
    last_day: date
    rooms: dict[str, int]
    people: dict[str, int]  # "amina" (ar), "claire" (fr), "john" (en)
    sessions: dict[str, int]  # "opening", "workshop"
    appearances: dict[tuple[str, str], int]  # (person, session) -> session_person id
    starts: dict[str, datetime]


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=CASABLANCA).astimezone(UTC)


async def _insert(table: Any, **values: Any) -> int:
    rows = await table.insert(table(**values)).returning(table.id)
    return int(rows[0]["id"])


async def add_room(exhibition_id: int, name: str, building: str = "", capacity: int = 80) -> int:
    checkpoint = await _insert(
        Checkpoint, exhibition=exhibition_id, name=name, kind="room", policy="reentry_after_exit", capacity=capacity
    )
    return await _insert(
        SeminarRoom, exhibition=exhibition_id, name=name, building=building, capacity=capacity,
        checkpoint=checkpoint, created_at=CREATED, updated_at=CREATED,
    )  # fmt: skip


async def add_person(exhibition_id: int, **values: Any) -> int:
    return await _insert(SeminarPerson, exhibition=exhibition_id, created_at=CREATED, updated_at=CREATED, **values)


async def add_session(
    exhibition_id: int, track: int, room: int | None, starts_at: datetime, minutes: int, **values: Any
) -> int:
    return await _insert(
        SeminarSession, exhibition=exhibition_id, guid=str(uuid.uuid4()), session_type="panel", track=track,
        room=room, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes), status="scheduled",
        created_at=CREATED, updated_at=CREATED, **values,
    )  # fmt: skip


async def add_appearance(exhibition_id: int, session: int, person: int, role: str, position: int = 0) -> int:
    return await _insert(
        SessionPerson, exhibition=exhibition_id, session=session, person=person, role=role, position=position
    )


async def programme(exhibition_id: int) -> Programme:
    """The programme of the ``exhibition`` fixture's exhibition."""
    found = await Exhibition.select(Exhibition.starts_on, Exhibition.ends_on).where(Exhibition.id == exhibition_id)
    first_day, last_day = found[0]["starts_on"], found[0]["ends_on"]
    rooms = {
        "hall": await add_room(exhibition_id, "Salle Ibn Khaldoun", building="Pavillon A", capacity=200),
        "atelier": await add_room(exhibition_id, "Atelier 2", building="Pavillon B", capacity=30),
    }
    track = await _insert(
        SeminarTrack, exhibition=exhibition_id, code="legal", name_ar="الإطار القانوني", name_fr="Cadre juridique",
        name_en="Legal framework",
    )  # fmt: skip
    people = {
        "amina": await add_person(
            exhibition_id, name_ar="أمينة برادة", name_latin="Amina Berrada", email="amina@univ.ma", language="ar"
        ),
        "claire": await add_person(exhibition_id, name_latin="Claire Dubois", email="claire@ess.fr", language="fr"),
        "john": await add_person(exhibition_id, name_latin="John Smith", email="john@coop.org", language="en"),
    }
    starts = {"opening": local(SESSION_DAY, time(10, 0)), "workshop": local(SESSION_DAY, time(15, 0))}
    sessions = {
        "opening": await add_session(
            exhibition_id, track, rooms["hall"], starts["opening"], 90,
            title_ar="الإطار القانوني للاقتصاد التضامني", title_fr="Le cadre juridique de l'économie solidaire",
            title_en="The legal framework of the solidarity economy",
        ),
        "workshop": await add_session(
            exhibition_id, track, rooms["atelier"], starts["workshop"], 60,
            title_ar="ورشة التعاونيات النسائية", title_fr="Atelier des coopératives de femmes",
        ),
    }  # fmt: skip
    appearances = {
        ("amina", "opening"): await add_appearance(exhibition_id, sessions["opening"], people["amina"], "speaker"),
        ("claire", "opening"): await add_appearance(
            exhibition_id, sessions["opening"], people["claire"], "moderator", 1
        ),
        ("amina", "workshop"): await add_appearance(exhibition_id, sessions["workshop"], people["amina"], "speaker"),
        ("john", "workshop"): await add_appearance(exhibition_id, sessions["workshop"], people["john"], "discussant"),
    }
    return Programme(exhibition_id, first_day, last_day, rooms, people, sessions, appearances, starts)
