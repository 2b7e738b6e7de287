"""The pure reminder rules: offsets, due ladders, occurrence keys, local time, and the file's errors."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exhibitions.notifications.reminder_rules import (
    Offset,
    Rule,
    RuleError,
    due_in_ladder,
    parse_every,
    parse_offset,
    parse_rules,
    send_time,
)
from exhibitions.paths import SCHEDULES_DIR, TEMPLATES_DIR

CASABLANCA = ZoneInfo("Africa/Casablanca")
OPENING = datetime(2027, 5, 7, 10, 0, tzinfo=CASABLANCA)  # 09:00 UTC


def rule(name: str, offset: str) -> Rule:
    return Rule(name=name, audience="speakers", anchor="session_start", offset=parse_offset(offset), template="x")


SPEAKER_LADDER = (rule("d7", "-7d"), rule("d1", "-1d"), rule("h2", "-2h"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-2d at 09:00", Offset(text="-2d at 09:00", days=-2, at=time(9, 0))),
        ("-2h", Offset(text="-2h", elapsed=timedelta(hours=-2))),
        ("-90m", Offset(text="-90m", elapsed=timedelta(minutes=-90))),
        ("+3d", Offset(text="+3d", days=3)),
        ("-1d  at  18:30", Offset(text="-1d at 18:30", days=-1, at=time(18, 30))),
    ],
)
def test_offsets_parse(text: str, expected: Offset) -> None:
    assert parse_offset(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2d", "is not an offset"),
        ("-2w", "is not an offset"),
        ("-2h at 09:00", "'at HH:MM' goes with a number of days"),
        ("-1d at 25:00", "is not a time of day"),
        ("-1d at 9:00", "is not an offset"),
        ("", "is not an offset"),
        ("-d", "is not an offset"),
    ],
)
def test_bad_offsets_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_offset(text)


def test_intervals() -> None:
    assert parse_every("3d") == timedelta(days=3)
    assert parse_every("12h") == timedelta(hours=12)
    for bad in ("0d", "-3d", "3", "three days"):
        with pytest.raises(ValueError, match="is not an interval"):
            parse_every(bad)


def test_days_count_on_the_local_calendar_and_at_sets_the_local_hour() -> None:
    assert send_time(parse_offset("-2d at 09:00"), OPENING, CASABLANCA) == datetime(2027, 5, 5, 8, 0, tzinfo=UTC)
    assert send_time(parse_offset("-1d"), OPENING, CASABLANCA) == datetime(2027, 5, 6, 9, 0, tzinfo=UTC)
    assert send_time(parse_offset("-90m"), OPENING, CASABLANCA) == datetime(2027, 5, 7, 7, 30, tzinfo=UTC)


def test_ramadan_change_of_hour_in_casablanca() -> None:
    # In 2026 Morocco leaves UTC+1 for UTC+0 on 15 February (Ramadan) and returns on 22 March.
    before = datetime(2026, 2, 14, 12, 0, tzinfo=CASABLANCA)
    assert before.utcoffset() == timedelta(hours=1)
    opening = datetime(2026, 2, 16, 10, 0, tzinfo=CASABLANCA)
    assert opening.utcoffset() == timedelta(0)
    # "-2d at 09:00" is 09:00 on the wall clock of the 14th, an hour ahead of UTC then.
    assert send_time(parse_offset("-2d at 09:00"), opening, CASABLANCA) == datetime(2026, 2, 14, 8, 0, tzinfo=UTC)
    # "-2d" keeps the opening's wall time (10:00 on the 14th, at UTC+1): 49 elapsed hours before it.
    assert opening.astimezone(UTC) - send_time(parse_offset("-2d"), opening, CASABLANCA) == timedelta(hours=49)
    # Hours are elapsed time, whatever the clock does.
    assert opening.astimezone(UTC) - send_time(parse_offset("-48h"), opening, CASABLANCA) == timedelta(hours=48)


def _due(now: datetime) -> tuple[str, str] | None:
    due = due_in_ladder(SPEAKER_LADDER, anchor=OPENING, anchor_key="session:12", zone=CASABLANCA, now=now)
    return (due.rule.name, due.occurrence) if due else None


def test_a_ladder_sends_its_latest_due_rung_once_and_nothing_after_the_anchor() -> None:
    assert _due(OPENING - timedelta(days=8)) is None
    assert _due(datetime(2027, 4, 30, 9, 0, tzinfo=UTC)) == ("d7", "session:12:20270430T0900Z")
    assert _due(datetime(2027, 4, 30, 8, 59, tzinfo=UTC)) is None
    # A scheduler down for six days: the one-day reminder, not the seven-day one too.
    assert _due(OPENING - timedelta(hours=20)) == ("d1", "session:12:20270506T0900Z")
    assert _due(OPENING - timedelta(minutes=1)) == ("h2", "session:12:20270507T0700Z")
    assert _due(OPENING) is None
    assert _due(OPENING + timedelta(days=1)) is None


def test_a_moved_anchor_gets_fresh_occurrences() -> None:
    moved = OPENING + timedelta(hours=3)
    due = due_in_ladder(
        SPEAKER_LADDER, anchor=moved, anchor_key="session:12", zone=CASABLANCA, now=moved - timedelta(hours=1)
    )
    assert due is not None
    assert due.occurrence == "session:12:20270507T1000Z"


offsets = st.builds(
    lambda unit, amount, at: f"-{amount}{unit}" + (f" at {at[0]:02d}:{at[1]:02d}" if unit == "d" and at else ""),
    st.sampled_from("dhm"),
    st.integers(1, 200),
    st.none() | st.tuples(st.integers(0, 23), st.integers(0, 59)),
)
instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(st.lists(offsets, min_size=1, max_size=5, unique=True), instants, instants)
def test_at_most_one_due_never_after_the_anchor_and_stable_while_due(
    ladder_offsets: list[str], anchor: datetime, now: datetime
) -> None:
    ladder = [rule(f"r{i}", text) for i, text in enumerate(ladder_offsets)]
    due = due_in_ladder(ladder, anchor=anchor, anchor_key="exhibition_opening:1", zone=CASABLANCA, now=now)
    if due is None:
        return
    assert due.send_at <= now < anchor
    # No later rung is due: nothing between its send time and now belongs to another rule.
    others = [send_time(r.offset, anchor, CASABLANCA) for r in ladder]
    assert all(at <= due.send_at or at > now or at >= anchor for at in others)
    # Evaluated again a minute later, still in the window: the very same key, so no second row.
    later = due_in_ladder(
        ladder,
        anchor=anchor,
        anchor_key="exhibition_opening:1",
        zone=CASABLANCA,
        now=min(now + timedelta(minutes=1), anchor - timedelta(microseconds=1)),
    )
    assert later is not None
    if not any(due.send_at < at <= now + timedelta(minutes=1) and at < anchor for at in others):
        assert later.occurrence == due.occurrence
    assert len(due.occurrence) <= 64


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["-2d at 09:00", "-1d", "-7d", "-1d at 00:30", "-3d at 02:30"]), instants)
def test_day_offsets_land_on_the_local_wall_time_in_every_season(text: str, anchor: datetime) -> None:
    offset = parse_offset(text)
    local = send_time(offset, anchor, CASABLANCA).astimezone(CASABLANCA)
    assert local.date() == anchor.astimezone(CASABLANCA).date() + timedelta(days=offset.days)
    wanted = offset.at or anchor.astimezone(CASABLANCA).time().replace(tzinfo=None)
    # A wall time the change of hour skips lands within an hour after it.
    gap = datetime.combine(local.date(), local.time()) - datetime.combine(local.date(), wanted)
    assert timedelta(0) <= gap <= timedelta(hours=1)


# ---------------------------------------------------------------- the file


def test_the_shipped_file_reads_and_has_the_issue_defaults() -> None:
    text = (SCHEDULES_DIR / "reminders.toml").read_text(encoding="utf-8")
    rules = parse_rules(text, templates_dir=TEMPLATES_DIR)
    summary = {(r.audience, r.anchor, r.offset.text, r.every) for r in rules}
    assert ("approved_exhibitors", "setup_day", "-2d at 09:00", None) in summary
    assert ("registered_visitors", "exhibition_opening", "-1d at 10:00", None) in summary
    assert {("speakers", "session_start", o, None) for o in ("-7d", "-1d", "-2h")} <= summary
    assert ("unconfirmed_speakers", "invitation", "+3d", timedelta(days=3)) in summary


GOOD = """# comment
[[rule]]
name = "a"
audience = "registered_visitors"
anchor = "exhibition_opening"
offset = "-1d at 10:00"
template = "reminders/visitor_day_before"

[[rule]]
name = "b"
audience = "approved_exhibitors"
anchor = "setup_day"
offset = "-2d"
template = "reminders/exhibitor_setup"
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('offset = "-2d"', 'offset = "-2x"', r"reminders.toml:13: rule 'b', field 'offset': '-2x' is not an offset"),
        (
            'audience = "approved_exhibitors"',
            'audience = "everyone"',
            r"reminders.toml:11: rule 'b', field 'audience': unknown audience 'everyone'",
        ),
        (
            'anchor = "setup_day"',
            'anchor = "lunch"',
            r"reminders.toml:12: rule 'b', field 'anchor': unknown anchor 'lunch'",
        ),
        (
            'anchor = "setup_day"',
            'anchor = "session_start"',
            r"reminders.toml:12: rule 'b', field 'anchor': approved_exhibitors has no session_start",
        ),
        (
            'template = "reminders/exhibitor_setup"',
            'template = "reminders/nope"',
            r"reminders.toml:14: rule 'b', field 'template': no file templates/emails/reminders/nope.txt",
        ),
        ('name = "b"', 'name = "a"', r"reminders.toml:10: rule 'a', field 'name': used already by the rule at line 2"),
        ('offset = "-2d"\n', "", r"reminders.toml:9: rule 'b', field 'offset': missing"),
        (
            'offset = "-2d"',
            'offset = "+2d"',
            r"reminders.toml:13: rule 'b', field 'offset': a reminder comes before its anchor",
        ),
        (
            'offset = "-2d"',
            'offset = "-2d"\nchannel = "pigeon"',
            r"reminders.toml:14: rule 'b', field 'channel': unknown channel 'pigeon'",
        ),
        (
            'offset = "-2d"',
            'offset = "-2d"\nevery = "3d"',
            r"reminders.toml:14: rule 'b', field 'every': only unconfirmed speakers",
        ),
        (
            'offset = "-2d"',
            'offset = "-2d"\ncolour = "red"',
            r"reminders.toml:14: rule 'b', field 'colour': unknown field",
        ),
        ('offset = "-2d"', "offset = -2", r"reminders.toml:13: rule 'b', field 'offset': must be a string"),
    ],
)
def test_a_bad_rule_names_the_file_the_line_and_the_field(old: str, new: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(RuleError, match=message):
        parse_rules(GOOD.replace(old, new, 1), source="reminders.toml", templates_dir=TEMPLATES_DIR)


def test_the_good_file_reads() -> None:
    rules = parse_rules(GOOD, source="reminders.toml", templates_dir=TEMPLATES_DIR)
    assert [(r.name, r.line) for r in rules] == [("a", 2), ("b", 9)]


def test_broken_toml_names_the_file() -> None:
    with pytest.raises(RuleError, match=r"^r.toml: .*line 2"):
        parse_rules("[[rule]]\nname = \n", source="r.toml")


def test_unreadable_file(tmp_path: Path) -> None:
    from exhibitions.notifications.reminder_rules import load_rules

    with pytest.raises(RuleError, match=r"missing\.toml"):
        load_rules(tmp_path / "missing.toml", templates_dir=None)


def test_speakers_are_reminded_of_their_sessions_only() -> None:
    # The seminars' job evaluates speakers' rules per session: an opening anchor would never send.
    text = GOOD.replace('audience = "approved_exhibitors"', 'audience = "speakers"').replace(
        'anchor = "setup_day"', 'anchor = "exhibition_opening"'
    )
    with pytest.raises(RuleError, match=r":12: rule 'b', field 'anchor': speakers has no exhibition_opening"):
        parse_rules(text, source="reminders.toml", templates_dir=TEMPLATES_DIR)
