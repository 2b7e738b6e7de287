"""The ticks of scheduled work: ``schedules/ticks.toml`` read into an APScheduler 3.x
``AsyncIOScheduler``.

Where it runs (``EXHIBITIONS_SCHEDULER``): ``inline`` (the default) in each web process's
lifespan; ``off`` leaves it to ``exhibitions scheduler``, a process of its own. Either way one
process of the deployment ticks at a time: each candidate holds or waits for a lease
(:mod:`exhibitions.leadership`: a PostgreSQL advisory lock, or a lock file beside a SQLite
database), and a standby takes over within seconds when the active one dies.

A tick only calls a job; jobs claim their rows atomically, so even two ticking processes
(a lease lost under a slow tick) would send nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import tomllib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from exhibitions import leadership
from exhibitions.analytics import jobs as analytics_jobs
from exhibitions.badges import jobs as badge_jobs
from exhibitions.errors import ConfigurationError
from exhibitions.notifications import jobs as notification_jobs
from exhibitions.notifications import services as notification_services
from exhibitions.paths import SCHEDULES_DIR
from exhibitions.seminars import jobs as seminar_jobs
from exhibitions.settings import Settings

logger = logging.getLogger("exhibitions.scheduler")

# Each job of ticks.toml by name; other domains append theirs.
JOBS: dict[str, Callable[[Settings], Awaitable[Any]]] = {
    "deliver_mail": notification_jobs.deliver_mail,
    "queue_speaker_messages": seminar_jobs.queue_speaker_messages,
    "tend_session_waitlists": seminar_jobs.tend_session_waitlists,
    "render_badge_batches": badge_jobs.render_badge_batches,
    "queue_reminders": notification_jobs.queue_reminders,
    "deliver_sms": notification_jobs.deliver_sms,
    "refresh_attendance_rollups": analytics_jobs.refresh_attendance_rollups,
}

TICKS_FILE = SCHEDULES_DIR / "ticks.toml"
# At shutdown a running tick gets this long to finish before it is cancelled. A cancelled
# delivery leaves its rows claimed; they are sent again once the claim is stale.
STOP_GRACE_SECONDS = 10.0
_FIELDS = ("every_seconds", "cron", "timezone")


@dataclass(frozen=True)
class Tick:
    """One job's timing: every ``every_seconds``, or at the times of a ``cron`` expression
    read in ``timezone``."""

    job: str
    every_seconds: float | None = None
    cron: str | None = None
    timezone: str = "UTC"

    def trigger(self) -> BaseTrigger:
        if self.cron is not None:
            return crontab_trigger(self.cron, ZoneInfo(self.timezone))
        assert self.every_seconds is not None
        return IntervalTrigger(seconds=self.every_seconds)


_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _day_number(word: str) -> int:
    if word.isdigit() and int(word) <= 7:
        return int(word) % 7
    if word in _DAY_NAMES:
        return _DAY_NAMES.index(word)
    raise ValueError(f"day of the week {word!r} is not 0-7 or sun…sat")


def _day_of_week(field: str) -> str:
    """Crontab's day of the week (0 or 7 is Sunday) as APScheduler day names. APScheduler 3's
    own ``from_crontab`` reads 0 as *Monday*, so "0 3 * * 0" would run on the wrong day."""
    if field == "*":
        return "*"
    days: list[str] = []
    for part in field.lower().split(","):
        if "/" in part:
            raise ValueError("a step in the day of the week is ambiguous; list the days instead (mon,wed,fri)")
        bounds = part.split("-")
        if len(bounds) == 1:
            days.append(_DAY_NAMES[_day_number(bounds[0])])
        elif len(bounds) == 2:
            first = _day_number(bounds[0])
            last = 7 if bounds[1] == "7" else _day_number(bounds[1])
            if last < first:
                raise ValueError(f"day range {part!r} runs backwards")
            days.extend(_DAY_NAMES[number % 7] for number in range(first, last + 1))
        else:
            raise ValueError(f"day of the week {part!r} is not a day or a range")
    return ",".join(dict.fromkeys(days))


def crontab_trigger(expression: str, timezone: tzinfo) -> CronTrigger:
    """A trigger for a standard five-field crontab line (minute hour day month weekday)."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=_day_of_week(weekday), timezone=timezone
    )


def _line_of(text: str, job: str, field: str | None = None) -> int | None:
    """The line of ``[job]`` (or of ``field = …`` inside it): tomllib keeps no positions."""
    lines = text.splitlines()
    header = re.compile(rf"""^\s*\[\s*(?:{re.escape(job)}|"{re.escape(job)}"|'{re.escape(job)}')\s*\]""")
    for number, line in enumerate(lines, start=1):
        if header.match(line):
            if field is None:
                return number
            assignment = re.compile(rf"^\s*{re.escape(field)}\s*=")
            for offset, inner in enumerate(lines[number:], start=number + 1):
                if re.match(r"^\s*\[", inner):
                    break
                if assignment.match(inner):
                    return offset
            return number
    return None


def _error(path: Path, text: str, job: str, field: str | None, reason: str) -> ConfigurationError:
    line = _line_of(text, job, field)
    where = f"{path}:{line}" if line else str(path)
    return ConfigurationError(f"{where}: [{job}]{' ' + field if field else ''}: {reason}")


def _parse_tick(path: Path, text: str, job: str, table: object) -> Tick:
    if job not in JOBS:
        raise _error(path, text, job, None, f"unknown job; known: {', '.join(sorted(JOBS))}")
    if not isinstance(table, dict):
        raise _error(path, text, job, None, "must be a table: [job] then every_seconds = … or cron = …")
    for field in table:
        if field not in _FIELDS:
            raise _error(path, text, job, field, f"unknown field; expected {', '.join(_FIELDS)}")
    every, cron, timezone = table.get("every_seconds"), table.get("cron"), table.get("timezone", "UTC")
    if (every is None) == (cron is None):
        raise _error(path, text, job, None, "set exactly one of every_seconds (an interval) or cron (a crontab line)")
    if not isinstance(timezone, str):
        raise _error(path, text, job, "timezone", "must be a time zone name such as Africa/Casablanca")
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _error(path, text, job, "timezone", f"unknown time zone {timezone!r}") from None
    if every is not None:
        if isinstance(every, bool) or not isinstance(every, int | float) or every <= 0:
            raise _error(path, text, job, "every_seconds", "must be a positive number of seconds")
        if "timezone" in table:
            raise _error(path, text, job, "timezone", "applies to cron only; an interval has no time zone")
        return Tick(job=job, every_seconds=float(every))
    if not isinstance(cron, str):
        raise _error(path, text, job, "cron", 'must be a crontab line in quotes, such as "0 3 * * *"')
    try:
        crontab_trigger(cron, zone)
    except ValueError as exc:
        raise _error(path, text, job, "cron", f"{cron!r}: {exc}") from None
    return Tick(job=job, cron=" ".join(cron.split()), timezone=timezone)


def read_ticks(path: Path = TICKS_FILE) -> list[Tick]:
    """The ticks of ``path``; any mistake stops the start-up with the file, line, job and field."""
    try:
        text = path.read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path}: {exc}") from exc
    return [_parse_tick(path, text, job, table) for job, table in document.items()]


class Ticker:
    """The scheduler plus the ticks in flight, so that stopping can let them finish."""

    def __init__(self, settings: Settings, ticks: list[Tick]) -> None:
        # APScheduler logs every run of every tick at INFO: a line every few seconds that
        # buries the server's own messages. Set here, after the server has configured
        # logging; its warnings (a missed or failed run) still show.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: set[asyncio.Task[Any]] = set()
        for tick in ticks:
            self.scheduler.add_job(
                self._run,
                tick.trigger(),
                args=[tick.job, settings],
                id=tick.job,
                max_instances=1,
                coalesce=True,
                # An interval's first tick at start-up: what fell due while no scheduler ran
                # goes now. A cron line says when on purpose (a nightly job in quiet hours).
                next_run_time=datetime.now(UTC) if tick.cron is None else None,
                # A cron run that could not start on time (a busy loop) still runs up to a
                # minute late; later than that it waits for its next time.
                **({} if tick.cron is None else {"misfire_grace_time": 60}),
            )

    async def _run(self, job: str, settings: Settings) -> Any:
        task = asyncio.current_task()
        assert task is not None
        self._running.add(task)
        logger.debug("tick %s (pid %s)", job, os.getpid())
        try:
            return await JOBS[job](settings)
        except Exception:
            logger.exception("scheduled job %s failed", job)
            return None
        finally:
            self._running.discard(task)

    def start(self) -> None:
        self.scheduler.start()

    async def stop(self, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        self.scheduler.pause()
        if self._running:
            await asyncio.wait(set(self._running), timeout=grace_seconds)
        self.scheduler.shutdown(wait=False)
        # APScheduler shuts down in a loop callback: let it run before the database closes.
        await asyncio.sleep(0)


class Candidate:
    """A process that ticks while it holds the lease, and waits for it otherwise."""

    def __init__(self, settings: Settings, ticks: list[Tick], lease: leadership.Lease) -> None:
        self._settings = settings
        self._ticks = ticks
        self.lease = lease
        self.ticker: Ticker | None = None
        self.became_active = asyncio.Event()
        self._campaign: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        return self.ticker is not None

    async def start(self) -> None:
        # A lone process (the usual case) ticks before start() returns, as before the lease.
        if await self.lease.try_acquire():
            self._activate()
        self._campaign = asyncio.create_task(self._campaign_loop(), name="scheduler-campaign")

    def _activate(self) -> None:
        logger.info("active scheduler (pid %s, %s)", os.getpid(), self.lease.description)
        self.ticker = Ticker(self._settings, self._ticks)
        self.ticker.start()
        self.became_active.set()

    async def _campaign_loop(self) -> None:
        announced = False
        while True:
            if self.ticker is None:
                if not await self.lease.try_acquire():
                    if not announced:
                        logger.info(
                            "standby scheduler (pid %s): another process holds the %s",
                            os.getpid(),
                            self.lease.description,
                        )
                        announced = True
                    await asyncio.sleep(leadership.RETRY_SECONDS)
                    continue
                self._activate()
            await self.lease.wait_lost()
            logger.error("scheduler lease lost (pid %s): ticking stops until it is taken again", os.getpid())
            ticker, self.ticker = self.ticker, None
            self.became_active.clear()
            announced = False
            if ticker is not None:
                await ticker.stop()

    async def stop(self) -> None:
        if self._campaign is not None:
            self._campaign.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._campaign
        if self.ticker is not None:
            await self.ticker.stop()
            self.ticker = None
        await self.lease.release()


@asynccontextmanager
async def running(
    settings: Settings, ticks: list[Tick] | None = None, *, lease: leadership.Lease | None = None
) -> AsyncIterator[Candidate]:
    """Tick ``ticks`` (``schedules/ticks.toml`` by default) whenever this process holds the lease."""
    # The reminder rules are checked before the first tick: a bad one stops the start-up.
    notification_services.configured_rules()
    candidate = Candidate(settings, read_ticks() if ticks is None else ticks, lease or leadership.lease_for(settings))
    await candidate.start()
    try:
        yield candidate
    finally:
        await candidate.stop()
