"""Local days and hours in SQL, from zoneinfo: a pure module (no database).

Neither engine can be trusted with the time zone: SQLite has none, and PostgreSQL's own
zone data may differ from the Python one the rest of the code uses. Morocco is UTC+1
except during Ramadan (UTC+0), and the dates of that change move every year. So Python
asks zoneinfo for the offsets in force over the span we count (a handful of segments),
and the query adds the right one to each scan's epoch with a CASE expression:
``local epoch = UTC epoch + offset``; the local day and hour are then integer divisions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_SECONDS = 86_400
HOUR_SECONDS = 3_600
_EPOCH_DAY = date(1970, 1, 1)

# The UTC epoch of a TIMESTAMPTZ column, in whole seconds, per engine. SQLite stores
# Piccolo's timestamps as ISO text in UTC, which strftime('%s') reads.
EPOCH_SQL = {
    "sqlite": "CAST(strftime('%s', {column}) AS INTEGER)",
    "postgres": "CAST(FLOOR(EXTRACT(EPOCH FROM {column})) AS BIGINT)",
}


@dataclass(frozen=True)
class Segment:
    """From ``starts`` (UTC epoch seconds) until the next segment, local = UTC + ``offset``."""

    starts: int
    offset: int


def _offset(zone: ZoneInfo, epoch: int) -> int:
    value = datetime.fromtimestamp(epoch, UTC).astimezone(zone).utcoffset()
    assert value is not None
    return int(value.total_seconds())


def offset_segments(time_zone: str, first_day: date, last_day: date) -> list[Segment]:
    """The offsets in force from two days before ``first_day`` to two days after
    ``last_day`` (scans a day early or synced late still land right), in order; the first
    segment also covers anything earlier and the last anything later."""
    zone = ZoneInfo(time_zone)
    start = int(datetime.combine(first_day - timedelta(days=2), time(0), UTC).timestamp())
    end = int(datetime.combine(last_day + timedelta(days=3), time(0), UTC).timestamp())
    segments = [Segment(starts=start, offset=_offset(zone, start))]
    probe = start
    while probe < end:
        following = min(probe + HOUR_SECONDS, end)
        if _offset(zone, following) != segments[-1].offset:
            # The change happened in (probe, following]: find its second by bisection.
            low, high = probe, following
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(zone, middle) == segments[-1].offset:
                    low = middle
                else:
                    high = middle
            segments.append(Segment(starts=high, offset=_offset(zone, high)))
        probe = following
    return segments


def local_epoch_sql(epoch: str, segments: list[Segment]) -> str:
    """SQL for the local epoch of ``epoch`` (an SQL expression of UTC epoch seconds). Only
    integers computed here are interpolated, never input."""
    if len(segments) == 1:
        return f"({epoch} + {segments[0].offset})"
    branches = " ".join(
        f"WHEN {epoch} < {following.starts} THEN {segment.offset}"
        for segment, following in itertools.pairwise(segments)
    )
    return f"({epoch} + CASE {branches} ELSE {segments[-1].offset} END)"


def local_epoch_of(column: str, engine_type: str, segments: list[Segment]) -> str:
    return local_epoch_sql(EPOCH_SQL[engine_type].format(column=column), segments)


def day_of(day_number: int) -> date:
    """The local date of a day number (local epoch // 86400)."""
    return _EPOCH_DAY + timedelta(days=int(day_number))


def day_number(day: date) -> int:
    return (day - _EPOCH_DAY).days


def local_wall_time(local_epoch: int, time_zone: str) -> datetime:
    """The aware local datetime whose wall clock reads ``local_epoch`` (for a bucket start)."""
    naive = datetime(1970, 1, 1) + timedelta(seconds=local_epoch)
    return naive.replace(tzinfo=ZoneInfo(time_zone))
