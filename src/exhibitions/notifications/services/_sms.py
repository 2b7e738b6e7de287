"""Sending the outbox's SMS rows through the configured sender (notifications/sms.py).

The same guarantees as e-mail: rows are claimed atomically (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL), marked sent only after the sender returned (at-least-once), retried with the
same backoff, failed after the same number of attempts. The text is the rule's template's
plain text, rendered at send time in the recipient's language.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from exhibitions.notifications.services._delivery import (
    MAX_ATTEMPTS,
    STALE_CLAIM,
    DeliveryReport,
    _mark_failed_attempt,
    claim_due,
)
from exhibitions.notifications.services._rendering import Undeliverable, rendered_message
from exhibitions.notifications.sms import SmsSender
from exhibitions.notifications.tables import Outbox, OutboxStatus

logger = logging.getLogger("exhibitions.notifications")


async def deliver_due_sms(
    *, now: datetime, sender: SmsSender, base_url: str, limit: int = 50, claim_timeout: timedelta = STALE_CLAIM
) -> DeliveryReport:
    """Claim up to ``limit`` due SMS rows and send them; nothing at all while SMS is off. A
    claim older than ``claim_timeout`` belongs to a delivery that died (as for e-mail)."""
    if not sender.enabled:
        return DeliveryReport()
    rows = await claim_due(now=now, limit=limit, claim_timeout=claim_timeout, channel="sms")
    outcomes = []
    for row in sorted(rows, key=lambda row: (row["next_attempt_at"], row["id"])):
        if row["attempts"] > MAX_ATTEMPTS:
            outcomes.append(await _mark_failed_attempt(row, now, "gave up", permanent=True))
            continue
        try:
            text = (await rendered_message(row, base_url)).text
            await sender.send(to=row["recipient"], text=text)
        except Undeliverable as exc:
            outcomes.append(await _mark_failed_attempt(row, now, f"Undeliverable: {exc}", permanent=True))
            continue
        except Exception as exc:
            logger.warning("SMS %s not sent (attempt %s): %s", row["id"], row["attempts"], exc)
            outcomes.append(await _mark_failed_attempt(row, now, f"{type(exc).__name__}: {exc}", permanent=False))
            continue
        await Outbox.raw(
            "UPDATE outbox SET status = 'sent', sent_at = {} WHERE id = {} AND status = 'sending' AND attempts = {}",
            now, row["id"], row["attempts"],
        )  # fmt: skip
        outcomes.append(OutboxStatus.sent.value)
    return DeliveryReport(
        claimed=len(rows),
        sent=outcomes.count(OutboxStatus.sent.value),
        retried=outcomes.count(OutboxStatus.pending.value),
        failed=outcomes.count(OutboxStatus.failed.value),
    )
