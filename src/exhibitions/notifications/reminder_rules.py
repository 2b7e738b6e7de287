"""Reminder rules: ``schedules/reminders.toml`` read and checked, and which reminder is due when.

A pure module: text, anchors and ``now`` in; rules and due occurrences out. No database.

A rule says *who* (``audience``), *relative to what* (``anchor``: the exhibition's opening,
a session's start, the stand set-up day, the application deadline, a speaker's invitation),
*when* (``offset``: ``-2d at 09:00``, ``-2h``, ``-90m``, ``+3d``), optionally *how often*
(``every = "3d"``, ``until = "confirmed_or_published"``), *how* (``channel``) and *what*
(``template`` under ``templates/emails/``).

Offsets in days are counted on the exhibition's local calendar (zoneinfo): ``-1d`` from an
opening at 10:00 is 10:00 the day before, local time, even across Africa/Casablanca's change
of hour for Ramadan; offsets in hours or minutes are elapsed time.

**Due window.** Non-repeating rules of the same audience, anchor and channel form a ladder
(the speakers' D-7, D-1, H-2). At ``now`` the ladder's due rung is the *latest* one whose
send time has passed, and only while the anchor is still ahead: a scheduler started late
sends the most recent reminder once, never a burst of every missed one, and nothing after
the anchor. **Occurrence.** Each due message carries an occurrence key naming the anchor and
the send time; with (rule, recipient, subject) it is the outbox's unique key, so evaluating
again, two schedulers or a restart never queue it twice, and a moved anchor (a session at
another hour) gets fresh reminders.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

AUDIENCES = (
    "approved_exhibitors",
    "exhibitor_staff",
    "speakers",
    "moderators",
    "registered_visitors",
    "session_registrants",
    "unconfirmed_speakers",
)
ANCHORS = ("exhibition_opening", "session_start", "setup_day", "application_deadline", "invitation")
CHANNELS = ("email", "sms")
# Who has a phone number on file that SMS can reach.
SMS_AUDIENCES = ("registered_visitors", "approved_exhibitors")
UNTIL = ("confirmed_or_published",)
# Which anchors an audience has: a visitor has no session start unless registered to one.
ANCHORS_OF = {
    "approved_exhibitors": ("exhibition_opening", "setup_day", "application_deadline"),
    "exhibitor_staff": ("exhibition_opening", "setup_day"),
    "speakers": ("session_start",),
    "moderators": ("session_start",),
    "registered_visitors": ("exhibition_opening",),
    "session_registrants": ("session_start",),
    "unconfirmed_speakers": ("invitation",),
}
FIELDS = ("name", "audience", "anchor", "offset", "at_most", "channel", "template", "every", "until", "description")
REQUIRED = ("name", "audience", "anchor", "offset", "template")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_OFFSET = re.compile(r"^(?P<sign>[+-])(?P<amount>\d{1,3})(?P<unit>[dhm])(?:\s+at\s+(?P<hh>\d{2}):(?P<mm>\d{2}))?$")
_EVERY = re.compile(r"^(?P<amount>\d{1,3})(?P<unit>[dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file, the line and the field."""


@dataclass(frozen=True)
class Offset:
    text: str
    days: int = 0  # signed, on the local calendar
    elapsed: timedelta = timedelta(0)  # signed, hours and minutes
    at: time | None = None  # local time of day, with days only

    @property
    def label(self) -> str:
        """The offset without its sign and spaces, for keys: ``2d0900``, ``2h``."""
        return re.sub(r"[^0-9a-z]", "", self.text.lstrip("+-"))


def parse_offset(text: str) -> Offset:
    """``-2d at 09:00``, ``-1d``, ``-2h``, ``-90m``, ``+3d``; a ValueError says what is wrong."""
    if not isinstance(text, str):
        raise ValueError("must be a string such as '-2d at 09:00' or '-2h'")
    match = _OFFSET.match(" ".join(text.split()))
    if match is None:
        raise ValueError(f"{text!r} is not an offset such as '-2d at 09:00', '-2h' or '-90m'")
    sign = -1 if match["sign"] == "-" else 1
    amount, unit = int(match["amount"]), match["unit"]
    at: time | None = None
    if match["hh"] is not None:
        if unit != "d":
            raise ValueError(f"{text!r}: 'at HH:MM' goes with a number of days ('-2d at 09:00')")
        hour, minute = int(match["hh"]), int(match["mm"])
        if hour > 23 or minute > 59:
            raise ValueError(f"{text!r}: {match['hh']}:{match['mm']} is not a time of day")
        at = time(hour, minute)
    normalized = " ".join(text.split())
    if unit == "d":
        return Offset(text=normalized, days=sign * amount, at=at)
    return Offset(text=normalized, elapsed=sign * timedelta(**{_UNITS[unit]: amount}))


def parse_every(text: str) -> timedelta:
    """``3d``, ``12h``, ``30m``: a positive interval."""
    match = _EVERY.match(text.strip()) if isinstance(text, str) else None
    if match is None or int(match["amount"]) == 0:
        raise ValueError(f"{text!r} is not an interval such as '3d', '12h' or '30m'")
    return timedelta(**{_UNITS[match["unit"]]: int(match["amount"])})


def send_time(offset: Offset, anchor: datetime, zone: ZoneInfo) -> datetime:
    """When a rule with ``offset`` sends for ``anchor`` (aware), in UTC."""
    if offset.days == 0 and offset.at is None:
        # In UTC: arithmetic on a zoned datetime is wall-clock time, wrong across a change of hour.
        return anchor.astimezone(UTC) + offset.elapsed
    local = anchor.astimezone(zone)
    day = local.date() + timedelta(days=offset.days)
    wall = offset.at if offset.at is not None else local.time().replace(tzinfo=None)
    # A wall time skipped by a change of hour (fold=0) resolves to the instant just after it.
    moment = datetime.combine(day, wall, tzinfo=zone)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Rule:
    name: str
    audience: str
    anchor: str
    offset: Offset
    template: str
    channel: str = "email"
    every: timedelta | None = None
    until: str | None = None
    at_most: int | None = None
    description: str = ""
    line: int = 0  # of its [[rule]] header, for messages

    @property
    def ladder(self) -> tuple[str, str, str]:
        """Rules sharing this form one ladder: at most one of them is due at a time."""
        return (self.audience, self.anchor, self.channel)


@dataclass(frozen=True)
class Due:
    rule: Rule
    send_at: datetime  # UTC
    occurrence: str


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def occurrence_key(anchor_key: str, send_at: datetime) -> str:
    """``session:12:20270506T0900Z``: the anchor and the send time."""
    return f"{anchor_key}:{_stamp(send_at)}"


def due_in_ladder(
    rules: Iterable[Rule], *, anchor: datetime, anchor_key: str, zone: ZoneInfo, now: datetime
) -> Due | None:
    """The one rung of a ladder due at ``now`` for this anchor: the latest send time passed,
    while the anchor is ahead. None before the first rung and from the anchor on."""
    if now >= anchor:
        return None
    best: Due | None = None
    for rule in rules:
        at = send_time(rule.offset, anchor, zone)
        if at <= now and at < anchor and (best is None or at > best.send_at):
            best = Due(rule=rule, send_at=at, occurrence=occurrence_key(anchor_key, at))
    return best


def ladders(rules: Iterable[Rule]) -> dict[tuple[str, str, str], list[Rule]]:
    grouped: dict[tuple[str, str, str], list[Rule]] = {}
    for rule in rules:
        if rule.every is None:
            grouped.setdefault(rule.ladder, []).append(rule)
    return grouped


def next_send_time(rule: Rule, *, anchor: datetime, zone: ZoneInfo, now: datetime) -> datetime | None:
    """When this rule next sends for ``anchor`` (for the organizers' page), None when past."""
    at = send_time(rule.offset, anchor, zone)
    if rule.every is not None:
        while at <= now:
            at += rule.every
        return at
    return at if at > now and at < anchor else None


# ---------------------------------------------------------------- loading and checking


def _field_lines(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each ``[[rule]]`` in order: its header's line, and the line of each key in it.
    tomllib gives no positions; the file's shape is simple enough to find them by reading."""
    blocks: list[tuple[int, dict[str, int]]] = []
    key = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=")
    current: dict[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split("#")[0].strip()
        if stripped == "[[rule]]":
            current = {}
            blocks.append((number, current))
        elif stripped.startswith("["):
            current = None  # another table: its keys are not a rule's
        elif current is not None and (found := key.match(line)):
            current.setdefault(found.group(1), number)
    return blocks


def parse_rules(text: str, *, source: str = "reminders.toml", templates_dir: Path | None = None) -> tuple[Rule, ...]:
    """The rules of a ``reminders.toml`` text; a :class:`RuleError` naming ``source``, the line
    and the field at the first problem. With ``templates_dir``, each template must exist there
    as ``emails/<template>.txt``."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{source}: {exc}") from exc
    unknown_tables = sorted(set(document) - {"rule"})
    if unknown_tables:
        raise RuleError(f"{source}: unknown table [{unknown_tables[0]}]; rules are [[rule]] tables")
    tables = document.get("rule", [])
    if not isinstance(tables, list):
        raise RuleError(f"{source}: 'rule' must be a list of [[rule]] tables")
    positions = _field_lines(text)
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(tables):
        header, keys = positions[index] if index < len(positions) else (0, {})
        name = table.get("name") if isinstance(table.get("name"), str) else f"#{index + 1}"

        def fail(
            field: str, reason: str, *, header: int = header, keys: dict[str, int] = keys, name: str = name
        ) -> RuleError:
            return RuleError(f"{source}:{keys.get(field, header)}: rule {name!r}, field '{field}': {reason}")

        for field in table:
            if field not in FIELDS:
                raise fail(field, f"unknown field; known: {', '.join(FIELDS)}")
        for field in REQUIRED:
            if field not in table:
                raise fail(field, "missing")
        for field in ("name", "audience", "anchor", "offset", "template", "channel", "every", "until", "description"):
            if field in table and not isinstance(table[field], str):
                raise fail(field, "must be a string")
        if not NAME_PATTERN.match(table["name"]):
            raise fail("name", "lower-case letters, digits and _, at most 40, starting with a letter")
        if table["name"] in seen:
            raise fail("name", f"used already by the rule at line {seen[table['name']]}")
        seen[table["name"]] = header
        audience, anchor = table["audience"], table["anchor"]
        if audience not in AUDIENCES:
            raise fail("audience", f"unknown audience {audience!r}; known: {', '.join(AUDIENCES)}")
        if anchor not in ANCHORS:
            raise fail("anchor", f"unknown anchor {anchor!r}; known: {', '.join(ANCHORS)}")
        if anchor not in ANCHORS_OF[audience]:
            raise fail("anchor", f"{audience} has no {anchor}; use one of {', '.join(ANCHORS_OF[audience])}")
        try:
            offset = parse_offset(table["offset"])
        except ValueError as exc:
            raise fail("offset", str(exc)) from exc
        channel = table.get("channel", "email")
        if channel not in CHANNELS:
            raise fail("channel", f"unknown channel {channel!r}; known: {', '.join(CHANNELS)}")
        if channel == "sms" and audience not in SMS_AUDIENCES:
            raise fail("channel", f"SMS reaches {' and '.join(SMS_AUDIENCES)} only")
        every = None
        if "every" in table:
            try:
                every = parse_every(table["every"])
            except ValueError as exc:
                raise fail("every", str(exc)) from exc
        until = table.get("until")
        if until is not None and until not in UNTIL:
            raise fail("until", f"unknown condition {until!r}; known: {', '.join(UNTIL)}")
        if until is not None and every is None:
            raise fail("until", "goes with 'every'")
        at_most = table.get("at_most")
        if at_most is not None and (isinstance(at_most, bool) or not isinstance(at_most, int) or at_most < 1):
            raise fail("at_most", "must be a whole number of at least 1")
        if every is None and anchor != "invitation" and (offset.days > 0 or offset.elapsed > timedelta(0)):
            raise fail("offset", "a reminder comes before its anchor: use a negative offset such as '-2d'")
        if every is not None and audience != "unconfirmed_speakers":
            raise fail("every", "only unconfirmed speakers are nudged repeatedly")
        if audience == "unconfirmed_speakers" and every is None:
            raise fail("every", "unconfirmed speakers are nudged repeatedly: say how often ('3d')")
        template = table["template"]
        if ".." in template.split("/") or template.startswith("/"):
            raise fail("template", f"{template!r} must be a path under templates/emails/")
        if templates_dir is not None and not (templates_dir / "emails" / f"{template}.txt").is_file():
            raise fail("template", f"no file templates/emails/{template}.txt")
        rules.append(
            Rule(
                name=table["name"],
                audience=audience,
                anchor=anchor,
                offset=offset,
                template=template,
                channel=channel,
                every=every,
                until=until,
                at_most=at_most,
                description=table.get("description", ""),
                line=header,
            )
        )
    return tuple(rules)


def load_rules(path: Path, *, templates_dir: Path | None) -> tuple[Rule, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{path}: {exc.strerror or exc}") from exc
    return parse_rules(text, source=str(path), templates_dir=templates_dir)


def of_audience(rules: Sequence[Rule], *audiences: str) -> list[Rule]:
    return [rule for rule in rules if rule.audience in audiences]
