"""Timing insight, pure: attendance against the opening hours, calendar marks on those days,
warnings for planned dates, and the hour profile of past editions.

Plain values in, plain values out; no I/O. Everything here describes what happened: it
compares hours and days with the busiest ones of the same exhibition and says how many days
a figure rests on. It forecasts nothing.

Hours are local to the exhibition: the counts come from ``analytics.services`` already in
local hours (Morocco's offset changes around Ramadan; that module converts with zoneinfo).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from exhibitions.events.hours import DayHours

# An open hour is "quiet" below this share of the exhibition's busiest hour and "busy" at or
# above the second; a day the same against the busiest day. Shares of the busiest, not of a
# capacity: the figures say how the hours compared with each other, nothing more.
QUIET_HOUR_SHARE = 0.25
BUSY_HOUR_SHARE = 0.75
QUIET_DAY_SHARE = 0.5
BUSY_DAY_SHARE = 0.8

# Morocco's weekend: Saturday and Sunday (Friday is a working day, with the midday prayer).
WEEKEND = frozenset({5, 6})

# Marks that make a planned date a poor choice; the others are shown, without a warning.
UNFAVOURABLE_KINDS = frozenset({"ramadan", "unfavourable"})


@dataclass(frozen=True)
class Mark:
    kind: str
    starts_on: date
    ends_on: date
    weekday: int | None = None  # 0 Monday … 6 Sunday: only that weekday within the range
    from_time: time | None = None
    to_time: time | None = None
    note: str = ""
    id: int | None = None
    national: bool = False

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on and (self.weekday is None or day.weekday() == self.weekday)

    def covers_hour(self, day: date, hour: int) -> bool:
        """Whether the mark touches the local hour ``hour:00``-``hour+1:00`` of ``day``."""
        if not self.covers(day):
            return False
        if self.from_time is None or self.to_time is None:
            return True
        start, end = time(hour), (time(hour + 1) if hour < 23 else time.max)
        return self.from_time < end and start < self.to_time


def open_hours(day: DayHours) -> list[int]:
    """The local hours during which the exhibition is open at least part of the hour."""
    if day.opens_at is None or day.closes_at is None:
        return []
    last = day.closes_at.hour if day.closes_at.minute else day.closes_at.hour - 1
    return list(range(day.opens_at.hour, last + 1))


def _level(value: int, top: int, quiet: float, busy: float) -> str:
    if top <= 0 or value < quiet * top:
        return "quiet"
    if value >= busy * top:
        return "busy"
    return "normal"


@dataclass(frozen=True)
class HourCell:
    hour: int
    admitted: int
    level: str  # quiet | normal | busy | closed
    marks: tuple[str, ...]  # kinds of the marks with a time window touching this hour


@dataclass(frozen=True)
class DayRow:
    day: date
    weekend: bool
    opens_at: time | None
    closes_at: time | None
    note: str
    admitted: int
    level: str  # quiet | normal | busy | closed
    cells: list[HourCell]
    marks: list[Mark]


@dataclass(frozen=True)
class DayGroup:
    days: int  # open days in the group
    admitted: int
    mean: float | None  # admissions per open day; None with no day


@dataclass(frozen=True)
class PastTiming:
    hours: list[int]  # the columns: every hour open on at least one day
    days: list[DayRow]
    busiest_hour: tuple[date, int] | None
    busiest_hour_admitted: int
    busiest_day: date | None
    busiest_day_admitted: int
    quiet_hour_below: float  # admissions: an open hour under this is quiet
    busy_hour_from: float
    quiet_day_below: float
    busy_day_from: float
    weekdays: DayGroup
    weekend: DayGroup
    outside_hours: int  # admissions counted in hours the exhibition was closed
    total: int


def past_timing(
    schedule: Sequence[DayHours], counts: Mapping[tuple[date, int], int], marks: Iterable[Mark] = ()
) -> PastTiming:
    """Each day of ``schedule`` with its admissions per local hour (``counts``), quiet and busy
    hours and days against the busiest ones, the marks on each day, weekdays against the weekend."""
    marks = list(marks)
    hours = sorted({hour for day in schedule for hour in open_hours(day)})
    open_cells = {(day.day, hour) for day in schedule for hour in open_hours(day)}
    busiest_hour, busiest_hour_admitted = None, 0
    for key in sorted(open_cells):
        if counts.get(key, 0) > busiest_hour_admitted:
            busiest_hour, busiest_hour_admitted = key, counts[key]
    day_totals = {day.day: sum(count for (d, _), count in counts.items() if d == day.day) for day in schedule}
    open_days = [day for day in schedule if not day.closed]
    busiest_day, busiest_day_admitted = None, 0
    for day in open_days:
        if day_totals[day.day] > busiest_day_admitted:
            busiest_day, busiest_day_admitted = day.day, day_totals[day.day]
    rows = []
    for day in schedule:
        day_marks = [mark for mark in marks if mark.covers(day.day)]
        opened = set(open_hours(day))
        cells = [
            HourCell(
                hour=hour,
                admitted=counts.get((day.day, hour), 0),
                level=_level(counts.get((day.day, hour), 0), busiest_hour_admitted, QUIET_HOUR_SHARE, BUSY_HOUR_SHARE)
                if hour in opened
                else "closed",
                # Whole-day marks are said once for the day; a window (the prayer) marks its hours.
                marks=tuple(
                    mark.kind for mark in day_marks if mark.from_time is not None and mark.covers_hour(day.day, hour)
                ),
            )
            for hour in hours
        ]
        level = (
            "closed"
            if day.closed
            else _level(day_totals[day.day], busiest_day_admitted, QUIET_DAY_SHARE, BUSY_DAY_SHARE)
        )
        rows.append(
            DayRow(
                day=day.day,
                weekend=day.day.weekday() in WEEKEND,
                opens_at=day.opens_at,
                closes_at=day.closes_at,
                note=day.note,
                admitted=day_totals[day.day],
                level=level,
                cells=cells,
                marks=day_marks,
            )
        )
    total = sum(counts.values())
    inside_hours = sum(count for key, count in counts.items() if key in open_cells)

    def group(weekend: bool) -> DayGroup:
        chosen = [day for day in open_days if (day.day.weekday() in WEEKEND) == weekend]
        admitted = sum(day_totals[day.day] for day in chosen)
        return DayGroup(len(chosen), admitted, admitted / len(chosen) if chosen else None)

    return PastTiming(
        hours=hours,
        days=rows,
        busiest_hour=busiest_hour,
        busiest_hour_admitted=busiest_hour_admitted,
        busiest_day=busiest_day,
        busiest_day_admitted=busiest_day_admitted,
        quiet_hour_below=QUIET_HOUR_SHARE * busiest_hour_admitted,
        busy_hour_from=BUSY_HOUR_SHARE * busiest_hour_admitted,
        quiet_day_below=QUIET_DAY_SHARE * busiest_day_admitted,
        busy_day_from=BUSY_DAY_SHARE * busiest_day_admitted,
        weekdays=group(False),
        weekend=group(True),
        outside_hours=total - inside_hours,
        total=total,
    )


@dataclass(frozen=True)
class DateWarning:
    mark: Mark
    days: list[date]  # the exhibition's days the mark covers
    unfavourable: bool  # a warning; otherwise shown for information


def date_warnings(starts_on: date, ends_on: date, marks: Iterable[Mark]) -> list[DateWarning]:
    """The marks that fall on a planned exhibition's days: unfavourable kinds first, then the
    others, each by its first day."""
    span = [starts_on + timedelta(days=offset) for offset in range((ends_on - starts_on).days + 1)]
    found = []
    for mark in marks:
        days = [day for day in span if mark.covers(day)]
        if days:
            found.append(DateWarning(mark, days, mark.kind in UNFAVOURABLE_KINDS))
    return sorted(found, key=lambda warning: (not warning.unfavourable, warning.days[0], warning.mark.kind))


@dataclass(frozen=True)
class EditionCounts:
    """One past edition: its days and its admissions per (local date, local hour)."""

    slug: str
    schedule: Sequence[DayHours]
    counts: Mapping[tuple[date, int], int]


@dataclass(frozen=True)
class HourProfile:
    editions: list[str]  # slugs of the editions that gave at least one day
    days: int  # days with admissions the shares are averaged over
    shares: dict[int, float]  # local hour -> mean share of a day's admissions


def hour_profile(editions: Iterable[EditionCounts]) -> HourProfile:
    """The share of a day's admissions that came in each local hour, averaged over every open
    day with admissions of the given editions (each day weighs the same, however busy)."""
    sums: dict[int, float] = {}
    days = 0
    used = []
    for edition in editions:
        counted = 0
        for day in edition.schedule:
            if day.closed:
                continue
            by_hour = {hour: count for (d, hour), count in edition.counts.items() if d == day.day and count}
            total = sum(by_hour.values())
            if not total:
                continue
            counted += 1
            for hour, count in by_hour.items():
                sums[hour] = sums.get(hour, 0.0) + count / total
        if counted:
            used.append(edition.slug)
            days += counted
    shares = {hour: sums[hour] / days for hour in sorted(sums)} if days else {}
    return HourProfile(editions=used, days=days, shares=shares)
