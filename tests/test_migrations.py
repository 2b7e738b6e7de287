"""The one migration history builds the schema the tables describe, on SQLite and PostgreSQL,
and the schema itself refuses what must never be stored."""

from __future__ import annotations

from datetime import date, time

import pytest

from exhibitions.db import Database
from exhibitions.migrations import applied_ids, apply_migrations, discover
from exhibitions.piccolo_app import TABLES


async def _columns(database: Database, table: str) -> set[str]:
    if database.engine.engine_type == "sqlite":
        rows = await database.engine.run_ddl(f'PRAGMA table_info("{table}")')
        return {row["name"] for row in rows}
    rows = await database.engine.run_ddl(
        f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'"
    )
    return {row["column_name"] for row in rows}


async def test_every_migration_is_recorded_and_a_second_run_applies_nothing(database: Database) -> None:
    assert await applied_ids() == {module.id for module in discover()}
    assert await apply_migrations(database.engine) == []


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table._meta.tablename)
async def test_schema_has_exactly_the_columns_of_the_table_class(database: Database, table) -> None:  # type: ignore[no-untyped-def]
    expected = {column._meta.db_column_name for column in table._meta.columns}
    assert await _columns(database, table._meta.tablename) == expected


async def _insert_exhibition(database: Database, **overrides: object) -> None:
    await database.engine.run_ddl("INSERT INTO venue (name, city) VALUES ('V', 'Rabat') ON CONFLICT DO NOTHING")
    values = {
        "slug": "'x-2027'",
        "kind": "'national'",
        "region": "NULL",
        "title_ar": "'ع'",
        "title_fr": "'f'",
        "title_en": "'e'",
        "venue": "(SELECT id FROM venue WHERE name = 'V')",
        "starts_on": f"'{date(2027, 5, 7)}'",
        "ends_on": f"'{date(2027, 5, 9)}'",
        "opens_at": f"'{time(10)}'",
        "closes_at": f"'{time(20)}'",
    }
    values.update({key: str(value) for key, value in overrides.items()})
    columns = ", ".join(f'"{name}"' for name in values)
    await database.engine.run_ddl(f"INSERT INTO exhibition ({columns}) VALUES ({', '.join(values.values())})")


async def test_a_valid_row_is_accepted(database: Database) -> None:
    await _insert_exhibition(database)
    rows = await database.engine.run_ddl("SELECT slug, status FROM exhibition")
    assert [dict(row) for row in rows] == [{"slug": "x-2027", "status": "draft"}]


@pytest.mark.parametrize(
    "overrides",
    [
        {"ends_on": "'2027-05-01'"},
        {"closes_at": "'09:00:00'"},
        {"kind": "'regional'"},
        {"kind": "'regional'", "region": "'MA-13'"},
        {"kind": "'fair'"},
        {"title_fr": "''"},
        {"venue": "999999"},
    ],
    ids=[
        "ends-before-start",
        "closes-before-open",
        "regional-without-region",
        "unknown-region",
        "unknown-kind",
        "blank-title",
        "missing-venue",
    ],
)
async def test_the_schema_refuses_what_the_rules_forbid(database: Database, overrides: dict[str, str]) -> None:
    with pytest.raises(Exception, match=r"(?i)constraint|violates|check|foreign key"):
        await _insert_exhibition(database, **overrides)
    assert [dict(row) for row in await database.engine.run_ddl("SELECT COUNT(*) AS n FROM exhibition")] == [{"n": 0}]


async def test_a_global_role_can_be_granted_only_once(database: Database) -> None:
    await database.engine.run_ddl("INSERT INTO app_user (email, password_hash) VALUES ('a@example.ma', 'x')")
    grant = "INSERT INTO role_grant (\"user\", exhibition, role) VALUES ((SELECT id FROM app_user), NULL, 'organizer')"
    await database.engine.run_ddl(grant)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await database.engine.run_ddl(grant)


async def test_emails_are_stored_lower_case(database: Database) -> None:
    with pytest.raises(Exception, match=r"(?i)constraint|check"):
        await database.engine.run_ddl("INSERT INTO app_user (email, password_hash) VALUES ('A@Example.ma', 'x')")


async def _unindexed_ticket_references(database: Database) -> list[str]:
    """Columns that reference ``ticket.id`` without a full index led by that column."""
    engine = database.engine
    if engine.engine_type == "postgres":
        rows = await engine.run_ddl(
            "SELECT c.conrelid::regclass::text AS tbl, a.attname AS col"
            " FROM pg_constraint c"
            " JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attname = 'id'"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid"
            "  AND a.attnum = c.conkey[array_position(c.confkey, r.attnum)]"
            " WHERE c.contype = 'f' AND c.confrelid = 'ticket'::regclass"
            " AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid"
            "  AND i.indpred IS NULL AND i.indkey[0] = a.attnum)"
        )
        return sorted(f"{row['tbl'].strip(chr(34))}.{row['col']}" for row in rows)
    tables = [row["name"] for row in await engine.run_ddl("SELECT name FROM sqlite_master WHERE type = 'table'")]
    unindexed = []
    for table in tables:
        references = await engine.run_ddl(f'PRAGMA foreign_key_list("{table}")')
        # A composite reference (ticket, exhibition) is found through its ticket id.
        ticket_columns = {row["from"] for row in references if row["table"] == "ticket" and row["to"] == "id"}
        leading = set()
        for index in await engine.run_ddl(f'PRAGMA index_list("{table}")'):
            columns = await engine.run_ddl(f'PRAGMA index_info("{index["name"]}")')
            if not index["partial"] and columns:
                leading.add(columns[0]["name"])
        unindexed += [f"{table}.{column}" for column in sorted(ticket_columns - leading)]
    return sorted(unindexed)


async def test_every_reference_to_a_ticket_is_indexed(database: Database) -> None:
    """Deleting or replacing a ticket finds its rows in every referring table: without a full
    index led by the ticket column, each deleted ticket reads a whole table (the scan log)."""
    assert await _unindexed_ticket_references(database) == []
