"""Time the speaker rules (exhibitions.seminars.reminders): which reminders and nudges are
due, for a programme of 2,000 sessions with 3 people each and 800 invited people, at every
minute of one day (what the job evaluates once a minute).

    uv run python bench/speaker_reminders.py [--rounds 5]

The job reads only the sessions within the longest reminder's reach; this evaluates the
whole programme each minute, an upper bound.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from exhibitions.seminars.reminders import Appearance, Invitation, due_nudges, due_reminders

START = datetime(2027, 5, 7, 9, 0, tzinfo=UTC)


def programme(seed: int = 2027) -> tuple[list[Appearance], list[Invitation]]:
    draw = random.Random(seed)
    appearances = []
    for session in range(2000):
        starts_at = START + timedelta(days=draw.randrange(10), minutes=30 * draw.randrange(20))
        for seat in range(3):
            appearances.append(
                Appearance(
                    session_person_id=session * 3 + seat, person_id=draw.randrange(800), session_id=session,
                    starts_at=starts_at, response=draw.choice(["invited", "confirmed", "confirmed", "declined"]),
                )
            )  # fmt: skip
    invitations = [
        Invitation(
            person_id=person, version=1, invited_at=START - timedelta(days=draw.randrange(5, 40)),
            nudges_sent=draw.randrange(3), last_nudged_at=START - timedelta(days=draw.randrange(1, 5)),
            unanswered_starts=(START + timedelta(days=draw.randrange(10)),),
        )
        for person in range(800)
    ]  # fmt: skip
    return appearances, invitations


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    appearances, invitations = programme()
    per_evaluation = []
    due = 0
    for _ in range(args.rounds):
        started = time.perf_counter()
        for minute in range(0, 24 * 60, 10):  # every 10th minute of the day before: 144 evaluations
            now = START - timedelta(days=1) + timedelta(minutes=minute)
            due += len(due_reminders(appearances, now=now)) + len(due_nudges(invitations, now=now))
        per_evaluation.append((time.perf_counter() - started) / 144)
    print(
        f"6,000 appearances + 800 invitations: median {statistics.median(per_evaluation) * 1000:.2f} ms per evaluation"
        f" (rounds: {', '.join(f'{value * 1000:.2f}' for value in per_evaluation)} ms; {due // args.rounds} due a day)"
    )
    print(f"machine: {os.cpu_count()} cores {platform.machine()}, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
