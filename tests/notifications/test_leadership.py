"""One active scheduler: the lease on each engine, and candidates taking turns in one process."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace

import asyncpg
import pytest

from exhibitions import leadership, scheduler
from exhibitions.db import Database
from exhibitions.settings import Settings
from tests.notifications.conftest import Mailbox

# A tick of a real job that finds nothing to do.
QUIET_TICKS = [scheduler.Tick("deliver_mail", 0.2)]


async def test_one_lease_at_a_time_and_the_next_after_release(settings: Settings, database: Database) -> None:
    first, second = leadership.lease_for(settings), leadership.lease_for(settings)
    try:
        assert await first.try_acquire() is True
        assert await second.try_acquire() is False
        assert await second.try_acquire() is False
        await first.release()
        assert await second.try_acquire() is True
        assert await first.try_acquire() is False
    finally:
        await first.release()
        await second.release()


async def test_a_standby_takes_over_when_the_active_scheduler_stops(
    settings: Settings, database: Database, mailbox: Mailbox
) -> None:
    quiet = replace(settings, smtp=mailbox.smtp)
    async with scheduler.running(quiet, QUIET_TICKS) as active, scheduler.running(quiet, QUIET_TICKS) as standby:
        assert (active.active, standby.active) == (True, False)
        await asyncio.sleep(leadership.RETRY_SECONDS * 1.5)
        assert (active.active, standby.active) == (True, False)
        await active.stop()
        started = time.monotonic()
        async with asyncio.timeout(leadership.RETRY_SECONDS * 3):
            await standby.became_active.wait()
        assert time.monotonic() - started <= leadership.RETRY_SECONDS + 0.5
        assert standby.active is True


async def test_a_lease_is_lost_only_with_what_holds_it(
    settings: Settings, database: Database, mailbox: Mailbox
) -> None:
    """SQLite's lock file is held as long as its process lives; PostgreSQL's advisory lock as
    long as its connection, and a lost connection stops the ticks until the lock is back."""
    if settings.is_sqlite:
        await _a_lock_file_is_held_while_its_process_lives(settings)
    else:
        await _losing_the_lock_connection_stops_the_ticks(settings, mailbox)


async def _a_lock_file_is_held_while_its_process_lives(settings: Settings) -> None:
    holder, rival = leadership.lease_for(settings), leadership.lease_for(settings)
    try:
        assert await holder.try_acquire() is True
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(holder.wait_lost(), timeout=leadership.RETRY_SECONDS)
        assert await rival.try_acquire() is False
    finally:
        await holder.release()
        await rival.release()


async def _losing_the_lock_connection_stops_the_ticks(settings: Settings, mailbox: Mailbox) -> None:
    lease = leadership.PostgresLease(settings.database_url)
    rival = await asyncpg.connect(settings.database_url)
    try:
        async with scheduler.running(replace(settings, smtp=mailbox.smtp), QUIET_TICKS, lease=lease) as candidate:
            assert candidate.active is True
            # The server ends the session (a failover, an administrator); someone else takes the lock.
            assert await rival.fetchval("SELECT pg_terminate_backend($1)", lease.backend_pid) is True
            async with asyncio.timeout(10):
                while not await rival.fetchval(  # noqa: ASYNC110 - the server frees it
                    "SELECT pg_try_advisory_lock($1)", leadership.SCHEDULER_LOCK_KEY
                ):
                    await asyncio.sleep(0.05)
            started = time.monotonic()
            async with asyncio.timeout(leadership.KEEPALIVE_SECONDS + leadership.QUERY_TIMEOUT_SECONDS):
                while candidate.active:  # noqa: ASYNC110 - the campaign task flips it
                    await asyncio.sleep(0.05)
            assert time.monotonic() - started <= leadership.KEEPALIVE_SECONDS + 1
            # Its rival gone, the candidate takes the lock back.
            await rival.execute("SELECT pg_advisory_unlock_all()")
            async with asyncio.timeout(leadership.RETRY_SECONDS * 3):
                await candidate.became_active.wait()
    finally:
        await rival.close()


async def test_a_standby_says_once_that_postgresql_is_away_and_once_that_it_is_back(settings: Settings) -> None:
    heard: list[str] = []

    class Listener(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            heard.append(record.getMessage())

    listener = Listener(level=logging.WARNING)
    leadership.logger.addHandler(listener)
    away = leadership.PostgresLease("postgresql://postgres@127.0.0.1:1/test")  # nothing listens on port 1
    try:
        assert [await away.try_acquire() for _ in range(3)] == [False, False, False]
        assert len(heard) == 1
        assert heard[0].startswith("cannot ask PostgreSQL for the scheduler lock (asking again every second): ")
        if settings.database_url.startswith("postgres"):
            back = leadership.PostgresLease(settings.database_url)
            back._unreachable = True  # as after the failures above
            assert await back.try_acquire() is True
            await back.release()
            assert heard[1:] == ["PostgreSQL answers the scheduler lock's question again"]
    finally:
        leadership.logger.removeHandler(listener)
