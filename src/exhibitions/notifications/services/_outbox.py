"""Writing to the outbox: one INSERT … ON CONFLICT DO NOTHING per message."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from exhibitions.notifications.emails import RenderedEmail
from exhibitions.notifications.services._rendering import RENDERERS
from exhibitions.notifications.tables import Outbox

_ENQUEUE = """
INSERT INTO outbox (exhibition, rule, recipient, subject_key, occurrence, language, subject_line, text_body,
                    html_body, attachment, status, attempts, next_attempt_at, created_at)
VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, 'pending', 0, {}, {})
ON CONFLICT (rule, recipient, subject_key, occurrence) DO NOTHING
RETURNING id
"""


async def enqueue(
    *,
    rule: str,
    recipient: str,
    subject_key: str,
    language: str,
    now: datetime,
    occurrence: str = "",
    exhibition_id: int | None = None,
    rendered: RenderedEmail | None = None,
    attachment: str | None = None,
) -> int | None:
    """Queue one message; its id, or None when the same (rule, recipient, subject_key,
    occurrence) is already queued or sent. Without ``rendered``, delivery renders the rule's
    template from ``subject_key`` at send time (see ``RENDERERS``)."""
    if rule not in RENDERERS and rendered is None:
        raise ValueError(f"rule {rule!r} has no renderer: pass the rendered message")
    rows = await Outbox.raw(
        _ENQUEUE,
        exhibition_id,
        rule,
        recipient.strip().lower(),
        subject_key,
        occurrence,
        language,
        rendered.subject if rendered else None,
        rendered.text if rendered else None,
        rendered.html if rendered else None,
        attachment,
        now,
        now,
    )
    return int(rows[0]["id"]) if rows else None


# The same row as enqueue() writes, with what is fixed for a ticket written into the SQL:
# every parameter costs Piccolo's raw() a few microseconds, on the registration hot path.
_ENQUEUE_TICKET = """
INSERT INTO outbox (exhibition, rule, recipient, subject_key, language, next_attempt_at, created_at)
VALUES ({}, 'ticket_issued', {}, {}, {}, {}, {})
ON CONFLICT (rule, recipient, subject_key, occurrence) DO NOTHING
RETURNING id
"""


async def enqueue_ticket_email(*, ticket: Mapping[str, Any], now: datetime) -> int | None:
    """Queue the e-mail of a newly issued ticket, if its holder gave an e-mail address.

    Only the reference is stored: rendering waits for delivery, off the registration path
    (it costs more than the INSERT). The ticket PDF (tickets' own renderer) can ride along
    once it exists: add ``attachment`` = ``f"ticket_pdf:{ticket['id']}"`` to the row and a
    ``"ticket_pdf"`` loader to ``ATTACHMENT_LOADERS``; the e-mail links to the PDF meanwhile."""
    if not ticket.get("email"):
        return None
    rows = await Outbox.raw(
        _ENQUEUE_TICKET, ticket["exhibition"], ticket["email"], f"ticket:{ticket['id']}", ticket["language"], now, now
    )
    return int(rows[0]["id"]) if rows else None


async def retry_failed(*, now: datetime, exhibition_id: int | None = None, message_id: int | None = None) -> int:
    """Give failed messages a fresh set of attempts (after fixing what made them fail): all
    of them, an exhibition's, or the one ``message_id``; how many. One conditional UPDATE:
    sent messages are never touched, and a message is retried once however many click."""
    rows = await Outbox.raw(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = {}, claimed_at = NULL"
        # The casts name the parameters' type, which PostgreSQL cannot infer from IS NULL.
        " WHERE status = 'failed' AND (CAST({} AS INTEGER) IS NULL OR exhibition = {})"
        " AND (CAST({} AS INTEGER) IS NULL OR id = {}) RETURNING id",
        now,
        exhibition_id,
        exhibition_id,
        message_id,
        message_id,
    )
    return len(rows)
