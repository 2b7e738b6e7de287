"""Which speaker messages are due: nudges to people who have not answered, and reminders
before their sessions. A pure module: plain data and ``now`` in, the due messages out.

The rules are data, a tuple of :class:`ReminderRule` and one :class:`NudgeRule`, so that the
issue "badges and scheduled jobs" (#7) can read them from ``schedules/reminders.toml``
instead of the defaults below without touching the evaluation.

Each due message carries its *occurrence*, the part of the outbox key that says which
time this is. The outbox is unique on (rule, recipient, subject, occurrence), so a rule
evaluated every minute queues each message once:

- a reminder's occurrence is the session, the offset and the session's start
  (``session:12:1d:20270507T0900Z``): a session moved to another time gets fresh reminders,
  and the ones already sent for the old time are never sent again;
- a nudge's is the link version and its number (``v1:nudge:2``): re-issuing the link starts
  the count again, with the new link.

A reminder is due from ``start - before`` until the next, closer reminder falls due: a
session added (or a scheduler that was down) two days before its start sends the 7-day
reminder then, not three reminders at once, and nothing after the start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class ReminderRule:
    name: str  # short and stable: it is part of the outbox key
    before: timedelta


@dataclass(frozen=True)
class NudgeRule:
    first_after: timedelta  # since the invitation
    apart: timedelta  # between two nudges
    at_most: int


SESSION_REMINDERS: tuple[ReminderRule, ...] = (
    ReminderRule("7d", timedelta(days=7)),
    ReminderRule("1d", timedelta(days=1)),
    ReminderRule("2h", timedelta(hours=2)),
)
SPEAKER_NUDGES = NudgeRule(first_after=timedelta(days=3), apart=timedelta(days=3), at_most=2)

# People who said they come, or have not said yet, are reminded; those who declined or
# asked for another time are not (the organizer answers them first).
REMINDED_RESPONSES = frozenset({"confirmed", "invited"})
ZERO = timedelta(0)


@dataclass(frozen=True)
class Appearance:
    """One person in one session."""

    session_person_id: int
    person_id: int
    session_id: int
    starts_at: datetime  # aware
    response: str  # invited | confirmed | declined | reschedule_requested
    cancelled: bool = False


@dataclass(frozen=True)
class DueReminder:
    appearance: Appearance
    rule: ReminderRule
    occurrence: str


@dataclass(frozen=True)
class Invitation:
    """A person's invitation under their current link version."""

    person_id: int
    version: int
    invited_at: datetime
    nudges_sent: int
    last_nudged_at: datetime | None
    # Starts of their sessions still awaiting an answer (not cancelled).
    unanswered_starts: tuple[datetime, ...]


@dataclass(frozen=True)
class DueNudge:
    invitation: Invitation
    number: int  # 1 .. at_most
    occurrence: str


def reminder_occurrence(session_id: int, rule: ReminderRule, starts_at: datetime) -> str:
    return f"session:{session_id}:{rule.name}:{starts_at.astimezone(UTC).strftime('%Y%m%dT%H%MZ')}"


def nudge_occurrence(version: int, number: int) -> str:
    return f"v{version}:nudge:{number}"


def _closest_first(rules: Iterable[ReminderRule]) -> list[ReminderRule]:
    return sorted(rules, key=lambda rule: rule.before)


def due_reminders(
    appearances: Iterable[Appearance], *, now: datetime, rules: tuple[ReminderRule, ...] = SESSION_REMINDERS
) -> list[DueReminder]:
    """The reminders due at ``now``: at most one per appearance, the one whose window holds now."""
    ordered = _closest_first(rules)
    due = []
    for appearance in appearances:
        if appearance.cancelled or appearance.response not in REMINDED_RESPONSES:
            continue
        left = appearance.starts_at - now  # the time left before the start
        if left <= ZERO:
            continue
        # The closest rule whose offset is reached: its window runs until the next one's.
        for rule in ordered:
            if left <= rule.before:
                occurrence = reminder_occurrence(appearance.session_id, rule, appearance.starts_at)
                due.append(DueReminder(appearance, rule, occurrence))
                break
    return due


def due_nudges(invitations: Iterable[Invitation], *, now: datetime, rule: NudgeRule = SPEAKER_NUDGES) -> list[DueNudge]:
    """The nudges due at ``now``: to people with a session still unanswered and not yet
    started, ``first_after`` the invitation, then ``apart`` after the last nudge, at most
    ``at_most`` in all."""
    due = []
    for invitation in invitations:
        if invitation.nudges_sent >= rule.at_most:
            continue
        if not any(starts_at > now for starts_at in invitation.unanswered_starts):
            continue
        if invitation.nudges_sent == 0 or invitation.last_nudged_at is None:
            due_at = invitation.invited_at + rule.first_after
        else:
            due_at = invitation.last_nudged_at + rule.apart
        if now >= due_at:
            number = invitation.nudges_sent + 1
            due.append(DueNudge(invitation, number, nudge_occurrence(invitation.version, number)))
    return due
