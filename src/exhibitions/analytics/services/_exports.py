"""Every analytics table as CSV or XLSX: the same figures the API and the pages show.

Aggregated tables carry no personal data. ``no-show-visitors`` lists people (name,
e-mail, phone) and is for the exhibition's organizers only (``_access``). Headers are in
English, like the other exports; every text cell is neutralized (``exhibitions.spreadsheets``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.analytics.services import _figures as figures
from exhibitions.analytics.services._access import analytics_exhibition
from exhibitions.analytics.services._rollups import engine
from exhibitions.db import fetch
from exhibitions.errors import InvalidInput
from exhibitions.exhibitors.services._export import MEDIA_TYPES, Export, ExportFormat
from exhibitions.spreadsheets import csv_bytes, xlsx_bytes


@dataclass(frozen=True)
class TableQuery:
    exhibition_id: int
    day: date | None
    gate_id: int | None


Rows = list[list[Any]]


async def _by_day(query: TableQuery) -> Rows:
    days = await figures.visitors_by_day(exhibition_id=query.exhibition_id, gate_id=query.gate_id)
    return [[row.day, row.visitors, row.admissions] for row in days]


async def _by_hour(query: TableQuery) -> Rows:
    hours = await figures.visitors_by_hour(exhibition_id=query.exhibition_id, day=query.day, gate_id=query.gate_id)
    return [[row.day, f"{row.hour:02d}:00", row.admissions, row.visitors] for row in hours]


async def _inside(query: TableQuery) -> Rows:
    if query.day is None:
        raise InvalidInput.single("day", "required", "name the day (YYYY-MM-DD)")
    points = await figures.inside_over_time(exhibition_id=query.exhibition_id, day=query.day)
    return [[point.at.strftime("%Y-%m-%d %H:%M"), point.admitted, point.exited, point.inside, point.method]
            for point in points]  # fmt: skip


async def _peak(query: TableQuery) -> Rows:
    peak = await figures.peak_hour(exhibition_id=query.exhibition_id)
    return [[peak.day, f"{peak.hour:02d}:00", peak.admissions, peak.visitors]] if peak else []


async def _no_shows(query: TableQuery) -> Rows:
    missed = await figures.no_shows(exhibition_id=query.exhibition_id)
    return [[missed.registered, missed.came, missed.no_shows, missed.rate]]


async def _repeat(query: TableQuery) -> Rows:
    return [[row.days_visited, row.visitors] for row in await figures.repeat_visits(exhibition_id=query.exhibition_id)]


async def _regions(query: TableQuery) -> Rows:
    shares = await figures.visitors_by_region(exhibition_id=query.exhibition_id)
    return [[row.key, row.registered, row.visitors, row.share] for row in shares]


async def _categories(query: TableQuery) -> Rows:
    shares = await figures.visitors_by_category(exhibition_id=query.exhibition_id)
    return [[row.key, row.registered, row.visitors, row.share] for row in shares]


async def _seminars(query: TableQuery) -> Rows:
    return [
        [row.session_id, row.title_ar, row.title_fr, row.title_en, row.starts_at, row.room, row.capacity,
         row.registered, row.waitlisted, row.attended, row.registered_attended, row.fill_rate, row.show_rate]
        for row in await figures.seminar_attendance(exhibition_id=query.exhibition_id)
    ]  # fmt: skip


async def _no_show_visitors(query: TableQuery) -> Rows:
    rows = await fetch(
        engine(),
        "SELECT t.id, t.holder_name, t.email, t.phone, t.home_region, t.category, t.first_day, t.day_count,"
        " t.created_at FROM ticket t LEFT JOIN attendance_visitor v ON v.ticket = t.id"
        " WHERE t.exhibition = {} AND t.status = 'valid' AND v.id IS NULL ORDER BY t.id",
        query.exhibition_id,
    )
    return [[row["id"], row["holder_name"], row["email"], row["phone"], row["home_region"], row["category"],
             row["first_day"], row["day_count"], row["created_at"]] for row in rows]  # fmt: skip


@dataclass(frozen=True)
class TableSpec:
    title: str
    headers: tuple[str, ...]
    rows: Callable[[TableQuery], Awaitable[Rows]]
    personal: bool = False


TABLES: dict[str, TableSpec] = {
    "visitors-by-day": TableSpec("Visitors by day", ("Day", "Visitors", "Admissions"), _by_day),
    "visitors-by-hour": TableSpec("Visitors by hour", ("Day", "Hour", "Admissions", "Visitors"), _by_hour),
    "inside-over-time": TableSpec("Inside over time", ("Time", "Admitted", "Exited", "Inside", "Method"), _inside),
    "peak-hour": TableSpec("Peak hour", ("Day", "Hour", "Admissions", "Visitors"), _peak),
    "no-shows": TableSpec("No-shows", ("Registered", "Came", "No-shows", "No-show rate"), _no_shows),
    "repeat-visits": TableSpec("Repeat visits", ("Days visited", "Visitors"), _repeat),
    "visitors-by-region": TableSpec("By region", ("Region", "Registered", "Visitors", "Share"), _regions),
    "visitors-by-category": TableSpec("By category", ("Category", "Registered", "Visitors", "Share"), _categories),
    "seminar-attendance": TableSpec(
        "Seminar attendance",
        (
            "Session ID",
            "Title (Arabic)",
            "Title (French)",
            "Title (English)",
            "Starts at",
            "Room",
            "Capacity",
            "Registered",
            "Waitlisted",
            "Attended",
            "Registered and attended",
            "Fill rate",
            "Show rate",
        ),
        _seminars,
    ),
    "no-show-visitors": TableSpec(
        "No-show visitors",
        ("Ticket ID", "Name", "E-mail", "Phone", "Region", "Category", "First day", "Days", "Registered at"),
        _no_show_visitors,
        personal=True,
    ),
}


async def export_table(
    *, slug: str, table: str, fmt: ExportFormat, actor: Actor | None, day: date | None = None,
    gate_id: int | None = None,
) -> Export:  # fmt: skip
    """One analytics table of ``slug`` as a file; personal tables for its organizers only."""
    spec = TABLES.get(table)
    if spec is None:
        raise InvalidInput.single("table", "unknown_table", f"must be one of {', '.join(TABLES)}")
    exhibition = await analytics_exhibition(slug=slug, actor=actor, personal=spec.personal)
    rows = await spec.rows(TableQuery(exhibition_id=exhibition["id"], day=day, gate_id=gate_id))
    content = (
        xlsx_bytes(spec.headers, rows, title=spec.title) if fmt is ExportFormat.xlsx else csv_bytes(spec.headers, rows)
    )
    return Export(content=content, media_type=MEDIA_TYPES[fmt], filename=f"{slug}-{table}.{fmt.value}")
