"""Every figure on a small record whose expectations were computed by hand.

The exhibition runs 7-9 May 2027 in Africa/Casablanca (UTC+1 then). Tickets:
t1 MA-04 general, t2 MA-04 student, t3 MA-01 general, t4 MA-06 professional (never
came), t5 MA-04 general (came, then revoked), t6 MA-01 press (never came).
Gate scans, UTC (local = +1):
  7 May: t1 A 09:10 in, t2 A 09:40 in, t2 B 09:50 already_admitted, t3 B 10:05 in, t1 A 10:30 out
  8 May: t1 B 13:00 in, t3 A 13:20 in, t5 A 13:40 in
  9 May: t1 A 08:30 in
plus t1 admitted in hall H on 7 May 09:20 (a hall is not a gate).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.analytics import services
from exhibitions.analytics.services import (
    DayCount,
    HourCount,
    InsidePoint,
    NoShows,
    PeakHour,
    RepeatBucket,
    Share,
)
from exhibitions.seminars.attendance_tables import SessionRegistration
from exhibitions.seminars.tables import SeminarRoom, SeminarSession, SeminarTrack
from exhibitions.tickets.tables import Ticket
from tests.analytics.conftest import MakeExhibition, add_checkpoint, add_ticket, scan, utc
from tests.conftest import NOW

CASABLANCA = ZoneInfo("Africa/Casablanca")
D7, D8, D9 = date(2027, 5, 7), date(2027, 5, 8), date(2027, 5, 9)


def local(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CASABLANCA)


async def _record(make_exhibition: MakeExhibition) -> dict[str, Any]:
    exhibition = await make_exhibition("fig-2027", D7, D9)
    gate_a = await add_checkpoint(exhibition, "Porte A")
    gate_b = await add_checkpoint(exhibition, "Porte B")
    hall = await add_checkpoint(exhibition, "Hall H", kind="hall")
    t1 = await add_ticket(exhibition, region="MA-04", category="general")
    t2 = await add_ticket(exhibition, region="MA-04", category="student")
    t3 = await add_ticket(exhibition, region="MA-01", category="general")
    t4 = await add_ticket(exhibition, region="MA-06", category="professional")
    t5 = await add_ticket(exhibition, region="MA-04", category="general")
    t6 = await add_ticket(exhibition, region="MA-01", category="press")
    for checkpoint, ticket, at, result in [
        (gate_a, t1, utc(2027, 5, 7, 9, 10), "admitted"),
        (gate_a, t2, utc(2027, 5, 7, 9, 40), "admitted"),
        (gate_b, t2, utc(2027, 5, 7, 9, 50), "already_admitted"),
        (gate_b, t3, utc(2027, 5, 7, 10, 5), "admitted"),
        (gate_a, t1, utc(2027, 5, 7, 10, 30), "exited"),
        (hall, t1, utc(2027, 5, 7, 9, 20), "admitted"),
        (gate_b, t1, utc(2027, 5, 8, 13, 0), "admitted"),
        (gate_a, t3, utc(2027, 5, 8, 13, 20), "admitted"),
        (gate_a, t5, utc(2027, 5, 8, 13, 40), "admitted"),
        (gate_a, t1, utc(2027, 5, 9, 8, 30), "admitted"),
    ]:
        await scan(exhibition, checkpoint, ticket, at, result)
    await Ticket.update({Ticket.status: "revoked"}).where(Ticket.id == t5)
    outcome = await services.refresh_attendance_rollups(now=NOW)
    assert (outcome.exhibitions, outcome.days) == (1, 3)
    return {"exhibition": exhibition, "gate_a": gate_a, "gate_b": gate_b, "hall": hall,
            "tickets": [t1, t2, t3, t4, t5, t6]}  # fmt: skip


async def test_visitors_by_day_for_all_gates_one_gate_and_a_hall(make_exhibition: MakeExhibition) -> None:
    record = await _record(make_exhibition)
    exhibition = record["exhibition"]
    assert await services.visitors_by_day(exhibition_id=exhibition) == [
        DayCount(D7, 3, 3), DayCount(D8, 3, 3), DayCount(D9, 1, 1),
    ]  # fmt: skip
    assert await services.visitors_by_day(exhibition_id=exhibition, gate_id=record["gate_a"]) == [
        DayCount(D7, 2, 2), DayCount(D8, 2, 2), DayCount(D9, 1, 1),
    ]  # fmt: skip
    assert await services.visitors_by_day(exhibition_id=exhibition, gate_id=record["hall"]) == [
        DayCount(D7, 1, 1), DayCount(D8, 0, 0), DayCount(D9, 0, 0),
    ]  # fmt: skip


async def test_visitors_by_hour_is_a_full_grid_of_local_hours(make_exhibition: MakeExhibition) -> None:
    record = await _record(make_exhibition)
    hours = await services.visitors_by_hour(exhibition_id=record["exhibition"])
    assert [(h.day, h.hour) for h in hours] == [(day, hour) for day in (D7, D8, D9) for hour in range(9, 15)]
    assert [h for h in hours if h.admissions] == [
        HourCount(D7, 10, 2, 2), HourCount(D7, 11, 1, 1), HourCount(D8, 14, 3, 3), HourCount(D9, 9, 1, 1),
    ]  # fmt: skip
    one_day = await services.visitors_by_hour(exhibition_id=record["exhibition"], day=D7, gate_id=record["gate_b"])
    # Gate B admitted at 11:00 on 7 May and at 14:00 on 8 May: its grid runs 11-14.
    assert [(h.hour, h.admissions) for h in one_day] == [(11, 1), (12, 0), (13, 0), (14, 0)]


async def test_peak_hour_no_shows_and_repeat_visits(make_exhibition: MakeExhibition) -> None:
    record = await _record(make_exhibition)
    exhibition = record["exhibition"]
    assert await services.peak_hour(exhibition_id=exhibition) == PeakHour(D8, 14, 3, 3)
    # Registered: the five valid tickets; came: t1, t2, t3 (t5 came but was revoked).
    assert await services.no_shows(exhibition_id=exhibition) == NoShows(5, 3, 2, 0.4)
    # t1 on three days, t3 on two, t2 and t5 on one.
    assert await services.repeat_visits(exhibition_id=exhibition) == [
        RepeatBucket("1", 2), RepeatBucket("2", 1), RepeatBucket("3+", 1),
    ]  # fmt: skip


async def test_shares_by_region_and_category(make_exhibition: MakeExhibition) -> None:
    record = await _record(make_exhibition)
    exhibition = record["exhibition"]
    assert await services.visitors_by_region(exhibition_id=exhibition) == [
        Share("MA-04", 2, 2, 0.6667), Share("MA-01", 2, 1, 0.3333), Share("MA-06", 1, 0, 0.0),
    ]  # fmt: skip
    assert await services.visitors_by_category(exhibition_id=exhibition) == [
        Share("general", 2, 2, 0.6667), Share("student", 1, 1, 0.3333), Share("press", 1, 0, 0.0),
        Share("professional", 1, 0, 0.0),
    ]  # fmt: skip


async def test_inside_is_counted_with_exits_and_estimated_without(make_exhibition: MakeExhibition) -> None:
    record = await _record(make_exhibition)
    exhibition = record["exhibition"]
    counted = await services.inside_over_time(exhibition_id=exhibition, day=D7)
    assert [(p.at, p.admitted, p.exited, p.inside, p.method) for p in counted] == [
        (local(D7, 10, 15), 1, 0, 1, "counted"), (local(D7, 10, 30), 0, 0, 1, "counted"),
        (local(D7, 10, 45), 1, 0, 2, "counted"), (local(D7, 11, 0), 0, 0, 2, "counted"),
        (local(D7, 11, 15), 1, 0, 3, "counted"), (local(D7, 11, 30), 0, 0, 3, "counted"),
        (local(D7, 11, 45), 0, 1, 2, "counted"),
    ]  # fmt: skip
    estimated = await services.inside_over_time(exhibition_id=exhibition, day=D8, step_minutes=30)
    assert estimated == [
        InsidePoint(local(D8, 14, 30), 2, 0, 2, "estimated"), InsidePoint(local(D8, 15, 0), 1, 0, 3, "estimated"),
    ]  # fmt: skip
    assert await services.inside_over_time(exhibition_id=exhibition, day=date(2027, 5, 10)) == []


async def test_live_figures_read_today_from_the_log(make_exhibition: MakeExhibition) -> None:
    record = await _record(make_exhibition)
    exhibition = record["exhibition"]
    morning = await services.live_figures(exhibition_id=exhibition, now=utc(2027, 5, 7, 10, 45))
    assert (morning.day, morning.admitted_today, morning.admissions_today, morning.inside_now,
            morning.inside_method) == (D7, 3, 3, 2, "counted")  # fmt: skip
    assert morning.as_of == local(D7, 11, 45)
    # Before t3 came in: only what had happened by then counts.
    early = await services.live_figures(exhibition_id=exhibition, now=utc(2027, 5, 7, 9, 45))
    assert (early.admitted_today, early.inside_now) == (2, 2)
    # No exit scanned on 8 May: inside is estimated from the last two hours' entries.
    busy = await services.live_figures(exhibition_id=exhibition, now=utc(2027, 5, 8, 13, 45))
    assert (busy.admitted_today, busy.inside_now, busy.inside_method) == (3, 3, "estimated")
    later = await services.live_figures(exhibition_id=exhibition, now=utc(2027, 5, 8, 15, 50))
    assert (later.admitted_today, later.inside_now, later.inside_method) == (3, 0, "estimated")


async def test_an_exhibition_without_data_gives_zeros_and_none(make_exhibition: MakeExhibition) -> None:
    exhibition = await make_exhibition("empty-2027", D7, D8)
    await services.refresh_attendance_rollups(now=NOW)
    assert await services.visitors_by_day(exhibition_id=exhibition) == [DayCount(D7, 0, 0), DayCount(D8, 0, 0)]
    assert await services.visitors_by_hour(exhibition_id=exhibition) == []
    assert await services.peak_hour(exhibition_id=exhibition) is None
    assert await services.no_shows(exhibition_id=exhibition) == NoShows(0, 0, 0, None)
    assert await services.repeat_visits(exhibition_id=exhibition) == [
        RepeatBucket("1", 0), RepeatBucket("2", 0), RepeatBucket("3+", 0),
    ]  # fmt: skip
    assert await services.visitors_by_region(exhibition_id=exhibition) == []
    assert await services.visitors_by_category(exhibition_id=exhibition) == []
    assert await services.seminar_attendance(exhibition_id=exhibition) == []
    assert await services.inside_over_time(exhibition_id=exhibition, day=D7) == []
    live = await services.live_figures(exhibition_id=exhibition, now=utc(2027, 5, 7, 12, 0))
    assert (live.admitted_today, live.admissions_today, live.inside_now) == (0, 0, 0)
    # Registered but nobody came yet: the next run of the job counts the registration.
    await add_ticket(exhibition)
    await services.refresh_attendance_rollups(now=NOW)
    assert await services.no_shows(exhibition_id=exhibition) == NoShows(1, 0, 1, 1.0)
    assert await services.visitors_by_region(exhibition_id=exhibition) == [Share("MA-04", 1, 0, None)]


async def test_seminar_attendance_against_registrations_and_capacity(make_exhibition: MakeExhibition) -> None:
    record = await _record(make_exhibition)
    exhibition = record["exhibition"]
    t1, t2, t3, t4, _, t6 = record["tickets"]
    door = await add_checkpoint(exhibition, "Salle 1", kind="room")
    room = (await SeminarRoom.insert(
        SeminarRoom(exhibition=exhibition, name="Salle 1", capacity=10, checkpoint=door, created_at=NOW,
                    updated_at=NOW)
    ).returning(SeminarRoom.id))[0]["id"]  # fmt: skip
    track = (await SeminarTrack.insert(SeminarTrack(exhibition=exhibition, code="main", name_fr="Principal"))
             .returning(SeminarTrack.id))[0]["id"]  # fmt: skip
    sessions = []
    for title, status in (("Coopératives", "scheduled"), ("Annulée", "cancelled")):
        rows = await SeminarSession.insert(
            SeminarSession(
                exhibition=exhibition,
                guid=str(uuid.uuid4()),
                title_fr=title,
                session_type="panel",
                track=track,
                room=room,
                starts_at=utc(2027, 5, 7, 13, 0),
                ends_at=utc(2027, 5, 7, 14, 0),
                status=status,
                created_at=NOW,
                updated_at=NOW,
            )
        ).returning(SeminarSession.id)
        sessions.append(rows[0]["id"])
    for ticket, status, position in ((t1, "registered", None), (t2, "registered", None), (t4, "registered", None),
                                     (t6, "waitlisted", 1)):  # fmt: skip
        await SessionRegistration.insert(
            SessionRegistration(exhibition=exhibition, session=sessions[0], ticket=ticket, status=status,
                                position=position, created_at=NOW)
        )  # fmt: skip
    for ticket, at in (
        (t1, utc(2027, 5, 7, 12, 40)),  # 20 minutes early: counted
        (t3, utc(2027, 5, 7, 13, 10)),  # not registered: counted
        (t2, utc(2027, 5, 7, 12, 20)),  # 40 minutes early: another event
        (t1, utc(2027, 5, 7, 13, 30)),  # the same person again
        (t4, utc(2027, 5, 7, 14, 0)),  # at the end: too late
    ):
        await scan(exhibition, door, ticket, at)
    [attendance] = await services.seminar_attendance(exhibition_id=exhibition)
    assert (attendance.session_id, attendance.title_fr, attendance.starts_at, attendance.room, attendance.capacity,
            attendance.registered, attendance.waitlisted, attendance.attended, attendance.registered_attended,
            attendance.fill_rate, attendance.show_rate) == (
        sessions[0], "Coopératives", utc(2027, 5, 7, 13, 0), "Salle 1", 10, 3, 1, 2, 1, 0.2, 0.3333,
    )  # fmt: skip
