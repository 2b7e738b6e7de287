"""Local days and hours across Morocco's Ramadan change, computed in SQL on both engines.

In 2027 Morocco leaves UTC+1 for UTC+0 at 03:00 local on Sunday 7 February (02:00 UTC)
and returns at 02:00 local on Sunday 14 March (02:00 UTC): zoneinfo's own data, checked
below. Expectations are written in local wall-clock time, by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from exhibitions.analytics import services
from exhibitions.analytics.local_time import Segment, local_epoch_sql, offset_segments
from exhibitions.analytics.services import DayCount, HourCount, PeakHour
from tests.analytics.conftest import MakeExhibition, add_checkpoint, add_ticket, scan, utc
from tests.conftest import NOW


def _epoch(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp())  # type: ignore[misc]


def test_offset_segments_follow_zoneinfo_across_ramadan() -> None:
    segments = offset_segments("Africa/Casablanca", date(2027, 2, 5), date(2027, 3, 20))
    assert segments == [
        Segment(_epoch(2027, 2, 3), 3600), Segment(_epoch(2027, 2, 7, 2), 0), Segment(_epoch(2027, 3, 14, 2), 3600),
    ]  # fmt: skip
    # A span without a change is one segment; so is a zone without daylight saving.
    assert offset_segments("Africa/Casablanca", date(2027, 5, 7), date(2027, 5, 16)) == [
        Segment(_epoch(2027, 5, 5), 3600)
    ]
    assert [s.offset for s in offset_segments("UTC", date(2027, 2, 1), date(2027, 4, 1))] == [0]


def test_local_epoch_sql_adds_the_offset_in_force() -> None:
    segments = [Segment(0, 3600), Segment(1000, 0)]
    assert local_epoch_sql("e", segments) == "(e + CASE WHEN e < 1000 THEN 3600 ELSE 0 END)"
    assert local_epoch_sql("e", segments[:1]) == "(e + 3600)"


async def test_checkins_on_both_sides_of_the_ramadan_change_land_in_their_local_hour(
    make_exhibition: MakeExhibition,
) -> None:
    exhibition = await make_exhibition("ramadan-2027", date(2027, 2, 5), date(2027, 2, 9))
    gate = await add_checkpoint(exhibition, "Porte")
    for at in (
        utc(2027, 2, 6, 10, 30),  # UTC+1: 11:30 on the 6th
        utc(2027, 2, 6, 23, 30),  # UTC+1: 00:30 on the 7th (the day turns an hour early)
        utc(2027, 2, 7, 1, 30),  # UTC+1: 02:30 on the 7th, half an hour before the change
        utc(2027, 2, 7, 2, 30),  # UTC+0: 02:30 on the 7th again, after the clocks went back
        utc(2027, 2, 7, 23, 30),  # UTC+0: 23:30 on the 7th
        utc(2027, 2, 8, 10, 30),  # UTC+0: 10:30 on the 8th
    ):
        await scan(exhibition, gate, await add_ticket(exhibition), at)
    await services.refresh_attendance_rollups(now=NOW)
    hours = await services.visitors_by_hour(exhibition_id=exhibition)
    assert [h for h in hours if h.admissions] == [
        HourCount(date(2027, 2, 6), 11, 1, 1), HourCount(date(2027, 2, 7), 0, 1, 1),
        HourCount(date(2027, 2, 7), 2, 2, 2), HourCount(date(2027, 2, 7), 23, 1, 1),
        HourCount(date(2027, 2, 8), 10, 1, 1),
    ]  # fmt: skip
    assert await services.visitors_by_day(exhibition_id=exhibition) == [
        DayCount(date(2027, 2, 5), 0, 0), DayCount(date(2027, 2, 6), 1, 1), DayCount(date(2027, 2, 7), 4, 4),
        DayCount(date(2027, 2, 8), 1, 1), DayCount(date(2027, 2, 9), 0, 0),
    ]  # fmt: skip
    assert await services.peak_hour(exhibition_id=exhibition) == PeakHour(date(2027, 2, 7), 2, 2, 2)
    # The 7th is 25 hours long; both 02:30s (before and after the clocks went back) share
    # the local hour 02:00-03:00 in the occupancy curve too.
    inside = await services.inside_over_time(exhibition_id=exhibition, day=date(2027, 2, 7), step_minutes=60)
    assert [(p.at.isoformat(), p.admitted) for p in inside][:3] == [
        ("2027-02-07T01:00:00+01:00", 1), ("2027-02-07T02:00:00+01:00", 0), ("2027-02-07T03:00:00+00:00", 2),
    ]  # fmt: skip
