"""The engines themselves: pragmas, isolation of the shared SQLite connection, the lock timeout."""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
from dataclasses import replace

import pytest
from piccolo.engine.postgres import PostgresEngine

from exhibitions.db import (
    Database,
    SharedConnectionSQLiteEngine,
    create_engine,
    sqlite_path,
    write_transaction,
)
from exhibitions.errors import DatabaseBusy
from exhibitions.events.tables import Venue
from exhibitions.settings import Settings


def test_engine_is_chosen_from_the_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    sqlite = create_engine(Settings(database_url=f"sqlite:///{tmp_path}/a/b.sqlite3"))
    assert isinstance(sqlite, SharedConnectionSQLiteEngine)
    assert (tmp_path / "a").is_dir()
    postgres = create_engine(Settings(database_url="postgresql://postgres@127.0.0.1:5432/test"))
    assert isinstance(postgres, PostgresEngine)
    assert postgres.config == {"dsn": "postgresql://postgres@127.0.0.1:5432/test"}


def test_sqlite_paths() -> None:
    assert sqlite_path("sqlite:///var/exhibitions.sqlite3") == "var/exhibitions.sqlite3"
    assert sqlite_path("sqlite:////srv/data/x.db") == "/srv/data/x.db"


async def test_connection_is_set_up_for_its_engine(database: Database) -> None:
    engine = database.engine
    if isinstance(engine, SharedConnectionSQLiteEngine):
        assert await engine.run_ddl("PRAGMA journal_mode") == [{"journal_mode": "wal"}]
        assert await engine.run_ddl("PRAGMA foreign_keys") == [{"foreign_keys": 1}]
        assert await engine.run_ddl("PRAGMA busy_timeout") == [{"timeout": 1000}]
    else:
        assert isinstance(engine, PostgresEngine)
        assert engine.pool is not None  # opened by Database.start(), as the app's lifespan does
        assert (engine.pool.get_min_size(), engine.pool.get_max_size()) == (1, 10)


async def test_concurrent_transactions_lose_nothing_and_leak_nothing(database: Database) -> None:
    async def insert(number: int) -> None:
        async with write_transaction(database.engine):
            await Venue.insert(Venue(name=f"Venue {number}", city="Fès"))
            await asyncio.sleep(0)  # let the other tasks try to interleave
            if number % 5 == 0:
                raise RuntimeError("roll this one back")

    results = await asyncio.gather(*(insert(n) for n in range(200)), return_exceptions=True)
    assert sum(isinstance(result, RuntimeError) for result in results) == 40
    rows = await Venue.select(Venue.name).where(Venue.city == "Fès")
    assert sorted(int(row["name"].split()[1]) for row in rows) == [n for n in range(200) if n % 5]


async def test_a_cancelled_transaction_leaves_nothing_behind(database: Database) -> None:
    started = asyncio.Event()

    async def slow_insert() -> None:
        async with write_transaction(database.engine):
            await Venue.insert(Venue(name="Half-written", city="Tanger"))
            started.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow_insert())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await Venue.count().where(Venue.city == "Tanger") == 0
    await Venue.insert(Venue(name="Next", city="Tanger"))  # the connection is usable again
    assert await Venue.count().where(Venue.city == "Tanger") == 1


async def test_waiting_on_itself_becomes_database_busy(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Code inside a transaction that awaits a query outside it (a task started in a fresh
    # context does not see the transaction) would otherwise wait forever.
    db = Database(replace(settings, database_url=f"sqlite:///{tmp_path}/busy.sqlite3", sqlite_lock_timeout=0.2))
    engine = db.engine
    assert isinstance(engine, SharedConnectionSQLiteEngine)
    try:
        async with engine.transaction():
            with pytest.raises(DatabaseBusy, match=r"waited 0.2s"):
                await asyncio.create_task(engine.run_ddl("PRAGMA user_version = 7"), context=contextvars.Context())
    finally:
        await engine.close()


async def test_reads_outside_a_transaction_neither_wait_for_it_nor_see_its_rows(database: Database) -> None:
    inside = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with write_transaction(database.engine):
            await Venue.insert(Venue(name="Uncommitted", city="Dakhla"))
            inside.set()
            await release.wait()

    task = asyncio.create_task(writer(), context=contextvars.Context())
    await inside.wait()
    # On SQLite this read runs on the query-only connection; on PostgreSQL on another pooled one.
    assert await asyncio.wait_for(Venue.count().where(Venue.city == "Dakhla"), timeout=2) == 0
    release.set()
    await task
    assert await Venue.count().where(Venue.city == "Dakhla") == 1


async def test_the_read_connection_refuses_writes(database: Database) -> None:
    engine = database.engine
    if isinstance(engine, SharedConnectionSQLiteEngine):
        with pytest.raises(sqlite3.OperationalError, match="attempt to write a readonly database"):
            engine._read_connection().execute("INSERT INTO venue (name, city) VALUES ('x', 'y')")
    else:
        assert isinstance(engine, PostgresEngine)
    assert await Venue.count() == 0


async def test_first_use_by_many_tasks_at_once_opens_one_connection(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(replace(settings, database_url=f"sqlite:///{tmp_path}/first.sqlite3"))
    engine = db.engine
    assert isinstance(engine, SharedConnectionSQLiteEngine)
    try:
        statements = asyncio.gather(*(engine.run_ddl(f"PRAGMA user_version = {n}") for n in range(50)))
        await asyncio.wait_for(statements, timeout=10)  # two openings once left a lock held forever
        opened = engine._connection
        await asyncio.gather(*(engine.run_ddl("CREATE TABLE IF NOT EXISTS t (x)") for _ in range(50)))
        assert engine._connection is opened
        assert await engine.run_ddl("PRAGMA user_version") == [{"user_version": 49}]
    finally:
        await engine.close()
