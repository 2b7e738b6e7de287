"""Opening hours: a pure computation from the daily hours and the per-day exceptions.

Times are wall-clock times in the exhibition's time zone. Morocco moves its UTC offset
around Ramadan, so a moment is compared only after conversion with ``zoneinfo``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class ExceptionDay:
    day: date
    opens_at: time | None
    closes_at: time | None
    note: str = ""


@dataclass(frozen=True)
class DayHours:
    day: date
    opens_at: time | None
    closes_at: time | None
    note: str = ""

    @property
    def closed(self) -> bool:
        return self.opens_at is None


def daily_schedule(
    starts_on: date,
    ends_on: date,
    opens_at: time,
    closes_at: time,
    exceptions: Iterable[ExceptionDay] = (),
) -> list[DayHours]:
    """One entry per day from ``starts_on`` to ``ends_on``; exceptions outside are ignored."""
    by_day = {exception.day: exception for exception in exceptions}
    days = []
    for offset in range((ends_on - starts_on).days + 1):
        day = starts_on + timedelta(days=offset)
        exception = by_day.get(day)
        if exception is None:
            days.append(DayHours(day, opens_at, closes_at))
        else:
            days.append(DayHours(day, exception.opens_at, exception.closes_at, exception.note))
    return days


def has_ended(ends_on: date, time_zone: str, moment: datetime) -> bool:
    """Whether the last day is over where the exhibition is held."""
    return moment.astimezone(ZoneInfo(time_zone)).date() > ends_on


def is_open_at(moment: datetime, time_zone: str, schedule: Iterable[DayHours]) -> bool:
    """Whether the exhibition is open at an aware ``moment``."""
    local = moment.astimezone(ZoneInfo(time_zone))
    for day in schedule:
        if day.day == local.date() and day.opens_at is not None and day.closes_at is not None:
            return day.opens_at <= local.time().replace(tzinfo=None) < day.closes_at
    return False
