"""The seminar conflict engine: which sessions of a programme clash, and how badly.

Pure: frozen dataclasses in, a sorted list of `Conflict` out; no database, no I/O. All
datetimes are timezone-aware UTC. Intervals are half-open, so a session ending at 10:00 and
one starting at 10:00 do not clash. Every detector sweeps sorted intervals (per room, per
person), so a full check grows with the programme's size and the clashes found, never with
all pairs of sessions.

Rules the callers rely on:
- cancelled sessions never conflict, and conflicts whose severity is `ignore` are dropped;
- a person holding two roles in one session is counted once in it;
- a person without availability windows is always available; a programme without opening
  windows is not checked against opening hours (the venue's hours are unknown);
- a session without a room, or whose room is not in `Programme.rooms`, skips the checks that
  need the room's capacity or building (a room id alone still catches double bookings);
- travel: for each session of a person, the sessions they come from are those of theirs that
  ended last at or before it starts; if one of those is in another building (both known,
  neither empty) and the gap is shorter than `travel_gap`, that is `travel_too_short`.
  Overlaps are `person_double_booked`, never travel.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property
from itertools import accumulate
from operator import attrgetter
from types import MappingProxyType


class ConflictKind(StrEnum):
    # Declaration order is the order conflicts are reported in.
    room_double_booked = "room_double_booked"
    person_double_booked = "person_double_booked"
    person_unavailable = "person_unavailable"
    outside_opening_hours = "outside_opening_hours"
    room_too_small = "room_too_small"
    travel_too_short = "travel_too_short"


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    ignore = "ignore"


DEFAULT_SEVERITIES: Mapping[ConflictKind, Severity] = MappingProxyType(
    {
        ConflictKind.room_double_booked: Severity.error,
        ConflictKind.person_double_booked: Severity.error,
        ConflictKind.person_unavailable: Severity.warning,
        ConflictKind.outside_opening_hours: Severity.error,
        ConflictKind.room_too_small: Severity.warning,
        ConflictKind.travel_too_short: Severity.warning,
    }
)
_KIND_ORDER = {kind: index for index, kind in enumerate(ConflictKind)}
_person_id = attrgetter("person_id")


@dataclass(frozen=True)
class Window:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Room:
    id: int
    building: str
    capacity: int | None


@dataclass(frozen=True)
class Person:
    id: int
    availability: tuple[Window, ...] = ()  # () = always available


@dataclass(frozen=True)
class Participation:
    person_id: int
    role: str


@dataclass(frozen=True)
class Session:
    id: int
    room_id: int | None
    starts_at: datetime
    ends_at: datetime
    people: tuple[Participation, ...] = ()
    sign_ups: int = 0
    cancelled: bool = False


@dataclass(frozen=True)
class Programme:
    sessions: tuple[Session, ...]
    rooms: Mapping[int, Room]
    people: Mapping[int, Person]
    opening: tuple[Window, ...]  # the venue's open windows; () = not checked


def _default_severities() -> Mapping[ConflictKind, Severity]:
    return DEFAULT_SEVERITIES


@dataclass(frozen=True)
class ConflictRules:
    # The organizer's overrides; a kind missing here keeps its default severity.
    severities: Mapping[ConflictKind, Severity] = field(default_factory=_default_severities)
    travel_gap: timedelta = timedelta(minutes=15)

    def severity(self, kind: ConflictKind) -> Severity:
        # Severity(): overrides read from settings may be plain strings ("warning").
        return Severity(self.severities.get(kind, DEFAULT_SEVERITIES[kind]))


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    severity: Severity
    session_ids: tuple[int, ...]  # sorted; 1 or 2 sessions
    person_id: int | None = None
    room_id: int | None = None
    # Plain values for the message: overlap_minutes (double bookings), capacity and sign_ups
    # (room too small), gap_minutes, travel_gap_minutes, from_building and to_building (travel).
    detail: Mapping[str, int | str] = field(default_factory=dict)


def check_programme(programme: Programme, rules: ConflictRules = ConflictRules()) -> list[Conflict]:
    """Every conflict of the programme, sorted by kind, then session ids, then person and room."""
    live = _Live(programme)
    found: list[Conflict] = []
    for kind, detector in _DETECTORS.items():
        severity = rules.severity(kind)
        if severity is Severity.ignore:
            continue
        found.extend(detector(live, rules, severity))
    found.sort(key=_order)
    return found


def check_session(programme: Programme, session: Session, rules: ConflictRules = ConflictRules()) -> list[Conflict]:
    """The conflicts `session` would have in the programme, replacing the session with its id
    if there is one: exactly those of `check_programme` on that programme that involve it.

    Only the sessions that can clash with it are checked: those in its room and those of its
    people (all of each person's sessions, so that the travel check sees where they come from).
    """
    if session.cancelled:
        return []
    people = {participation.person_id for participation in session.people}
    room_id = session.room_id
    related = [session]
    for other in programme.sessions:
        if other.cancelled or other.id == session.id:
            continue
        # The cheap tests first: this loop is most of the time of a check of one session.
        if (room_id is not None and other.room_id == room_id) or not people.isdisjoint(map(_person_id, other.people)):
            # Other people's participations cannot make a conflict involving `session`.
            shared = tuple(participation for participation in other.people if participation.person_id in people)
            related.append(replace(other, people=shared))
    nearby = replace(programme, sessions=tuple(related))
    return [conflict for conflict in check_programme(nearby, rules) if session.id in conflict.session_ids]


def has_errors(conflicts: Iterable[Conflict]) -> bool:
    return any(conflict.severity == Severity.error for conflict in conflicts)


def _order(conflict: Conflict) -> tuple[int, tuple[int, ...], int, int]:
    return (
        _KIND_ORDER[conflict.kind],
        conflict.session_ids,
        -1 if conflict.person_id is None else conflict.person_id,
        -1 if conflict.room_id is None else conflict.room_id,
    )


def _pair(first: Session, second: Session) -> tuple[int, int]:
    return (first.id, second.id) if first.id < second.id else (second.id, first.id)


def _minutes_up(delta: timedelta) -> int:
    return math.ceil(delta.total_seconds() / 60)


def _minutes_down(delta: timedelta) -> int:
    return math.floor(delta.total_seconds() / 60)


def _overlapping_pairs(sessions: Sequence[Session]) -> Iterator[tuple[Session, Session]]:
    """Each pair of overlapping sessions once: a sweep by start keeping those still running."""
    running: list[tuple[datetime, int, Session]] = []  # a heap by end
    for session in sorted(sessions, key=lambda item: (item.starts_at, item.ends_at, item.id)):
        while running and running[0][0] <= session.starts_at:
            heapq.heappop(running)
        for _, _, earlier in running:
            # The full test: a zero-length session starting with another does not overlap it.
            if earlier.starts_at < session.ends_at:
                yield earlier, session
        heapq.heappush(running, (session.ends_at, session.id, session))


class _Live:
    """The sessions that count (not cancelled), grouped once for all the detectors."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.sessions = [session for session in programme.sessions if not session.cancelled]

    @cached_property
    def by_room(self) -> dict[int, list[Session]]:
        rooms: dict[int, list[Session]] = defaultdict(list)
        for session in self.sessions:
            if session.room_id is not None:
                rooms[session.room_id].append(session)
        return rooms

    @cached_property
    def by_person(self) -> dict[int, list[Session]]:
        people: dict[int, list[Session]] = defaultdict(list)
        for session in self.sessions:
            # Two roles in one session are one presence.
            for person_id in {participation.person_id for participation in session.people}:
                people[person_id].append(session)
        return people

    def room(self, session: Session) -> Room | None:
        return self.programme.rooms.get(session.room_id) if session.room_id is not None else None

    def building(self, session: Session) -> str:
        room = self.room(session)
        return room.building if room is not None else ""


def _room_double_booked(live: _Live, rules: ConflictRules, severity: Severity) -> Iterator[Conflict]:
    for room_id, held in live.by_room.items():
        for first, second in _overlapping_pairs(held):
            overlap = min(first.ends_at, second.ends_at) - max(first.starts_at, second.starts_at)
            yield Conflict(
                ConflictKind.room_double_booked,
                severity,
                _pair(first, second),
                room_id=room_id,
                detail={"overlap_minutes": _minutes_up(overlap)},
            )


def _person_double_booked(live: _Live, rules: ConflictRules, severity: Severity) -> Iterator[Conflict]:
    for person_id, attended in live.by_person.items():
        for first, second in _overlapping_pairs(attended):
            overlap = min(first.ends_at, second.ends_at) - max(first.starts_at, second.starts_at)
            yield Conflict(
                ConflictKind.person_double_booked,
                severity,
                _pair(first, second),
                person_id=person_id,
                detail={"overlap_minutes": _minutes_up(overlap)},
            )


class _Windows:
    """Whether an interval lies wholly inside one of some windows, in O(log n): among the
    windows starting at or before the interval, the one reaching furthest must cover its end."""

    def __init__(self, windows: Iterable[Window]) -> None:
        ordered = sorted(windows, key=lambda window: (window.starts_at, window.ends_at))
        self.starts = [window.starts_at for window in ordered]
        self.furthest_ends = list(accumulate((window.ends_at for window in ordered), max))

    def contain(self, starts_at: datetime, ends_at: datetime) -> bool:
        index = bisect_right(self.starts, starts_at)
        return index > 0 and self.furthest_ends[index - 1] >= ends_at


def _person_unavailable(live: _Live, rules: ConflictRules, severity: Severity) -> Iterator[Conflict]:
    for person_id, attended in live.by_person.items():
        person = live.programme.people.get(person_id)
        if person is None or not person.availability:
            continue
        windows = _Windows(person.availability)
        for session in attended:
            if not windows.contain(session.starts_at, session.ends_at):
                yield Conflict(ConflictKind.person_unavailable, severity, (session.id,), person_id=person_id)


def _outside_opening_hours(live: _Live, rules: ConflictRules, severity: Severity) -> Iterator[Conflict]:
    if not live.programme.opening:
        return
    windows = _Windows(live.programme.opening)
    for session in live.sessions:
        if not windows.contain(session.starts_at, session.ends_at):
            yield Conflict(ConflictKind.outside_opening_hours, severity, (session.id,))


def _room_too_small(live: _Live, rules: ConflictRules, severity: Severity) -> Iterator[Conflict]:
    for session in live.sessions:
        room = live.room(session)
        if room is not None and room.capacity is not None and session.sign_ups > room.capacity:
            yield Conflict(
                ConflictKind.room_too_small,
                severity,
                (session.id,),
                room_id=room.id,
                detail={"capacity": room.capacity, "sign_ups": session.sign_ups},
            )


def _travel_too_short(live: _Live, rules: ConflictRules, severity: Severity) -> Iterator[Conflict]:
    for person_id, attended in live.by_person.items():
        by_end = sorted(attended, key=lambda session: (session.ends_at, session.id))
        ends = [session.ends_at for session in by_end]
        for arrival in attended:
            to_building = live.building(arrival)
            if not to_building:
                continue
            for departure in _came_from(arrival, by_end, ends):
                from_building = live.building(departure)
                gap = arrival.starts_at - departure.ends_at
                if from_building and from_building != to_building and gap < rules.travel_gap:
                    yield Conflict(
                        ConflictKind.travel_too_short,
                        severity,
                        _pair(departure, arrival),
                        person_id=person_id,
                        detail={
                            "gap_minutes": _minutes_down(gap),
                            "travel_gap_minutes": _minutes_down(rules.travel_gap),
                            "from_building": from_building,
                            "to_building": to_building,
                        },
                    )


def _came_from(arrival: Session, by_end: Sequence[Session], ends: Sequence[datetime]) -> list[Session]:
    """The sessions (other than `arrival`) that ended last at or before `arrival` starts."""
    index = bisect_right(ends, arrival.starts_at) - 1
    latest: datetime | None = None
    found: list[Session] = []
    while index >= 0:
        candidate = by_end[index]
        if latest is not None and candidate.ends_at != latest:
            break
        if candidate.id != arrival.id:
            latest = candidate.ends_at
            found.append(candidate)
        index -= 1
    return found


_DETECTORS = {
    ConflictKind.room_double_booked: _room_double_booked,
    ConflictKind.person_double_booked: _person_double_booked,
    ConflictKind.person_unavailable: _person_unavailable,
    ConflictKind.outside_opening_hours: _outside_opening_hours,
    ConflictKind.room_too_small: _room_too_small,
    ConflictKind.travel_too_short: _travel_too_short,
}
