# ruff: noqa: S608  (the SQL built here interpolates column names and integers of ours, never input)
"""The attendance rollups: rebuilt from the scan log, per exhibition and local day.

``refresh_attendance_rollups`` reads which scans arrived since its last run (by
``received_at``, so an offline batch synced late counts too), and rebuilds every local day
those scans fall on, from the log. Rebuilding a day instead of adding to it makes a run
idempotent: a run repeated gives the same rows. A scan committed a little after a run read
past its ``received_at`` is caught by the next run, which re-reads a margin behind its
mark (``LATE_COMMIT_MARGIN``).

The counting is all reads; the writes are a few hundred aggregated rows (more only for
``attendance_visitor`` on a first build). On PostgreSQL both happen in one transaction
under an advisory lock, so two schedulers cannot interleave. On SQLite the reads run first,
on a connection of their own in a worker thread (a day of a big edition takes a second or
more to count: neither the event loop nor the check-ins' write lock wait for it), then
the rows are written in one short IMMEDIATE transaction.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.engine.sqlite import dict_factory

from exhibitions.analytics.local_time import DAY_SECONDS, HOUR_SECONDS, day_of, local_epoch_of, offset_segments
from exhibitions.analytics.tables import ALL_GATES, STEP_MINUTES
from exhibitions.db import compiled, fetch, write_transaction
from exhibitions.tickets.services._live import local_day_bounds
from exhibitions.tickets.tables import Scan

STATE_NAME = "attendance"
# A scan's transaction commits a moment after its received_at: re-read this far back.
LATE_COMMIT_MARGIN = timedelta(minutes=5)
_ADVISORY_LOCK = 7357023
_INSERT_CHUNK = 500


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
    if since is not None:
        # Only what arrived since, found by the received_at index (SQLite's planner, told
        # the table's size by ANALYZE, would rather scan it all for the grouping).
        hint = "INDEXED BY scan_received" if db.engine_type == "sqlite" else ""
        touched = await _read(
            "SELECT exhibition, MIN(scanned_at) AS first_at, MAX(scanned_at) AS last_at"
            f" FROM scan {hint} WHERE received_at >= {{}} AND result IN ('admitted', 'exited')"
            " AND checkpoint IS NOT NULL GROUP BY exhibition ORDER BY exhibition",
            (since,),
        )
    else:
        where = "AND exhibition = {}" if exhibition_id is not None else ""
        touched = await _read(
            "SELECT exhibition, MIN(scanned_at) AS first_at, MAX(scanned_at) AS last_at FROM scan"
            f" WHERE result IN ('admitted', 'exited') AND checkpoint IS NOT NULL {where}"
            " GROUP BY exhibition ORDER BY exhibition",
            (exhibition_id,) if exhibition_id is not None else (),
        )
    days = 0
    for row in touched:
        days += await _rebuild(row["exhibition"], as_datetime(row["first_at"]), as_datetime(row["last_at"]))
    # The shares change with the visitors (above) and with registrations made or cancelled.
    if exhibition_id is not None:
        registrations = [{"exhibition": exhibition_id}]
    elif since is not None:
        registrations = await _read(
            "SELECT exhibition FROM ticket WHERE created_at >= {}"
            " UNION SELECT exhibition FROM ticket WHERE revoked_at >= {}",
            (since, since),
        )
    else:
        registrations = await _read("SELECT DISTINCT exhibition FROM ticket", ())
    for changed in sorted({row["exhibition"] for row in touched} | {row["exhibition"] for row in registrations}):
        await _rebuild_shares(changed)
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


async def _read(sql: str, arguments: Sequence[Any]) -> list[Any]:
    """A counting read: on SQLite off the event loop, on its own connection."""
    db = engine()
    if db.engine_type != "sqlite" or db.current_transaction.get() is not None:
        return await fetch(db, sql, *arguments)
    return await asyncio.to_thread(_read_on_own_connection, db.connection_kwargs, compiled(sql, "sqlite"), arguments)


def _read_on_own_connection(kwargs: dict[str, Any], sql: str, arguments: Sequence[Any]) -> list[Any]:
    connection = sqlite3.connect(**{**kwargs, "isolation_level": None, "check_same_thread": False})
    connection.row_factory = dict_factory
    try:
        connection.execute("PRAGMA query_only = ON")
        rows: list[Any] = connection.execute(sql, tuple(arguments)).fetchall()
        return rows
    finally:
        connection.close()


async def exhibition_zone(exhibition_id: int) -> tuple[str, date, date] | None:
    rows = await fetch(engine(), "SELECT time_zone, starts_on, ends_on FROM exhibition WHERE id = {}", exhibition_id)
    if not rows:
        return None
    return rows[0]["time_zone"], as_date(rows[0]["starts_on"]), as_date(rows[0]["ends_on"])


@dataclass(frozen=True)
class _Counts:
    hours: list[tuple[Any, ...]]
    days: list[tuple[Any, ...]]
    steps: list[tuple[Any, ...]]
    visitors: list[tuple[Any, ...]]


async def _count(exhibition_id: int, local: str, start: datetime, end: datetime) -> _Counts:
    """Everything a rebuild writes, counted from the log between ``start`` and ``end``."""
    window = "s.exhibition = {} AND s.scanned_at >= {} AND s.scanned_at < {}"
    moved = "s.result IN ('admitted', 'exited')"
    per_checkpoint = f"SELECT s.checkpoint, s.ticket, s.result, {local} AS l FROM scan s WHERE {window} AND {moved}"
    gates = (
        f"SELECT s.ticket, s.result, {local} AS l FROM scan s JOIN checkpoint c ON c.id = s.checkpoint"
        f" WHERE {window} AND {moved} AND c.kind = 'gate'"
    )
    counts = (
        "SUM(CASE WHEN x.result = 'admitted' THEN 1 ELSE 0 END) AS admissions,"
        " SUM(CASE WHEN x.result = 'exited' THEN 1 ELSE 0 END) AS exits,"
        " COUNT(DISTINCT CASE WHEN x.result = 'admitted' THEN x.ticket END) AS visitors"
    )
    day = f"x.l / {DAY_SECONDS}"
    hour = f"(x.l % {DAY_SECONDS}) / {HOUR_SECONDS}"
    step = f"(x.l % {DAY_SECONDS}) / {STEP_MINUTES * 60}"
    arguments = (exhibition_id, start, end)
    hour_rows = await _read(
        f"SELECT x.checkpoint, {day} AS d, {hour} AS h, {counts} FROM ({per_checkpoint}) x GROUP BY 1, 2, 3"
        f" UNION ALL SELECT {ALL_GATES}, {day} AS d, {hour} AS h, {counts} FROM ({gates}) x GROUP BY 2, 3",
        arguments * 2,
    )
    day_rows = await _read(
        f"SELECT x.checkpoint, {day} AS d, {counts} FROM ({per_checkpoint}) x GROUP BY 1, 2"
        f" UNION ALL SELECT {ALL_GATES}, {day} AS d, {counts} FROM ({gates}) x GROUP BY 2",
        arguments * 2,
    )
    step_rows = await _read(f"SELECT {day} AS d, {step} AS m, {counts} FROM ({gates}) x GROUP BY 1, 2", arguments)
    # The visitors admitted in the window: their days over the whole exhibition, each
    # ticket's history found by the scan_ticket_admitted index (CROSS JOIN keeps SQLite to that
    # order; without statistics SQLite would take the plain scan_ticket index and read the rows).
    admitted_index = "INDEXED BY scan_ticket_admitted" if engine().engine_type == "sqlite" else ""
    visitor_rows = await _read(
        "SELECT x.ticket, COUNT(DISTINCT x.l / 86400) AS days_visited,"
        " COUNT(*) AS admissions, MIN(x.scanned_at) AS first_admitted_at FROM"
        f" (SELECT s.ticket, s.scanned_at, {local} AS l"
        f"  FROM (SELECT DISTINCT s.ticket FROM scan s WHERE {window} AND {moved} AND s.result = 'admitted') w"
        f"  CROSS JOIN scan s {admitted_index} JOIN checkpoint c ON c.id = s.checkpoint"
        # No condition on s.exhibition: a ticket is admitted at its own exhibition only, and
        # SQLite would pick that column's index over the ticket's.
        "  WHERE s.ticket = w.ticket AND c.kind = 'gate' AND s.result = 'admitted') x"
        " GROUP BY x.ticket",
        arguments,
    )
    return _Counts(
        hours=[(exhibition_id, r["checkpoint"], day_of(r["d"]), r["h"], r["admissions"], r["exits"], r["visitors"])
               for r in hour_rows],
        days=[(exhibition_id, r["checkpoint"], day_of(r["d"]), r["admissions"], r["exits"], r["visitors"])
              for r in day_rows],
        steps=[(exhibition_id, day_of(r["d"]), r["m"] * STEP_MINUTES, r["admissions"], r["exits"]) for r in step_rows],
        visitors=[(exhibition_id, r["ticket"], r["days_visited"], r["admissions"], as_datetime(r["first_admitted_at"]))
                  for r in visitor_rows],
    )  # fmt: skip


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
    if db.engine_type == "postgres":
        async with write_transaction(db):
            await fetch(db, f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})")
            counts = await _count(exhibition_id, local, start, end)
            await _write(exhibition_id, first_day, last_day, start, end, counts)
    else:
        counts = await _count(exhibition_id, local, start, end)
        async with write_transaction(db):
            await _write(exhibition_id, first_day, last_day, start, end, counts)
    return (last_day - first_day).days + 1


async def _rebuild_shares(exhibition_id: int) -> None:
    """Registered and came per region and category, visitors per days visited: counted
    (off the event loop on SQLite), then written in one short transaction."""
    db = engine()
    rows: list[tuple[Any, ...]] = []
    for dimension, column in (("region", "home_region"), ("category", "category")):
        counted = await _read(
            f"SELECT t.{column} AS key, COUNT(*) AS registered, COUNT(v.id) AS visitors FROM ticket t"
            " LEFT JOIN attendance_visitor v ON v.ticket = t.id WHERE t.exhibition = {} AND t.status = 'valid'"
            f" GROUP BY t.{column}",
            (exhibition_id,),
        )
        rows += [(exhibition_id, dimension, r["key"], r["registered"], r["visitors"]) for r in counted]
    buckets = await _read(
        "SELECT CASE WHEN days_visited >= 3 THEN 3 ELSE days_visited END AS bucket, COUNT(*) AS visitors"
        " FROM attendance_visitor WHERE exhibition = {} GROUP BY 1",
        (exhibition_id,),
    )
    rows += [(exhibition_id, "days_visited", "3+" if r["bucket"] >= 3 else str(r["bucket"]), 0, r["visitors"])
             for r in buckets]  # fmt: skip
    async with write_transaction(db):
        if db.engine_type == "postgres":
            await fetch(db, f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})")
        await fetch(db, "DELETE FROM attendance_share WHERE exhibition = {}", exhibition_id)
        await _insert("attendance_share", ("exhibition", "dimension", "key", "registered", "visitors"), rows)


async def _write(
    exhibition_id: int, first_day: date, last_day: date, start: datetime, end: datetime, counts: _Counts
) -> None:
    db = engine()
    for table in ("attendance_hour", "attendance_day", "attendance_step"):
        await fetch(
            db, f"DELETE FROM {table} WHERE exhibition = {{}} AND day >= {{}} AND day <= {{}}",
            exhibition_id, first_day, last_day,
        )  # fmt: skip
    await fetch(
        db,
        "DELETE FROM attendance_visitor WHERE exhibition = {} AND ticket IN (SELECT s.ticket FROM scan s"
        " WHERE s.exhibition = {} AND s.scanned_at >= {} AND s.scanned_at < {}"
        " AND s.result IN ('admitted', 'exited') AND s.result = 'admitted')",
        exhibition_id, exhibition_id, start, end,
    )  # fmt: skip
    await _insert("attendance_hour", ("exhibition", "checkpoint", "day", "hour", "admissions", "exits", "visitors"),
                  counts.hours)  # fmt: skip
    await _insert("attendance_day", ("exhibition", "checkpoint", "day", "admissions", "exits", "visitors"), counts.days)
    await _insert("attendance_step", ("exhibition", "day", "minute", "admissions", "exits"), counts.steps)
    await _insert(
        "attendance_visitor",
        ("exhibition", "ticket", "days_visited", "admissions", "first_admitted_at"),
        counts.visitors,
    )


async def _insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    db = engine()
    row_marks = "(" + ", ".join("{}" for _ in columns) + ")"
    for offset in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[offset : offset + _INSERT_CHUNK]
        await fetch(
            db,
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join(row_marks for _ in chunk)}",
            *(value for row in chunk for value in row),
        )
