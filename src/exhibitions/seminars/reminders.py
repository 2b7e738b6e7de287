"""Which speaker messages are due: nudges to people who have not answered, and reminders
before their sessions. A pure module: plain data and ``now`` in, the due messages out.

The rules are data, a tuple of :class:`ReminderRule` and one :class:`NudgeRule`. The job
reads them from ``schedules/reminders.toml`` (:func:`rules_from`: the rules of the speakers,
moderators and unconfirmed speakers); the defaults below say the same and serve the tests.

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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from exhibitions.notifications.reminder_rules import Rule, RuleError


@dataclass(frozen=True)
class ReminderRule:
    name: str  # short and stable: it is part of the outbox key
    before: timedelta
    # The session roles it reminds (None: every role).
    roles: frozenset[str] | None = None
    template: str = "seminars/session_reminder"


@dataclass(frozen=True)
class NudgeRule:
    first_after: timedelta  # since the invitation
    apart: timedelta  # between two nudges
    at_most: int
    # Stop once the exhibition's programme is published (reminders.toml's "confirmed_or_published").
    until_published: bool = False
    template: str = "seminars/speaker_nudge"


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
    role: str = "speaker"


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
        for rule in (rule for rule in ordered if rule.roles is None or appearance.role in rule.roles):
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


# reminders.toml's audiences, as session roles.
AUDIENCE_ROLES = {
    "speakers": frozenset({"speaker", "rapporteur", "discussant"}),
    "moderators": frozenset({"moderator"}),
}
# Nudges go on "until confirmed": without at_most, a cap no real exhibition reaches.
UNCAPPED_NUDGES = 1000


def rules_from(rules: Sequence[Rule]) -> tuple[tuple[ReminderRule, ...], NudgeRule | None]:
    """The speakers' session reminders and nudge of reminders.toml's rules (the other
    audiences are notifications' own). A reminder's name is its offset (``7d``, ``2h``), as
    before the rules moved to the file, so messages already queued keep their outbox key."""
    reminders: list[ReminderRule] = []
    nudge: NudgeRule | None = None
    for rule in rules:
        where = f"line {rule.line}: rule {rule.name!r}"
        if rule.channel != "email":
            continue  # speakers' SMS reminders are not built: notifications counts them as skipped
        if rule.audience in AUDIENCE_ROLES and rule.anchor == "session_start":
            if rule.offset.at is not None or rule.every is not None:
                raise RuleError(
                    f"{where}, field 'offset': a session reminder is '-7d', '-1d' or '-2h' (no 'at', no 'every')"
                )
            before = -(timedelta(days=rule.offset.days) + rule.offset.elapsed)
            reminders.append(
                ReminderRule(rule.offset.label, before, roles=AUDIENCE_ROLES[rule.audience], template=rule.template)
            )
        elif rule.audience == "unconfirmed_speakers":
            if nudge is not None:
                raise RuleError(f"{where}, field 'audience': one rule for unconfirmed speakers only")
            assert rule.every is not None  # checked when the file was read
            nudge = NudgeRule(
                first_after=timedelta(days=rule.offset.days) + rule.offset.elapsed,
                apart=rule.every,
                at_most=rule.at_most or UNCAPPED_NUDGES,
                until_published=rule.until == "confirmed_or_published",
                template=rule.template,
            )
    return tuple(reminders), nudge
