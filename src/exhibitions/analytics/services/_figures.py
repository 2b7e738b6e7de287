"""Attendance figures of one exhibition, in SQL, from the rollups and (for today's live
figures and the seminar sessions) from the scan log itself.

What counts (docs/guide-analytics.md says the same to organizers):

- an *admission* is one admitted entry scan at a checkpoint; a *visitor* is a distinct
  ticket. With once-a-day gates the two are equal per day; with re-entry gates a visitor
  may be admitted several times;
- the venue's figures count the gates only (kind ``gate``); halls and seminar rooms have
  their own rows per checkpoint;
- days and hours are the exhibition's local ones (its time zone, Ramadan included);
- a *registered* visitor holds a valid ticket (cancelled and replaced tickets are not
  counted); a *no-show* is one whose ticket was never admitted at a gate.

These functions read; they take ids, not actors: callers check who may see what
(``_access.analytics_exhibition``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.analytics.services._rollups import as_date, engine, exhibition_zone
from exhibitions.analytics.tables import ALL_GATES, STEP_MINUTES
from exhibitions.db import fetch
from exhibitions.errors import InvalidInput, NotFound
from exhibitions.tickets.services._live import local_day_bounds

# When a day's gates scanned no exits, "inside" is estimated: each admitted visitor is
# counted inside for this long after their entry. Said with every figure that uses it.
ASSUMED_VISIT_MINUTES = 120
# A seminar session counts the room's admissions from this long before it starts.
SESSION_EARLY_ENTRY_MINUTES = 30

COUNTED = "counted"  # entries minus exits, as the gates scanned them
ESTIMATED = "estimated"  # no exits scanned: entries of the last ASSUMED_VISIT_MINUTES


@dataclass(frozen=True)
class DayCount:
    day: date
    visitors: int  # distinct tickets admitted that day
    admissions: int


@dataclass(frozen=True)
class HourCount:
    day: date
    hour: int  # local, 0-23
    admissions: int
    visitors: int


@dataclass(frozen=True)
class InsidePoint:
    at: datetime  # local: the end of the step
    admitted: int  # during the step
    exited: int
    inside: int
    method: str  # COUNTED or ESTIMATED


@dataclass(frozen=True)
class PeakHour:
    day: date
    hour: int
    admissions: int
    visitors: int


@dataclass(frozen=True)
class NoShows:
    registered: int
    came: int
    no_shows: int
    rate: float | None  # no_shows / registered; None without registrations


@dataclass(frozen=True)
class RepeatBucket:
    days_visited: str  # "1", "2", "3+"
    visitors: int


@dataclass(frozen=True)
class Share:
    key: str  # a region code ("abroad" included) or a visitor category
    registered: int
    visitors: int  # registered tickets admitted at a gate at least once
    share: float | None  # of all visitors; None when nobody came


@dataclass(frozen=True)
class SessionAttendance:
    session_id: int
    title_ar: str
    title_fr: str
    title_en: str
    starts_at: datetime
    room: str | None
    capacity: int | None
    registered: int
    waitlisted: int
    attended: int  # distinct tickets admitted at the room's door during the session
    registered_attended: int
    fill_rate: float | None  # attended / capacity
    show_rate: float | None  # registered_attended / registered


@dataclass(frozen=True)
class LiveFigures:
    day: date
    admitted_today: int  # distinct tickets admitted at a gate today
    admissions_today: int
    inside_now: int
    inside_method: str
    as_of: datetime


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def _exhibition(exhibition_id: int) -> tuple[str, date, date]:
    found = await exhibition_zone(exhibition_id)
    if found is None:
        raise NotFound(f"no exhibition {exhibition_id}")
    return found


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


async def visitors_by_day(*, exhibition_id: int, gate_id: int | None = None) -> list[DayCount]:
    """Every day of the exhibition (and any other day with admissions), the empty ones as 0."""
    _, starts_on, ends_on = await _exhibition(exhibition_id)
    rows = await fetch(
        engine(),
        "SELECT day, visitors, admissions FROM attendance_day WHERE exhibition = {} AND checkpoint = {}",
        exhibition_id, gate_id or ALL_GATES,
    )  # fmt: skip
    counted = {as_date(row["day"]): (int(row["visitors"]), int(row["admissions"])) for row in rows}
    days = sorted(set(_days(starts_on, ends_on)) | set(counted))
    return [DayCount(day, *counted.get(day, (0, 0))) for day in days]


async def visitors_by_hour(
    *, exhibition_id: int, day: date | None = None, gate_id: int | None = None
) -> list[HourCount]:
    """Per day and local hour: a full grid from the earliest to the latest hour anyone was
    admitted (over the whole exhibition), so a quiet hour shows as 0, not as a gap."""
    _, starts_on, ends_on = await _exhibition(exhibition_id)
    rows = await fetch(
        engine(),
        "SELECT day, hour, admissions, visitors FROM attendance_hour WHERE exhibition = {} AND checkpoint = {}",
        exhibition_id, gate_id or ALL_GATES,
    )  # fmt: skip
    counted = {(as_date(row["day"]), int(row["hour"])): (int(row["admissions"]), int(row["visitors"])) for row in rows}
    busy = [hour for (_, hour), (admissions, _) in counted.items() if admissions]
    if not busy:
        return []
    days = sorted(set(_days(starts_on, ends_on)) | {counted_day for counted_day, _ in counted})
    if day is not None:
        days = [day]
    return [
        HourCount(each, hour, *counted.get((each, hour), (0, 0)))
        for each in days
        for hour in range(min(busy), max(busy) + 1)
    ]


async def peak_hour(*, exhibition_id: int) -> PeakHour | None:
    """The local hour with the most gate admissions (the earliest of equals); None before
    anyone came."""
    rows = await fetch(
        engine(),
        "SELECT day, hour, admissions, visitors FROM attendance_hour WHERE exhibition = {} AND checkpoint = {}"
        " AND admissions > 0 ORDER BY admissions DESC, day, hour LIMIT 1",
        exhibition_id, ALL_GATES,
    )  # fmt: skip
    if not rows:
        return None
    row = rows[0]
    return PeakHour(as_date(row["day"]), int(row["hour"]), int(row["admissions"]), int(row["visitors"]))


async def _share_rows(exhibition_id: int, dimension: str) -> list[Any]:
    return await fetch(
        engine(),
        "SELECT key, registered, visitors FROM attendance_share WHERE exhibition = {} AND dimension = {}",
        exhibition_id, dimension,
    )  # fmt: skip


async def no_shows(*, exhibition_id: int) -> NoShows:
    rows = await _share_rows(exhibition_id, "region")
    registered = sum(int(row["registered"]) for row in rows)
    came = sum(int(row["visitors"]) for row in rows)
    return NoShows(registered, came, registered - came, _ratio(registered - came, registered))


async def repeat_visits(*, exhibition_id: int) -> list[RepeatBucket]:
    """How many visitors came on one day, on two, on three or more (all three, zeros
    included). Every ticket admitted counts, a ticket cancelled since included."""
    counted = {row["key"]: int(row["visitors"]) for row in await _share_rows(exhibition_id, "days_visited")}
    return [RepeatBucket(label, counted.get(label, 0)) for label in ("1", "2", "3+")]


async def _shares(exhibition_id: int, dimension: str) -> list[Share]:
    rows = await _share_rows(exhibition_id, dimension)
    total = sum(int(row["visitors"]) for row in rows)
    shares = [
        Share(row["key"], int(row["registered"]), int(row["visitors"]), _ratio(int(row["visitors"]), total))
        for row in rows
    ]
    return sorted(shares, key=lambda share: (-share.visitors, -share.registered, share.key))


async def visitors_by_region(*, exhibition_id: int) -> list[Share]:
    """Per home region (a Moroccan region code, or ``abroad``): registered and came."""
    return await _shares(exhibition_id, "region")


async def visitors_by_category(*, exhibition_id: int) -> list[Share]:
    return await _shares(exhibition_id, "category")


_SESSION_WINDOW = {
    "sqlite": f"datetime(ss.starts_at, '-{SESSION_EARLY_ENTRY_MINUTES} minutes')",
    "postgres": f"ss.starts_at - INTERVAL '{SESSION_EARLY_ENTRY_MINUTES} minutes'",
}


async def seminar_attendance(*, exhibition_id: int) -> list[SessionAttendance]:
    """Every scheduled session: its capacity (the session's, else the room's), who
    registered, and who the room's door admitted from 30 minutes before it to its end."""
    db = engine()
    rows = await fetch(
        db,
        "SELECT ss.id, ss.title_ar, ss.title_fr, ss.title_en, ss.starts_at, r.name AS room,"
        " COALESCE(ss.capacity, r.capacity) AS capacity FROM seminar_session ss"
        " LEFT JOIN seminar_room r ON r.id = ss.room"
        " WHERE ss.exhibition = {} AND ss.status = 'scheduled' ORDER BY ss.starts_at, ss.id",
        exhibition_id,
    )
    places = await fetch(
        db,
        "SELECT g.session, SUM(CASE WHEN g.status = 'registered' THEN 1 ELSE 0 END) AS registered,"
        " SUM(CASE WHEN g.status = 'waitlisted' THEN 1 ELSE 0 END) AS waitlisted"
        " FROM session_registration g WHERE g.exhibition = {} GROUP BY g.session",
        exhibition_id,
    )
    # Per session, its door's admissions during it: a few scans each, found by the
    # (checkpoint, scanned_at) index; a registration matched by its unique (session, ticket).
    during = (
        "s.checkpoint = r.checkpoint AND s.result = 'admitted'"
        f" AND s.scanned_at >= {_SESSION_WINDOW[db.engine_type]} AND s.scanned_at < ss.ends_at"
    )
    came = await fetch(
        db,
        f"SELECT ss.id AS session, (SELECT COUNT(DISTINCT s.ticket) FROM scan s WHERE {during}) AS attended,"  # noqa: S608
        " (SELECT COUNT(DISTINCT s.ticket) FROM scan s JOIN session_registration g ON g.session = ss.id"
        f"  AND g.ticket = s.ticket AND g.status = 'registered' WHERE {during}) AS registered_attended"
        " FROM seminar_session ss JOIN seminar_room r ON r.id = ss.room"
        " WHERE ss.exhibition = {} AND ss.status = 'scheduled'",
        exhibition_id,
    )
    seats = {row["session"]: (int(row["registered"]), int(row["waitlisted"])) for row in places}
    attendance = {row["session"]: (int(row["attended"]), int(row["registered_attended"])) for row in came}
    result = []
    for row in rows:
        capacity = None if row["capacity"] is None else int(row["capacity"])
        registered, waitlisted = seats.get(row["id"], (0, 0))
        attended, registered_attended = attendance.get(row["id"], (0, 0))
        result.append(
            SessionAttendance(
                session_id=int(row["id"]),
                title_ar=row["title_ar"],
                title_fr=row["title_fr"],
                title_en=row["title_en"],
                starts_at=_aware(row["starts_at"]),
                room=row["room"],
                capacity=capacity,
                registered=registered,
                waitlisted=waitlisted,
                attended=attended,
                registered_attended=registered_attended,
                fill_rate=_ratio(attended, capacity or 0),
                show_rate=_ratio(registered_attended, registered),
            )
        )
    return result


def _aware(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def inside_curve(steps: dict[int, tuple[int, int]], *, counted: bool, step_minutes: int) -> dict[int, int]:
    """Inside at the end of each step from the first to the last with a scan. Counted:
    entries minus exits so far (never below 0: an exit scanned for an entry made before
    midnight). Estimated: the entries of the last ASSUMED_VISIT_MINUTES."""
    if not steps:
        return {}
    window = max(1, ASSUMED_VISIT_MINUTES // step_minutes)
    inside: dict[int, int] = {}
    running = 0
    for step in range(min(steps), max(steps) + 1):
        admitted, exited = steps.get(step, (0, 0))
        if counted:
            running = max(0, running + admitted - exited)
            inside[step] = running
        else:
            inside[step] = sum(steps.get(earlier, (0, 0))[0] for earlier in range(step - window + 1, step + 1))
    return inside


async def inside_over_time(*, exhibition_id: int, day: date, step_minutes: int = 15) -> list[InsidePoint]:
    """How many people were inside the venue through ``day``, step by step (local wall-clock
    times; on the night the clocks go back, the repeated hour's scans share one step). Read
    from the 5-minute rollup, so ``step_minutes`` is a multiple of 5 that divides a day."""
    if step_minutes <= 0 or step_minutes % STEP_MINUTES or 1440 % step_minutes:
        raise InvalidInput.single(
            "step_minutes", "invalid_step", "must be a multiple of 5 minutes that divides a day (5, 10, 15, 30, 60 ...)"
        )
    time_zone, _, _ = await _exhibition(exhibition_id)
    rows = await fetch(
        engine(), "SELECT minute, admissions, exits FROM attendance_step WHERE exhibition = {} AND day = {}",
        exhibition_id, day,
    )  # fmt: skip
    steps: dict[int, tuple[int, int]] = {}
    for row in rows:
        step = int(row["minute"]) // step_minutes
        admitted, exited = steps.get(step, (0, 0))
        steps[step] = (admitted + int(row["admissions"]), exited + int(row["exits"]))
    counted = any(exited for _, exited in steps.values())
    curve = inside_curve(steps, counted=counted, step_minutes=step_minutes)
    zone = ZoneInfo(time_zone)
    midnight = datetime.combine(day, time(0))
    return [
        InsidePoint(
            at=(midnight + timedelta(minutes=(step + 1) * step_minutes)).replace(tzinfo=zone),
            admitted=steps.get(step, (0, 0))[0],
            exited=steps.get(step, (0, 0))[1],
            inside=inside,
            method=COUNTED if counted else ESTIMATED,
        )
        for step, inside in curve.items()
    ]


async def live_figures(*, exhibition_id: int, now: datetime) -> LiveFigures:
    """Today's figures, read from the scan log itself (not the rollups): always current.
    Inside now is today's entries less exits when the gates scan exits, else (estimated)
    the entries of the last ASSUMED_VISIT_MINUTES."""
    time_zone, _, _ = await _exhibition(exhibition_id)
    zone = ZoneInfo(time_zone)
    today = now.astimezone(zone).date()
    start, end = local_day_bounds(today, time_zone)
    db = engine()
    gates = [int(row["id"]) for row in await fetch(
        db, "SELECT id FROM checkpoint WHERE exhibition = {} AND kind = 'gate' ORDER BY id", exhibition_id
    )]  # fmt: skip
    visitors = admissions = exits = recent = 0
    if gates:
        # The gate ids are integers read just above; one index range of the day's scans.
        rows = await fetch(
            db,
            "SELECT COUNT(DISTINCT CASE WHEN result = 'admitted' THEN ticket END) AS visitors,"  # noqa: S608
            " SUM(CASE WHEN result = 'admitted' THEN 1 ELSE 0 END) AS admissions,"
            " SUM(CASE WHEN result = 'exited' THEN 1 ELSE 0 END) AS exits,"
            " SUM(CASE WHEN result = 'admitted' AND scanned_at > {} THEN 1 ELSE 0 END) AS recent"
            " FROM scan WHERE exhibition = {} AND scanned_at >= {} AND scanned_at <= {}"
            f" AND result IN ('admitted', 'exited') AND checkpoint IN ({', '.join(map(str, gates))})",
            now - timedelta(minutes=ASSUMED_VISIT_MINUTES), exhibition_id, start, min(now, end),
        )  # fmt: skip
        row = rows[0]
        visitors, admissions = int(row["visitors"] or 0), int(row["admissions"] or 0)
        exits, recent = int(row["exits"] or 0), int(row["recent"] or 0)
    counted = exits > 0
    return LiveFigures(
        day=today, admitted_today=visitors, admissions_today=admissions,
        inside_now=max(0, admissions - exits) if counted else recent, inside_method=COUNTED if counted else ESTIMATED,
        as_of=now.astimezone(zone),
    )  # fmt: skip
