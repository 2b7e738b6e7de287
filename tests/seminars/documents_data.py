"""A small published programme in the database, inserted through the Piccolo tables: two rooms
(each with its checkpoint), two tracks, three people and four sessions on the exhibition's first
two days, in Arabic and French: one a draft (never exported), one cancelled. Plus a bigger
generated programme for the booklet's benchmark."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.seminars import services
from exhibitions.seminars.exports import ExportPerson, ExportProgramme, ExportRoom, ExportSession
from exhibitions.seminars.tables import (
    SeminarPerson,
    SeminarRoom,
    SeminarSession,
    SeminarTrack,
    SessionPerson,
)
from exhibitions.tickets.tables import Checkpoint
from tests.conftest import NOW
from tests.factories import FIRST_DAY

CASABLANCA = ZoneInfo("Africa/Casablanca")
SECOND_DAY = FIRST_DAY + timedelta(days=1)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time in Casablanca, as the UTC instant the database stores."""
    return datetime.combine(day, time(hour, minute), CASABLANCA).astimezone(UTC)


@dataclass
class Programme:
    exhibition_id: int
    rooms: dict[str, dict[str, Any]] = field(default_factory=dict)
    tracks: dict[str, dict[str, Any]] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)


async def _insert(table: Any, **values: Any) -> dict[str, Any]:
    rows = await table.insert(table(**values)).returning(*table.all_columns())
    return rows[0]  # type: ignore[no-any-return]


async def add_room(exhibition_id: int, name: str, *, building: str = "", capacity: int = 80) -> dict[str, Any]:
    checkpoint = await _insert(
        Checkpoint, exhibition=exhibition_id, name=name, kind="room", policy="reentry_after_exit", capacity=capacity
    )
    return await _insert(
        SeminarRoom, exhibition=exhibition_id, name=name, building=building, capacity=capacity,
        checkpoint=checkpoint["id"], created_at=NOW, updated_at=NOW,
    )  # fmt: skip


async def add_session(
    exhibition_id: int,
    *,
    track: int,
    room: int | None,
    starts_at: datetime,
    ends_at: datetime,
    people: list[tuple[int, str]] = (),  # type: ignore[assignment]
    status: str = "scheduled",
    **fields: Any,
) -> dict[str, Any]:
    session = await _insert(
        SeminarSession, exhibition=exhibition_id, guid=str(uuid.uuid4()), track=track, room=room,
        starts_at=starts_at, ends_at=ends_at, status=status, created_at=NOW, updated_at=NOW,
        **{"session_type": "panel", **fields},
    )  # fmt: skip
    for position, (person, role) in enumerate(people):
        await _insert(
            SessionPerson, exhibition=exhibition_id, session=session["id"], person=person, role=role,
            position=position, response="confirmed",
        )  # fmt: skip
    return session


async def publish(organizer: dict[str, Any], *, now: datetime = NOW, slug: str = "sess-2027") -> int:
    """Publish the programme as it stands (the files show the latest published version)."""
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    version = await services.publish_programme(slug=slug, actor=actor, now=now, base_url="http://testserver")
    return version.number


async def seed_programme(exhibition_id: int) -> Programme:
    programme = Programme(exhibition_id)
    programme.rooms["atlas"] = await add_room(exhibition_id, "Salle Atlas", building="Pavillon A", capacity=120)
    programme.rooms["rif"] = await add_room(exhibition_id, "قاعة الريف", building="Pavillon B", capacity=40)
    programme.tracks["legal"] = await _insert(
        SeminarTrack, exhibition=exhibition_id, code="legal", name_ar="الإطار القانوني", name_fr="Cadre juridique",
        name_en="Legal framework", position=0,
    )  # fmt: skip
    programme.tracks["policy"] = await _insert(
        SeminarTrack, exhibition=exhibition_id, code="policy", name_fr="Politiques publiques", position=1
    )
    programme.people["amina"] = await _insert(
        SeminarPerson, exhibition=exhibition_id, name_ar="أمينة الإدريسي", name_latin="Amina El Idrissi",
        affiliation="Université Mohammed V", bio_fr="Juriste.", language="ar", created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    programme.people["jean"] = await _insert(
        SeminarPerson, exhibition=exhibition_id, name_latin="Jean Dupont", affiliation="AFD", language="fr",
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    programme.people["mohamed"] = await _insert(
        SeminarPerson, exhibition=exhibition_id, name_ar="محمد بنعلي", affiliation="مكتب تنمية التعاون",
        language="ar", created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    amina, jean, mohamed = (programme.people[name]["id"] for name in ("amina", "jean", "mohamed"))
    legal, policy = programme.tracks["legal"]["id"], programme.tracks["policy"]["id"]
    atlas, rif = programme.rooms["atlas"]["id"], programme.rooms["rif"]["id"]
    programme.sessions["opening"] = await add_session(
        exhibition_id, track=legal, room=atlas, starts_at=local(FIRST_DAY, 10), ends_at=local(FIRST_DAY, 11, 30),
        people=[(amina, "speaker"), (jean, "moderator")], session_type="keynote",
        title_fr="Ouverture : la loi 112-12 sur les coopératives", title_ar="افتتاح: القانون 112.12 المتعلق بالتعاونيات",
        abstract_fr="Dix ans d'application.", abstract_ar="عشر سنوات من التطبيق.", languages="fr,ar",
        interpretation=True, sequence=1,
    )  # fmt: skip
    programme.sessions["finance"] = await add_session(
        exhibition_id, track=policy, room=rif, starts_at=local(FIRST_DAY, 14), ends_at=local(FIRST_DAY, 15),
        people=[(mohamed, "speaker"), (amina, "discussant")], title_ar="التمويل التضامني",
        abstract_ar="كيف تمول التعاونيات مشاريعها؟", languages="ar",
    )  # fmt: skip
    programme.sessions["workshop"] = await add_session(
        exhibition_id, track=policy, room=atlas, starts_at=local(SECOND_DAY, 10), ends_at=local(SECOND_DAY, 12),
        people=[(jean, "speaker")], session_type="workshop", title_fr="Atelier : vendre en ligne", status="cancelled",
        sequence=3,
    )  # fmt: skip
    programme.sessions["draft"] = await add_session(
        exhibition_id, track=legal, room=rif, starts_at=local(SECOND_DAY, 15), ends_at=local(SECOND_DAY, 16),
        people=[(amina, "speaker")], title_fr="Brouillon : pas encore publié", status="draft",
    )  # fmt: skip
    return programme


# ---------------------------------------------------------------------------------------------
# A generated programme (no database), for the booklet's figure

_TOPICS_FR = [
    "Le financement solidaire des coopératives agricoles",
    "L'économie sociale et les femmes rurales",
    "La loi 112-12 : dix ans d'application",
    "Exporter les produits du terroir",
    "Partenariats Sud-Sud et coopération internationale",
    "Les associations et l'insertion des jeunes",
    "Labels et certification des produits",
    "Le numérique au service des coopératives",
]
_TOPICS_AR = [
    "التمويل التضامني للتعاونيات الفلاحية",
    "الاقتصاد الاجتماعي والنساء القرويات",
    "القانون 112.12: عشر سنوات من التطبيق",
    "تصدير منتوجات المجال",
    "شراكات جنوب-جنوب والتعاون الدولي",
    "الجمعيات وإدماج الشباب",
    "علامات الجودة وإشهاد المنتوجات",
    "الرقمنة في خدمة التعاونيات",
]


def generated_programme(sessions: int = 100, *, rooms: int = 5, first_day: date = date(2027, 5, 7)) -> ExportProgramme:
    """``sessions`` bilingual sessions over as many days as needed, ``rooms`` rooms, 4 a day each."""
    room_list = tuple(
        ExportRoom(id=index + 1, name=f"Salle {index + 1}" if index % 2 else f"قاعة {index + 1}", building="Pavillon A")
        for index in range(rooms)
    )
    people = [
        ExportPerson(
            id=index + 1,
            name=f"Intervenant {index + 1}",
            name_ar=f"المتدخل {index + 1}",
            affiliation="Université Mohammed V",
        )
        for index in range(40)
    ]
    export_sessions = []
    for index in range(sessions):
        slot, room = divmod(index, rooms)
        day, hour_slot = divmod(slot, 4)
        starts = datetime.combine(first_day + timedelta(days=day), time(9 + 2 * hour_slot), CASABLANCA)
        topic = index % len(_TOPICS_FR)
        export_sessions.append(
            ExportSession(
                id=index + 1,
                guid=str(uuid.UUID(int=index + 1)),
                title={"fr": _TOPICS_FR[topic], "ar": _TOPICS_AR[topic]},
                abstract={
                    "fr": "Un débat entre chercheurs, responsables publics et coopératives. " * 3,
                    "ar": "نقاش بين الباحثين والمسؤولين والتعاونيات. " * 3,
                },
                type="panel",
                track={"fr": "Initiatives", "ar": "مبادرات"},
                track_code="initiatives",
                room_id=room_list[room].id,
                starts_at=starts.astimezone(UTC),
                ends_at=(starts + timedelta(minutes=90)).astimezone(UTC),
                people=((people[index % 40], "speaker"), (people[(index + 7) % 40], "moderator")),
                languages=("ar", "fr"),
                interpretation=True,
                sequence=0,
            )
        )
    last = max(session.starts_at for session in export_sessions).astimezone(CASABLANCA).date()
    return ExportProgramme(
        slug="sess-2027", title={"fr": "Salon national de l'ESS", "ar": "المعرض الوطني للاقتصاد الاجتماعي والتضامني"},
        time_zone="Africa/Casablanca", starts_on=first_day, ends_on=last, version="2027-05-01T09:00:00Z",
        base_url="https://ess.example.ma/exhibitions/sess-2027/programme", host="ess.example.ma", rooms=room_list,
        sessions=tuple(export_sessions),
    )  # fmt: skip
