"""Badge batches as jobs: created as rows, claimed once, rendered into N-up A4 sheets written
atomically; "new since the last batch"; failures recorded and retried; orphaned claims taken
over; the scheduler's job and the command line doing the same."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from exhibitions.badges import jobs, services
from exhibitions.badges.schemas import BatchIn, HolderIn, StaffBadgeIn
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.errors import Conflict, InvalidInput
from exhibitions.scheduler import JOBS, read_ticks
from exhibitions.settings import Settings
from tests.badges.badges_data import SLUG, exhibitor, organizer_actor
from tests.conftest import NOW

BASE_URL = "http://testserver"


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


async def _press(actor: Any, *names: str, language: str = "fr") -> list[dict[str, Any]]:
    return [
        await services.add_holder(
            slug=SLUG,
            data=HolderIn(role="press", full_name=name, organization_label="2M", language=language),
            actor=actor,
            now=NOW,
        )
        for name in names
    ]


async def test_a_batch_is_claimed_once_rendered_and_downloadable(
    exhibition: int, organizer: dict[str, Any], tmp_path: Path
) -> None:
    actor = organizer_actor(organizer)
    shop = await exhibitor(exhibition, 1, width_cm=600, depth_cm=600, name_latin="Coopérative Tighanimine",
                           email="coop1@test.ma")  # fmt: skip
    names = ["Fatima Zahra Amrani", "محمد الإدريسي", "Hassan Ait Ben Haddou", "Zineb El Khattabi", "Omar B."]
    for name in names:
        await services.request_staff_badge(
            application_id=shop.application_id, data=StaffBadgeIn(full_name=name), actor=shop.actor, now=NOW
        )
    await _press(actor, "Leïla Benali")
    batch = await services.create_batch(slug=SLUG, data=BatchIn(role="exhibitor_staff"), actor=actor, now=NOW)
    assert (batch["status"], batch["total"], batch["done"], batch["size"]) == ("queued", 5, 0, "a6")
    assert services.criteria_of(batch) == {"new_only": False, "organization_id": None, "role": "exhibitor_staff"}

    claimed = await services.claim_batch(now=utcnow())
    assert claimed is not None
    assert claimed["id"] == batch["id"]
    assert (claimed["status"], claimed["attempts"]) == ("running", 1)
    assert await services.claim_batch(now=utcnow()) is None  # nobody else gets it

    with pytest.raises(Conflict) as early:
        await services.batch_file(slug=SLUG, batch_id=batch["id"], actor=actor, data_dir=tmp_path)
    assert early.value.errors[0].code == "not_done"

    seen: list[tuple[int, int]] = []
    result = await services.render_claimed_batch(
        claimed, base_url=BASE_URL, data_dir=tmp_path, processes=1, on_progress=lambda d, t: seen.append((d, t))
    )
    assert (result.status, result.total, result.page_count) == ("done", 5, 2)  # 4 A6 badges per A4 sheet
    assert seen[-1] == (5, 5)
    row = await services.get_batch(slug=SLUG, batch_id=batch["id"], actor=actor)
    assert (row["status"], row["done"], row["total"], row["page_count"], row["error"]) == ("done", 5, 5, 2, "")
    path = await services.batch_file(slug=SLUG, batch_id=batch["id"], actor=actor, data_dir=tmp_path)
    assert path == tmp_path / "badges" / f"badges-{batch['id']}.pdf"
    assert pdf_pages(path) == 2
    text = pdf_text(path)
    for name in ("Fatima Zahra Amrani", "Hassan Ait Ben Haddou", "Zineb El Khattabi", "Omar B."):
        assert name in text.replace("\n", " ") or all(part in text for part in name.split())
    assert "Leïla" not in text  # press is another role
    assert not list((tmp_path / "badges").glob(".partial-*"))  # the temporary file was renamed


async def test_new_since_the_last_batch_takes_only_the_badges_in_no_batch(
    exhibition: int, organizer: dict[str, Any], tmp_path: Path
) -> None:
    actor = organizer_actor(organizer)
    await _press(actor, "Un", "Deux")
    first = await services.create_batch(slug=SLUG, data=BatchIn(new_only=True), actor=actor, now=NOW)
    assert first["total"] == 2
    with pytest.raises(InvalidInput) as nothing_new:
        await services.create_batch(slug=SLUG, data=BatchIn(new_only=True), actor=actor, now=NOW)
    assert [(e.field, e.code) for e in nothing_new.value.errors] == [("new_only", "empty")]
    await _press(actor, "Trois")
    second = await services.create_batch(slug=SLUG, data=BatchIn(new_only=True, size="label"), actor=actor, now=NOW)
    assert second["total"] == 1
    everything = await services.create_batch(slug=SLUG, data=BatchIn(), actor=actor, now=NOW)
    assert everything["total"] == 3
    with pytest.raises(InvalidInput) as no_vip:
        await services.create_batch(slug=SLUG, data=BatchIn(role="vip"), actor=actor, now=NOW)
    assert [(e.field, e.code) for e in no_vip.value.errors] == [("role", "empty")]

    rendered = await services.render_due_batches(base_url=BASE_URL, data_dir=tmp_path, processes=1)
    assert [(r.batch_id, r.status, r.page_count) for r in rendered] == [
        (first["id"], "done", 1), (second["id"], "done", 1), (everything["id"], "done", 1),
    ]  # fmt: skip
    holders = await services.list_holders(slug=SLUG, actor=actor)
    assert {row["full_name"]: int(row["batches"]) for row in holders.rows} == {"Un": 2, "Deux": 2, "Trois": 2}


async def test_a_failed_batch_records_its_error_and_a_retry_renders_it(
    exhibition: int, organizer: dict[str, Any], tmp_path: Path
) -> None:
    actor = organizer_actor(organizer)
    await _press(actor, "Samira Bennani")
    batch = await services.create_batch(slug=SLUG, data=BatchIn(), actor=actor, now=NOW)
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the data directory should be")
    [failed] = await services.render_due_batches(base_url=BASE_URL, data_dir=blocked, processes=1)
    assert failed.status == "failed"
    row = await services.get_batch(slug=SLUG, batch_id=batch["id"], actor=actor)
    assert row["status"] == "failed"
    assert row["error"].startswith(("FileExistsError", "NotADirectoryError"))
    assert row["finished_at"] is not None
    retried = await services.retry_batch(slug=SLUG, batch_id=batch["id"], actor=actor)
    assert (retried["status"], retried["error"], retried["attempts"], retried["done"]) == ("queued", "", 0, 0)
    with pytest.raises(Conflict) as twice:
        await services.retry_batch(slug=SLUG, batch_id=batch["id"], actor=actor)
    assert twice.value.errors[0].code == "not_failed"
    [done] = await services.render_due_batches(base_url=BASE_URL, data_dir=tmp_path, processes=1)
    assert (done.status, done.page_count) == ("done", 1)
    assert "Samira Bennani" in pdf_text(tmp_path / "badges" / f"badges-{batch['id']}.pdf")


async def test_an_orphaned_claim_is_taken_over_and_the_old_worker_cannot_write(
    exhibition: int, organizer: dict[str, Any], tmp_path: Path
) -> None:
    actor = organizer_actor(organizer)
    await _press(actor, "Nabil Ayouch", "Touria Chaoui")
    batch = await services.create_batch(slug=SLUG, data=BatchIn(), actor=actor, now=NOW)
    old = await services.claim_batch(now=utcnow())
    assert old is not None
    assert await services.claim_batch(now=utcnow() + timedelta(seconds=30)) is None  # still beating
    later = utcnow() + services.STALE_AFTER + timedelta(seconds=1)
    new = await services.claim_batch(now=later)
    assert new is not None
    assert (new["id"], new["attempts"]) == (batch["id"], 2)
    # The first worker comes back: its attempt is no longer the batch's, so it writes nothing.
    stale = await services.render_claimed_batch(old, base_url=BASE_URL, data_dir=tmp_path, processes=1)
    assert stale.status == "superseded"
    assert (await services.get_batch(slug=SLUG, batch_id=batch["id"], actor=actor))["status"] == "running"
    current = await services.render_claimed_batch(new, base_url=BASE_URL, data_dir=tmp_path, processes=1)
    assert (current.status, current.page_count) == ("done", 1)


async def test_a_batch_that_stopped_its_worker_too_often_fails(exhibition: int, organizer: dict[str, Any]) -> None:
    actor = organizer_actor(organizer)
    await _press(actor, "Encore")
    batch = await services.create_batch(slug=SLUG, data=BatchIn(), actor=actor, now=NOW)
    moment = utcnow()
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        claimed = await services.claim_batch(now=moment)
        assert claimed is not None
        assert claimed["attempts"] == attempt
        moment += services.STALE_AFTER + timedelta(seconds=1)
    assert await services.fail_exhausted_batches(now=moment) == 1
    row = await services.get_batch(slug=SLUG, batch_id=batch["id"], actor=actor)
    assert (row["status"], row["error"]) == ("failed", "the rendering stopped 3 times (the process ended); retry it")


async def test_the_scheduler_ticks_the_job(settings: Settings, exhibition: int, organizer: dict[str, Any],
                                           tmp_path: Path) -> None:  # fmt: skip
    assert JOBS["render_badge_batches"] is jobs.render_badge_batches
    assert [t.every_seconds for t in read_ticks() if t.job == "render_badge_batches"] == [5.0]
    actor = organizer_actor(organizer)
    await _press(actor, "Tick Tock")
    await services.create_batch(slug=SLUG, data=BatchIn(), actor=actor, now=NOW)
    from dataclasses import replace

    [result] = await jobs.render_badge_batches(replace(settings, data_dir=str(tmp_path)))
    assert (result.status, result.page_count) == ("done", 1)
    assert await jobs.render_badge_batches(replace(settings, data_dir=str(tmp_path))) == []


def _cli(settings: Settings, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "EXHIBITIONS_DATABASE_URL": settings.database_url,
                   "EXHIBITIONS_DATA_DIR": str(data_dir), "EXHIBITIONS_BASE_URL": BASE_URL}  # fmt: skip
    command = [str(Path(sys.executable).parent / "exhibitions"), "badges", *args]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=180, check=False)


async def test_the_command_line_prints_a_batch_with_the_same_services(
    settings: Settings, database: Database, exhibition: int, organizer: dict[str, Any], tmp_path: Path
) -> None:
    actor = organizer_actor(organizer)
    shop = await exhibitor(exhibition, 2, email="coop2@test.ma")
    for name in ("Abdelkader Sefrioui", "Malika Oufkir"):
        await services.request_staff_badge(
            application_id=shop.application_id, data=StaffBadgeIn(full_name=name), actor=shop.actor, now=NOW
        )
    await _press(actor, "Pas imprimée")
    output = tmp_path / "staff.pdf"
    done = _cli(settings, tmp_path, SLUG, "--role", "exhibitor", "--size", "label", "--output", str(output))
    assert done.returncode == 0, done.stderr
    assert "2 badge(s), 1 page(s)" in done.stdout
    assert pdf_pages(output) == 1
    text = pdf_text(output)
    assert "Sefrioui" in text
    assert "Oufkir" in text
    assert "Pas imprimée" not in text
    again = _cli(settings, tmp_path, SLUG, "--role", "exhibitor", "--new")
    assert (again.returncode, again.stderr.strip()) == (2, "error: new_only: no badge matches this choice")
    unknown = _cli(settings, tmp_path, "no-such-show")
    assert unknown.returncode == 2
    assert "no exhibition 'no-such-show'" in unknown.stderr
