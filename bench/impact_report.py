"""Time the impact report of a 600-exhibitor edition (goal: the PDF in <= 15 s).

Builds a throwaway database (SQLite in a temporary folder, or PostgreSQL with --postgres):
650 organizations (600 approved), 14 review quotas, 570 stands (30 shared, so 600
exhibitors placed), 20,000 tickets (about 70 % admitted), 40 seminar sessions in 2 rooms with
their registrations and door scans, all bulk-inserted. Then renders the report the way the
page, the API and the command line do (``reports.impact_report``: figures read from the
database, charts drawn, WeasyPrint layout) and prints the median of --repeats renders for
the Arabic and the French PDF, and the time of one XLSX.

    uv run python bench/impact_report.py [--repeats 3] [--postgres] [--save FOLDER]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import PG_SERVER, machine_line

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' exhibition factory

REGIONS = [f"MA-{number:02d}" for number in range(1, 13)]
SECTORS = ["agriculture", "handicrafts", "fishing", "argan", "food_processing", "textile", "services", "other"]
FORMS = ["cooperative", "association", "mutual", "company", "public_body"]
COUNTRIES = ["FR", "ES", "SN", "BE", "TN", "IT", "DE", "CI", "US", "MR"]
EXHIBITORS = 600
TICKETS = 20_000
SESSIONS = 40
CHUNK = 500
NOW = datetime(2027, 5, 20, 9, 0, tzinfo=UTC)
FIRST = datetime(2027, 5, 7, 9, 0, tzinfo=UTC)


async def _insert(table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Multi-row INSERTs of CHUNK rows; the new ids in order."""
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        created = await table.insert(*(table(**row) for row in rows[start : start + CHUNK])).returning(table.id)
        ids.extend(int(row["id"]) for row in created)
    return ids


async def build(slug: str) -> None:
    from exhibitions.accounts.actor import Actor
    from exhibitions.events import services as event_services
    from exhibitions.events.tables import Exhibition, Hall
    from exhibitions.exhibitors.review_tables import ReviewQuota
    from exhibitions.exhibitors.tables import Application, Organization
    from exhibitions.seminars.attendance_tables import SessionRegistration
    from exhibitions.seminars.tables import SeminarRoom, SeminarSession, SeminarTrack
    from exhibitions.stands.tables import Stand, StandAssignment
    from exhibitions.tickets.tables import Admission, Checkpoint, Ticket
    from tests.factories import exhibition_create

    draw = random.Random(2027)
    actor = Actor(user_id=0, email="bench", roles=frozenset({(None, "organizer")}))
    await event_services.create_exhibition(
        data=exhibition_create(slug=slug, starts_on="2027-05-07", ends_on="2027-05-16"), actor=actor, now=NOW
    )
    exhibition = (await Exhibition.select(Exhibition.id, Exhibition.venue).where(Exhibition.slug == slug))[0]
    exhibition_id = exhibition["id"]
    hall = (await Hall.select(Hall.id).where(Hall.venue == exhibition["venue"]))[0]["id"]
    await Hall.update({Hall.plan_width_cm: 20_000, Hall.plan_depth_cm: 9_000}).where(Hall.id == hall)

    organizations = [
        {
            "legal_form": draw.choices(FORMS, weights=[12, 6, 1, 2, 1])[0],
            "name_ar": f"تعاونية رقم {number}",
            "name_latin": f"Coopérative {number}",
            "registry_number": f"{number}/2020",
            "region": draw.choices(REGIONS, weights=[8, 6, 3, 5, 4, 12, 5, 2, 9, 3, 2, 1])[0],
            "city": "Rabat",
            "sector": draw.choices(SECTORS, weights=[10, 8, 2, 5, 6, 4, 3, 2])[0],
            "members_total": (members := draw.randint(0, 40)),
            "members_women": draw.randint(0, members),
            "members_youth": draw.randint(0, members),
            "declared_women_led": draw.random() < 0.2,
            "created_at": NOW,
            "updated_at": NOW,
        }
        for number in range(EXHIBITORS + 50)
    ]
    organization_ids = await _insert(Organization, organizations)
    applications = await _insert(
        Application,
        [
            {
                "exhibition": exhibition_id, "organization": organization,
                "status": "approved" if number < EXHIBITORS else "rejected", "created_at": NOW, "updated_at": NOW,
            }
            for number, organization in enumerate(organization_ids)
        ],
    )  # fmt: skip
    quotas = [("women_led", "", 3000, None), ("sector", "fishing", 300, None)]
    quotas += [("region", region, 400, None) for region in REGIONS]
    await _insert(
        ReviewQuota,
        [
            {"exhibition": exhibition_id, "dimension": d, "value": v, "min_bp": low, "max_bp": high, "position": n}
            for n, (d, v, low, high) in enumerate(quotas)
        ],
    )

    # 570 stands on a 40-column grid: the first 30 are 6 m x 3 m and shared by two exhibitors.
    stand_ids = await _insert(
        Stand,
        [
            {
                "exhibition": exhibition_id, "hall": hall, "code": f"A-{number + 1}",
                "x_cm": (number % 25) * 700, "y_cm": (number // 25) * 350, "width_cm": 600 if number < 30 else 300,
                "depth_cm": 300, "capacity": 2 if number < 30 else 1, "created_at": NOW, "updated_at": NOW,
            }
            for number in range(570)
        ],
    )  # fmt: skip
    seats = [(stand, seat) for stand in stand_ids[:30] for seat in (1, 2)] + [(stand, 1) for stand in stand_ids[30:]]
    await _insert(
        StandAssignment,
        [
            {"stand": stand, "application": application, "seat": seat, "assigned_at": NOW}
            for (stand, seat), application in zip(seats, applications[:EXHIBITORS], strict=True)
        ],
    )

    gate = (
        await Checkpoint.insert(Checkpoint(exhibition=exhibition_id, name="Porte principale", kind="gate")).returning(
            Checkpoint.id
        )
    )[0]["id"]
    tickets = []
    for number in range(TICKETS):
        abroad = draw.random() < 0.03
        tickets.append(
            {
                "exhibition": exhibition_id, "access_token": uuid.uuid4().hex, "manual_code": f"B{number:07d}",
                "holder_name": f"Visiteur {number}", "email": f"visiteur{number}@example.ma",
                "home_region": "abroad" if abroad else draw.choices(REGIONS, weights=[6, 4, 3, 9, 4, 14, 5, 2, 5, 2, 1, 1])[0],  # noqa: E501
                "country": draw.choice(COUNTRIES) if abroad else None, "category": "general", "language": "fr",
                "first_day": FIRST.date(), "day_count": 10, "key_id": 1, "created_at": NOW,
            }
        )  # fmt: skip
    ticket_ids = await _insert(Ticket, tickets)
    came = [ticket for ticket in ticket_ids if draw.random() < 0.7]
    await _insert(
        Admission,
        [
            {
                "ticket": ticket, "checkpoint": gate, "scope": "day", "slot": "2027-05-07",
                "admitted_at": FIRST + timedelta(days=draw.randrange(10), minutes=draw.randrange(600)),
            }
            for ticket in came
        ],
    )  # fmt: skip

    track = (
        await SeminarTrack.insert(SeminarTrack(exhibition=exhibition_id, code="ess", name_fr="ESS")).returning(
            SeminarTrack.id
        )
    )[0]["id"]
    rooms = []
    for name, capacity in (("Salle Atlas", 120), ("Salle Rif", 60)):
        checkpoint = (
            await Checkpoint.insert(
                Checkpoint(exhibition=exhibition_id, name=name, kind="room", policy="reentry_after_exit")
            ).returning(Checkpoint.id)
        )[0]["id"]
        room = await _insert(
            SeminarRoom,
            [{"exhibition": exhibition_id, "name": name, "capacity": capacity, "checkpoint": checkpoint,
              "created_at": NOW, "updated_at": NOW}],
        )  # fmt: skip
        rooms.append((room[0], checkpoint, capacity))
    sessions = []
    for number in range(SESSIONS):
        room, checkpoint, capacity = rooms[number % 2]
        starts = FIRST + timedelta(days=number // 4, hours=1 + 2 * (number % 4 // 2))
        sessions.append((starts, checkpoint, capacity))
        await _insert(
            SeminarSession,
            [
                {
                    "exhibition": exhibition_id, "guid": str(uuid.uuid4()), "title_ar": f"الجلسة رقم {number + 1}",
                    "title_fr": f"Séance {number + 1} : l'économie sociale et solidaire dans les territoires",
                    "title_en": f"Session {number + 1}", "session_type": "panel", "track": track, "room": room,
                    "starts_at": starts, "ends_at": starts + timedelta(minutes=90), "status": "scheduled",
                    "created_at": NOW, "updated_at": NOW,
                }
            ],
        )  # fmt: skip
    session_ids = [row["id"] for row in await SeminarSession.select(SeminarSession.id).order_by(SeminarSession.id)]
    registrations, door = [], []
    for session_id, (starts, checkpoint, capacity) in zip(session_ids, sessions, strict=True):
        for slot, ticket in enumerate(draw.sample(ticket_ids, capacity)):
            registrations.append(
                {"exhibition": exhibition_id, "session": session_id, "ticket": ticket, "status": "registered",
                 "created_at": NOW}
            )  # fmt: skip
            if draw.random() < 0.75:
                door.append(
                    {"ticket": ticket, "checkpoint": checkpoint, "scope": "room", "slot": f"{session_id}-{slot}",
                     "admitted_at": starts + timedelta(minutes=draw.randrange(-20, 60))}
                )  # fmt: skip
    await _insert(SessionRegistration, registrations)
    await _insert(Admission, door)


async def measure(repeats: int, save: Path | None) -> None:
    from exhibitions.analytics.impact import reports
    from exhibitions.exhibitors.services import COMMAND_LINE

    cpu: dict[str, list[float]] = {"ar": [], "fr": []}

    async def once(language: str, fmt: str) -> tuple[float, int]:
        started, cpu_started = time.perf_counter(), time.process_time()
        file = await reports.impact_report(slug="bench-2027", actor=COMMAND_LINE, language=language, fmt=fmt, now=NOW)
        seconds = time.perf_counter() - started
        # The CPU this process used (the render thread included): what the load does not inflate.
        cpu[language].append(time.process_time() - cpu_started)
        if save is not None:
            (save / file.filename).write_bytes(file.content)
        return seconds, len(file.content)

    # The first report of a process also imports WeasyPrint and matplotlib and loads the fonts.
    cold, _ = await once("fr", "pdf")
    print(f"first PDF of the process (imports included): {cold:.2f} s")
    for language in ("ar", "fr"):
        runs = [await once(language, "pdf") for _ in range(repeats)]
        seconds = [run[0] for run in runs]
        print(
            f"PDF {language}: median {statistics.median(seconds):.2f} s"
            f" (runs {', '.join(f'{value:.2f}' for value in seconds)}; {runs[0][1] / 1024:,.0f} KiB);"
            f" CPU median {statistics.median(cpu[language][-repeats:]):.2f} s"
        )
    seconds, size = await once("fr", "xlsx")
    print(f"XLSX fr: {seconds:.2f} s ({size / 1024:,.0f} KiB)")


async def main_async(database_url: str, repeats: int, save: Path | None) -> None:
    from exhibitions.db import Database
    from exhibitions.migrations import apply_migrations
    from exhibitions.settings import Settings

    os.environ["EXHIBITIONS_DATABASE_URL"] = database_url
    settings = Settings.from_env()
    async with Database(settings).running() as database:
        await apply_migrations(database.engine)
        started = time.perf_counter()
        await build("bench-2027")
        print(f"built the edition in {time.perf_counter() - started:.1f} s")
        await measure(repeats, save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="A throwaway PostgreSQL database instead of SQLite.")
    parser.add_argument("--save", type=Path, default=None, help="A folder to keep the reports in, to look at them.")
    arguments = parser.parse_args()
    load = os.getloadavg()[0]
    engine = "PostgreSQL" if arguments.postgres else "SQLite"
    print(machine_line(f"{engine}, in process; load average {load:.2f} at the start"))
    if arguments.postgres:
        import asyncpg

        name = f"bench_impact_{uuid.uuid4().hex[:8]}"

        async def create() -> None:
            connection = await asyncpg.connect(PG_SERVER)
            await connection.execute(f'CREATE DATABASE "{name}"')
            await connection.close()

        async def drop() -> None:
            connection = await asyncpg.connect(PG_SERVER)
            await connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            await connection.close()

        asyncio.run(create())
        try:
            asyncio.run(main_async(PG_SERVER.rsplit("/", 1)[0] + f"/{name}", arguments.repeats, arguments.save))
        finally:
            asyncio.run(drop())
    else:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(main_async(f"sqlite:///{folder}/bench.sqlite3", arguments.repeats, arguments.save))


if __name__ == "__main__":
    main()
