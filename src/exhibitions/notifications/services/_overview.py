"""The organizers' view of an exhibition's outbox: counts by rule, the messages page by
page, a CSV export, and giving failed messages another round of attempts."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.errors import FieldError, InvalidInput, NotFound
from exhibitions.events import services as event_services
from exhibitions.notifications import queries
from exhibitions.notifications.services._outbox import retry_failed
from exhibitions.notifications.tables import OutboxStatus
from exhibitions.spreadsheets import BYTE_ORDER_MARK, neutralize
from exhibitions.text import has_control_characters

_REFUSAL = "only this exhibition's organizers may see its outbox"


@dataclass(frozen=True)
class OutboxFilter:
    """What the list shows: '' means any."""

    recipient: str = ""
    status: str = ""
    rule: str = ""


@dataclass(frozen=True)
class OutboxPage:
    exhibition: dict[str, Any]
    counts: dict[str, dict[str, int]]
    rows: list[dict[str, Any]]
    total: int


def _checked(filters: OutboxFilter) -> OutboxFilter:
    errors = []
    if has_control_characters(filters.recipient):
        errors.append(FieldError("q", "control_characters", "must not contain control characters"))
    if filters.status and filters.status not in {status.value for status in OutboxStatus}:
        errors.append(FieldError("status", "invalid_choice", "must be one of pending, sending, sent, failed"))
    if has_control_characters(filters.rule):
        errors.append(FieldError("rule", "control_characters", "must not contain control characters"))
    if errors:
        raise InvalidInput(errors)
    return filters


async def outbox_page(*, slug: str, actor: Actor | None, filters: OutboxFilter, page: int, per_page: int) -> OutboxPage:
    """Counts by rule and status, and one page of the messages that match ``filters``, newest first."""
    exhibition = await event_services.managed_exhibition(slug, actor, refusal=_REFUSAL)
    filters = _checked(filters)
    counts = await queries.count_by_rule(exhibition_id=exhibition["id"])
    rows, total = await queries.list_messages(
        exhibition_id=exhibition["id"], recipient=filters.recipient, status=filters.status, rule=filters.rule,
        limit=per_page, offset=(page - 1) * per_page,
    )  # fmt: skip
    return OutboxPage(exhibition=exhibition, counts=counts, rows=rows, total=total)


async def retry_failed_messages(*, slug: str, actor: Actor | None, now: datetime, message_id: int | None = None) -> int:
    """Give an exhibition's failed messages (or the one ``message_id``) a fresh set of
    attempts; how many. A message that is not failed (sent meanwhile) is left alone."""
    exhibition = await event_services.managed_exhibition(slug, actor, refusal=_REFUSAL)
    retried = await retry_failed(now=now, exhibition_id=exhibition["id"], message_id=message_id)
    if message_id is not None and retried == 0:
        raise NotFound(f"no failed message {message_id} for this exhibition")
    return retried


async def export_outbox_csv(*, slug: str, actor: Actor | None) -> AsyncIterator[str]:
    """Every message of the exhibition (without its body) as CSV text, in chunks. The byte
    order mark lets Excel read Arabic as UTF-8; no cell can run as a formula."""
    exhibition = await event_services.managed_exhibition(slug, actor, refusal=_REFUSAL)

    async def chunks() -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write(BYTE_ORDER_MARK)
        writer.writerow(queries.EXPORT_COLUMNS)
        after = 0
        while rows := await queries.messages_for_export(exhibition_id=exhibition["id"], after_id=after, limit=1000):
            for row in rows:
                writer.writerow([neutralize(row[column]) for column in queries.EXPORT_COLUMNS])
            after = rows[-1]["id"]
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return chunks()
