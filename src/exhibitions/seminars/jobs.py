"""What the scheduler calls for the seminars: thin, the rules are in services."""

from __future__ import annotations

from exhibitions.clock import utcnow
from exhibitions.notifications.services import configured_rules
from exhibitions.seminars.reminders import rules_from
from exhibitions.seminars.services import WaitlistReport, tend_waitlists
from exhibitions.seminars.services._speakers import QueuedMessages
from exhibitions.seminars.services._speakers import queue_speaker_messages as queue_due
from exhibitions.settings import Settings


async def queue_speaker_messages(settings: Settings) -> QueuedMessages:
    """Queue the speaker nudges and session reminders that are due (the rules are those of
    schedules/reminders.toml for speakers, moderators and unconfirmed speakers; seminars/
    reminders.py evaluates them); the outbox delivers them. Ticked every minute: each
    message is queued once, however often this runs. **At-least-once** evaluation,
    exactly-once queueing: a tick that dies midway is simply run again, and the outbox's
    unique key turns what it had already queued into no-ops."""
    reminder_rules, nudge_rule = rules_from(configured_rules())
    return await queue_due(
        now=utcnow(), secret_key=settings.secret_key, base_url=settings.base_url,
        nudge_rule=nudge_rule, reminder_rules=reminder_rules,
    )  # fmt: skip


async def tend_session_waitlists(settings: Settings) -> WaitlistReport:
    """Carry replaced tickets' registrations and stars over, give up cancelled tickets' seats,
    and seat waitlisted visitors wherever a seat is free (a capacity raised). **At-least-once
    and idempotent**: each step is a conditional write under the session's lock, so a run
    cut short is finished by the next, and two runs at once seat nobody twice."""
    return await tend_waitlists(now=utcnow(), base_url=settings.base_url)
