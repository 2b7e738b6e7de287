from __future__ import annotations

from datetime import UTC, date, datetime, time

from exhibitions.events.hours import DayHours, ExceptionDay, daily_schedule, has_ended, is_open_at


def test_one_entry_per_day_with_exceptions_applied() -> None:
    days = daily_schedule(
        date(2027, 5, 7),
        date(2027, 5, 9),
        time(10, 0),
        time(20, 0),
        [
            ExceptionDay(date(2027, 5, 7), time(14, 30), time(20, 0), "Friday prayer"),
            ExceptionDay(date(2027, 5, 9), None, None, "closed"),
            ExceptionDay(date(2027, 6, 1), None, None, "outside the dates: ignored"),
        ],
    )
    assert days == [
        DayHours(date(2027, 5, 7), time(14, 30), time(20, 0), "Friday prayer"),
        DayHours(date(2027, 5, 8), time(10, 0), time(20, 0), ""),
        DayHours(date(2027, 5, 9), None, None, "closed"),
    ]
    assert [day.closed for day in days] == [False, False, True]


def test_single_day_exhibition() -> None:
    assert daily_schedule(date(2027, 5, 7), date(2027, 5, 7), time(9, 0), time(12, 0)) == [
        DayHours(date(2027, 5, 7), time(9, 0), time(12, 0))
    ]


def test_open_follows_morocco_offset_which_changes_for_ramadan() -> None:
    # Morocco is UTC+1 most of the year and UTC+0 during Ramadan (about 7 Feb - 9 Mar 2027).
    schedule = daily_schedule(date(2027, 2, 1), date(2027, 4, 30), time(10, 0), time(20, 0))
    outside_ramadan = datetime(2027, 4, 20, 9, 30, tzinfo=UTC)  # 10:30 local
    during_ramadan = datetime(2027, 2, 20, 9, 30, tzinfo=UTC)  # 09:30 local
    assert is_open_at(outside_ramadan, "Africa/Casablanca", schedule) is True
    assert is_open_at(during_ramadan, "Africa/Casablanca", schedule) is False


def test_closed_days_and_days_outside_the_dates_are_not_open() -> None:
    schedule = daily_schedule(
        date(2027, 5, 7), date(2027, 5, 8), time(10, 0), time(20, 0), [ExceptionDay(date(2027, 5, 8), None, None)]
    )
    noon_local = time(11, 0)  # UTC+1 in May: 11:00 UTC is noon in Casablanca
    assert is_open_at(datetime.combine(date(2027, 5, 7), noon_local, UTC), "Africa/Casablanca", schedule) is True
    assert is_open_at(datetime.combine(date(2027, 5, 8), noon_local, UTC), "Africa/Casablanca", schedule) is False
    assert is_open_at(datetime.combine(date(2027, 5, 9), noon_local, UTC), "Africa/Casablanca", schedule) is False


def test_closing_time_is_exclusive() -> None:
    schedule = daily_schedule(date(2027, 5, 7), date(2027, 5, 7), time(10, 0), time(20, 0))
    assert is_open_at(datetime(2027, 5, 7, 18, 59, tzinfo=UTC), "Africa/Casablanca", schedule) is True
    assert is_open_at(datetime(2027, 5, 7, 19, 0, tzinfo=UTC), "Africa/Casablanca", schedule) is False


def test_an_exhibition_has_ended_after_its_last_local_day() -> None:
    # 23:30 UTC on 16 May is already 17 May in Casablanca (UTC+1 then).
    assert has_ended(date(2027, 5, 16), "Africa/Casablanca", datetime(2027, 5, 16, 22, 59, tzinfo=UTC)) is False
    assert has_ended(date(2027, 5, 16), "Africa/Casablanca", datetime(2027, 5, 16, 23, 30, tzinfo=UTC)) is True
