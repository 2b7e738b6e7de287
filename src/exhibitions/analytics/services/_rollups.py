# ruff: noqa: S608  (the SQL built here interpolates column names and integers of ours, never input)
"""The attendance rollups: rebuilt from the scan log, per exhibition and local day.

``refresh_attendance_rollups`` reads which scans arrived since its last run (by
``received_at``, so an offline batch synced late counts too), and rebuilds every local day
those scans fall on, from the log, in one transaction per exhibition. Rebuilding a day
instead of adding to it makes a run idempotent: a run repeated, or two runs racing
(PostgreSQL: serialized by an advisory lock; SQLite: by the write lock), give the same rows.
A scan committed a little after a run read past its ``received_at`` is caught by the next
run, which re-reads a margin behind its mark (``LATE_COMMIT_MARGIN``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.analytics.local_time import DAY_SECONDS, HOUR_SECONDS, local_epoch_of, offset_segments
from exhibitions.analytics.tables import ALL_GATES
from exhibitions.db import fetch, write_transaction
from exhibitions.tickets.services._live import local_day_bounds
from exhibitions.tickets.tables import Scan

STATE_NAME = "attendance"
# A scan's transaction commits a moment after its received_at: re-read this far back.
LATE_COMMIT_MARGIN = timedelta(minutes=5)
_ADVISORY_LOCK = 7357023

# The local date of a local epoch ``{l}``, per engine.
_DATE_SQL = {
    "sqlite": "date(({l} / 86400) * 86400, 'unixepoch')",
    "postgres": "(DATE '1970-01-01' + CAST({l} / 86400 AS INTEGER))",
}


def engine() -> Any:
    return Scan._meta.db


def as_date(value: Any) -> date:
    """A DATE column as read by either driver (SQLite may give the ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class RefreshOutcome:
    exhibitions: int  # exhibitions whose days were rebuilt
    days: int  # local days rebuilt


async def refresh_attendance_rollups(*, now: datetime, exhibition_id: int | None = None) -> RefreshOutcome:
    """Bring the rollups up to the scan log. Without ``exhibition_id``: what arrived since
    the last run (the scheduled job). With it: that exhibition's every day, from scratch."""
    db = engine()
    state = await fetch(db, "SELECT refreshed_through FROM attendance_rollup_state WHERE name = {}", STATE_NAME)
    since = as_datetime(state[0]["refreshed_through"]) - LATE_COMMIT_MARGIN if state and exhibition_id is None else None
    conditions = ["result IN ('admitted', 'exited')", "checkpoint IS NOT NULL"]
    arguments: list[Any] = []
    if since is not None:
        conditions.append("received_at >= {}")
        arguments.append(since)
    if exhibition_id is not None:
        conditions.append("exhibition = {}")
        arguments.append(exhibition_id)
    touched = await fetch(
        db,
        "SELECT exhibition, MIN(scanned_at) AS first_at, MAX(scanned_at) AS last_at FROM scan"
        f" WHERE {' AND '.join(conditions)} GROUP BY exhibition ORDER BY exhibition",
        *arguments,
    )
    days = 0
    for row in touched:
        days += await _rebuild(row["exhibition"], as_datetime(row["first_at"]), as_datetime(row["last_at"]))
    if exhibition_id is None:
        async with write_transaction(db):
            await fetch(
                db,
                "INSERT INTO attendance_rollup_state (name, refreshed_through, updated_at) VALUES ({}, {}, {})"
                " ON CONFLICT (name) DO UPDATE SET refreshed_through = EXCLUDED.refreshed_through,"
                " updated_at = EXCLUDED.updated_at",
                STATE_NAME, now, now,
            )  # fmt: skip
    return RefreshOutcome(exhibitions=len(touched), days=days)


async def exhibition_zone(exhibition_id: int) -> tuple[str, date, date] | None:
    rows = await fetch(engine(), "SELECT time_zone, starts_on, ends_on FROM exhibition WHERE id = {}", exhibition_id)
    if not rows:
        return None
    return rows[0]["time_zone"], as_date(rows[0]["starts_on"]), as_date(rows[0]["ends_on"])


async def _rebuild(exhibition_id: int, first_at: datetime, last_at: datetime) -> int:
    """Rebuild the local days from ``first_at``'s to ``last_at``'s; the number of days."""
    found = await exhibition_zone(exhibition_id)
    if found is None:
        return 0
    time_zone, starts_on, ends_on = found
    zone = ZoneInfo(time_zone)
    first_day, last_day = first_at.astimezone(zone).date(), last_at.astimezone(zone).date()
    start, _ = local_day_bounds(first_day, time_zone)
    _, end = local_day_bounds(last_day, time_zone)
    db = engine()
    segments = offset_segments(time_zone, min(first_day, starts_on), max(last_day, ends_on))
    local = local_epoch_of("s.scanned_at", db.engine_type, segments)
    day_sql = _DATE_SQL[db.engine_type].format(l="x.l")
    hour_sql = f"((x.l % {DAY_SECONDS}) / {HOUR_SECONDS})"
    counts = (
        "SUM(CASE WHEN x.result = 'admitted' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN x.result = 'exited' THEN 1 ELSE 0 END),"
        " COUNT(DISTINCT CASE WHEN x.result = 'admitted' THEN x.ticket END)"
    )
    window = "s.exhibition = {} AND s.scanned_at >= {} AND s.scanned_at < {}"
    per_checkpoint = (
        f"SELECT s.checkpoint, s.ticket, s.result, {local} AS l FROM scan s"
        f" WHERE {window} AND s.result IN ('admitted', 'exited') AND s.checkpoint IS NOT NULL"
    )
    all_gates = (
        f"SELECT s.ticket, s.result, {local} AS l FROM scan s JOIN checkpoint c ON c.id = s.checkpoint"
        f" WHERE {window} AND s.result IN ('admitted', 'exited') AND c.kind = 'gate'"
    )
    # Every interpolated piece above is ours (column names, integers), never input.
    statements: list[tuple[str, tuple[Any, ...]]] = [
        ("DELETE FROM attendance_hour WHERE exhibition = {} AND day >= {} AND day <= {}",
         (exhibition_id, first_day, last_day)),
        ("DELETE FROM attendance_day WHERE exhibition = {} AND day >= {} AND day <= {}",
         (exhibition_id, first_day, last_day)),
        ("INSERT INTO attendance_hour (exhibition, checkpoint, day, hour, admissions, exits, visitors)"
         f" SELECT {{}}, x.checkpoint, {day_sql}, {hour_sql}, {counts} FROM ({per_checkpoint}) x GROUP BY 2, 3, 4",
         (exhibition_id, exhibition_id, start, end)),
        ("INSERT INTO attendance_hour (exhibition, checkpoint, day, hour, admissions, exits, visitors)"
         f" SELECT {{}}, {ALL_GATES}, {day_sql}, {hour_sql}, {counts} FROM ({all_gates}) x GROUP BY 3, 4",
         (exhibition_id, exhibition_id, start, end)),
        ("INSERT INTO attendance_day (exhibition, checkpoint, day, admissions, exits, visitors)"
         f" SELECT {{}}, x.checkpoint, {day_sql}, {counts} FROM ({per_checkpoint}) x GROUP BY 2, 3",
         (exhibition_id, exhibition_id, start, end)),
        ("INSERT INTO attendance_day (exhibition, checkpoint, day, admissions, exits, visitors)"
         f" SELECT {{}}, {ALL_GATES}, {day_sql}, {counts} FROM ({all_gates}) x GROUP BY 3",
         (exhibition_id, exhibition_id, start, end)),
        # The visitors admitted in the window: their days over the whole exhibition.
        ("DELETE FROM attendance_visitor WHERE exhibition = {} AND ticket IN"
         " (SELECT s.ticket FROM scan s WHERE " + window + " AND s.result = 'admitted')",
         (exhibition_id, exhibition_id, start, end)),
        ("INSERT INTO attendance_visitor (exhibition, ticket, days_visited, admissions, first_admitted_at)"
         " SELECT {}, x.ticket, COUNT(DISTINCT x.l / 86400), COUNT(*), MIN(x.scanned_at) FROM"
         f" (SELECT s.ticket, s.scanned_at, {local} AS l FROM scan s JOIN checkpoint c ON c.id = s.checkpoint"
         "  WHERE s.exhibition = {} AND c.kind = 'gate' AND s.result = 'admitted' AND s.ticket IN"
         "  (SELECT s.ticket FROM scan s WHERE " + window + " AND s.result = 'admitted')) x GROUP BY x.ticket",
         (exhibition_id, exhibition_id, exhibition_id, start, end)),
    ]  # fmt: skip
    async with write_transaction(db):
        if db.engine_type == "postgres":
            await fetch(db, f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})")
        for sql, arguments in statements:
            await fetch(db, sql, *arguments)
    return (last_day - first_day).days + 1
