"""The ticks of scheduled work: ``schedules/ticks.toml`` read into an APScheduler 3.x
``AsyncIOScheduler`` that runs in the web process's event loop (``EXHIBITIONS_SCHEDULER=inline``).

A tick only calls a job; the job claims its rows atomically, so a tick that runs in two
worker processes at once does no harm (each claims different rows). One scheduler per
deployment, kept single by a PostgreSQL advisory lock, arrives with the reminders work.
"""

from __future__ import annotations

import asyncio
import logging
import tomllib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from exhibitions.analytics import jobs as analytics_jobs
from exhibitions.errors import ConfigurationError
from exhibitions.notifications import jobs as notification_jobs
from exhibitions.paths import SCHEDULES_DIR
from exhibitions.seminars import jobs as seminar_jobs
from exhibitions.settings import Settings

logger = logging.getLogger(__name__)

JOBS: dict[str, Callable[[Settings], Awaitable[Any]]] = {
    "deliver_mail": notification_jobs.deliver_mail,
    "queue_speaker_messages": seminar_jobs.queue_speaker_messages,
    "refresh_attendance_rollups": analytics_jobs.refresh_attendance_rollups,
}

TICKS_FILE = SCHEDULES_DIR / "ticks.toml"
# At shutdown a running tick gets this long to finish before it is cancelled. A cancelled
# delivery leaves its rows claimed; they are sent again once the claim is stale.
STOP_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class Tick:
    job: str
    every_seconds: float


def read_ticks(path: Path = TICKS_FILE) -> list[Tick]:
    """The ticks of ``path``; a job name we do not know or a bad interval stops the start-up."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path}: {exc}") from exc
    ticks = []
    for job, table in document.items():
        if job not in JOBS:
            raise ConfigurationError(f"{path}: unknown job [{job}]; known: {', '.join(sorted(JOBS))}")
        every = table.get("every_seconds") if isinstance(table, dict) else None
        if isinstance(every, bool) or not isinstance(every, int | float) or every <= 0:
            raise ConfigurationError(f"{path}: [{job}] every_seconds must be a positive number of seconds")
        ticks.append(Tick(job=job, every_seconds=float(every)))
    return ticks


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
                IntervalTrigger(seconds=tick.every_seconds),
                args=[tick.job, settings],
                id=tick.job,
                max_instances=1,
                coalesce=True,
                # The first tick at start-up: what fell due while the process was down goes now.
                next_run_time=datetime.now(UTC),
            )

    async def _run(self, job: str, settings: Settings) -> Any:
        task = asyncio.current_task()
        assert task is not None
        self._running.add(task)
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


@asynccontextmanager
async def running(settings: Settings, ticks: list[Tick] | None = None) -> AsyncIterator[Ticker]:
    ticker = Ticker(settings, read_ticks() if ticks is None else ticks)
    ticker.start()
    try:
        yield ticker
    finally:
        await ticker.stop()
