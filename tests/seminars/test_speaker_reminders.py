"""Which nudges and reminders are due (seminars/reminders.py), on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from exhibitions.seminars.reminders import (
    SESSION_REMINDERS,
    SPEAKER_NUDGES,
    Appearance,
    Invitation,
    NudgeRule,
    ReminderRule,
    due_nudges,
    due_reminders,
)

START = datetime(2027, 5, 7, 9, 0, tzinfo=UTC)  # 10:00 in Casablanca


def _appearance(response: str = "confirmed", starts_at: datetime = START, cancelled: bool = False) -> Appearance:
    return Appearance(
        session_person_id=5, person_id=2, session_id=12, starts_at=starts_at, response=response, cancelled=cancelled
    )


def _due(now: datetime, appearance: Appearance | None = None) -> list[tuple[str, str]]:
    return [(due.rule.name, due.occurrence) for due in due_reminders([appearance or _appearance()], now=now)]


@pytest.mark.parametrize(
    ("name", "due_at"),
    [
        ("7d", datetime(2027, 4, 30, 9, 0, tzinfo=UTC)),
        ("1d", datetime(2027, 5, 6, 9, 0, tzinfo=UTC)),
        ("2h", datetime(2027, 5, 7, 7, 0, tzinfo=UTC)),
    ],
)
def test_each_reminder_falls_due_at_its_offset_and_not_a_minute_before(name: str, due_at: datetime) -> None:
    occurrence = f"session:12:{name}:20270507T0900Z"
    assert _due(due_at) == [(name, occurrence)]
    assert (name, occurrence) not in _due(due_at - timedelta(minutes=1))


def test_the_default_offsets_are_seven_days_one_day_and_two_hours() -> None:
    assert [(rule.name, rule.before) for rule in SESSION_REMINDERS] == [
        ("7d", timedelta(days=7)),
        ("1d", timedelta(days=1)),
        ("2h", timedelta(hours=2)),
    ]


def test_only_the_closest_due_reminder_is_sent_and_none_after_the_start() -> None:
    # A session added two days before: its 7-day reminder, once, not three at once.
    assert _due(START - timedelta(days=2)) == [("7d", "session:12:7d:20270507T0900Z")]
    assert _due(START - timedelta(hours=1)) == [("2h", "session:12:2h:20270507T0900Z")]
    assert _due(START) == []
    assert _due(START - timedelta(days=8)) == []


def test_a_moved_session_gets_new_occurrences() -> None:
    moved = START + timedelta(hours=3)
    assert _due(moved - timedelta(days=1), _appearance(starts_at=moved)) == [("1d", "session:12:1d:20270507T1200Z")]


@pytest.mark.parametrize(
    ("response", "cancelled"), [("declined", False), ("reschedule_requested", False), ("confirmed", True)]
)
def test_declined_rescheduled_and_cancelled_are_not_reminded(response: str, cancelled: bool) -> None:
    assert _due(START - timedelta(hours=2), _appearance(response, cancelled=cancelled)) == []


def test_invited_people_are_reminded_too() -> None:
    assert _due(START - timedelta(hours=2), _appearance("invited")) == [("2h", "session:12:2h:20270507T0900Z")]


def test_rules_are_data() -> None:
    rules = (ReminderRule("30m", timedelta(minutes=30)),)
    due = due_reminders([_appearance()], now=START - timedelta(minutes=30), rules=rules)
    assert [d.occurrence for d in due] == ["session:12:30m:20270507T0900Z"]


INVITED = datetime(2027, 4, 1, 10, 0, tzinfo=UTC)


def _invitation(sent: int = 0, last: datetime | None = None, starts: tuple[datetime, ...] = (START,)) -> Invitation:
    return Invitation(
        person_id=2, version=1, invited_at=INVITED, nudges_sent=sent, last_nudged_at=last, unanswered_starts=starts
    )


def _nudges(now: datetime, invitation: Invitation) -> list[tuple[int, str]]:
    return [(due.number, due.occurrence) for due in due_nudges([invitation], now=now)]


def test_the_first_nudge_comes_three_days_after_the_invitation() -> None:
    assert NudgeRule(first_after=timedelta(days=3), apart=timedelta(days=3), at_most=2) == SPEAKER_NUDGES
    assert _nudges(INVITED + timedelta(days=3) - timedelta(seconds=1), _invitation()) == []
    assert _nudges(INVITED + timedelta(days=3), _invitation()) == [(1, "v1:nudge:1")]


def test_the_second_nudge_comes_three_days_after_the_first_and_there_is_no_third() -> None:
    first = INVITED + timedelta(days=4)  # the scheduler was down a day
    assert _nudges(first + timedelta(days=3) - timedelta(seconds=1), _invitation(1, first)) == []
    assert _nudges(first + timedelta(days=3), _invitation(1, first)) == [(2, "v1:nudge:2")]
    assert _nudges(first + timedelta(days=30), _invitation(2, first + timedelta(days=3))) == []


def test_no_nudge_once_every_session_is_answered_or_started() -> None:
    assert _nudges(INVITED + timedelta(days=3), _invitation(starts=())) == []
    assert _nudges(START, _invitation(starts=(START,))) == []
