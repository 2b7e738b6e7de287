"""Which process is the one active scheduler of a deployment.

A *lease* is held by at most one process at a time, and is released by the operating
system or the database when that process dies, however it dies (SIGKILL included):

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) taken on a
  connection of its own, outside the pool (the pool never resets a session, and a pooled
  connection must carry no session state; docs/architecture.md). When the process dies its
  connection closes and the server releases the lock. A keepalive query every
  :data:`KEEPALIVE_SECONDS` notices a connection that broke under a live process: the
  holder then stops ticking, since the lock went with the connection.
- SQLite: ``fcntl.flock`` on a file beside the database. The kernel releases it when the
  process dies. It cannot be lost while the process lives.

Standbys try again every :data:`RETRY_SECONDS`, so a dead leader is replaced within about
that long (PostgreSQL notices a SIGKILLed client at once: the kernel closes its socket).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import IO, Protocol

import asyncpg

from exhibitions.db import sqlite_path
from exhibitions.settings import Settings

logger = logging.getLogger("exhibitions.scheduler")

# Any constant unique among our advisory locks (migrations take 7357001).
SCHEDULER_LOCK_KEY = 7357002
RETRY_SECONDS = 1.0
KEEPALIVE_SECONDS = 2.0
# A keepalive that takes longer than this counts as a lost connection.
QUERY_TIMEOUT_SECONDS = 5.0


class Lease(Protocol):
    """The right to be the active scheduler."""

    description: str

    async def try_acquire(self) -> bool:
        """Take the lease if nobody holds it; never waits for a holder."""

    async def wait_lost(self) -> None:
        """Return when the lease, once acquired, is no longer certainly ours."""

    async def release(self) -> None:
        """Give the lease back (idempotent)."""


class PostgresLease:
    def __init__(self, dsn: str, key: int = SCHEDULER_LOCK_KEY) -> None:
        self._dsn = dsn.replace("postgres://", "postgresql://", 1)
        self._key = key
        self._connection: asyncpg.Connection | None = None
        self.description = f"PostgreSQL advisory lock {key}"
        # A standby asks every second: while PostgreSQL is away, say so once, not each time.
        self._unreachable = False

    @property
    def backend_pid(self) -> int | None:
        """The PostgreSQL backend holding (or asking for) the lock: pg_stat_activity's pid."""
        return None if self._connection is None else self._connection.get_server_pid()

    async def try_acquire(self) -> bool:
        try:
            if self._connection is None or self._connection.is_closed():
                self._connection = await asyncpg.connect(self._dsn, timeout=QUERY_TIMEOUT_SECONDS)
            acquired = await self._connection.fetchval(
                "SELECT pg_try_advisory_lock($1)", self._key, timeout=QUERY_TIMEOUT_SECONDS
            )
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            if not self._unreachable:
                logger.warning("cannot ask PostgreSQL for the scheduler lock (asking again every second): %s", exc)
            self._unreachable = True
            await self._drop()
            return False
        if self._unreachable:
            logger.warning("PostgreSQL answers the scheduler lock's question again")
            self._unreachable = False
        return bool(acquired)

    async def wait_lost(self) -> None:
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            connection = self._connection
            try:
                if connection is None or connection.is_closed():
                    raise ConnectionError("the lock's connection is closed")
                await connection.fetchval("SELECT 1", timeout=QUERY_TIMEOUT_SECONDS)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                logger.error("lost the scheduler lock's connection: %s", exc)
                await self._drop()
                return

    async def release(self) -> None:
        connection = self._connection
        if connection is not None and not connection.is_closed():
            # Closing the session releases the lock; no need for pg_advisory_unlock first.
            with contextlib.suppress(OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await connection.close(timeout=QUERY_TIMEOUT_SECONDS)
        await self._drop()

    async def _drop(self) -> None:
        if self._connection is not None:
            self._connection.terminate()
            self._connection = None


class FileLease:
    """``flock`` on ``path``; the file also says which process holds it, for a person."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None
        self.description = f"lock file {path}"

    async def try_acquire(self) -> bool:
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    async def wait_lost(self) -> None:
        # The kernel keeps the lock as long as the file stays open in this process.
        await asyncio.Event().wait()

    async def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def lease_for(settings: Settings) -> Lease:
    """The lease that fits the database: a lock file beside a SQLite file, else the advisory lock."""
    if settings.is_sqlite:
        return FileLease(Path(f"{sqlite_path(settings.database_url)}.scheduler.lock"))
    return PostgresLease(settings.database_url)
