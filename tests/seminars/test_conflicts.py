"""The seminar conflict engine (exhibitions.seminars.conflicts): each kind of conflict by hand,
its boundaries, severities, and the sweep lines against a brute-force all-pairs oracle."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exhibitions.seminars.conflicts import (
    DEFAULT_SEVERITIES,
    Conflict,
    ConflictKind,
    ConflictRules,
    Participation,
    Person,
    Programme,
    Room,
    Session,
    Severity,
    Window,
    check_programme,
    check_session,
    has_errors,
)

DAY = datetime(2027, 4, 12, tzinfo=UTC)
# Two buildings; room 3 has no capacity limit.
ROOMS = {
    1: Room(id=1, building="Main hall", capacity=80),
    2: Room(id=2, building="Main hall", capacity=30),
    3: Room(id=3, building="Annex", capacity=None),
}


def at(hour: int, minute: int = 0, *, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, hours=hour, minutes=minute)


def session(
    number: int,
    room_id: int | None,
    start: tuple[int, int],
    end: tuple[int, int],
    *people: tuple[int, str],
    **fields: object,
) -> Session:
    return Session(
        id=number,
        room_id=room_id,
        starts_at=at(*start),
        ends_at=at(*end),
        people=tuple(Participation(person_id=person_id, role=role) for person_id, role in people),
        **fields,  # type: ignore[arg-type]
    )


def programme(
    *sessions: Session, people: dict[int, Person] | None = None, opening: tuple[Window, ...] = ()
) -> Programme:
    return Programme(sessions=sessions, rooms=ROOMS, people=people or {}, opening=opening)


# Each kind -------------------------------------------------------------------------------------


def test_two_sessions_in_one_room_at_once() -> None:
    found = check_programme(programme(session(2, 1, (10, 0), (11, 0)), session(1, 1, (10, 30), (12, 0))))
    assert found == [
        Conflict(
            ConflictKind.room_double_booked,
            Severity.error,
            (1, 2),
            room_id=1,
            detail={"overlap_minutes": 30},
        )
    ]


def test_a_person_in_two_sessions_at_once_in_any_role() -> None:
    found = check_programme(
        programme(
            session(1, 1, (10, 0), (11, 0), (7, "speaker")),
            session(2, 3, (10, 45), (11, 30), (7, "moderator"), (8, "speaker")),
        )
    )
    assert found == [
        Conflict(
            ConflictKind.person_double_booked,
            Severity.error,
            (1, 2),
            person_id=7,
            detail={"overlap_minutes": 15},
        )
    ]


def test_one_person_in_two_roles_of_one_session_is_not_a_clash() -> None:
    assert check_programme(programme(session(1, 1, (10, 0), (11, 0), (7, "speaker"), (7, "moderator")))) == []


def test_a_person_outside_their_availability() -> None:
    people = {
        7: Person(id=7, availability=(Window(at(9), at(12)), Window(at(14), at(18)))),
        8: Person(id=8),  # no windows: always available
    }
    found = check_programme(
        programme(
            session(1, 1, (9, 0), (12, 0), (7, "speaker"), (8, "speaker")),  # exactly a window
            session(2, 1, (14, 0), (15, 0), (7, "discussant")),
            session(3, 2, (12, 0), (12, 30), (7, "rapporteur"), (8, "speaker")),  # after noon
            session(4, 2, (13, 0), (14, 0), (7, "moderator")),  # between the windows
            people=people,
        )
    )
    assert found == [
        Conflict(ConflictKind.person_unavailable, Severity.warning, (3,), person_id=7),
        Conflict(ConflictKind.person_unavailable, Severity.warning, (4,), person_id=7),
    ]


def test_a_session_must_lie_inside_one_window_not_across_two() -> None:
    people = {7: Person(id=7, availability=(Window(at(9), at(12)), Window(at(12), at(15))))}
    found = check_programme(programme(session(1, 1, (11, 0), (13, 0), (7, "speaker")), people=people))
    assert found == [Conflict(ConflictKind.person_unavailable, Severity.warning, (1,), person_id=7)]


def test_a_session_outside_the_opening_hours() -> None:
    opening = (Window(at(9), at(19)), Window(at(9, day=1), at(19, day=1)))
    found = check_programme(
        programme(
            session(1, 1, (9, 0), (10, 0)),
            session(2, 1, (18, 30), (19, 30)),
            session(3, None, (8, 0), (9, 0)),  # no room: the venue's hours still apply
            Session(id=4, room_id=2, starts_at=at(18, day=1), ends_at=at(19, day=1)),
            Session(id=5, room_id=2, starts_at=at(18), ends_at=at(10, day=1)),  # across the night
            opening=opening,
        )
    )
    assert found == [
        Conflict(ConflictKind.outside_opening_hours, Severity.error, (2,)),
        Conflict(ConflictKind.outside_opening_hours, Severity.error, (3,)),
        Conflict(ConflictKind.outside_opening_hours, Severity.error, (5,)),
    ]


def test_no_opening_windows_means_the_hours_are_not_checked() -> None:
    assert check_programme(programme(session(1, 1, (3, 0), (4, 0)))) == []


def test_a_room_too_small_for_the_sign_ups() -> None:
    found = check_programme(
        programme(
            session(1, 2, (9, 0), (10, 0), sign_ups=31),
            session(2, 2, (10, 0), (11, 0), sign_ups=30),  # exactly full
            session(3, 3, (9, 0), (10, 0), sign_ups=5000),  # no capacity: unlimited
        )
    )
    assert found == [
        Conflict(
            ConflictKind.room_too_small,
            Severity.warning,
            (1,),
            room_id=2,
            detail={"capacity": 30, "sign_ups": 31},
        )
    ]


def test_too_little_time_to_move_between_buildings() -> None:
    found = check_programme(
        programme(
            session(1, 1, (9, 0), (10, 0), (7, "speaker")),
            session(2, 3, (10, 5), (11, 0), (7, "moderator")),  # Main hall -> Annex in 5 min
        )
    )
    assert found == [
        Conflict(
            ConflictKind.travel_too_short,
            Severity.warning,
            (1, 2),
            person_id=7,
            detail={"gap_minutes": 5, "travel_gap_minutes": 15, "from_building": "Main hall", "to_building": "Annex"},
        )
    ]


def test_travel_counts_only_the_session_a_person_comes_from() -> None:
    # 1 and 2 are both in the main hall; from 2 to the annex (3) takes a gap of 2 minutes.
    # From 1 to 3 there are 12 minutes, but the person is coming from 2, not from 1.
    found = check_programme(
        programme(
            session(1, 1, (9, 0), (10, 0), (7, "speaker")),
            session(2, 2, (10, 0), (10, 10), (7, "speaker")),
            session(3, 3, (10, 12), (11, 0), (7, "speaker")),
        )
    )
    assert [(c.kind, c.session_ids, c.detail["gap_minutes"]) for c in found] == [
        (ConflictKind.travel_too_short, (2, 3), 2)
    ]


def test_travel_from_a_long_session_past_a_shorter_overlapping_one() -> None:
    # 1 (annex) runs until noon; 2 (main hall) overlaps it and ends earlier; at 12:05 the
    # person leaves 1, the last session they were in, for 3 in the main hall.
    found = check_programme(
        programme(
            session(1, 3, (9, 0), (12, 0), (7, "speaker")),
            session(2, 1, (10, 0), (11, 0), (7, "speaker")),
            session(3, 2, (12, 5), (13, 0), (7, "speaker")),
        )
    )
    assert [(c.kind, c.session_ids) for c in found] == [
        (ConflictKind.person_double_booked, (1, 2)),
        (ConflictKind.travel_too_short, (1, 3)),
    ]


def test_travel_from_each_of_two_sessions_ending_together() -> None:
    found = check_programme(
        programme(
            session(1, 1, (9, 0), (10, 0), (7, "speaker")),
            session(2, 3, (9, 30), (10, 0), (7, "speaker")),
            session(3, 3, (10, 5), (11, 0), (7, "speaker")),
        )
    )
    assert [(c.kind, c.session_ids) for c in found] == [
        (ConflictKind.person_double_booked, (1, 2)),
        (ConflictKind.travel_too_short, (1, 3)),
    ]


def test_a_session_without_a_room_skips_the_room_checks() -> None:
    found = check_programme(
        programme(
            session(1, None, (9, 0), (10, 0), (7, "speaker"), sign_ups=500),
            session(2, None, (9, 0), (10, 0)),
            session(3, 3, (10, 0), (11, 0), (7, "speaker")),  # no building to come from
        )
    )
    assert found == []


def test_cancelled_sessions_never_conflict() -> None:
    people = {7: Person(id=7, availability=(Window(at(9), at(10)),))}
    cancelled = session(2, 1, (8, 0), (12, 0), (7, "speaker"), sign_ups=500, cancelled=True)
    found = check_programme(
        programme(
            session(1, 1, (9, 0), (10, 0), (7, "speaker")), cancelled, people=people, opening=(Window(at(9), at(19)),)
        )
    )
    assert found == []
    assert check_session(programme(session(1, 1, (9, 0), (10, 0), (7, "speaker"))), cancelled) == []


# Boundaries ------------------------------------------------------------------------------------


def test_touching_sessions_do_not_clash() -> None:
    found = check_programme(
        programme(
            session(1, 1, (9, 0), (10, 0), (7, "speaker")),
            session(2, 1, (10, 0), (11, 0), (7, "speaker")),
        ),
        ConflictRules(travel_gap=timedelta(minutes=15)),
    )
    assert found == []


def test_a_gap_equal_to_the_travel_gap_is_enough() -> None:
    base = programme(
        session(1, 1, (9, 0), (10, 0), (7, "speaker")),
        session(2, 3, (10, 15), (11, 0), (7, "speaker")),
    )
    assert check_programme(base, ConflictRules(travel_gap=timedelta(minutes=15))) == []
    one_more_minute = check_programme(base, ConflictRules(travel_gap=timedelta(minutes=16)))
    assert [(c.kind, c.detail["gap_minutes"], c.detail["travel_gap_minutes"]) for c in one_more_minute] == [
        (ConflictKind.travel_too_short, 15, 16)
    ]


def test_touching_sessions_in_different_buildings_are_a_travel_conflict_with_no_gap() -> None:
    found = check_programme(
        programme(session(1, 1, (9, 0), (10, 0), (7, "speaker")), session(2, 3, (10, 0), (11, 0), (7, "speaker")))
    )
    assert [(c.kind, c.detail["gap_minutes"]) for c in found] == [(ConflictKind.travel_too_short, 0)]


# Severities ------------------------------------------------------------------------------------


def clashing() -> Programme:
    return programme(
        session(1, 1, (9, 0), (10, 0), (7, "speaker"), sign_ups=90),
        session(2, 1, (9, 30), (10, 30), (7, "moderator")),
    )


def test_default_severities() -> None:
    found = check_programme(clashing())
    assert [(c.kind, c.severity) for c in found] == [
        (ConflictKind.room_double_booked, Severity.error),
        (ConflictKind.person_double_booked, Severity.error),
        (ConflictKind.room_too_small, Severity.warning),
    ]
    assert has_errors(found)
    assert ConflictRules().severities == DEFAULT_SEVERITIES


def test_the_organizer_turns_an_error_into_a_warning() -> None:
    rules = ConflictRules(severities={ConflictKind.room_double_booked: Severity.warning})
    found = check_programme(clashing(), rules)
    assert [(c.kind, c.severity) for c in found] == [
        (ConflictKind.room_double_booked, Severity.warning),
        (ConflictKind.person_double_booked, Severity.error),  # not overridden: its default
        (ConflictKind.room_too_small, Severity.warning),
    ]


def test_ignore_removes_a_kind() -> None:
    rules = ConflictRules(
        severities={
            ConflictKind.room_double_booked: Severity.ignore,
            ConflictKind.person_double_booked: Severity.warning,
            ConflictKind.room_too_small: Severity.error,
        }
    )
    found = check_programme(clashing(), rules)
    assert found == [
        Conflict(
            ConflictKind.person_double_booked, Severity.warning, (1, 2), person_id=7, detail={"overlap_minutes": 30}
        ),
        Conflict(ConflictKind.room_too_small, Severity.error, (1,), room_id=1, detail={"capacity": 80, "sign_ups": 90}),
    ]
    assert has_errors(found)
    assert not has_errors(found[:1])
    assert not has_errors([])


def test_overrides_read_as_plain_strings_count_as_severities() -> None:
    rules = ConflictRules(severities={"room_double_booked": "ignore", "room_too_small": "error"})  # type: ignore[dict-item]
    assert [(c.kind, c.severity) for c in check_programme(clashing(), rules)] == [
        (ConflictKind.person_double_booked, Severity.error),
        (ConflictKind.room_too_small, Severity.error),
    ]


# Order and check_session -----------------------------------------------------------------------


def test_the_output_does_not_depend_on_the_input_order() -> None:
    sessions = [
        session(
            number,
            1 + number % 3,
            (9 + number % 4, 0),
            (10 + number % 4, 30),
            (number % 5, "speaker"),
            (7, "moderator"),
        )
        for number in range(1, 13)
    ]
    expected = check_programme(programme(*sessions))
    assert len(expected) > 10
    shuffler = random.Random(6)
    for _ in range(5):
        shuffler.shuffle(sessions)
        assert check_programme(programme(*sessions)) == expected


def test_check_session_replaces_the_session_with_its_id() -> None:
    base = clashing()
    moved = session(2, 1, (10, 0), (11, 0), (7, "moderator"))
    assert check_session(base, moved) == []
    new = session(3, 2, (9, 45), (10, 15), (7, "speaker"))
    assert check_session(base, new) == [
        Conflict(
            ConflictKind.person_double_booked, Severity.error, (1, 3), person_id=7, detail={"overlap_minutes": 15}
        ),
        Conflict(
            ConflictKind.person_double_booked, Severity.error, (2, 3), person_id=7, detail={"overlap_minutes": 30}
        ),
    ]


# Against brute force ---------------------------------------------------------------------------


def oracle(programme: Programme, rules: ConflictRules) -> list[Conflict]:
    """Every pair of sessions, every person, straight from the rules."""
    severity = {kind: rules.severities.get(kind, DEFAULT_SEVERITIES[kind]) for kind in ConflictKind}
    live = [s for s in programme.sessions if not s.cancelled]
    found: list[Conflict] = []

    def overlap(a: Session, b: Session) -> timedelta | None:
        if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
            return min(a.ends_at, b.ends_at) - max(a.starts_at, b.starts_at)
        return None

    def persons(s: Session) -> set[int]:
        return {p.person_id for p in s.people}

    def building(s: Session) -> str:
        room = programme.rooms.get(s.room_id) if s.room_id is not None else None
        return room.building if room else ""

    def inside(s: Session, windows: tuple[Window, ...]) -> bool:
        return any(w.starts_at <= s.starts_at and s.ends_at <= w.ends_at for w in windows)

    for i, a in enumerate(live):
        for b in live[i + 1 :]:
            ids = tuple(sorted((a.id, b.id)))
            both = overlap(a, b)
            if both is None:
                continue
            minutes = {"overlap_minutes": math.ceil(both.total_seconds() / 60)}
            if a.room_id is not None and a.room_id == b.room_id:
                found.append(
                    Conflict(
                        ConflictKind.room_double_booked,
                        severity[ConflictKind.room_double_booked],
                        ids,
                        room_id=a.room_id,
                        detail=minutes,
                    )  # type: ignore[arg-type]
                )
            for person_id in persons(a) & persons(b):
                found.append(
                    Conflict(
                        ConflictKind.person_double_booked,
                        severity[ConflictKind.person_double_booked],
                        ids,
                        person_id=person_id,
                        detail=minutes,
                    )  # type: ignore[arg-type]
                )
    for s in live:
        for person_id in persons(s):
            person = programme.people.get(person_id)
            if person and person.availability and not inside(s, person.availability):
                found.append(
                    Conflict(
                        ConflictKind.person_unavailable,
                        severity[ConflictKind.person_unavailable],
                        (s.id,),
                        person_id=person_id,
                    )
                )
        if programme.opening and not inside(s, programme.opening):
            found.append(
                Conflict(ConflictKind.outside_opening_hours, severity[ConflictKind.outside_opening_hours], (s.id,))
            )
        room = programme.rooms.get(s.room_id) if s.room_id is not None else None
        if room and room.capacity is not None and s.sign_ups > room.capacity:
            found.append(
                Conflict(
                    ConflictKind.room_too_small,
                    severity[ConflictKind.room_too_small],
                    (s.id,),
                    room_id=room.id,
                    detail={"capacity": room.capacity, "sign_ups": s.sign_ups},
                )
            )
    people = {person_id for s in live for person_id in persons(s)}
    for person_id in people:
        theirs = [s for s in live if person_id in persons(s)]
        for b in theirs:
            before = [c for c in theirs if c.id != b.id and c.ends_at <= b.starts_at]
            if not before:
                continue
            last_end = max(c.ends_at for c in before)
            for a in before:
                gap = b.starts_at - a.ends_at
                if (
                    a.ends_at == last_end
                    and building(a)
                    and building(b)
                    and building(a) != building(b)
                    and gap < rules.travel_gap
                ):
                    found.append(
                        Conflict(
                            ConflictKind.travel_too_short,
                            severity[ConflictKind.travel_too_short],
                            tuple(sorted((a.id, b.id))),
                            person_id=person_id,
                            detail={
                                "gap_minutes": math.floor(gap.total_seconds() / 60),
                                "travel_gap_minutes": math.floor(rules.travel_gap.total_seconds() / 60),
                                "from_building": building(a),
                                "to_building": building(b),
                            },
                        )
                    )
    kinds = list(ConflictKind)
    found = [c for c in found if c.severity is not Severity.ignore]
    return sorted(found, key=lambda c: (kinds.index(c.kind), c.session_ids, c.person_id or -1, c.room_id or -1))


# Twelve hours on a 5-minute grid, so that clashes, touching sessions and equal gaps are common.
minutes = st.integers(min_value=0, max_value=12 * 12).map(lambda step: at(8) + timedelta(minutes=5 * step))


@st.composite
def windows(draw: st.DrawFn, most: int = 4) -> tuple[Window, ...]:
    result = []
    for start in draw(st.lists(minutes, max_size=most)):
        length = draw(st.integers(min_value=1, max_value=8 * 12))
        result.append(Window(start, start + timedelta(minutes=5 * length)))
    return tuple(result)


@st.composite
def sessions(draw: st.DrawFn, number: int, after: tuple[Session, ...] = ()) -> Session:
    # Often right after an earlier session, so that the travel gaps are short.
    if after and draw(st.booleans()):
        start = draw(st.sampled_from(after)).ends_at + timedelta(minutes=5 * draw(st.integers(0, 7)))
    else:
        start = draw(minutes)
    length = draw(st.integers(min_value=1, max_value=24))
    people = draw(
        st.lists(
            st.tuples(st.integers(min_value=1, max_value=5), st.sampled_from(["speaker", "moderator", "rapporteur"])),
            max_size=4,
        )
    )
    return Session(
        id=number,
        room_id=draw(st.sampled_from([None, 1, 2, 3, 4, 99])),  # 99: not among the rooms
        starts_at=start,
        ends_at=start + timedelta(minutes=5 * length),
        people=tuple(Participation(person_id, role) for person_id, role in people),
        sign_ups=draw(st.integers(min_value=0, max_value=60)),
        cancelled=draw(st.booleans()) and draw(st.booleans()),
    )


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    count = draw(st.integers(min_value=0, max_value=14))
    ids = draw(st.lists(st.integers(min_value=1, max_value=40), min_size=count, max_size=count, unique=True))
    rooms = {
        number: Room(
            id=number,
            building=draw(st.sampled_from(["A", "B", "C", ""])),
            capacity=draw(st.none() | st.integers(min_value=0, max_value=50)),
        )
        for number in (1, 2, 3, 4)
    }
    people = {number: Person(id=number, availability=draw(windows())) for number in (1, 2, 3, 4)}  # 5: unknown
    drawn: tuple[Session, ...] = ()
    for number in ids:
        drawn += (draw(sessions(number, drawn)),)
    return Programme(
        sessions=drawn,
        rooms=rooms,
        people=people,
        opening=draw(windows(most=3)),
    )


rule_sets = st.builds(
    ConflictRules,
    severities=st.dictionaries(st.sampled_from(list(ConflictKind)), st.sampled_from(list(Severity))),
    travel_gap=st.sampled_from([timedelta(0), timedelta(minutes=10), timedelta(minutes=15), timedelta(seconds=1830)]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes(), rule_sets)
def test_check_programme_equals_brute_force(programme: Programme, rules: ConflictRules) -> None:
    assert check_programme(programme, rules) == oracle(programme, rules)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes(), rule_sets, st.data())
def test_check_session_is_the_part_of_the_whole_check_involving_it(
    programme: Programme, rules: ConflictRules, data: st.DataObject
) -> None:
    existing = [s.id for s in programme.sessions]
    number = data.draw(st.sampled_from(existing) if existing and data.draw(st.booleans()) else st.integers(41, 50))
    candidate = data.draw(sessions(number))
    whole = replace(programme, sessions=(*(s for s in programme.sessions if s.id != number), candidate))
    expected = [c for c in check_programme(whole, rules) if number in c.session_ids]
    assert check_session(programme, candidate, rules) == expected
