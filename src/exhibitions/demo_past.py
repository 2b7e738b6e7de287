"""The demo's past edition: last season's national exhibition, closed, with its attendance.

About 500 approved exhibitors and about 50,000 visitors over ten days, so that the dashboard
and the timing insight show something real on first run. The visits follow what organizers
describe: a slow morning, a dip at lunch, a fuller afternoon and evening, busier weekends,
the Friday midday prayer, and one rainy day. Everything comes from one seeded random
generator: the same day gives the same rows.

Rows are written in bulk (``executemany`` on SQLite, ``COPY`` on PostgreSQL) in one
transaction: through the services they would take minutes. The exhibition itself, its gate
and its calendar marks go through the services like any other.
"""

from __future__ import annotations

import contextlib
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.analytics import calendar as calendar_services
from exhibitions.analytics import services as figures
from exhibitions.analytics.calendar_tables import MarkKind
from exhibitions.db import run_in_transaction
from exhibitions.errors import Conflict, DuplicateValue
from exhibitions.events import queries as event_queries
from exhibitions.events import services as event_services
from exhibitions.events.hours import DayHours
from exhibitions.events.regions import all_regions
from exhibitions.events.schemas import ExhibitionCreate, ExhibitionUpdate, HallIn, OpeningExceptionIn
from exhibitions.events.tables import Exhibition, ExhibitionKind, ExhibitionStatus
from exhibitions.exhibitors.tables import Application
from exhibitions.search import fold
from exhibitions.seminars import services as seminar_services
from exhibitions.seminars.schemas import RoomIn, SessionIn
from exhibitions.seminars.tables import SessionStatus, SessionType
from exhibitions.stands import services as stand_services
from exhibitions.stands.schemas import GridIn
from exhibitions.stands.tables import AssignmentSource, Stand, StandAssignment
from exhibitions.tickets import services as ticket_services
from exhibitions.tickets.tables import CheckpointKind, CheckpointPolicy

SEED = 2026
EXHIBITORS = 500
VISITORS = 50_000
NO_SHOWS = 6_000  # registered, never came
SECOND_VISITS = 4_000  # visitors who came back another day

# Share of a day's visitors arriving in each local hour (the exhibition opens 10:00-21:00):
# a lunch dip at 13:00, a peak at 17:00. Fridays lose the prayer hours; weekends start later.
_WEEKDAY_HOURS = {10: 5, 11: 9, 12: 11, 13: 5, 14: 7, 15: 10, 16: 13, 17: 16, 18: 13, 19: 8, 20: 3}
_FRIDAY_HOURS = {10: 6, 11: 10, 12: 5, 13: 2, 14: 8, 15: 12, 16: 14, 17: 16, 18: 13, 19: 10, 20: 4}
_WEEKEND_HOURS = {10: 3, 11: 7, 12: 10, 13: 6, 14: 9, 15: 12, 16: 15, 17: 17, 18: 13, 19: 6, 20: 2}
# Relative size of each of the ten days (Friday to the next Sunday); day 4 (Tuesday) rained.
_DAY_WEIGHTS = (6, 11, 12, 7, 3, 7, 8, 8, 12, 14)
RAINY_DAY = 4

_SECTORS = ("agriculture", "handicrafts", "fishing", "argan", "food_processing", "textile", "services", "other")
_FORMS = ("cooperative", "cooperative", "cooperative", "association", "association", "mutual")
_CATEGORIES = ("general",) * 14 + ("professional",) * 3 + ("student",) * 2 + ("press", "institutional")
_WORDS_LATIN = (
    "Al Amal",
    "Tifawine",
    "Nour",
    "Atlas",
    "Al Baraka",
    "Tamount",
    "Assafa",
    "Al Wafae",
    "Izdihar",
    "Tanmia",
    "Al Khair",
    "Tissir",
    "Annahda",
    "Targa",
    "Al Fajr",
    "Tawada",
)
_WORDS_AR = ("الأمل", "تيفاوين", "النور", "الأطلس", "البركة", "تامونت", "الصفاء", "الوفاء", "الازدهار",
             "التنمية", "الخير", "تيسير", "النهضة", "تارگا", "الفجر", "التوادة")  # fmt: skip
_KIND_NAMES = {"cooperative": ("تعاونية", "Coopérative"), "association": ("جمعية", "Association"),
               "mutual": ("تعاضدية", "Mutuelle")}  # fmt: skip


# Two pavilions of 80 m × 75 m, each twelve rows of 24 stands of 3 m × 3 m across 3 m aisles
# (288 stands): produce of the land in the first, crafts and services in the second.
_PAST_HALLS = (
    ("Pavillon 1 · Produits du terroir", "P1", "Terroir"),
    ("Pavillon 2 · Artisanat et services", "P2", "Artisanat"),
)
_LAND_SECTORS = ("agriculture", "argan", "food_processing", "fishing")


def past_edition_dates(today: date) -> date:
    """The first day of the past edition: a Friday about half a year ago (ten days, so it
    holds two Fridays and two weekends)."""
    start = today - timedelta(days=190)
    return start - timedelta(days=(start.weekday() - 4) % 7)


def past_edition(today: date) -> ExhibitionCreate:
    starts = past_edition_dates(today)
    return ExhibitionCreate(
        slug=f"sess-national-{starts.year}-{starts.month:02d}",
        kind=ExhibitionKind.national,
        title_ar=f"المعرض الوطني للاقتصاد الاجتماعي والتضامني - دورة {starts.year}",
        title_fr=f"Salon national de l'économie sociale et solidaire - édition {starts.year}",
        title_en=f"National Exhibition of the Social and Solidarity Economy - {starts.year} edition",
        # Last season was held in Casablanca: a venue of its own, so its halls and their plans
        # are not the upcoming edition's.
        venue_name="Foire internationale de Casablanca",
        city="Casablanca",
        venue_address="Boulevard Sidi Mohammed Ben Abdellah",
        starts_on=starts,
        ends_on=starts + timedelta(days=9),
        opens_at=time(10, 0),
        closes_at=time(21, 0),
        opening_exceptions=[
            OpeningExceptionIn(day=starts, opens_at=time(10, 0), closes_at=time(21, 0), note="Inauguration"),
        ],
        halls=[HallIn(name=name, area_m2=6000) for name, _, _ in _PAST_HALLS],
    )


@dataclass(frozen=True)
class Visit:
    ticket: int  # index in the generated tickets
    entered_at: datetime
    left_at: datetime


@dataclass(frozen=True)
class PastSession:
    id: int
    checkpoint: int  # the room's door
    capacity: int
    starts_at: datetime  # UTC
    ends_at: datetime
    needs_registration: bool


@dataclass(frozen=True)
class SessionSeat:
    session: PastSession
    ticket: int  # index in the generated tickets
    registered: bool
    attended: bool


@dataclass
class PastAttendance:
    tickets: list[dict[str, Any]] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    sessions: list[SessionSeat] = field(default_factory=list)


# The past edition's seminars: (room, day, start, end, type, track, titles in ar/fr/en, registration).
_PAST_ROOMS = (("Salle Ibn Khaldoun", "Pavillon A", 150), ("Salle Al Massira", "Pavillon B", 60))
_PAST_SESSIONS = (
    (0, 1, "11:00", "12:30", SessionType.keynote, "legal_framework",
     ("الاقتصاد الاجتماعي والتضامني: حصيلة وآفاق", "L'économie sociale et solidaire : bilan et perspectives",
      "The social and solidarity economy: results and outlook"), False),
    (1, 2, "15:00", "16:30", SessionType.workshop, "initiatives",
     ("ورشة: التسويق الرقمي للتعاونيات", "Atelier : le marketing numérique des coopératives",
      "Workshop: digital marketing for cooperatives"), True),
    (0, 4, "16:00", "17:30", SessionType.panel, "public_policy",
     ("تمويل التعاونيات النسائية", "Financer les coopératives de femmes", "Financing women's cooperatives"), False),
    (1, 8, "11:00", "12:30", SessionType.workshop, "initiatives",
     ("ورشة: التصدير والعلامات", "Atelier : exporter et labelliser", "Workshop: exporting and labels"), True),
)  # fmt: skip


async def _create_sessions(
    *, slug: str, days: Sequence[DayHours], time_zone: str, organizer: Actor, now: datetime
) -> list[PastSession]:
    zone = ZoneInfo(time_zone)
    rooms = [
        await seminar_services.create_room(
            slug=slug, data=RoomIn(name=name, building=building, capacity=capacity), actor=organizer, now=now
        )
        for name, building, capacity in _PAST_ROOMS
    ]
    made = []
    for room, day, starts, ends, kind, track, (title_ar, title_fr, title_en), registration in _PAST_SESSIONS:
        starts_at = datetime.combine(days[day].day, time.fromisoformat(starts), zone)
        ends_at = datetime.combine(days[day].day, time.fromisoformat(ends), zone)
        session, _ = await seminar_services.create_session(
            slug=slug, actor=organizer, now=now, data=SessionIn(
                type=kind, track=track, starts_at=starts_at, ends_at=ends_at, title_ar=title_ar, title_fr=title_fr,
                title_en=title_en, room_id=rooms[room]["id"], languages=["ar", "fr"], interpretation=False,
                status=SessionStatus.scheduled, needs_registration=registration, people=[],
            ),
        )  # fmt: skip
        made.append(
            PastSession(session["id"], rooms[room]["checkpoint"], _PAST_ROOMS[room][2], starts_at.astimezone(UTC),
                        ends_at.astimezone(UTC), registration)
        )  # fmt: skip
    return made


def generate_session_attendance(
    sessions: Sequence[PastSession], attendance: PastAttendance, *, seed: int = SEED
) -> list[SessionSeat]:
    """Who registered for each session and who came to its door: visitors inside the
    exhibition at the time. A workshop fills its registrations and about 70 % come; a keynote
    or panel takes whoever walks in, up to the room."""
    rng = random.Random(seed + 2)  # noqa: S311 - demo data, reproducible on purpose
    seats = []
    for session in sessions:
        present = sorted({
            visit.ticket for visit in attendance.visits
            if visit.entered_at <= session.starts_at and visit.left_at >= session.starts_at
        })  # fmt: skip
        rng.shuffle(present)
        if session.needs_registration:
            registered = present[: session.capacity]
            for ticket in registered:
                seats.append(SessionSeat(session, ticket, registered=True, attended=rng.random() < 0.7))
        else:
            share = rng.uniform(0.55, 0.9)
            for ticket in present[: int(session.capacity * share)]:
                seats.append(SessionSeat(session, ticket, registered=False, attended=True))
    return seats


def _hour_weights(day: date) -> dict[int, int]:
    if day.weekday() in (5, 6):
        return _WEEKEND_HOURS
    if day.weekday() == 4:
        return _FRIDAY_HOURS
    return _WEEKDAY_HOURS


def generate_attendance(days: Sequence[DayHours], time_zone: str, *, now: datetime, seed: int = SEED) -> PastAttendance:
    """Tickets and gate visits for ``days``: VISITORS people who came (SECOND_VISITS of them
    twice) and NO_SHOWS who registered only. Deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    zone = ZoneInfo(time_zone)
    regions = [region.code for region in all_regions()]
    # Rabat's own region and its neighbours send most visitors.
    region_weights = [30 if code == "MA-04" else 12 if code in ("MA-06", "MA-03") else 3 for code in regions]
    result = PastAttendance()
    count = VISITORS + NO_SHOWS
    # Drawn in bulk (one call per attribute, not per ticket): the demo must stay quick.
    day_of_first = rng.choices(range(len(days)), weights=_DAY_WEIGHTS, k=count)
    homes = rng.choices([*regions, "abroad"], weights=[*region_weights, 2], k=count)
    languages = rng.choices(("ar", "fr", "en"), weights=(6, 4, 1), k=count)
    registration_opened = datetime.combine(days[0].day, time(9), zone)
    for index in range(count):
        first, region = day_of_first[index], homes[index]
        result.tickets.append(
            {
                "access_token": f"{rng.getrandbits(256):064x}",
                "manual_code": f"P{index:07d}",
                "holder_name": f"Visiteur {index + 1:05d}",
                "email": f"visiteur{index + 1:05d}@demo.example.ma",
                "home_region": region,
                "country": rng.choice(("FR", "SN", "ES", "TN", "MR")) if region == "abroad" else None,
                "category": rng.choice(_CATEGORIES),
                "language": languages[index],
                "first_day": days[first].day,
                "day_count": len(days) - first,
                "created_at": min(now, registration_opened - timedelta(days=rng.randint(0, 20))),
            }
        )
    # Each day's hours as UTC instants, through zoneinfo once per hour (the offset never
    # changes within an opening hour), and each day's closing.
    hour_starts = []
    closings = []
    for day in days:
        assert day.opens_at is not None
        assert day.closes_at is not None
        weights = _hour_weights(day.day)
        hour_starts.append(
            (list(weights), list(itertools.accumulate(weights.values())),
             {hour: datetime.combine(day.day, time(hour), zone).astimezone(UTC) for hour in weights})
        )  # fmt: skip
        closings.append(datetime.combine(day.day, day.closes_at, zone).astimezone(UTC))

    def visit(ticket: int, day_index: int) -> Visit:
        hours, cumulative, starts = hour_starts[day_index]
        hour = rng.choices(hours, cum_weights=cumulative)[0]
        entered = starts[hour] + timedelta(seconds=rng.randrange(3600))
        left = min(closings[day_index], entered + timedelta(minutes=rng.randint(40, 200)))
        return Visit(ticket, entered, left)

    for ticket in range(VISITORS):
        result.visits.append(visit(ticket, day_of_first[ticket]))
    for ticket in rng.sample(range(VISITORS), SECOND_VISITS):
        later = list(range(day_of_first[ticket] + 1, len(days)))
        if later:
            result.visits.append(visit(ticket, rng.choice(later)))
    return result


def generate_organizations(*, now: datetime, seed: int = SEED) -> list[dict[str, Any]]:
    """EXHIBITORS organizations from every region, sector and legal form; some women-led
    and youth-led."""
    rng = random.Random(seed + 1)  # noqa: S311 - demo data, reproducible on purpose
    regions = [region for region in all_regions()]
    rows = []
    for index in range(EXHIBITORS):
        form = rng.choice(_FORMS)
        region = rng.choice(regions)
        word = rng.randrange(len(_WORDS_LATIN))
        kind_ar, kind_fr = _KIND_NAMES[form]
        name_ar = f"{kind_ar} {_WORDS_AR[word]} {index + 1}"
        name_latin = f"{kind_fr} {_WORDS_LATIN[word]} {index + 1}"
        total = rng.randint(7, 120)
        women = rng.randint(0, total)
        youth = rng.randint(0, total)
        city = region.capital
        rows.append(
            {
                "legal_form": form,
                "name_ar": name_ar,
                "name_latin": name_latin,
                "registry_number": f"DEMO-PAST-{index + 1:04d}",
                "region": region.code,
                "city": city,
                "sector": rng.choice(_SECTORS),
                "founded_year": rng.randint(1995, 2024),
                "members_total": total,
                "members_women": women,
                "members_youth": youth,
                "declared_women_led": False,
                "created_at": now,
                "updated_at": now,
                "search_text": fold(f"{name_ar} {name_latin} {city}"),
            }
        )
    return rows


async def load_past_edition(*, organizer: Actor, now: datetime) -> tuple[str, bool]:
    """The past edition's slug, and whether it was made now (False: it was there already)."""
    data = past_edition(now.date())
    existing = await event_queries.find_exhibition(data.slug)
    if existing is not None:
        # Closing it is the last step: an edition still open was left half-made by a run that
        # stopped (its rows cannot be deleted: tickets keep their exhibition).
        if existing["status"] != ExhibitionStatus.closed.value:
            raise Conflict(f"the demo's past edition {data.slug} was left incomplete: start from a fresh database")
        return data.slug, False
    await event_services.create_exhibition(data=data, actor=organizer, now=now)
    await event_services.update_exhibition(
        slug=data.slug, changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=organizer, now=now
    )
    gate = await ticket_services.create_checkpoint(
        slug=data.slug, name="Porte principale", kind=CheckpointKind.gate, policy=CheckpointPolicy.once_per_day,
        capacity=None, actor=organizer,
    )  # fmt: skip
    exhibition = await event_queries.get_exhibition(data.slug)
    days = await event_services.opening_schedule(exhibition)
    attendance = generate_attendance(days, exhibition["time_zone"], now=now)
    organizations = generate_organizations(now=now)
    sessions = await _create_sessions(
        slug=data.slug, days=days, time_zone=exhibition["time_zone"], organizer=organizer, now=now
    )
    attendance.sessions = generate_session_attendance(sessions, attendance)
    await _write_rows(exhibition["id"], gate["id"], exhibition["time_zone"], attendance, organizations, now=now)
    await _place_stands(slug=data.slug, exhibition_id=exhibition["id"], organizer=organizer, now=now)
    await _mark_calendar(slug=data.slug, days=days, organizer=organizer, now=now)
    # The figures read rollups a scheduled tick keeps; the demo's rows are all in the past.
    await figures.refresh_attendance_rollups(now=now, exhibition_id=exhibition["id"])
    await event_services.update_exhibition(
        slug=data.slug, changes=ExhibitionUpdate(status=ExhibitionStatus.closed), actor=organizer, now=now
    )
    return data.slug, True


async def _place_stands(*, slug: str, exhibition_id: int, organizer: Actor, now: datetime) -> None:
    """The pavilions' plans and stands through the services, as organizers make them; then
    every approved exhibitor on a stand, produce of the land first, written in one statement
    (the allocator would take a while on 500 exhibitors, and the past needs no proposal)."""
    halls = {hall["name"]: hall["id"] for hall in await stand_services.list_halls(slug=slug, actor=organizer)}
    for name, prefix, zone in _PAST_HALLS:
        await stand_services.set_hall_plan(slug=slug, hall_id=halls[name], width=80, depth=75, actor=organizer)
        grid = GridIn(
            hall=halls[name], rows=12, columns=24, stand_width=3.0, stand_depth=3.0, prefix=prefix, aisle_width=3.0,
            origin_x=4.0, origin_y=2.0, mark_corners=True, zone=zone, power=True,
        )  # fmt: skip
        await stand_services.generate_stands(slug=slug, data=grid, actor=organizer, now=now)
    stands = await Stand.select(Stand.id).where(Stand.exhibition == exhibition_id).order_by(Stand.hall, Stand.id)
    applications = await Application.select(Application.id, Application.organization.sector).where(
        (Application.exhibition == exhibition_id) & (Application.status == "approved")
    )
    # The land's produce first, then the rest; neighbours share a sector, as organizers zone a hall.
    applications.sort(
        key=lambda row: (row["organization.sector"] not in _LAND_SECTORS, row["organization.sector"], row["id"])
    )
    published = now - timedelta(days=200)
    await StandAssignment.insert(
        *[
            StandAssignment(
                stand=stand["id"],
                application=application["id"],
                seat=1,
                source=AssignmentSource.manual,
                assigned_by=organizer.user_id,
                assigned_at=published,
                published_at=published,
            )
            for stand, application in zip(stands, applications, strict=False)
        ]
    )


async def mark_planned_dates(*, organizer: Actor, slug: str, now: datetime) -> None:
    """Regional exams on the last two days of an upcoming exhibition, so that its timing page
    shows a warning (and the past edition's hour profile) on first run."""
    exhibition = await event_queries.get_exhibition(slug)
    with contextlib.suppress(DuplicateValue):  # the demo ran before
        await calendar_services.add_mark(
            slug=slug, kind=MarkKind.unfavourable, starts_on=exhibition["ends_on"] - timedelta(days=1),
            ends_on=exhibition["ends_on"] + timedelta(days=3), note="Examens régionaux · الامتحانات الجهوية",
            actor=organizer, now=now,
        )  # fmt: skip


async def _mark_calendar(*, slug: str, days: Sequence[DayHours], organizer: Actor, now: datetime) -> None:
    first, last = days[0].day, days[-1].day
    await calendar_services.add_mark(
        slug=slug, kind=MarkKind.friday_prayer, starts_on=first, ends_on=last, weekday=4,
        from_time=time(12, 30), to_time=time(14, 0), note="صلاة الجمعة · Prière du vendredi",
        actor=organizer, now=now,
    )  # fmt: skip
    # The spring school holidays cover the second weekend and the days around it.
    await calendar_services.add_mark(
        slug=slug, kind=MarkKind.school_holiday, starts_on=days[6].day, ends_on=last + timedelta(days=5),
        note="Vacances scolaires", actor=organizer, now=now,
    )  # fmt: skip
    await calendar_services.add_mark(
        slug=slug, kind=MarkKind.other, starts_on=days[RAINY_DAY].day, ends_on=days[RAINY_DAY].day,
        note="Pluie toute la journée · يوم ممطر", actor=organizer, now=now,
    )  # fmt: skip


_TICKET_COLUMNS = ("exhibition", "access_token", "manual_code", "holder_name", "email", "home_region", "country",
                   "category", "language", "share_contact", "first_day", "day_count", "key_id", "status",
                   "created_at")  # fmt: skip
_ORGANIZATION_COLUMNS = ("legal_form", "name_ar", "name_latin", "registry_number", "region", "city", "sector",
                         "founded_year", "members_total", "members_women", "members_youth", "declared_women_led",
                         "created_at", "updated_at", "search_text")  # fmt: skip
_APPLICATION_COLUMNS = ("exhibition", "organization", "status", "stand_area_m2", "products", "created_at",
                        "updated_at", "submitted_at")  # fmt: skip
_ADMISSION_COLUMNS = ("ticket", "checkpoint", "scope", "slot", "admitted_at")
_SCAN_COLUMNS = ("exhibition", "checkpoint", "ticket", "direction", "result", "scanned_at", "received_at")


def _rows(
    exhibition_id: int,
    gate_id: int,
    attendance: PastAttendance,
    ticket_ids: dict[str, int],
    time_zone: str,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    zone = ZoneInfo(time_zone)
    ids = [ticket_ids[ticket["access_token"]] for ticket in attendance.tickets]
    admissions, scans = [], []
    for seat in attendance.sessions:
        if seat.attended:
            ticket = ids[seat.ticket]
            door = seat.session.checkpoint
            entered = seat.session.starts_at - timedelta(minutes=5)
            scans.append((exhibition_id, door, ticket, "in", "admitted", entered, entered))
            scans.append((exhibition_id, door, ticket, "out", "exited", seat.session.ends_at, seat.session.ends_at))
    for visit in attendance.visits:
        ticket = ids[visit.ticket]
        local_day = visit.entered_at.astimezone(zone).date()
        admissions.append((ticket, gate_id, "gates", f"day:{local_day.isoformat()}", visit.entered_at))
        scans.append((exhibition_id, gate_id, ticket, "in", "admitted", visit.entered_at, visit.entered_at))
        scans.append((exhibition_id, gate_id, ticket, "out", "exited", visit.left_at, visit.left_at))
    scans.sort(key=lambda row: row[5])
    return admissions, scans


def _registrations(
    exhibition_id: int, attendance: PastAttendance, ticket_ids: dict[str, int]
) -> tuple[list[tuple[Any, ...]], dict[int, int]]:
    rows: list[tuple[Any, ...]] = []
    counts: dict[int, int] = {}
    for seat in attendance.sessions:
        if seat.registered:
            ticket = ticket_ids[attendance.tickets[seat.ticket]["access_token"]]
            created = seat.session.starts_at - timedelta(days=2)
            rows.append((exhibition_id, seat.session.id, ticket, "registered", created))
            counts[seat.session.id] = counts.get(seat.session.id, 0) + 1
    return rows, counts


_REGISTRATION_COLUMNS = ("exhibition", "session", "ticket", "status", "created_at")


async def _write_rows(
    exhibition_id: int,
    gate_id: int,
    time_zone: str,
    attendance: PastAttendance,
    organizations: list[dict[str, Any]],
    *,
    now: datetime,
) -> None:
    engine = Exhibition._meta.db
    tickets = [
        (exhibition_id, t["access_token"], t["manual_code"], t["holder_name"], t["email"], t["home_region"],
         t["country"], t["category"], t["language"], False, t["first_day"], t["day_count"], 0, "valid",
         t["created_at"])
        for t in attendance.tickets
    ]  # fmt: skip
    organization_rows = [tuple(row[column] for column in _ORGANIZATION_COLUMNS) for row in organizations]
    submitted = now - timedelta(days=240)

    def applications(organization_ids: list[int]) -> list[tuple[Any, ...]]:
        return [
            (exhibition_id, organization, "approved", 9, "", submitted, submitted, submitted)
            for organization in organization_ids
        ]

    if engine.engine_type == "sqlite":

        def work(connection: Any) -> None:
            def insert(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join("?" for _ in columns)
                # Table and column names are this module's constants, never input.
                connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608

            insert("ticket", _TICKET_COLUMNS, tickets)
            found = connection.execute(
                "SELECT id, access_token FROM ticket WHERE exhibition = ?", (exhibition_id,)
            ).fetchall()
            admissions, scans = _rows(
                exhibition_id, gate_id, attendance, {row["access_token"]: row["id"] for row in found}, time_zone
            )
            insert("admission", _ADMISSION_COLUMNS, admissions)
            insert("scan", _SCAN_COLUMNS, scans)
            registrations, counts = _registrations(
                exhibition_id, attendance, {row["access_token"]: row["id"] for row in found}
            )
            insert("session_registration", _REGISTRATION_COLUMNS, registrations)
            # The seat counter the registration service keeps, as if each had registered there.
            connection.executemany(
                "INSERT INTO session_places (session, registered) VALUES (?, ?)"
                " ON CONFLICT (session) DO UPDATE SET registered = excluded.registered",
                list(counts.items()),
            )
            insert("organization", _ORGANIZATION_COLUMNS, organization_rows)
            registry = [row[3] for row in organization_rows]
            placeholders = ", ".join("?" for _ in registry)
            ids = connection.execute(
                f"SELECT id FROM organization WHERE registry_number IN ({placeholders}) ORDER BY id",  # noqa: S608
                registry,
            ).fetchall()
            insert("application", _APPLICATION_COLUMNS, applications([row["id"] for row in ids]))

        await run_in_transaction(engine, work)
        return

    async with engine.transaction() as transaction:
        connection = transaction.connection
        await connection.copy_records_to_table("ticket", records=tickets, columns=list(_TICKET_COLUMNS))
        found = await connection.fetch("SELECT id, access_token FROM ticket WHERE exhibition = $1", exhibition_id)
        admissions, scans = _rows(
            exhibition_id, gate_id, attendance, {row["access_token"]: row["id"] for row in found}, time_zone
        )
        await connection.copy_records_to_table("admission", records=admissions, columns=list(_ADMISSION_COLUMNS))
        await connection.copy_records_to_table("scan", records=scans, columns=list(_SCAN_COLUMNS))
        registrations, counts = _registrations(
            exhibition_id, attendance, {row["access_token"]: row["id"] for row in found}
        )
        await connection.copy_records_to_table(
            "session_registration", records=registrations, columns=list(_REGISTRATION_COLUMNS)
        )
        await connection.executemany(
            "INSERT INTO session_places (session, registered) VALUES ($1, $2)"
            " ON CONFLICT (session) DO UPDATE SET registered = excluded.registered",
            list(counts.items()),
        )
        await connection.copy_records_to_table(
            "organization", records=organization_rows, columns=list(_ORGANIZATION_COLUMNS)
        )
        ids = await connection.fetch(
            "SELECT id FROM organization WHERE registry_number = ANY($1::text[]) ORDER BY id",
            [row[3] for row in organization_rows],
        )
        await connection.copy_records_to_table(
            "application", records=applications([row["id"] for row in ids]), columns=list(_APPLICATION_COLUMNS)
        )
        # Fresh statistics: without them the planner takes 100,000 new scans for a handful and
        # the rollups' semi-joins become nested loops that run for minutes.
        await connection.execute("ANALYZE ticket, admission, scan, organization, application, session_registration")
