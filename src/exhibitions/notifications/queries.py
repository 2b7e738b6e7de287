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


def _like(text: str) -> str:
    """``text`` as a LIKE pattern matching it anywhere, its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_FILTERED = (
    " FROM outbox WHERE exhibition = {}"
    " AND ({} = '' OR recipient LIKE {} ESCAPE '\\')"
    " AND ({} = '' OR status = {}) AND ({} = '' OR rule = {})"
)


async def count_by_rule(*, exhibition_id: int) -> dict[str, dict[str, int]]:
    """An exhibition's messages per rule and status, every status present, rules by name."""
    rows = await Outbox.raw(
        "SELECT rule, status, COUNT(*) AS n FROM outbox WHERE exhibition = {} GROUP BY rule, status", exhibition_id
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["rule"], {status.value: 0 for status in OutboxStatus})[row["status"]] = int(row["n"])
    return dict(sorted(counts.items()))


async def list_messages(
    *, exhibition_id: int, recipient: str, status: str, rule: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of an exhibition's messages, newest first, and how many match. An empty
    ``recipient``, ``status`` or ``rule`` does not filter."""
    pattern = _like(recipient.strip().lower())
    arguments = (exhibition_id, recipient, pattern, status, status, rule, rule)
    total_rows = await Outbox.raw("SELECT COUNT(*) AS n" + _FILTERED, *arguments)
    rows = await Outbox.raw(
        "SELECT id, rule, recipient, subject_key, occurrence, language, subject_line, status, attempts,"
        " next_attempt_at, sent_at, last_error, created_at" + _FILTERED + " ORDER BY id DESC LIMIT {} OFFSET {}",
        *arguments,
        limit,
        offset,
    )
    return rows, int(total_rows[0]["n"])


EXPORT_COLUMNS = (
    "id", "rule", "recipient", "subject_key", "occurrence", "language", "status", "attempts", "created_at",
    "next_attempt_at", "sent_at", "last_error",
)  # fmt: skip


async def messages_for_export(*, exhibition_id: int, after_id: int, limit: int) -> list[dict[str, Any]]:
    """The next ``limit`` messages after ``after_id``, oldest first (keyset pages for an export)."""
    return await Outbox.raw(  # type: ignore[no-any-return]
        f"SELECT {', '.join(EXPORT_COLUMNS)} FROM outbox WHERE exhibition = {{}} AND id > {{}}"  # noqa: S608 - constant columns
        " ORDER BY id LIMIT {}",
        exhibition_id,
        after_id,
        limit,
    )
