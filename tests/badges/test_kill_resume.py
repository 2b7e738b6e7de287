"""A badge batch that was running when its process was killed (SIGKILL) is taken over by the
next run, once its heartbeat is stale, and completes with every page: no half-written file,
no batch stuck in "running"."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from exhibitions.badges import services
from exhibitions.badges.schemas import BatchIn
from exhibitions.badges.tables import BadgeBatch, BadgeHolder
from exhibitions.settings import Settings
from tests.badges.badges_data import SLUG, organizer_actor
from tests.badges.test_batches import pdf_pages, pdf_text
from tests.conftest import NOW

BADGES = 240  # 60 A6 sheets in three chunks of 25: long enough to be killed in the middle

# The worker a deployment runs, as its own process: render what is due. ``offset`` moves its
# clock forward, standing for the minute a real restart waits before the claim is stale.
WORKER = """
import asyncio, sys
from datetime import timedelta
from exhibitions.badges import services
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.settings import Settings

async def main(offset):
    settings = Settings.from_env()
    async with Database(settings).running():
        batch = await services.claim_batch(now=utcnow() + timedelta(seconds=offset))
        if batch is not None:
            result = await services.render_claimed_batch(
                batch, base_url=settings.base_url, data_dir=settings.data_dir, processes=2
            )
            print(result.status, result.page_count)

asyncio.run(main(float(sys.argv[1])))
"""


def _worker(settings: Settings, data_dir: Path, offset: float) -> subprocess.Popen[str]:
    environment = {**os.environ, "EXHIBITIONS_DATABASE_URL": settings.database_url,
                   "EXHIBITIONS_DATA_DIR": str(data_dir), "EXHIBITIONS_BASE_URL": "http://testserver"}  # fmt: skip
    # Its own process group, so that the kill reaches the rendering processes it forks too.
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(offset)], env=environment, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


async def _batch(batch_id: int) -> dict[str, Any]:
    row = await BadgeBatch.select().where(BadgeBatch.id == batch_id).first()
    assert row is not None
    return row


async def test_a_batch_killed_mid_way_is_taken_over_and_completes(
    settings: Settings, exhibition: int, organizer: dict[str, Any], tmp_path: Path
) -> None:
    actor = organizer_actor(organizer)
    values = ", ".join("({}, 'press', {}, 'Agence MAP', 'fr', {}, {})" for _ in range(BADGES))
    args: list[Any] = []
    for n in range(BADGES):
        args += [exhibition, f"Journaliste {n:03d}", services.new_lead_id(), NOW]
    await BadgeHolder.raw(
        "INSERT INTO badge_holder (exhibition, role, full_name, organization_label, language, lead_id, created_at)"
        f" VALUES {values}",
        *args,
    )
    batch = await services.create_batch(slug=SLUG, data=BatchIn(role="press"), actor=actor, now=NOW)
    assert batch["total"] == BADGES

    first = _worker(settings, tmp_path, 0)
    deadline = time.monotonic() + 180
    try:
        while True:
            row = await _batch(batch["id"])
            if row["status"] == "running" and row["done"] > 0:
                break
            assert row["status"] in ("queued", "running"), row
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "no progress within 180 s"
            await asyncio.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL

    killed = await _batch(batch["id"])
    assert killed["status"] == "running"
    assert 0 < killed["done"] < BADGES
    assert (killed["attempts"], killed["file_path"]) == (1, None)
    assert not (tmp_path / "badges" / f"badges-{batch['id']}.pdf").exists()

    # Restarted at once, the worker leaves the claim alone: it may still be alive.
    too_soon = _worker(settings, tmp_path, 0)
    assert too_soon.wait(timeout=120) == 0
    assert (await _batch(batch["id"]))["attempts"] == 1

    # A minute later the claim is stale: the next worker takes it over and finishes.
    second = _worker(settings, tmp_path, services.STALE_AFTER.total_seconds() + 1)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert out.split() == ["done", str(BADGES // 4)]
    done = await _batch(batch["id"])
    assert (done["status"], done["done"], done["total"], done["attempts"]) == ("done", BADGES, BADGES, 2)
    assert done["page_count"] == BADGES // 4
    path = tmp_path / "badges" / str(done["file_path"])
    assert pdf_pages(path) == BADGES // 4
    text = pdf_text(path)
    assert "Journaliste 000" in text
    assert f"Journaliste {BADGES - 1:03d}" in text
    assert sum(f"Journaliste {n:03d}" in text for n in range(BADGES)) == BADGES
    print(f"killed at {killed['done']}/{BADGES}; resumed as attempt 2")
