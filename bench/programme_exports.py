"""Programme export time: a generated seminar programme (by default 2,000 sessions, 800 people,
40 rooms over 5 days, titles and abstracts in Arabic and French, 2 to 4 people per session,
1 in 50 cancelled) written as ICS, frab XML and c3voc JSON, in process. Reports the median of
--repeats runs of each export (wall clock and CPU time) and its size.

    uv run python bench/programme_exports.py [--sessions 2000] [--people 800] [--rooms 40] [--repeats 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from common import machine_line

from exhibitions.seminars.exports import (
    ExportPerson,
    ExportProgramme,
    ExportRoom,
    ExportSession,
    to_c3voc_json,
    to_frab_xml,
    to_ics,
)

DAYS = 5
TYPES = ("keynote", "panel", "workshop", "round_table")
TRACKS = (
    ("legal", {"ar": "الإطار القانوني", "fr": "Cadre juridique", "en": "Legal framework"}),
    ("policy", {"ar": "السياسات العمومية", "fr": "Politiques publiques", "en": "Public policy"}),
    ("initiatives", {"ar": "المبادرات", "fr": "Initiatives", "en": "Initiatives"}),
    ("partnership", {"ar": "الشراكة الدولية", "fr": "Partenariat international", "en": "International partnership"}),
)
ARABIC_WORDS = ("الاقتصاد", "الاجتماعي", "التضامني", "التعاونيات", "الجمعيات")
ARABIC_WORDS += ("التمويل", "المرأة", "القروية", "التسويق", "الرقمي")
FRENCH_WORDS = ("économie", "sociale", "solidaire", "coopératives", "associations")
FRENCH_WORDS += ("financement", "femmes", "rurales", "marché")


def sample_programme(sessions: int, people: int, rooms: int, *, seed: int = 6) -> ExportProgramme:
    chance = random.Random(seed)
    room_list = tuple(
        ExportRoom(id=number, name=f"Salle {number}", building=f"Pavillon {number % 4 + 1}", capacity=40 + number * 5)
        for number in range(1, rooms + 1)
    )
    person_list = [
        ExportPerson(
            id=number,
            name=f"Intervenant {number}",
            name_ar=f"المتدخل {number}",
            affiliation="Université Mohammed V",
            bio={"fr": "Chercheuse en économie sociale.", "ar": "باحثة في الاقتصاد الاجتماعي."},
        )
        for number in range(1, people + 1)
    ]
    first_day = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)
    session_list = []
    for number in range(1, sessions + 1):
        starts = first_day + timedelta(days=chance.randrange(DAYS), minutes=30 * chance.randrange(20))
        track_code, track = TRACKS[number % len(TRACKS)]
        session_list.append(
            ExportSession(
                id=number,
                guid=str(uuid.UUID(int=chance.getrandbits(128), version=4)),
                title={
                    "ar": " ".join(chance.choices(ARABIC_WORDS, k=6)),
                    "fr": " ".join(chance.choices(FRENCH_WORDS, k=6)).capitalize(),
                },
                abstract={
                    "ar": " ".join(chance.choices(ARABIC_WORDS, k=60)),
                    "fr": " ".join(chance.choices(FRENCH_WORDS, k=60)),
                },
                type=TYPES[number % len(TYPES)],
                track=track,
                track_code=track_code,
                room_id=chance.randrange(1, rooms + 1),
                starts_at=starts,
                ends_at=starts + timedelta(minutes=chance.choice((45, 60, 90))),
                people=tuple(
                    (person, role)
                    for person, role in zip(
                        chance.sample(person_list, chance.randint(2, 4)),
                        ("moderator", "speaker", "speaker", "discussant"),
                        strict=False,
                    )
                ),
                languages=("ar", "fr"),
                interpretation=number % 3 == 0,
                sequence=chance.randrange(3),
                cancelled=number % 50 == 0,
                url=f"https://ess.example.ma/seminars/sess-2027/sessions/{number}",
            )
        )
    return ExportProgramme(
        slug="sess-2027",
        title={"ar": "المعرض الوطني للاقتصاد الاجتماعي والتضامني", "fr": "Salon national de l'ESS"},
        time_zone="Africa/Casablanca",
        starts_on=date(2027, 5, 12),
        ends_on=date(2027, 5, 12) + timedelta(days=DAYS - 1),
        version="1",
        base_url="https://ess.example.ma/seminars/sess-2027/",
        host="ess.example.ma",
        rooms=room_list,
        sessions=tuple(session_list),
        language="fr",
    )


def timed(export: Callable[[], bytes], repeats: int) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds of each run (the CPU time shows what other processes on
    a shared machine add to the wall clock), and the size of the output."""
    size = len(export())  # warm up (imports, the time zone data)
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        export()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--people", type=int, default=800)
    parser.add_argument("--rooms", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    programme = sample_programme(arguments.sessions, arguments.people, arguments.rooms)
    stamp = datetime(2027, 5, 1, tzinfo=UTC)
    print(machine_line("in process, one thread"))
    print(f"{arguments.sessions} sessions, {arguments.people} people, {arguments.rooms} rooms, {DAYS} days")
    exports: dict[str, Callable[[], bytes]] = {
        "ICS": lambda: to_ics(programme, name="Programme", stamp=stamp),
        "frab XML": lambda: to_frab_xml(programme),
        "c3voc JSON": lambda: to_c3voc_json(programme),
    }
    for label, export in exports.items():
        wall, cpu, size = timed(export, arguments.repeats)
        rounds = ", ".join(f"{timing:.0f}" for timing in wall)
        print(
            f"{label:<10}  median {statistics.median(wall):5.0f} ms wall, {statistics.median(cpu):5.0f} ms CPU"
            f"  ({size / 1024:,.0f} KiB; wall runs: {rounds})"
        )


if __name__ == "__main__":
    main()
