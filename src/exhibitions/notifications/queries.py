"""What an operator reads about the outbox."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from exhibitions.notifications.tables import Outbox, OutboxStatus


async def count_by_status() -> dict[str, int]:
    """Messages per status, every status present (0 when none)."""
    rows = await Outbox.raw("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({row["status"]: int(row["n"]) for row in rows})
    return counts


async def list_failures(limit: int = 20) -> list[dict[str, Any]]:
    """The most recent messages that were given up on, newest first."""
    return await Outbox.raw(  # type: ignore[no-any-return]
        "SELECT id, rule, recipient, subject_key, attempts, last_error, created_at FROM outbox"
        " WHERE status = 'failed' ORDER BY id DESC LIMIT {}",
        limit,
    )


_QUEUED = "SELECT subject_key, occurrence FROM outbox WHERE rule = {{}} AND subject_key IN ({})"


async def queued_occurrences(*, rule: str, subject_keys: Collection[str]) -> set[tuple[str, str]]:
    """The (subject_key, occurrence) pairs of ``rule`` in the outbox for these subjects,
    whatever their status: a rule evaluated every minute skips rendering what it queued before."""
    found: set[tuple[str, str]] = set()
    keys = sorted(subject_keys)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = await Outbox.raw(_QUEUED.format(", ".join(["{}"] * len(chunk))), rule, *chunk)
        found.update((row["subject_key"], row["occurrence"]) for row in rows)
    return found
