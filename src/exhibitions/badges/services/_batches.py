"""Badge batches: a print run is a row, rendered in the background by the scheduler.

- ``create_batch`` freezes the holders it prints (``badge_batch_item``), so a retry renders
  the same badges; "new since the last batch" is "in no batch yet". Two organizers asking
  for the new ones at once take turns (a transaction-scoped advisory lock per exhibition on
  PostgreSQL; the IMMEDIATE transaction on SQLite), so nobody is in both batches.
- ``claim_batch`` takes the oldest queued batch, or a running one whose worker stopped
  beating (the process died), with one conditional ``UPDATE … RETURNING``: two workers never
  render the same batch. Each claim bumps ``attempts``; every write of the worker names its
  attempt, so a worker that was presumed dead and comes back cannot overwrite the new one.
- ``render_claimed_batch`` renders with ``badges.rendering.render_sheet`` in a worker thread
  (the sheet itself may fork processes), reports progress at most every second, beats a
  heartbeat meanwhile, writes the file atomically (temporary file, then rename) and marks the
  batch done; an exception marks it failed with its text, and ``retry_batch`` queues it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.badges.schemas import BatchIn
from exhibitions.badges.services._common import db, organizers_exhibition, raw, user_of
from exhibitions.badges.services._documents import badge_views
from exhibitions.clock import utcnow
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound

# A running batch whose heartbeat is older than this is taken to be orphaned.
STALE_AFTER = timedelta(seconds=60)
HEARTBEAT_SECONDS = 10.0
PROGRESS_SECONDS = 1.0
# A batch that stopped its worker this many times (killed, out of memory) is failed, not retried forever.
MAX_ATTEMPTS = 3
_ITEMS_PER_INSERT = 300
_ADVISORY_NAMESPACE = 7357021


@dataclass(frozen=True)
class RenderedBatch:
    batch_id: int
    status: str
    total: int
    page_count: int | None
    path: Path | None
    error: str = ""


def batch_directory(data_dir: str | Path) -> Path:
    return Path(data_dir) / "badges"


def criteria_of(batch: dict[str, Any]) -> dict[str, Any]:
    criteria: dict[str, Any] = json.loads(batch["criteria"])
    return criteria


_SELECTION = """
SELECT h.id FROM badge_holder h LEFT JOIN organization o ON o.id = h.organization
WHERE h.exhibition = {}"""


async def create_batch(*, slug: str, data: BatchIn, actor: Actor | None, now: datetime) -> dict[str, Any]:
    """A queued batch of the badges chosen by ``data``; InvalidInput ``empty`` when none is."""
    exhibition = await organizers_exhibition(slug, actor)
    where, args = "", list[Any]()
    if data.role:
        where += " AND h.role = {}"
        args.append(data.role)
    if data.organization_id:
        where += " AND h.organization = {}"
        args.append(data.organization_id)
    if data.new_only:
        where += " AND NOT EXISTS (SELECT 1 FROM badge_batch_item i WHERE i.holder = h.id)"
    criteria = json.dumps(
        {"role": data.role, "organization_id": data.organization_id, "new_only": data.new_only}, sort_keys=True
    )
    engine = db()
    async with write_transaction(engine):
        if engine.engine_type == "postgres":
            await raw("SELECT pg_advisory_xact_lock({}, {})", _ADVISORY_NAMESPACE, exhibition["id"])
        # Sorted as they are cut and handed out: by organization, then name.
        holders = await raw(
            _SELECTION + where + " ORDER BY COALESCE(o.name_latin, o.name_ar, h.organization_label), "
            "LOWER(h.full_name), h.id",
            exhibition["id"], *args,
        )  # fmt: skip
        if not holders:
            field = "new_only" if data.new_only else ("organization_id" if data.organization_id else "role")
            raise InvalidInput.single(field, "empty", "no badge matches this choice")
        batch = (
            await raw(
                "INSERT INTO badge_batch (exhibition, criteria, size, status, total, created_by, created_at)"
                " VALUES ({}, {}, {}, 'queued', {}, {}, {}) RETURNING *",
                exhibition["id"],
                criteria,
                data.size,
                len(holders),
                user_of(actor),
                now,
            )
        )[0]
        ids = [row["id"] for row in holders]
        for start in range(0, len(ids), _ITEMS_PER_INSERT):
            chunk = ids[start : start + _ITEMS_PER_INSERT]
            values = ", ".join("({}, {}, {})" for _ in chunk)
            flat = [value for offset, holder in enumerate(chunk) for value in (batch["id"], holder, start + offset)]
            await raw(f"INSERT INTO badge_batch_item (batch, holder, position) VALUES {values}", *flat)  # noqa: S608
    return batch


_BATCHES = "SELECT b.* FROM badge_batch b WHERE b.exhibition = {}"


async def list_batches(*, slug: str, actor: Actor | None, limit: int = 50) -> list[dict[str, Any]]:
    exhibition = await organizers_exhibition(slug, actor)
    return await raw(_BATCHES + " ORDER BY b.created_at DESC, b.id DESC LIMIT {}", exhibition["id"], limit)


async def get_batch(*, slug: str, batch_id: int, actor: Actor | None) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    rows = await raw(_BATCHES + " AND b.id = {}", exhibition["id"], batch_id)
    if not rows:
        raise NotFound(f"no badge batch {batch_id}")
    return rows[0]


async def batch_file(*, slug: str, batch_id: int, actor: Actor | None, data_dir: str | Path) -> Path:
    """The finished batch's PDF; Conflict ``not_done`` before it is."""
    batch = await get_batch(slug=slug, batch_id=batch_id, actor=actor)
    if batch["status"] != "done" or not batch["file_path"]:
        reason = "this batch is not rendered yet"
        raise Conflict(reason, errors=[FieldError("status", "not_done", reason)])
    path = batch_directory(data_dir) / str(batch["file_path"])
    if not path.is_file():
        raise NotFound(f"the file of badge batch {batch_id} is gone; retry it")
    return path


async def retry_batch(*, slug: str, batch_id: int, actor: Actor | None) -> dict[str, Any]:
    """A failed batch queued again with a fresh set of attempts; Conflict if it is not failed."""
    exhibition = await organizers_exhibition(slug, actor)
    rows = await raw(
        "UPDATE badge_batch SET status = 'queued', done = 0, error = '', attempts = 0, claimed_at = NULL,"
        " heartbeat_at = NULL, finished_at = NULL WHERE id = {} AND exhibition = {} AND status = 'failed'"
        " RETURNING *",
        batch_id, exhibition["id"],
    )  # fmt: skip
    if not rows:
        await get_batch(slug=slug, batch_id=batch_id, actor=actor)  # NotFound when there is none
        reason = "only a failed batch can be retried"
        raise Conflict(reason, errors=[FieldError("status", "not_failed", reason)])
    return rows[0]


async def fail_exhausted_batches(*, now: datetime) -> int:
    """Orphaned batches that already stopped their worker MAX_ATTEMPTS times: failed."""
    rows = await raw(
        "UPDATE badge_batch SET status = 'failed', finished_at = {},"
        " error = 'the rendering stopped ' || attempts || ' times (the process ended); retry it'"
        " WHERE status = 'running' AND heartbeat_at < {} AND attempts >= {} RETURNING id",
        now, now - STALE_AFTER, MAX_ATTEMPTS,
    )  # fmt: skip
    return len(rows)


async def claim_batch(*, now: datetime, batch_id: int | None = None) -> dict[str, Any] | None:
    """Claim the oldest queued or orphaned batch (or ``batch_id``), or None. The WHERE is
    re-checked on the row itself, so of two workers racing for one batch, one gets it."""
    stale = now - STALE_AFTER
    claimable = "(status = 'queued' OR (status = 'running' AND heartbeat_at < {}))"
    pick = f"SELECT id FROM badge_batch WHERE {claimable}"  # noqa: S608 - fixed text
    pick_args: list[Any] = [stale]
    if batch_id is not None:
        pick += " AND id = {}"
        pick_args.append(batch_id)
    rows = await raw(
        "UPDATE badge_batch SET status = 'running', done = 0, error = '', attempts = attempts + 1,"  # noqa: S608 - fixed text and placeholders
        " claimed_at = {}, heartbeat_at = {}"
        f" WHERE id = ({pick} ORDER BY created_at, id LIMIT 1) AND {claimable} RETURNING *",
        now, now, *pick_args, stale,
    )  # fmt: skip
    return rows[0] if rows else None


async def _progress(batch_id: int, attempt: int, done: int) -> None:
    await raw(
        "UPDATE badge_batch SET done = {}, heartbeat_at = {} WHERE id = {} AND status = 'running' AND attempts = {}"
        " AND {} <= total",
        done, utcnow(), batch_id, attempt, done,
    )  # fmt: skip


async def _heartbeat(batch_id: int, attempt: int) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        await raw(
            "UPDATE badge_batch SET heartbeat_at = {} WHERE id = {} AND status = 'running' AND attempts = {}",
            utcnow(), batch_id, attempt,
        )  # fmt: skip


def _write_atomically(directory: Path, name: str, content: bytes) -> Path:
    """Temporary file in the same directory, flushed, then renamed: a reader (or a crash)
    sees the whole PDF or none."""
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        final = directory / name
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return final


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF we rendered (pypdf reads it; WeasyPrint's may use object streams)."""
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _render(views: list[Any], size: str, progress: Callable[..., None], processes: int | None) -> bytes:
    from exhibitions.badges.rendering import render_sheet

    pdf: bytes = render_sheet(views, size=size, cut_marks=True, progress=progress, processes=processes)  # type: ignore[arg-type]
    return pdf


async def render_claimed_batch(
    batch: dict[str, Any], *, base_url: str, data_dir: str | Path, processes: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> RenderedBatch:  # fmt: skip
    """Render a batch this worker claimed; done or failed when it returns."""
    batch_id, attempt, total = int(batch["id"]), int(batch["attempts"]), int(batch["total"])
    loop = asyncio.get_running_loop()
    last_report = [0.0]
    pending: set[Any] = set()

    def progress(done: int, *_: Any) -> None:
        # Called from the rendering thread: hand the write to the loop, at most once a second.
        if on_progress is not None:
            loop.call_soon_threadsafe(on_progress, done, total)
        now = time.monotonic()
        if now - last_report[0] < PROGRESS_SECONDS or done >= total:
            return
        last_report[0] = now
        pending.add(asyncio.run_coroutine_threadsafe(_progress(batch_id, attempt, done), loop))

    heartbeat = asyncio.create_task(_heartbeat(batch_id, attempt))
    try:
        views = await badge_views(batch_id=batch_id, base_url=base_url)
        if not views:
            raise RuntimeError("every badge of this batch was deleted")
        pdf = await asyncio.to_thread(_render, views, batch["size"], progress, processes)
        pages = count_pages(pdf)
        name = f"badges-{batch_id}.pdf"
        directory = batch_directory(data_dir)
        path: Path = await asyncio.to_thread(_write_atomically, directory, name, pdf)
        for future in pending:
            with contextlib.suppress(Exception):
                await asyncio.wrap_future(future)
        rows = await raw(
            "UPDATE badge_batch SET status = 'done', done = total, total = total, file_path = {}, page_count = {},"
            " finished_at = {} WHERE id = {} AND status = 'running' AND attempts = {} RETURNING id",
            name, pages, utcnow(), batch_id, attempt,
        )  # fmt: skip
        return RenderedBatch(batch_id, "done" if rows else "superseded", total, pages, path)
    except Exception as exc:  # the batch records why; the next tick goes on with the others
        error = f"{type(exc).__name__}: {exc}"[:2000]
        await raw(
            "UPDATE badge_batch SET status = 'failed', error = {}, finished_at = {}"
            " WHERE id = {} AND status = 'running' AND attempts = {}",
            error, utcnow(), batch_id, attempt,
        )  # fmt: skip
        return RenderedBatch(batch_id, "failed", total, None, None, error)
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat


async def render_due_batches(
    *, base_url: str, data_dir: str | Path, max_batches: int = 10, processes: int | None = None
) -> list[RenderedBatch]:
    """Render the queued (and orphaned) batches, oldest first: what the scheduler ticks."""
    await fail_exhausted_batches(now=utcnow())
    rendered = []
    for _ in range(max_batches):
        batch = await claim_batch(now=utcnow())
        if batch is None:
            break
        rendered.append(await render_claimed_batch(batch, base_url=base_url, data_dir=data_dir, processes=processes))
    return rendered
