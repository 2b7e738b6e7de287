"""The database engine, chosen from the URL, and its life cycle.

SQLite (the embedded default) runs on :class:`SharedConnectionSQLiteEngine`: per
process, one writer connection with WAL, ``foreign_keys=ON`` and a busy timeout, behind
an ``asyncio.Lock`` that gives a transaction the connection to itself, and one
query-only reader for plain SELECTs, both used in the event loop's thread. Stock Piccolo
opens a connection and a thread per query: the exhibition read measured 13x slower on it
(docs/benchmarks.md).
PostgreSQL runs on Piccolo's engine with a connection pool opened and closed in the
app's lifespan.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar, cast
from urllib.parse import unquote

from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

from exhibitions.errors import DatabaseBusy, ExhibitionsError
from exhibitions.settings import Settings

# How long a write waits for another process's write lock. The wait blocks the event loop
# (see LoopConnection), so it is short; past it the request is a 503 to retry.
BUSY_TIMEOUT_SECONDS = 1.0
READ_BUSY_TIMEOUT_SECONDS = 0.5
_READ_ONLY = re.compile(r"^\s*SELECT\b", re.IGNORECASE)
# The writer never checkpoints the WAL on commit (a checkpoint copies pages and fsyncs the
# database file: milliseconds, in the event loop, on whichever request's commit crossed the
# threshold). A worker thread checkpoints instead, at most this often, while writes go on.
CHECKPOINT_INTERVAL_SECONDS = 1.0

T = TypeVar("T")
Item = TypeVar("Item")


class LoopConnection:
    """A sqlite3 connection used from the event loop's thread, behind the coroutine API
    Piccolo's SQLite transaction calls (``execute``, ``execute_fetchall``, ``close``).

    A local SQLite statement takes microseconds; a hop to a worker thread and back took
    100-150 µs on this machine, paid several times per transaction while the process-wide
    lock is held. Running in the loop removes the hops; the price is that a statement
    blocks the loop while it runs, and while it waits for another *process* to release the
    write lock (the busy timeout), which transactions here keep to microseconds.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    @property
    def raw(self) -> sqlite3.Connection:
        return self._connection

    @property
    def in_transaction(self) -> bool:
        return self._connection.in_transaction

    async def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        return self._connection.execute(sql, parameters)

    async def execute_fetchall(self, sql: str, parameters: Any = ()) -> list[Any]:
        return self._connection.execute(sql, parameters).fetchall()

    async def close(self) -> None:
        self._connection.close()

    def stop(self) -> None:
        self._connection.close()


class SharedConnectionSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, on two connections per process.

    Writes, and everything inside a transaction, go to one :class:`LoopConnection`. A
    statement outside a transaction takes the lock for one statement
    (autocommit); a transaction holds it from BEGIN to COMMIT, so no other task ever sees
    its uncommitted rows. Code inside a transaction that awaits a query *outside* it
    would wait on itself: the lock timeout turns that into :class:`DatabaseBusy`.

    A plain SELECT outside a transaction runs on a second, query-only connection, in
    the event loop's thread: with WAL a reader never waits for the writer and sees only
    committed rows, and a read of a few rows takes tens of microseconds, less than the
    hop to another thread costs. ``query_only`` makes a misrouted write fail loudly.
    """

    def __init__(self, path: str, *, lock_timeout: float = 30.0) -> None:
        super().__init__(path=path, timeout=BUSY_TIMEOUT_SECONDS)
        self.lock_timeout = lock_timeout
        self._connection: LoopConnection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = asyncio.Lock()
        self._reader: sqlite3.Connection | None = None
        self._opening: asyncio.Task[LoopConnection] | None = None
        self._checkpointing: asyncio.Future[None] | None = None
        self._group: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]] = []
        self._commits: set[asyncio.Task[None]] = set()
        self._last_checkpoint = 0.0

    def _read_connection(self) -> sqlite3.Connection:
        if self._reader is None:
            reader = sqlite3.connect(
                self.path,
                detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
                isolation_level=None,
                # Blocks the event loop while it waits: WAL readers wait only in rare
                # recovery moments, so keep the bound short.
                timeout=READ_BUSY_TIMEOUT_SECONDS,
                check_same_thread=False,
            )
            reader.row_factory = dict_factory
            reader.execute("PRAGMA query_only = ON")
            reader.execute("PRAGMA foreign_keys = ON")
            self._reader = reader
        return self._reader

    async def _shared_connection(self) -> LoopConnection:
        loop = asyncio.get_running_loop()
        if self._connection is not None and self._loop is loop:
            return self._connection
        # Every task that arrives before the connection is ready awaits the same opening:
        # two openings would each install their own lock, and a task would release a lock
        # it never took.
        opening = self._opening
        if opening is None or opening.get_loop() is not loop or (opening.done() and not self._opened(opening)):
            opening = self._opening = loop.create_task(self._open_connection(loop))
        return await asyncio.shield(opening)

    @staticmethod
    def _opened(opening: asyncio.Task[LoopConnection]) -> bool:
        return not opening.cancelled() and opening.exception() is None

    async def _open_connection(self, loop: asyncio.AbstractEventLoop) -> LoopConnection:
        if self._connection is not None:
            # The previous event loop is gone (a test, a CLI command): its connection
            # cannot be awaited from here, so stop its thread without waiting.
            self._connection.stop()
            self._connection = None
        raw = sqlite3.connect(**{**self.connection_kwargs, "check_same_thread": False})
        raw.row_factory = dict_factory
        connection = LoopConnection(raw)
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA synchronous = NORMAL",
            f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}",
            "PRAGMA wal_autocheckpoint = 0",
        ):
            await connection.execute(pragma)
        self._connection, self._loop, self._lock = connection, loop, asyncio.Lock()
        return connection

    @asynccontextmanager
    async def hold_connection(self) -> AsyncIterator[LoopConnection]:
        connection = await self._shared_connection()
        if self._lock.locked():
            try:
                await asyncio.wait_for(self._lock.acquire(), timeout=self.lock_timeout)
            except TimeoutError as exc:
                raise DatabaseBusy(f"waited {self.lock_timeout:g}s for the database connection") from exc
        else:
            await self._lock.acquire()  # free: no timer (wait_for costs a task per call)
        try:
            if connection.in_transaction:
                # A transaction cancelled mid-rollback left the connection open: close it.
                await connection.execute("ROLLBACK")
            yield connection
        finally:
            self._lock.release()
            self._maybe_checkpoint()

    async def run_in_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(connection)`` inside one IMMEDIATE transaction on the writer, committed
        when it returns and rolled back when it raises. ``work`` is synchronous: nothing
        else runs in this process between its BEGIN and its COMMIT, and no cancellation can
        cut it in two. For hot paths, where Piccolo's per-statement plumbing costs more
        than the statements."""
        async with self.hold_connection() as connection:
            return _immediate(connection.raw, work)

    async def run_grouped(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """:meth:`run_in_transaction`, sharing the transaction with the other works queued
        in the same turn of the event loop: one BEGIN and one COMMIT for all of them, and
        each page they change written once to the WAL. The works run one after another in
        the order they came, as they would have through the lock, and each result is
        returned only after the COMMIT. If a work raises, the group is rolled back and
        every work in it runs again in a transaction of its own, so one work's failure
        never changes another's outcome."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._group.append((work, future))
        if len(self._group) == 1:
            task = loop.create_task(self._commit_group())
            self._commits.add(task)  # a task nobody references may be collected mid-flight
            task.add_done_callback(self._commits.discard)
        return await future

    async def _commit_group(self) -> None:
        group: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]] = []
        try:
            async with self.hold_connection() as connection:
                # Taken once the lock is ours: works queued while it was busy join too.
                group = [(work, future) for work, future in self._group if not future.cancelled()]
                self._group = []
                results = self._run_group(connection.raw, group) if group else []
        except BaseException as exc:
            if not group:  # the lock could not be had: the works queued fail with it
                group, self._group = self._group, []
            for _, future in group:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for (_, future), (ok, value) in zip(group, results, strict=True):
            if not future.done():
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)

    @staticmethod
    def _run_group(
        raw: sqlite3.Connection, group: list[tuple[Callable[[sqlite3.Connection], Any], Any]]
    ) -> list[tuple[bool, Any]]:
        """(True, result) or (False, exception) for each work, in order."""
        try:
            return [
                (True, value) for value in _immediate(raw, lambda connection: [work(connection) for work, _ in group])
            ]
        except Exception as exc:
            if len(group) == 1:
                return [(False, exc)]
        results: list[tuple[bool, Any]] = []
        for work, _ in group:
            try:
                results.append((True, _immediate(raw, work)))
            except Exception as exc:
                results.append((False, exc))
        return results

    def read(self, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """A SELECT on the query-only connection, synchronously: committed rows only."""
        return cast(list[dict[str, Any]], self._read_connection().execute(sql, args).fetchall())

    def _maybe_checkpoint(self) -> None:
        moment = time.monotonic()
        if moment - self._last_checkpoint < CHECKPOINT_INTERVAL_SECONDS:
            return
        loop = asyncio.get_running_loop()
        checkpointing = self._checkpointing
        if checkpointing is not None and not checkpointing.done() and checkpointing.get_loop() is loop:
            return
        self._last_checkpoint = moment
        self._checkpointing = loop.run_in_executor(None, self._checkpoint)

    def _checkpoint(self) -> None:
        # Its own short-lived connection, in a worker thread: PASSIVE copies what no reader
        # still needs and neither waits for nor blocks the writer. One that fails (another
        # process checkpointing, a busy file) is simply tried again a second later.
        try:
            connection = sqlite3.connect(self.path, timeout=0, isolation_level=None)
            try:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                connection.close()
        except sqlite3.Error:
            pass

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> list[dict[str, Any]]:
        if _READ_ONLY.match(query):
            return cast(list[dict[str, Any]], self._read_connection().execute(query, args or []).fetchall())
        async with self.hold_connection() as connection:
            # One hop to the connection's thread (execute and fetch together), not three.
            return cast(list[dict[str, Any]], await connection.execute_fetchall(query, args or []))

    async def _run_in_existing_connection(
        self,
        connection: LoopConnection,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> list[dict[str, Any]]:
        return cast(list[dict[str, Any]], await connection.execute_fetchall(query, args or []))

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SharedConnectionTransaction:
        return SharedConnectionTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)

    async def close(self) -> None:
        checkpointing, self._checkpointing = self._checkpointing, None
        if checkpointing is not None and checkpointing.get_loop() is asyncio.get_running_loop():
            await asyncio.wait([checkpointing])  # a checkpoint in flight finishes first
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._connection is not None:
            connection, self._connection, self._loop, self._opening = self._connection, None, None, None
            await connection.close()


class SharedConnectionTransaction(SQLiteTransaction):
    __slots__ = ("_hold",)

    engine: SharedConnectionSQLiteEngine

    async def __aenter__(self) -> SharedConnectionTransaction:
        if self._parent is not None:
            return self._parent  # type: ignore[return-value]
        self._hold = self.engine.hold_connection()
        self.connection = await self._hold.__aenter__()
        try:
            await self.begin()
        except BaseException:
            await self._hold.__aexit__(None, None, None)
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception is not None:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                try:
                    await self.commit()
                except BaseException:
                    await self.rollback()
                    raise
        finally:
            self.engine.current_transaction.reset(self.context)
            await self._hold.__aexit__(None, None, None)
        return exception is None


def sqlite_path(url: str) -> str:
    """``sqlite:///var/x.db`` is relative to the working directory; ``sqlite:////abs`` is absolute."""
    path = unquote(url[len("sqlite:///") :])
    if not path:
        raise ExhibitionsError("the SQLite URL names no file")
    return path


def create_engine(settings: Settings) -> Engine:
    url = settings.database_url
    if settings.is_sqlite:
        path = sqlite_path(url)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if settings.sqlite_shared_connection:
            return SharedConnectionSQLiteEngine(path, lock_timeout=settings.sqlite_lock_timeout)
        return _StockSQLiteEngine(path)
    return PostgresEngine(config={"dsn": url.replace("postgres://", "postgresql://", 1)}, extensions=())


class _StockSQLiteEngine(SQLiteEngine):
    """Piccolo's engine as shipped (a connection per query), plus our pragmas; kept to
    measure against, never the default."""

    def __init__(self, path: str) -> None:
        super().__init__(path=path, timeout=BUSY_TIMEOUT_SECONDS)
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.close()

    async def close(self) -> None:
        return None


def bind_tables(engine: Engine) -> None:
    """Point every table of the app, and Piccolo's migration table, at ``engine``."""
    from exhibitions.piccolo_app import TABLES

    for table in [*TABLES, Migration]:
        table._meta.db = engine


async def _no_session_reset(connection: Any) -> None:
    """asyncpg's default sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`` each time a connection returns to the pool: a second round trip per
    request, a third of a check-in's time on PostgreSQL. Nothing here leaves session state
    on a pooled connection (no SET, LISTEN, cursor outside a transaction or session-level
    advisory lock; code that needs one takes a connection of its own). asyncpg still rolls
    back a transaction left open before calling this."""


class Database:
    """The engine of one process: ``start()`` after the server forks, ``stop()`` at shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = create_engine(settings)

    async def start(self) -> None:
        bind_tables(self.engine)
        if isinstance(self.engine, PostgresEngine):
            await self.engine.start_connection_pool(min_size=1, max_size=10, reset=_no_session_reset)

    async def stop(self) -> None:
        if isinstance(self.engine, PostgresEngine):
            await self.engine.close_connection_pool()
        elif isinstance(self.engine, SharedConnectionSQLiteEngine | _StockSQLiteEngine):
            await self.engine.close()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Database]:
        await self.start()
        try:
            yield self
        finally:
            await self.stop()


@lru_cache(maxsize=512)
def compiled(sql: str, engine_type: str) -> str:
    """``{}`` placeholders in the driver's spelling: ``?`` for sqlite3, ``$1``... for asyncpg."""
    if engine_type != "postgres":
        return sql.replace("{}", "?")
    pieces = sql.split("{}")
    return "".join(piece + (f"${number}" if number < len(pieces) else "") for number, piece in enumerate(pieces, 1))


async def fetch(engine: Engine, sql: str, *args: Any) -> list[Any]:
    """One statement outside any transaction, straight to the driver: for hot paths, where
    Piccolo's query plumbing costs more than the statement. Rows are mappings (dicts on
    SQLite, asyncpg Records on PostgreSQL). Inside a Piccolo transaction it runs in it."""
    transaction = engine.current_transaction.get()
    if transaction is not None:
        query = compiled(sql, engine.engine_type)
        if engine.engine_type == "postgres":
            return cast(list[Any], await transaction.connection.fetch(query, *args))
        return cast(list[Any], await transaction.connection.execute_fetchall(query, args))
    if isinstance(engine, SharedConnectionSQLiteEngine):
        query = compiled(sql, "sqlite")
        if _READ_ONLY.match(query):
            return engine.read(query, args)
        async with engine.hold_connection() as connection:
            return await connection.execute_fetchall(query, args)
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        async with engine.pool.acquire() as connection:
            return cast(list[Any], await connection.fetch(compiled(sql, "postgres"), *args))
    fallback: Any = engine  # the stock SQLite engine, or PostgreSQL before its pool opens
    return cast(list[Any], await fallback._run_in_new_connection(compiled(sql, engine.engine_type), list(args)))


def _immediate(raw: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """``work(raw)`` in one IMMEDIATE transaction: committed when it returns, rolled back
    when it (or the COMMIT) raises."""
    raw.execute("BEGIN IMMEDIATE")
    try:
        result = work(raw)
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise
    return result


async def run_in_transaction(engine: Engine, work: Callable[[sqlite3.Connection], T]) -> T:
    """SQLite: ``work`` in one IMMEDIATE transaction (see SharedConnectionSQLiteEngine)."""
    if isinstance(engine, SharedConnectionSQLiteEngine):
        return await engine.run_in_transaction(work)
    assert isinstance(engine, SQLiteEngine), "run_in_transaction is for SQLite"

    def on_own_connection() -> T:
        # Piccolo's stock engine (kept to measure against): a connection of its own.
        connection = sqlite3.connect(**{**engine.connection_kwargs, "isolation_level": None})
        connection.row_factory = dict_factory
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            return _immediate(connection, work)
        finally:
            connection.close()

    return await asyncio.to_thread(on_own_connection)


async def run_grouped(engine: Engine, work: Callable[[sqlite3.Connection], T]) -> T:
    """SQLite: ``work`` in a transaction shared with the works queued in the same turn of
    the event loop (see SharedConnectionSQLiteEngine.run_grouped)."""
    if isinstance(engine, SharedConnectionSQLiteEngine):
        return await engine.run_grouped(work)
    return await run_in_transaction(engine, work)


class TurnBatch(Generic[Item, T]):
    """Items submitted in the same turn of the event loop, handled together by one call of
    ``handle(items)``, which returns a result or an exception per item, in order. One call
    at a time per process: items submitted meanwhile make up the next call. Used where a
    round trip and a commit per item cost more than the work (check-in on PostgreSQL)."""

    def __init__(self, handle: Callable[[list[Item]], Any]) -> None:
        self._handle = handle
        self._pending: list[tuple[Item, asyncio.Future[T]]] = []
        self._lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        self._flushes: set[asyncio.Task[None]] = set()

    async def submit(self, item: Item) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append((item, future))
        if len(self._pending) == 1:
            task = loop.create_task(self._flush())
            self._flushes.add(task)  # a task nobody references may be collected mid-flight
            task.add_done_callback(self._flushes.discard)
        return await future

    def _loop_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock[0] is not loop:
            self._lock = (loop, asyncio.Lock())
        return self._lock[1]

    async def _flush(self) -> None:
        async with self._loop_lock():
            batch = [(item, future) for item, future in self._pending if not future.cancelled()]
            self._pending = []
            if not batch:
                return
            try:
                results = list(await self._handle([item for item, _ in batch]))
            except Exception as exc:
                results = [exc] * len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)


def write_transaction(engine: Engine) -> Any:
    """A transaction for read-then-write work: on SQLite it takes the write lock at BEGIN
    (IMMEDIATE), since a DEFERRED one that upgrades fails at once under concurrency."""
    if engine.engine_type == "sqlite":
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
