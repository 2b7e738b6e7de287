"""The demo's past edition, as generated (pure: no database): its size and the shapes the
dashboard is meant to show."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from exhibitions.demo_past import (
    EXHIBITORS,
    NO_SHOWS,
    RAINY_DAY,
    VISITORS,
    generate_attendance,
    generate_organizations,
    past_edition,
    past_edition_dates,
)
from exhibitions.events.hours import DayHours

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
ZONE = "Africa/Casablanca"


def _days() -> list[DayHours]:
    first = past_edition_dates(NOW.date())
    return [DayHours(first + timedelta(days=offset), time(10), time(21)) for offset in range(10)]


def test_the_past_edition_is_ten_days_from_a_friday_half_a_year_ago() -> None:
    data = past_edition(NOW.date())
    assert (data.starts_on, data.ends_on) == (date(2026, 5, 22), date(2026, 5, 31))
    assert data.starts_on.weekday() == 4
    assert data.slug == "sess-national-2026-05"


def test_visitors_follow_the_described_shape_and_the_same_seed_gives_the_same_rows() -> None:
    days = _days()
    attendance = generate_attendance(days, ZONE, now=NOW)
    assert len(attendance.tickets) == VISITORS + NO_SHOWS
    assert len({visit.ticket for visit in attendance.visits}) == VISITORS
    zone = ZoneInfo(ZONE)
    by_day = Counter(visit.entered_at.astimezone(zone).date() for visit in attendance.visits)
    by_hour = Counter(visit.entered_at.astimezone(zone).hour for visit in attendance.visits)
    assert set(by_hour) == set(range(10, 21))  # every admission within the opening hours
    assert by_hour[13] < by_hour[12]  # the lunch dip
    assert by_hour[13] < by_hour[14]
    assert max(by_hour, key=lambda hour: by_hour[hour]) == 17
    weekend = [by_day[day.day] for day in days if day.day.weekday() >= 5]
    weekdays = [by_day[day.day] for day in days if day.day.weekday() < 5]
    assert min(weekend) > max(weekdays[1:])  # every weekend day beats every weekday after the opening
    assert min(by_day, key=lambda day: by_day[day]) == days[RAINY_DAY].day
    assert all(visit.left_at > visit.entered_at for visit in attendance.visits)
    again = generate_attendance(days, ZONE, now=NOW)
    assert again.tickets == attendance.tickets
    assert again.visits == attendance.visits


def test_exhibitors_are_five_hundred_valid_organizations() -> None:
    rows = generate_organizations(now=NOW)
    assert len(rows) == EXHIBITORS
    assert len({row["registry_number"] for row in rows}) == EXHIBITORS
    assert all(0 <= row["members_women"] <= row["members_total"] for row in rows)
    assert len({row["region"] for row in rows}) == 12
