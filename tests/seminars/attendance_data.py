"""Rooms (each with its door checkpoint), tracks, people, sessions and visitors' tickets for
the attendance tests, written straight to the database (the seminars lane's services are
what its own tests are about) or through the tickets services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.clock import utcnow
from exhibitions.seminars.tables import SeminarSession
from exhibitions.settings import Settings
from exhibitions.tickets import services as tickets
from exhibitions.tickets.schemas import RegistrationIn
from tests.conftest import NOW
from tests.factories import FIRST_DAY

SLUG = "sess-2027"
CASABLANCA = ZoneInfo("Africa/Casablanca")
PROGRAMME_API = f"/api/v1/exhibitions/{SLUG}/programme"


def local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A moment of the exhibition's ``day_offset``-th day, local time, as UTC."""
    day = FIRST_DAY + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, minute), CASABLANCA).astimezone(UTC)


async def _one(sql: str, *args: Any) -> dict[str, Any]:
    rows = await SeminarSession.raw(sql, *args)
    return rows[0]  # type: ignore[no-any-return]


async def room(exhibition: int, name: str, capacity: int, building: str = "") -> int:
    """A room and its door checkpoint (kind room, re-entry after exit, the room's capacity)."""
    checkpoint = await _one(
        "INSERT INTO checkpoint (exhibition, name, kind, policy, capacity, inside) VALUES ({}, {}, 'room',"
        " 'reentry_after_exit', {}, 0) RETURNING id",
        exhibition, name, capacity,
    )  # fmt: skip
    row = await _one(
        "INSERT INTO seminar_room (exhibition, name, building, capacity, checkpoint, created_at, updated_at)"
        " VALUES ({}, {}, {}, {}, {}, {}, {}) RETURNING id",
        exhibition, name, building, capacity, checkpoint["id"], NOW, NOW,
    )  # fmt: skip
    return int(row["id"])


async def checkpoint_of(room_id: int) -> int:
    return int((await _one("SELECT checkpoint FROM seminar_room WHERE id = {}", room_id))["checkpoint"])


async def track(
    exhibition: int, code: str, name_fr: str, name_ar: str = "", name_en: str = "", position: int = 0
) -> int:
    row = await _one(
        "INSERT INTO seminar_track (exhibition, code, name_ar, name_fr, name_en, position) VALUES ({}, {}, {}, {},"
        " {}, {}) RETURNING id",
        exhibition, code, name_ar, name_fr, name_en, position,
    )  # fmt: skip
    return int(row["id"])


async def person(
    exhibition: int, name_latin: str, *, name_ar: str = "", email: str | None = None, language: str = "fr"
) -> int:
    row = await _one(
        "INSERT INTO seminar_person (exhibition, name_ar, name_latin, affiliation, email, language, created_at,"
        " updated_at) VALUES ({}, {}, {}, 'REMESS', {}, {}, {}, {}) RETURNING id",
        exhibition, name_ar, name_latin, email, language, NOW, NOW,
    )  # fmt: skip
    return int(row["id"])


async def session(
    exhibition: int,
    *,
    track_id: int,
    room_id: int | None,
    starts_at: datetime,
    minutes: int = 60,
    title_fr: str = "Le cadre juridique de l'ESS",
    title_ar: str = "",
    title_en: str = "",
    abstract_fr: str = "",
    status: str = "scheduled",
    needs_registration: bool = False,
    capacity: int | None = None,
    languages: str = "ar,fr",
    interpretation: bool = False,
    session_type: str = "panel",
    people: tuple[tuple[int, str], ...] = (),
) -> int:
    row = await _one(
        "INSERT INTO seminar_session (exhibition, guid, title_ar, title_fr, title_en, abstract_fr, session_type,"
        " track, room, starts_at, ends_at, languages, interpretation, needs_registration, capacity, status,"
        " created_at, updated_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})"
        " RETURNING id",
        exhibition, str(uuid.uuid4()), title_ar, title_fr, title_en, abstract_fr, session_type, track_id, room_id,
        starts_at, starts_at + timedelta(minutes=minutes), languages, interpretation, needs_registration, capacity,
        status, NOW, NOW,
    )  # fmt: skip
    for position, (person_id, role) in enumerate(people):
        await SeminarSession.raw(
            "INSERT INTO session_person (exhibition, session, person, role, position) VALUES ({}, {}, {}, {}, {})",
            exhibition, row["id"], person_id, role, position,
        )  # fmt: skip
    return int(row["id"])


async def update_session(session_id: int, **values: Any) -> None:
    for column, value in values.items():
        # Column names come from the tests themselves, never from input.
        await SeminarSession.raw(
            f"UPDATE seminar_session SET {column} = {{}}, sequence = sequence + 1 WHERE id = {{}}",
            value, session_id,
        )  # fmt: skip


async def visitor(
    settings: Settings, name: str, email: str | None, language: str = "fr", *, phone: str | None = None
) -> dict[str, Any]:
    """A visitor's ticket row (access_token, id, …), registered through the tickets service.
    The ticket's own e-mail is taken out of the outbox: these tests count the seminars' mail."""
    view, _ = await tickets.register_visitor(
        slug=SLUG,
        data=RegistrationIn(
            name=name,
            email=email,
            phone=phone,
            home_region="MA-04",
            language=language,  # type: ignore[arg-type]
        ),
        secret_key=settings.secret_key,
        now=utcnow(),
    )
    await SeminarSession.raw(
        "DELETE FROM outbox WHERE rule = 'ticket_issued' AND subject_key = {}", f"ticket:{view.row['id']}"
    )
    return {**view.row, "code": view.code}


@dataclass(frozen=True)
class Programme:
    """The usual programme: two rooms, two tracks, two people and three sessions on day one."""

    exhibition: int
    hall_a: int  # "Salle Atlas", 80 seats
    hall_b: int  # "Salle Rif", 30 seats
    legal: int  # track "legal-framework"
    policy: int  # track "public-policy"
    speaker: int  # Amina Berrada, French
    moderator: int  # Youssef Alaoui, Arabic
    opening: int  # 10:00–11:00 in Atlas, open to all
    workshop: int  # 11:30–13:00 in Rif, registration, 30 places
    panel: int  # 14:00–15:30 in Atlas, tomorrow


async def usual_programme(exhibition: int) -> Programme:
    hall_a = await room(exhibition, "Salle Atlas", 80, building="Pavillon A")
    hall_b = await room(exhibition, "Salle Rif", 30, building="Pavillon B")
    legal = await track(exhibition, "legal-framework", "Cadre juridique", "الإطار القانوني", "Legal framework", 1)
    policy = await track(exhibition, "public-policy", "Politiques publiques", "السياسات العمومية", "Public policy", 2)
    speaker = await person(exhibition, "Amina Berrada", name_ar="أمينة برادة", email="amina@remess.ma")
    moderator = await person(
        exhibition, "Youssef Alaoui", name_ar="يوسف العلوي", email="youssef@remess.ma", language="ar"
    )
    opening = await session(
        exhibition, track_id=legal, room_id=hall_a, starts_at=local(0, 10),
        title_fr="Ouverture : la loi 112-12 sur les coopératives", title_ar="الافتتاح: القانون 112-12 المتعلق بالتعاونيات",
        abstract_fr="Ce que la loi change pour les coopératives.", interpretation=True, session_type="keynote",
        people=((speaker, "speaker"), (moderator, "moderator")),
    )  # fmt: skip
    workshop = await session(
        exhibition, track_id=policy, room_id=hall_b, starts_at=local(0, 11, 30), minutes=90,
        title_fr="Atelier : financer une coopérative", title_ar="ورشة: تمويل تعاونية", needs_registration=True,
        people=((speaker, "speaker"),),
    )  # fmt: skip
    panel = await session(
        exhibition, track_id=legal, room_id=hall_a, starts_at=local(1, 14), minutes=90,
        title_fr="Table ronde : les mutuelles", title_ar="مائدة مستديرة: التعاضديات", session_type="round_table",
        people=((moderator, "moderator"),),
    )  # fmt: skip
    return Programme(exhibition, hall_a, hall_b, legal, policy, speaker, moderator, opening, workshop, panel)
