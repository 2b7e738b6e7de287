"""What the scheduler calls for the seminars: thin, the rules are in services."""

from __future__ import annotations

from exhibitions.clock import utcnow
from exhibitions.seminars.services._speakers import QueuedMessages
from exhibitions.seminars.services._speakers import queue_speaker_messages as queue_due
from exhibitions.settings import Settings


async def queue_speaker_messages(settings: Settings) -> QueuedMessages:
    """Queue the speaker nudges and session reminders that are due (seminars/reminders.py
    has the rules); the outbox delivers them. Ticked every minute: each message is queued
    once, however often this runs. **At-least-once** evaluation, exactly-once queueing: a tick
    that dies midway is simply run again, and the outbox's unique key turns what it had
    already queued into no-ops."""
    return await queue_due(now=utcnow(), secret_key=settings.secret_key, base_url=settings.base_url)
