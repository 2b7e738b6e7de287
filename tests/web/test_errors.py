"""How failures that no service names still become clear answers, never a bare 500."""

from __future__ import annotations

import sqlite3

import asyncpg

from exhibitions.errors import NotFound
from exhibitions.web.errors import _classify


def test_our_errors_keep_their_status_and_fields() -> None:
    assert _classify(NotFound("no exhibition 'x'")) == (404, "not-found", "Not found", "no exhibition 'x'", [], None)


def test_a_locked_sqlite_database_is_a_503_to_retry() -> None:
    assert _classify(sqlite3.OperationalError("database is locked")) == (
        503,
        "database-busy",
        "The database is busy; try again in a moment",
        "the database stayed locked",
        [],
        {"Retry-After": "1"},
    )


def test_constraint_violations_are_409() -> None:
    for error in (sqlite3.IntegrityError("CHECK constraint failed"), asyncpg.UniqueViolationError("duplicate key")):
        status, problem, *_ = _classify(error)
        assert (status, problem) == (409, "constraint-violation")


def test_values_postgresql_refuses_are_422() -> None:
    status, problem, _, detail, errors, _ = _classify(asyncpg.NumericValueOutOfRangeError("out of range"))
    assert (status, problem, detail, errors) == (
        422,
        "invalid-input",
        "a value is out of range or holds characters the database refuses",
        [],
    )


def test_anything_else_is_a_500_without_internals() -> None:
    assert _classify(RuntimeError("secret internals")) == (
        500,
        "internal-error",
        "Internal server error",
        "an unexpected error occurred; it has been logged",
        [],
        None,
    )
