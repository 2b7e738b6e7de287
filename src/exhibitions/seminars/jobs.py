"""What the scheduler calls for the seminars: thin, the rules are in services."""

from __future__ import annotations

from exhibitions.clock import utcnow
from exhibitions.seminars.services import WaitlistReport, tend_waitlists
from exhibitions.seminars.services._speakers import QueuedMessages
from exhibitions.seminars.services._speakers import queue_speaker_messages as queue_due
from exhibitions.settings import Settings


async def queue_speaker_messages(settings: Settings) -> QueuedMessages:
    """Queue the speaker nudges and session reminders that are due (seminars/reminders.py
    has the rules); the outbox delivers them. Ticked every minute: each message is queued
    once, however often this runs."""
    return await queue_due(now=utcnow(), secret_key=settings.secret_key, base_url=settings.base_url)


async def tend_session_waitlists(settings: Settings) -> WaitlistReport:
    """Carry replaced tickets' registrations and stars over, give up cancelled tickets' seats,
    and seat waitlisted visitors wherever a seat is free (a capacity raised). **At-least-once
    and idempotent**: each step is a conditional write under the session's lock, so a run
    cut short is finished by the next, and two runs at once seat nobody twice."""
    return await tend_waitlists(now=utcnow(), base_url=settings.base_url)
