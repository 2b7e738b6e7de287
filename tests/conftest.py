"""One real database per test run, built by running the migrations.

SQLite (a temporary file) by default; PostgreSQL when ``EXHIBITIONS_DATABASE_URL`` is a
``postgresql://`` URL, in which case a fresh database is created beside the one named
and dropped at the end. Every test starts from empty tables.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import asyncpg
import httpx
import pytest
from hypothesis import settings as hypothesis_settings
from litestar import Litestar

from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import TokenKind
from exhibitions.app import create_app
from exhibitions.cache import clear_all_caches
from exhibitions.db import Database
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionUpdate
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.migrations import apply_migrations
from exhibitions.piccolo_app import TABLES
from exhibitions.settings import Settings
from tests.factories import FIRST_DAY, LAST_DAY, exhibition_create

# CI (HYPOTHESIS_PROFILE=ci, set by .ci/run) tries the same generated examples on every run:
# a gate must not fail at random. Runs on a developer's machine keep drawing new examples,
# which is where the property tests find what nobody thought of (a typed "\\N" in a title).
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ORGANIZER_EMAIL = "organizer@test.ma"
ORGANIZER_PASSWORD = "organizer-password-1"


def _postgres_url() -> str | None:
    url = os.environ.get("EXHIBITIONS_DATABASE_URL", "")
    return url if url.startswith(("postgresql://", "postgres://")) else None


def _with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    server_url = _postgres_url()
    if server_url is None:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    name = f"exhibitions_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_url.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield _with_database(server_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # No rate limit: the suite posts far more than a visitor; tests/web/test_limits.py checks it.
    return replace(
        Settings(), database_url=database_url, base_url="http://testserver", public_rate_limit=0, scheduler="off"
    )


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = Database(settings)
    async with db.running():
        await apply_migrations(db.engine)
        yield db


async def _empty_tables(db: Database) -> None:
    if db.engine.engine_type == "postgres":
        # One TRUNCATE: DELETE checks each removed row's foreign keys, and after the demo's
        # past edition (56,000 tickets) that took minutes per test on PostgreSQL.
        names = ", ".join(f'"{table._meta.tablename}"' for table in TABLES)
        await db.engine.run_ddl(f"TRUNCATE {names} CASCADE")
        return
    # Children before parents, so that no foreign key refuses the delete. Group members
    # first: SQLite applies a leader's ON DELETE SET NULL row by row, and a member without a
    # leader breaks the ticket_reachable check.
    await db.engine.run_ddl('DELETE FROM "ticket" WHERE "group_leader" IS NOT NULL')
    for table in reversed(TABLES):
        await db.engine.run_ddl(f'DELETE FROM "{table._meta.tablename}"')


@pytest.fixture(autouse=True)
async def clean_database(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    if "database" not in request.fixturenames and "client" not in request.fixturenames:
        yield
        return
    db: Database = request.getfixturevalue("database")
    yield
    from exhibitions.db import bind_tables

    bind_tables(db.engine)  # a CLI test may have pointed the tables at its own engine
    await _empty_tables(db)
    clear_all_caches()  # SQLite gives the next test's rows the same ids


@pytest.fixture(scope="session")
def app(settings: Settings, database: Database) -> Litestar:
    # The test owns the database, so the app's lifespan has nothing to open: it is not
    # entered (anyio's cancel scopes cannot span pytest's setup and teardown tasks).
    return create_app(settings, database=database)


@pytest.fixture
async def client(app: Litestar, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def organizer(database: Database) -> dict[str, Any]:
    """An organizer of every exhibition, with a personal API token."""
    user_id = await account_services.create_organizer(
        email=ORGANIZER_EMAIL, password=ORGANIZER_PASSWORD, now=NOW, display_name="Organisatrice"
    )
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW, name="tests")
    return {"id": user_id, "email": ORGANIZER_EMAIL, "token": token, "headers": {"Authorization": f"Bearer {token}"}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(settings: Settings, database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by `exhibitions serve` in its own process, on the test database."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    log = log_path.open("wb")
    environment = {
        **os.environ,
        "EXHIBITIONS_DATABASE_URL": settings.database_url,
        "EXHIBITIONS_BASE_URL": f"http://127.0.0.1:{port}",
        "EXHIBITIONS_PUBLIC_RATE_LIMIT": "0",
        # Tests deliver mail by calling the service; a ticking server would race them for the outbox.
        "EXHIBITIONS_SCHEDULER": "off",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "exhibitions"), "serve", "--port", str(port)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    # Generous: on a loaded 2-core machine importing the app alone has taken 20-35 s.
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"the server did not start:\n{log_path.read_text()}")
        time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture
async def exhibition(organizer: dict[str, Any]) -> int:
    """A published exhibition that takes registrations (it starts 30 days from today)."""
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    upcoming = exhibition_create(starts_on=FIRST_DAY, ends_on=LAST_DAY)
    await event_services.create_exhibition(data=upcoming, actor=actor, now=NOW)
    await event_services.update_exhibition(
        slug="sess-2027", changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=actor, now=NOW
    )
    detail = await event_services.get_exhibition_detail(slug="sess-2027", actor=None)
    return int(detail.row["id"])


@pytest.fixture
def artifacts_dir() -> Path:
    """Screenshots and rendered samples a person can look at after the run."""
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
