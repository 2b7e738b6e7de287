"""The pure timing insight, on small hand-computed fixtures."""

from __future__ import annotations

from datetime import date, time

import pytest

from exhibitions.analytics.timing import (
    EditionCounts,
    HourCell,
    Mark,
    date_warnings,
    hour_profile,
    open_hours,
    past_timing,
)
from exhibitions.events.hours import DayHours

# Thursday 2027-05-06 to Sunday 2027-05-09 (Friday the 7th, weekend the 8th and 9th).
THU, FRI, SAT, SUN = date(2027, 5, 6), date(2027, 5, 7), date(2027, 5, 8), date(2027, 5, 9)


def test_open_hours_count_an_hour_open_for_part_of_it() -> None:
    assert open_hours(DayHours(THU, time(10), time(13))) == [10, 11, 12]
    assert open_hours(DayHours(THU, time(14, 30), time(16, 15))) == [14, 15, 16]
    assert open_hours(DayHours(THU, None, None)) == []


SCHEDULE = [
    DayHours(THU, time(10), time(13)),
    DayHours(FRI, time(10), time(13)),
    DayHours(SAT, time(10), time(13)),
    DayHours(SUN, None, None, "Fermé"),
]
COUNTS = {
    (THU, 10): 10, (THU, 11): 40, (THU, 12): 2,
    (FRI, 10): 60, (FRI, 11): 9, (FRI, 12): 49,
    (SAT, 10): 20, (SAT, 11): 100, (SAT, 12): 80,
    (SAT, 9): 4,  # early arrivals, before opening
}  # fmt: skip
PRAYER = Mark("friday_prayer", THU, SUN, weekday=4, from_time=time(12, 30), to_time=time(14))


def test_past_timing_describes_hours_and_days_against_the_busiest() -> None:
    timing = past_timing(SCHEDULE, COUNTS, [PRAYER])
    assert timing.hours == [10, 11, 12]
    assert timing.busiest_hour == (SAT, 11)
    assert timing.busiest_hour_admitted == 100
    assert (timing.quiet_hour_below, timing.busy_hour_from) == (25.0, 75.0)
    assert timing.busiest_day == SAT
    assert timing.busiest_day_admitted == 204
    assert [(row.day, row.admitted, row.level) for row in timing.days] == [
        (THU, 52, "quiet"),  # 52 of 204: below half of the busiest day
        (FRI, 118, "normal"),  # at least half, below 80 %
        (SAT, 204, "busy"),
        (SUN, 0, "closed"),
    ]
    assert [cell.level for cell in timing.days[0].cells] == ["quiet", "normal", "quiet"]
    assert [cell.level for cell in timing.days[2].cells] == ["quiet", "busy", "busy"]
    assert [cell.level for cell in timing.days[3].cells] == ["closed", "closed", "closed"]
    # The prayer mark touches Friday 12:00-13:00 only.
    assert timing.days[1].cells == [
        HourCell(10, 60, "normal", ()),
        HourCell(11, 9, "quiet", ()),
        HourCell(12, 49, "normal", ("friday_prayer",)),
    ]
    assert [row.marks for row in timing.days] == [[], [PRAYER], [], []]
    assert timing.outside_hours == 4
    assert timing.total == 374  # the early arrivals count in Saturday's 204
    # Thursday and Friday (52 + 118) / 2; Saturday alone (Sunday was closed).
    assert (timing.weekdays.days, timing.weekdays.admitted, timing.weekdays.mean) == (2, 170, 85.0)
    assert (timing.weekend.days, timing.weekend.admitted, timing.weekend.mean) == (1, 204, 204.0)


def test_past_timing_without_any_admission_calls_every_open_hour_quiet() -> None:
    timing = past_timing(SCHEDULE[:1], {})
    assert timing.busiest_hour is None
    assert [cell.level for cell in timing.days[0].cells] == ["quiet", "quiet", "quiet"]
    assert timing.weekend.mean is None


def test_date_warnings_put_unfavourable_marks_first() -> None:
    ramadan = Mark("ramadan", date(2027, 2, 8), date(2027, 3, 9))
    holidays = Mark("school_holiday", date(2027, 3, 1), date(2027, 3, 14))
    exams = Mark("unfavourable", date(2027, 6, 1), date(2027, 6, 20), note="Examens")
    prayer = Mark("friday_prayer", date(2027, 1, 1), date(2027, 12, 31), weekday=4)
    warnings = date_warnings(date(2027, 3, 4), date(2027, 3, 11), [holidays, exams, prayer, ramadan])
    assert [(w.mark.kind, w.days[0], len(w.days), w.unfavourable) for w in warnings] == [
        ("ramadan", date(2027, 3, 4), 6, True),
        ("school_holiday", date(2027, 3, 4), 8, False),
        ("friday_prayer", date(2027, 3, 5), 1, False),
    ]
    assert date_warnings(date(2027, 4, 1), date(2027, 4, 2), [ramadan, exams]) == []


def test_hour_profile_averages_each_days_shares() -> None:
    first = EditionCounts(
        "a-2025",
        [DayHours(THU, time(10), time(12)), DayHours(FRI, time(10), time(12)), DayHours(SAT, None, None)],
        {(THU, 10): 1, (THU, 11): 3, (FRI, 10): 50, (FRI, 11): 50},
    )
    second = EditionCounts("b-2026", [DayHours(SUN, time(10), time(12))], {})  # no admission: no day
    profile = hour_profile([first, second])
    assert profile.editions == ["a-2025"]
    assert profile.days == 2
    # Thursday gives 10h 25 %, 11h 75 %; Friday 50 % each: means 37.5 % and 62.5 %.
    assert profile.shares == {10: pytest.approx(0.375), 11: pytest.approx(0.625)}
    assert hour_profile([second]) == type(profile)(editions=[], days=0, shares={})
