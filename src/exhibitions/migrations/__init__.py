"""One migration history for every domain, applied the same way on SQLite and PostgreSQL.

Each ``mNNNN_*.py`` module holds ``ID`` and ``SQL``: hand-written DDL with a few
placeholders for what the two engines spell differently. A module may add ``POSTGRES``, a
list of whole statements run on PostgreSQL only, as written (function bodies hold
semicolons and braces), and ``SQLITE``, the same for SQLite (trigger bodies). We write DDL by hand because
the constraints are the point (checks, partial and expression indexes), and Piccolo's
auto-migrations on SQLite have been seen to skip changes silently. Applied migrations
are recorded in Piccolo's own ``migration`` table, one transaction per migration, so a
failure leaves the schema as it was.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.sqlite import TransactionType

from exhibitions.events.regions import all_regions

APP_NAME = "exhibitions"

_DIALECT = {
    "sqlite": {"pk": "INTEGER PRIMARY KEY NOT NULL"},
    "postgres": {"pk": "SERIAL PRIMARY KEY NOT NULL"},
}


@dataclass(frozen=True)
class MigrationModule:
    id: str
    sql: str
    postgres_only: tuple[str, ...] = ()
    sqlite_only: tuple[str, ...] = ()

    def statements(self, engine_type: str) -> list[str]:
        rendered = self.sql.format(**_DIALECT[engine_type], regions=_region_codes_sql())
        lines = [line for line in rendered.splitlines() if not line.strip().startswith("--")]
        statements = [stmt.strip() for stmt in "\n".join(lines).split(";") if stmt.strip()]
        only = {"postgres": self.postgres_only, "sqlite": self.sqlite_only}[engine_type]
        return statements + list(only)


def _region_codes_sql() -> str:
    # Frozen into the DDL when the migration runs; a new region would need a new migration.
    return ", ".join(f"'{region.code}'" for region in all_regions())


def discover() -> list[MigrationModule]:
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("m"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            modules.append(
                MigrationModule(
                    id=module.ID,
                    sql=module.SQL,
                    postgres_only=tuple(getattr(module, "POSTGRES", ())),
                    sqlite_only=tuple(getattr(module, "SQLITE", ())),
                )
            )
    return sorted(modules, key=lambda m: m.id)


async def applied_ids() -> set[str]:
    await Migration.create_table(if_not_exists=True)
    return set(await Migration.get_migrations_which_ran(app_name=APP_NAME))


async def apply_migrations(engine: Engine, on_applied: Callable[[str], None] | None = None) -> list[str]:
    """Apply every pending migration; return the ids applied, in order."""
    done = await applied_ids()
    applied = []
    for module in discover():
        if module.id in done:
            continue
        async with _migration_transaction(engine):
            if engine.engine_type == "postgres":
                # Two processes migrating at once: the second waits, then sees the row.
                await engine.run_ddl("SELECT pg_advisory_xact_lock(7357001)")
                if module.id in await Migration.get_migrations_which_ran(app_name=APP_NAME):
                    continue
            for statement in module.statements(engine.engine_type):
                await engine.run_ddl(statement)
            await Migration.insert(Migration(name=module.id, app_name=APP_NAME))
        applied.append(module.id)
        if on_applied:
            on_applied(module.id)
    return applied


def _migration_transaction(engine: Engine):  # type: ignore[no-untyped-def]
    if engine.engine_type == "sqlite":
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
