"""Live counts for organizers: admitted today, inside now per checkpoint, scans per quarter hour.

Everything is counted from the scan log and the occupancy counters, in SQL, so the page
costs a few indexed queries however many visitors came.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.events.services import opening_schedule
from exhibitions.tickets.services._checkin import _managed_exhibition
from exhibitions.tickets.tables import Scan

QUARTER = timedelta(minutes=15)
_QUARTER_SECONDS = 900

# The quarter hour a scan falls in, as a count of quarter hours since 1970, per engine.
_BUCKET = {
    "sqlite": "CAST(strftime('%s', scanned_at) AS INTEGER) / 900",
    "postgres": "CAST(FLOOR(EXTRACT(EPOCH FROM scanned_at) / 900) AS INTEGER)",
}


@dataclass(frozen=True)
class QuarterHour:
    starts_at: datetime  # local time of the exhibition
    admitted: int
    refused: int


@dataclass(frozen=True)
class LiveCounts:
    day: date
    admitted_today: int
    inside_now: int
    checkpoints: list[dict[str, Any]]
    quarters: list[QuarterHour]
    updated_at: datetime  # local time


def local_day_bounds(day: date, time_zone: str) -> tuple[datetime, datetime]:
    """The UTC instants where a local day starts and ends (23 or 25 hours long around a change)."""
    zone = ZoneInfo(time_zone)
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def quarter_hours(
    counts: dict[int, tuple[int, int]], *, first: int | None, last: int, time_zone: str
) -> list[QuarterHour]:
    """Every quarter hour from ``first`` to ``last`` (bucket numbers), the empty ones included,
    so a chart shows a quiet quarter as a gap and not as nothing. ``counts`` maps a bucket to
    (admitted, refused); exits are neither."""
    if counts:
        first = min([*counts, first] if first is not None else counts)
        last = max(last, *counts)
    if first is None or first > last:
        return []
    zone = ZoneInfo(time_zone)
    quarters = []
    for bucket in range(first, last + 1):
        admitted, refused = counts.get(bucket, (0, 0))
        starts_at = datetime.fromtimestamp(bucket * _QUARTER_SECONDS, UTC).astimezone(zone)
        quarters.append(QuarterHour(starts_at=starts_at, admitted=admitted, refused=refused))
    return quarters


def _bucket_of(moment: datetime) -> int:
    return int(moment.timestamp()) // _QUARTER_SECONDS


async def live_counts(*, slug: str, actor: Actor | None, now: datetime) -> LiveCounts:
    exhibition = await _managed_exhibition(slug, actor)
    zone_name = exhibition["time_zone"]
    today = now.astimezone(ZoneInfo(zone_name)).date()
    start, end = local_day_bounds(today, zone_name)
    db = Scan._meta.db
    checkpoints = await Scan.raw(
        "SELECT c.id, c.name, c.kind, c.policy, c.capacity, c.inside,"
        " (SELECT COUNT(*) FROM scan s WHERE s.checkpoint = c.id AND s.direction = 'in'"
        "  AND s.result = 'admitted' AND s.scanned_at >= {} AND s.scanned_at < {}) AS admitted_today"
        " FROM checkpoint c WHERE c.exhibition = {} ORDER BY c.kind, c.name",
        start, end, exhibition["id"],
    )  # fmt: skip
    admitted = await Scan.raw(
        "SELECT COUNT(DISTINCT s.ticket) AS visitors FROM scan s JOIN checkpoint c ON c.id = s.checkpoint"
        " WHERE s.exhibition = {} AND c.kind = 'gate' AND s.direction = 'in' AND s.result = 'admitted'"
        " AND s.scanned_at >= {} AND s.scanned_at < {}",
        exhibition["id"], start, end,
    )  # fmt: skip
    bucket_rows = await Scan.raw(
        # The interpolated part is one of our two constant expressions, never input.
        f"SELECT {_BUCKET[db.engine_type]} AS bucket,"  # noqa: S608
        " SUM(CASE WHEN result = 'admitted' THEN 1 ELSE 0 END) AS admitted,"
        " SUM(CASE WHEN result IN ('admitted', 'exited') THEN 0 ELSE 1 END) AS refused"
        " FROM scan WHERE exhibition = {} AND scanned_at >= {} AND scanned_at < {} GROUP BY 1 ORDER BY 1",
        exhibition["id"], start, end,
    )  # fmt: skip
    counts = {int(row["bucket"]): (int(row["admitted"]), int(row["refused"])) for row in bucket_rows}
    opening = None
    for day in await opening_schedule(exhibition):
        if day.day == today and day.opens_at is not None:
            opening = _bucket_of(datetime.combine(today, day.opens_at, ZoneInfo(zone_name)))
    last = min(_bucket_of(now), _bucket_of(end) - 1)
    quarters = quarter_hours(counts, first=opening if opening is not None and opening <= last else None,
                             last=last, time_zone=zone_name)  # fmt: skip
    # Counters a gate holds for people who are still inside the venue.
    inside = sum(row["inside"] for row in checkpoints if row["kind"] == "gate")
    return LiveCounts(
        day=today,
        admitted_today=int(admitted[0]["visitors"]),
        inside_now=inside,
        checkpoints=checkpoints,
        quarters=quarters,
        updated_at=now.astimezone(ZoneInfo(zone_name)),
    )
