"""SQLite works that share one transaction (``run_grouped``): one failure never changes
another's outcome, results come after the COMMIT, and a work whose caller went away is
not run."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from exhibitions.db import SharedConnectionSQLiteEngine


@pytest.fixture
async def engine(tmp_path: Path) -> Any:
    # An engine of its own, on both suite runs: the mechanism is SQLite's whatever the
    # suite's database is.
    own = SharedConnectionSQLiteEngine(str(tmp_path / "grouped.sqlite3"))
    await own.run_ddl('CREATE TABLE "grouped" ("key" TEXT PRIMARY KEY)')
    yield own
    await own.close()


def _insert(key: str, fail: bool = False) -> Any:
    def work(connection: sqlite3.Connection) -> str:
        connection.execute('INSERT INTO "grouped" ("key") VALUES (?)', (key,))
        if fail:
            raise ValueError(key)
        return key

    return work


async def _keys(engine: SharedConnectionSQLiteEngine) -> list[str]:
    return [row["key"] for row in engine.read('SELECT "key" FROM "grouped" ORDER BY "key"')]


async def test_works_of_one_turn_share_a_transaction_and_a_failure_stays_its_own(
    engine: SharedConnectionSQLiteEngine,
) -> None:
    seen_committed: list[list[str]] = []

    async def run(key: str, fail: bool = False) -> str:
        result = await engine.run_grouped(_insert(key, fail))
        seen_committed.append(await _keys(engine))  # the reader sees committed rows only
        return result

    outcomes = await asyncio.gather(run("a"), run("b", fail=True), run("c"), run("a"), return_exceptions=True)
    assert [type(outcome).__name__ if isinstance(outcome, Exception) else outcome for outcome in outcomes] == [
        "a",
        "ValueError",
        "c",
        "IntegrityError",  # the second "a": the first one's row is there, as it would be one by one
    ]
    assert await _keys(engine) == ["a", "c"]
    assert all(keys == ["a", "c"] for keys in seen_committed)


async def test_a_work_whose_caller_was_cancelled_does_not_run(engine: SharedConnectionSQLiteEngine) -> None:
    async with engine.hold_connection():  # hold the writer, so that both works wait in the group
        first = asyncio.ensure_future(engine.run_grouped(_insert("x")))
        second = asyncio.ensure_future(engine.run_grouped(_insert("y")))
        await asyncio.sleep(0)
        first.cancel()
        await asyncio.sleep(0)
    assert await second == "y"
    assert first.cancelled()
    assert await _keys(engine) == ["y"]


async def test_the_works_of_one_turn_commit_together(engine: SharedConnectionSQLiteEngine) -> None:
    def sees_a_committed(connection: sqlite3.Connection) -> int:
        connection.execute('INSERT INTO "grouped" ("key") VALUES (?)', ("b",))
        return len(engine.read('SELECT "key" FROM "grouped" WHERE "key" = ?', ("a",)))

    inserted, committed_a_seen = await asyncio.gather(
        engine.run_grouped(_insert("a")), engine.run_grouped(sees_a_committed)
    )
    # Had "a" been committed on its own, the second work would have seen it.
    assert (inserted, committed_a_seen) == ("a", 0)
    assert await _keys(engine) == ["a", "b"]
