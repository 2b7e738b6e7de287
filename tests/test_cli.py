"""The ``exhibitions`` command, run as a user runs it: a separate process on the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from exhibitions.db import Database
from exhibitions.settings import Settings

EXHIBITIONS = str(Path(sys.executable).parent / "exhibitions")


def _run(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "EXHIBITIONS_DATABASE_URL": settings.database_url, **env}
    return subprocess.run(
        [EXHIBITIONS, *args], capture_output=True, text=True, env=environment, timeout=60, check=False
    )


def test_migrate_demo_organizer_and_token(settings: Settings, database: Database) -> None:
    migrated = _run(settings, "migrate")
    assert (migrated.returncode, migrated.stdout) == (0, "Database is up to date (0 migration(s) applied).\n")

    demo = _run(settings, "demo")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.splitlines()[0] == "Demo data: 3 exhibition(s) created, 0 already there."
    assert demo.stdout.splitlines()[-2:] == [
        "Demo organizer: organizer@example.ma / demo-organizer-password",
        "Demo exhibitor: exposante@example.ma / demo-exhibitor-password",
    ]
    assert _run(settings, "demo").stdout.splitlines()[0] == "Demo data: 0 exhibition(s) created, 3 already there."

    created = _run(
        settings, "create-organizer", "Nadia@Coop.ma", "--name", "Nadia", EXHIBITIONS_NEW_PASSWORD="a-long-password"
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("Organizer Nadia@Coop.ma created (user ")

    again = _run(settings, "create-organizer", "nadia@coop.ma", EXHIBITIONS_NEW_PASSWORD="a-long-password")
    assert (again.returncode, again.stderr) == (2, "error: a user with e-mail nadia@coop.ma already exists\n")

    short = _run(settings, "create-organizer", "amina@coop.ma", EXHIBITIONS_NEW_PASSWORD="short")
    assert (short.returncode, short.stderr) == (2, "error: password: must be at least 10 characters\n")

    token = _run(settings, "create-token", "nadia@coop.ma", "--name", "sync")
    assert token.returncode == 0
    assert token.stdout.startswith("exp_")
    assert len(token.stdout.strip()) == 47


def test_production_refuses_demo_data_and_the_default_key(settings: Settings) -> None:
    refused = _run(settings, "demo", EXHIBITIONS_ENV="production", EXHIBITIONS_SECRET_KEY="x" * 40)
    assert refused.returncode == 1
    assert "demo data is for development" in refused.stderr
    default_key = _run(settings, "migrate", EXHIBITIONS_ENV="production")
    assert default_key.returncode == 1
    assert "EXHIBITIONS_SECRET_KEY is still the development default" in default_key.stderr
