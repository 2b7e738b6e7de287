"""What the organizer's dashboard and timing pages show, gathered from the services that
compute it (analytics figures, applications, stands, the outbox) and the pure timing module.
No figure is computed twice: this module only reads and assembles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.analytics import services as figures
from exhibitions.analytics.calendar import marks_between
from exhibitions.analytics.timing import (
    DateWarning,
    EditionCounts,
    HourProfile,
    Mark,
    PastTiming,
    date_warnings,
    hour_profile,
    past_timing,
)
from exhibitions.events.services import opening_schedule
from exhibitions.events.tables import Exhibition
from exhibitions.exhibitors import services as exhibitor_services
from exhibitions.notifications import queries as outbox_queries
from exhibitions.stands.tables import Stand


@dataclass(frozen=True)
class LivePanel:
    """The dashboard's top: what changes by the minute while the exhibition runs."""

    live: figures.LiveFigures
    applications: dict[str, int]
    stands: int
    stands_allocated: int
    outbox: dict[str, int]
    running: bool  # the exhibition is on today: the page keeps the panel fresh
    time_zone: str


@dataclass(frozen=True)
class Dashboard:
    exhibition: dict[str, Any]
    panel: LivePanel
    by_day: list[figures.DayCount]
    by_hour: list[tuple[int, int]]  # (local hour, admissions over every day)
    peak: figures.PeakHour | None
    inside_day: date
    inside: list[figures.InsidePoint]
    regions: list[figures.Share]
    categories: list[figures.Share]
    seminars: list[figures.SessionAttendance]


async def _stand_counts(exhibition_id: int) -> tuple[int, int]:
    rows = await Stand.raw(
        "SELECT COUNT(*) AS stands, COUNT(DISTINCT a.stand) AS allocated FROM stand s"
        " LEFT JOIN stand_assignment a ON a.stand = s.id WHERE s.exhibition = {}",
        exhibition_id,
    )
    return int(rows[0]["stands"]), int(rows[0]["allocated"] or 0)


def _local_today(exhibition: dict[str, Any], now: datetime) -> date:
    return now.astimezone(ZoneInfo(exhibition["time_zone"])).date()


async def live_panel(*, slug: str, actor: Actor | None, now: datetime) -> LivePanel:
    """The live figures of ``slug``, alone: the page polls them every 30 seconds."""
    exhibition = await figures.analytics_exhibition(slug=slug, actor=actor)
    return await _live_panel(exhibition, slug=slug, actor=actor, now=now)


async def _live_panel(exhibition: dict[str, Any], *, slug: str, actor: Actor | None, now: datetime) -> LivePanel:
    stands, allocated = await _stand_counts(exhibition["id"])
    return LivePanel(
        live=await figures.live_figures(exhibition_id=exhibition["id"], now=now),
        applications=await exhibitor_services.count_by_status(slug=slug, actor=actor),
        stands=stands,
        stands_allocated=allocated,
        outbox=await outbox_queries.count_by_status(),
        running=exhibition["starts_on"] <= _local_today(exhibition, now) <= exhibition["ends_on"],
        time_zone=exhibition["time_zone"],
    )


async def dashboard(*, slug: str, actor: Actor | None, now: datetime, day: date | None = None) -> Dashboard:
    """Everything on the dashboard of ``slug``; ``day`` chooses the "inside over time" day
    (by default today while the exhibition runs, else its busiest day)."""
    exhibition = await figures.analytics_exhibition(slug=slug, actor=actor)
    exhibition_id = exhibition["id"]
    by_day = await figures.visitors_by_day(exhibition_id=exhibition_id)
    hourly = await figures.visitors_by_hour(exhibition_id=exhibition_id)
    by_hour: dict[int, int] = {}
    for cell in hourly:
        by_hour[cell.hour] = by_hour.get(cell.hour, 0) + cell.admissions
    # From the first to the last hour anyone came: the night's empty hours say nothing.
    used = [hour for hour, count in by_hour.items() if count]
    if used:
        by_hour = {hour: by_hour.get(hour, 0) for hour in range(min(used), max(used) + 1)}
    peak = await figures.peak_hour(exhibition_id=exhibition_id)
    today = _local_today(exhibition, now)
    if day is None or not exhibition["starts_on"] <= day <= exhibition["ends_on"]:
        if exhibition["starts_on"] <= today <= exhibition["ends_on"]:
            day = today
        elif any(row.visitors for row in by_day):
            day = max(by_day, key=lambda row: (row.visitors, -row.day.toordinal())).day
        else:
            day = exhibition["starts_on"]
    return Dashboard(
        exhibition=exhibition,
        panel=await _live_panel(exhibition, slug=slug, actor=actor, now=now),
        by_day=by_day,
        by_hour=sorted(by_hour.items()),
        peak=peak,
        inside_day=day,
        inside=await figures.inside_over_time(exhibition_id=exhibition_id, day=day),
        regions=await figures.visitors_by_region(exhibition_id=exhibition_id),
        categories=await figures.visitors_by_category(exhibition_id=exhibition_id),
        seminars=await figures.seminar_attendance(exhibition_id=exhibition_id),
    )


async def _hour_counts(exhibition_id: int) -> dict[tuple[date, int], int]:
    return {
        (cell.day, cell.hour): cell.admissions
        for cell in await figures.visitors_by_hour(exhibition_id=exhibition_id)
        if cell.admissions
    }


@dataclass(frozen=True)
class Timing:
    exhibition: dict[str, Any]
    ended: bool
    marks: list[Mark]  # every mark on its calendar, for the marks' list
    past: PastTiming | None  # once it has ended
    warnings: list[DateWarning]  # marks on its days
    profile: HourProfile  # past editions of the same kind and region
    profile_slugs: list[str]  # the past editions looked at (some may have had no admission)


async def timing(*, slug: str, actor: Actor | None, now: datetime) -> Timing:
    """The timing insight of ``slug``: for a past exhibition its hours and days against its
    busiest; for every exhibition the marks on its days and the hour profile of the ended
    editions of the same kind and region."""
    exhibition = await figures.analytics_exhibition(slug=slug, actor=actor)
    today = _local_today(exhibition, now)
    ended = exhibition["ends_on"] < today
    all_marks = await marks_between(exhibition["id"], date.min, date.max)
    on_days = [
        mark
        for mark in all_marks
        if mark.starts_on <= exhibition["ends_on"] and mark.ends_on >= exhibition["starts_on"]
    ]
    past = None
    if ended:
        schedule = await opening_schedule(exhibition)
        past = past_timing(schedule, await _hour_counts(exhibition["id"]), on_days)
    query = Exhibition.select().where(
        (Exhibition.kind == exhibition["kind"]) & (Exhibition.id != exhibition["id"]) & (Exhibition.ends_on < today)
    )
    query = query.where(
        Exhibition.region.is_null() if exhibition["region"] is None else Exhibition.region == exhibition["region"]
    )
    editions = []
    for row in await query.order_by(Exhibition.starts_on):
        editions.append(EditionCounts(row["slug"], await opening_schedule(row), await _hour_counts(row["id"])))
    return Timing(
        exhibition=exhibition,
        ended=ended,
        marks=all_marks,
        past=past,
        warnings=date_warnings(exhibition["starts_on"], exhibition["ends_on"], on_days),
        profile=hour_profile(editions),
        profile_slugs=[edition.slug for edition in editions],
    )
