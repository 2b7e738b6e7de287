"""The rollup job: incremental by arrival time, idempotent, late offline scans included."""

from __future__ import annotations

from datetime import date, timedelta

from exhibitions import scheduler
from exhibitions.analytics import jobs, services
from exhibitions.analytics.services import DayCount, RefreshOutcome
from exhibitions.analytics.tables import AttendanceDay, AttendanceHour, AttendanceVisitor
from tests.analytics.conftest import MakeExhibition, add_checkpoint, add_ticket, scan, utc

D7, D8, D9 = date(2027, 5, 7), date(2027, 5, 8), date(2027, 5, 9)


async def _snapshot() -> tuple[list[dict[str, object]], ...]:
    columns = ("exhibition", "checkpoint", "day", "admissions", "exits", "visitors")
    hours = (
        await AttendanceHour.select(*(getattr(AttendanceHour, c) for c in columns), AttendanceHour.hour)
        .order_by(AttendanceHour.checkpoint)
        .order_by(AttendanceHour.day)
        .order_by(AttendanceHour.hour)
    )
    days = (
        await AttendanceDay.select(*(getattr(AttendanceDay, c) for c in columns))
        .order_by(AttendanceDay.checkpoint)
        .order_by(AttendanceDay.day)
    )
    visitors = await AttendanceVisitor.select(
        AttendanceVisitor.ticket, AttendanceVisitor.days_visited, AttendanceVisitor.admissions
    ).order_by(AttendanceVisitor.ticket)
    return hours, days, visitors


async def test_a_run_rebuilds_only_the_days_new_scans_fell_on(make_exhibition: MakeExhibition) -> None:
    exhibition = await make_exhibition("roll-2027", D7, D9)
    gate = await add_checkpoint(exhibition, "Porte")
    first, second = await add_ticket(exhibition), await add_ticket(exhibition)
    await scan(exhibition, gate, first, utc(2027, 5, 7, 10, 0))
    assert await services.refresh_attendance_rollups(now=utc(2027, 5, 7, 10, 1)) == RefreshOutcome(1, 1)
    before = await _snapshot()
    # Nothing new: the run re-reads the margin behind its mark and rebuilds the same day, unchanged.
    assert await services.refresh_attendance_rollups(now=utc(2027, 5, 7, 10, 2)) == RefreshOutcome(1, 1)
    assert await _snapshot() == before
    # Once the last run is more than the margin past the scan, nothing is rebuilt.
    assert await services.refresh_attendance_rollups(now=utc(2027, 5, 7, 11, 0)) == RefreshOutcome(1, 1)
    assert await services.refresh_attendance_rollups(now=utc(2027, 5, 7, 11, 1)) == RefreshOutcome(0, 0)
    # A scanner that was offline syncs on the 9th a scan made on the 7th, and a live scan on the 9th.
    await scan(exhibition, gate, second, utc(2027, 5, 7, 15, 0), received_at=utc(2027, 5, 9, 9, 0))
    await scan(exhibition, gate, first, utc(2027, 5, 9, 9, 0))
    assert await services.refresh_attendance_rollups(now=utc(2027, 5, 9, 9, 1)) == RefreshOutcome(1, 3)
    assert await services.visitors_by_day(exhibition_id=exhibition) == [
        DayCount(D7, 2, 2), DayCount(D8, 0, 0), DayCount(D9, 1, 1),
    ]  # fmt: skip
    repeat = await services.repeat_visits(exhibition_id=exhibition)
    assert [(bucket.days_visited, bucket.visitors) for bucket in repeat] == [("1", 1), ("2", 1), ("3+", 0)]
    # A full rebuild of the exhibition gives exactly what the increments built.
    incremental = await _snapshot()
    assert await services.refresh_attendance_rollups(now=utc(2027, 5, 9, 9, 2), exhibition_id=exhibition) == (
        RefreshOutcome(1, 3)
    )
    assert await _snapshot() == incremental


async def test_the_job_is_scheduled_and_calls_the_service(make_exhibition: MakeExhibition) -> None:
    ticks = {tick.job: tick.every_seconds for tick in scheduler.read_ticks()}
    assert ticks["refresh_attendance_rollups"] == 30
    assert scheduler.JOBS["refresh_attendance_rollups"] is jobs.refresh_attendance_rollups
    exhibition = await make_exhibition("job-2027", D7, D9)
    gate = await add_checkpoint(exhibition, "Porte")
    from exhibitions.clock import utcnow

    # The job reads the real clock: the scan arrived a moment ago.
    await scan(
        exhibition,
        gate,
        await add_ticket(exhibition),
        utc(2027, 5, 8, 12, 0),
        received_at=utcnow() - timedelta(seconds=1),
    )
    outcome = await jobs.refresh_attendance_rollups(settings=None)  # type: ignore[arg-type]
    assert outcome == RefreshOutcome(1, 1)
    assert (await services.visitors_by_day(exhibition_id=exhibition))[1] == DayCount(D8, 1, 1)
