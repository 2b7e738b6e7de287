"""What the scheduler (and ``exhibitions deliver-mail``) calls: thin, the rules are in services."""

from __future__ import annotations

import time
from datetime import timedelta

from exhibitions.clock import utcnow
from exhibitions.notifications import services
from exhibitions.notifications.sms import configured_sender
from exhibitions.settings import Settings

# A tick drains a backlog (a registration rush, a reminder to every visitor) a batch at a
# time while batches come full, for at most this long; the next tick goes on from there.
TICK_BUDGET_SECONDS = 60.0


async def deliver_mail(settings: Settings) -> services.DeliveryReport:
    """Send the due e-mails of the outbox. **At-least-once**: a row is marked sent only after
    the SMTP server accepted it, so a crash in between sends it again after the claim
    times out, rather than losing it (services' docstring has the whole argument).

    Stops early when a batch was not full (nothing more is due) or sent nothing (the server
    is down: every row got its retry time, and hammering it helps no one)."""
    claimed = sent = retried = failed = 0
    started = time.monotonic()
    while time.monotonic() - started < TICK_BUDGET_SECONDS:
        report = await services.deliver_due(
            now=utcnow(),
            smtp=settings.smtp,
            base_url=settings.base_url,
            claim_timeout=timedelta(seconds=settings.mail_claim_timeout),
        )
        claimed, sent = claimed + report.claimed, sent + report.sent
        retried, failed = retried + report.retried, failed + report.failed
        if report.claimed < services.DEFAULT_BATCH or report.sent == 0:
            break
    return services.DeliveryReport(claimed=claimed, sent=sent, retried=retried, failed=failed)


async def queue_reminders(settings: Settings) -> services.QueuedReminders:
    """Queue the reminders of schedules/reminders.toml that are due (every audience but the
    speakers', which seminars.jobs.queue_speaker_messages queues); delivery sends them."""
    return await services.queue_reminders(now=utcnow())


async def deliver_sms(settings: Settings) -> services.DeliveryReport:
    """Send the due SMS rows of the outbox through EXHIBITIONS_SMS_SENDER; nothing while it is off."""
    return await services.deliver_due_sms(
        now=utcnow(), sender=configured_sender(), base_url=settings.base_url,
        claim_timeout=timedelta(seconds=settings.mail_claim_timeout),
    )  # fmt: skip
