"""Time the seminar conflict engine (exhibitions.seminars.conflicts) on a generated, realistic
programme: 3 days open 9:00-19:00 (Africa/Casablanca), 40 rooms in 5 buildings, 800 people
(a third with availability windows), 2,000 sessions of 30-120 minutes with 1-5 people each,
planned the way an organizer would (no clash), then a few deliberate clashes of every kind.

    uv run python bench/conflicts.py [--sessions 2000] [--people 800] [--rooms 40] [--runs 7]

Goal (issue 6): a full-programme check of 2,000 sessions, 800 people and 40 rooms in <= 200 ms.
Also timed: `check_session` for one session, as when an organizer saves it.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from exhibitions.seminars.conflicts import (
    ConflictKind,
    Participation,
    Person,
    Programme,
    Room,
    Session,
    Window,
    check_programme,
    check_session,
)

ZONE = ZoneInfo("Africa/Casablanca")
FIRST_DAY = date(2027, 5, 18)
DAYS = 3
OPENS, CLOSES = 9, 19
BUILDINGS = ["Palais des congrès", "Hall A", "Hall B", "Pavillon sud", "Annexe"]
ROLES = ["speaker", "speaker", "speaker", "moderator", "rapporteur", "discussant"]
# 2,000 sessions of at least 30 minutes nearly fill 40 rooms x 3 days x 10 hours (1,200
# room-hours), so most sessions are short and follow each other without a break.
DURATIONS = [30, 45, 60, 90, 120]
DURATION_WEIGHTS = [88, 4, 4, 2, 2]
GOAL_S = 0.200


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time of the exhibition's day, in UTC as the engine wants it."""
    when = FIRST_DAY + timedelta(days=day)
    return datetime(when.year, when.month, when.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


def opening() -> tuple[Window, ...]:
    return tuple(Window(local(day, OPENS), local(day, CLOSES)) for day in range(DAYS))


def generate(session_count: int, people_count: int, room_count: int, seed: int = 2027) -> Programme:
    draw = random.Random(seed)
    rooms = {
        number: Room(
            id=number, building=BUILDINGS[number % len(BUILDINGS)], capacity=draw.choice([30, 60, 80, 120, 300, None])
        )
        for number in range(1, room_count + 1)
    }
    people: dict[int, Person] = {}
    for number in range(1, people_count + 1):
        windows: tuple[Window, ...] = ()
        if draw.random() < 1 / 3:
            days = sorted(draw.sample(range(DAYS), draw.randint(1, DAYS - 1)))
            windows = tuple(Window(local(day, OPENS), local(day, CLOSES)) for day in days)
        people[number] = Person(id=number, availability=windows)

    # Slots: each room's days filled back to back from the opening.
    slots: list[tuple[int, datetime, datetime]] = []
    for day in range(DAYS):
        for room_id in rooms:
            moment, closing = local(day, OPENS), local(day, CLOSES)
            while True:
                length = timedelta(minutes=draw.choices(DURATIONS, DURATION_WEIGHTS)[0])
                if moment + length > closing:
                    break
                slots.append((room_id, moment, moment + length))
                moment += length
    draw.shuffle(slots)
    slots = sorted(slots[:session_count], key=lambda slot: (slot[1], slot[0]))

    # People are given sessions they can attend: free, available, and with time to walk over.
    busy: dict[int, list[tuple[datetime, datetime, str]]] = {number: [] for number in people}
    gap = timedelta(minutes=15)

    def can_attend(person_id: int, room_id: int, starts_at: datetime, ends_at: datetime) -> bool:
        person = people[person_id]
        if person.availability and not any(
            w.starts_at <= starts_at and ends_at <= w.ends_at for w in person.availability
        ):
            return False
        building = rooms[room_id].building
        return all(
            ends_at + (gap if other != building else timedelta(0)) <= start
            or end + (gap if other != building else timedelta(0)) <= starts_at
            for start, end, other in busy[person_id]
        )

    sessions: list[Session] = []
    for number, (room_id, starts_at, ends_at) in enumerate(slots, start=1):
        wanted = draw.choices([1, 2, 3, 4, 5], [20, 25, 30, 15, 10])[0]
        chosen: list[int] = []
        for _ in range(40):
            if len(chosen) == wanted:
                break
            candidate = draw.randint(1, people_count)
            if candidate not in chosen and can_attend(candidate, room_id, starts_at, ends_at):
                chosen.append(candidate)
                busy[candidate].append((starts_at, ends_at, rooms[room_id].building))
        capacity = rooms[room_id].capacity or 500
        sessions.append(
            Session(
                id=number,
                room_id=room_id,
                starts_at=starts_at,
                ends_at=ends_at,
                people=tuple(Participation(person_id, draw.choice(ROLES)) for person_id in chosen),
                sign_ups=draw.randint(0, capacity),
                cancelled=draw.random() < 0.02,
            )
        )

    # Deliberate clashes, about 1 % of the sessions for each kind.
    count = max(1, len(sessions) // 100)
    for index in draw.sample(range(len(sessions)), count):  # moved by 15 minutes: room (and people) clash
        moved = sessions[index]
        sessions[index] = replace(moved, starts_at=moved.starts_at + gap, ends_at=moved.ends_at + gap)
    for index in draw.sample(range(len(sessions)), count):  # someone already busy elsewhere
        other = draw.choice(
            [s for s in sessions if s.starts_at == sessions[index].starts_at and s.people] or sessions[:1]
        )
        extra = Participation(other.people[0].person_id, "discussant") if other.people else None
        if extra:
            sessions[index] = replace(sessions[index], people=(*sessions[index].people, extra))
    for index in draw.sample(range(len(sessions)), count):  # a guest with windows, out of them
        guest = draw.choice([person for person in people.values() if person.availability])
        sessions[index] = replace(sessions[index], people=(*sessions[index].people, Participation(guest.id, "speaker")))
    for index in draw.sample(range(len(sessions)), count):  # too many sign-ups
        room = rooms[sessions[index].room_id or 1]
        sessions[index] = replace(sessions[index], sign_ups=(room.capacity or 500) + draw.randint(1, 40))
    for index in draw.sample(range(len(sessions)), count // 2):  # runs past closing time
        day = (sessions[index].starts_at - local(0, 0)).days
        sessions[index] = replace(sessions[index], starts_at=local(day, CLOSES - 1, 15), ends_at=local(day, CLOSES, 15))
    return Programme(sessions=tuple(sessions), rooms=rooms, people=people, opening=opening())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--people", type=int, default=800)
    parser.add_argument("--rooms", type=int, default=40)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()

    programme = generate(arguments.sessions, arguments.people, arguments.rooms)
    participations = sum(len(session.people) for session in programme.sessions)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"programme: {len(programme.sessions)} sessions ({sum(s.cancelled for s in programme.sessions)} cancelled), "
        f"{len(programme.people)} people, {len(programme.rooms)} rooms, {participations} participations"
    )

    timings = []
    for _ in range(arguments.runs):
        started = time.perf_counter()
        conflicts = check_programme(programme)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    verdict = "within" if median <= GOAL_S else "OVER"
    rounds = ", ".join(f"{timing * 1000:.1f}" for timing in timings)
    print(f"check_programme: median {median * 1000:.1f} ms ({verdict} the 200 ms goal; runs: {rounds} ms)")
    kinds = Counter(conflict.kind for conflict in conflicts)
    for kind in ConflictKind:
        print(f"  {kind.value:<24} {kinds[kind]:>5}")

    draw = random.Random(7)
    samples = [draw.choice(programme.sessions) for _ in range(200)]
    single = []
    for sample in samples:
        started = time.perf_counter()
        check_session(programme, sample)
        single.append(time.perf_counter() - started)
    print(f"check_session (one session, 200 samples): median {statistics.median(single) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
