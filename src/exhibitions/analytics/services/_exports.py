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
from exhibitions.web.i18n import N_, Translator


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


# Words that appear in cells and are translated there.
_WORDS = frozenset({N_("counted"), N_("estimated")})


@dataclass(frozen=True)
class TableSpec:
    title: str
    headers: tuple[str, ...]
    rows: Callable[[TableQuery], Awaitable[Rows]]
    personal: bool = False


TABLES: dict[str, TableSpec] = {
    "visitors-by-day": TableSpec(N_("Visitors by day"), (N_("Day"), N_("Visitors"), N_("Admissions")), _by_day),
    "visitors-by-hour": TableSpec(
        N_("Visitors by hour"), (N_("Day"), N_("Hour"), N_("Admissions"), N_("Visitors")), _by_hour
    ),
    "inside-over-time": TableSpec(
        N_("Inside over time"), (N_("Time"), N_("Entered"), N_("Exited"), N_("Inside"), N_("Method")), _inside
    ),
    "peak-hour": TableSpec(N_("Peak hour"), (N_("Day"), N_("Hour"), N_("Admissions"), N_("Visitors")), _peak),
    "no-shows": TableSpec(
        N_("No-shows"), (N_("Registrations"), N_("Came"), N_("No-shows"), N_("No-show rate")), _no_shows
    ),
    "repeat-visits": TableSpec(N_("Repeat visits"), (N_("Days visited"), N_("Visitors")), _repeat),
    "visitors-by-region": TableSpec(
        N_("By region"), (N_("Region"), N_("Registrations"), N_("Came"), N_("Share")), _regions
    ),
    "visitors-by-category": TableSpec(
        N_("By category"), (N_("Category"), N_("Registrations"), N_("Came"), N_("Share")), _categories
    ),
    "seminar-attendance": TableSpec(
        N_("Seminar attendance"),
        (
            N_("Session ID"),
            N_("Title (Arabic)"),
            N_("Title (French)"),
            N_("Title (English)"),
            N_("Starts at"),
            N_("Room"),
            N_("Capacity"),
            N_("Registrations"),
            N_("Waitlisted"),
            N_("Attended"),
            N_("Registered and attended"),
            N_("Fill rate"),
            N_("Show rate"),
        ),
        _seminars,
    ),
    "no-show-visitors": TableSpec(
        N_("No-show visitors"),
        (
            N_("Ticket ID"),
            N_("Name"),
            N_("E-mail"),
            N_("Phone"),
            N_("Region"),
            N_("Category"),
            N_("First day"),
            N_("Days"),
            N_("Registered at"),
        ),
        _no_show_visitors,
        personal=True,
    ),
}


async def export_table(
    *, slug: str, table: str, fmt: ExportFormat, actor: Actor | None, day: date | None = None,
    gate_id: int | None = None, language: str = "en",
) -> Export:  # fmt: skip
    """One analytics table of ``slug`` as a file; personal tables for its organizers only."""
    spec = TABLES.get(table)
    if spec is None:
        raise InvalidInput.single("table", "unknown_table", f"must be one of {', '.join(TABLES)}")
    exhibition = await analytics_exhibition(slug=slug, actor=actor, personal=spec.personal)
    rows = await spec.rows(TableQuery(exhibition_id=exhibition["id"], day=day, gate_id=gate_id))
    # Headers, the sheet's title and the words in cells ("counted") in the reader's
    # language; codes (regions, categories) and numbers stay as they are.
    translator = Translator(language)
    headers = [translator.gettext(header) for header in spec.headers]
    rows = [[translator.gettext(cell) if cell in _WORDS else cell for cell in row] for row in rows]
    title = translator.gettext(spec.title)
    content = xlsx_bytes(headers, rows, title=title) if fmt is ExportFormat.xlsx else csv_bytes(headers, rows)
    return Export(content=content, media_type=MEDIA_TYPES[fmt], filename=f"{slug}-{table}.{fmt.value}")
