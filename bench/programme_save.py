"""Saving one seminar session in a full programme, through the service: the write, and the
conflict check of the session against every session of the exhibition (loaded from the
database each time), in one transaction. And the whole programme's check as the programme
page asks for it (loading included).

Loads the demo, then fills the national exhibition's programme up to --sessions sessions,
--people people and --rooms rooms in bulk (random rooms, times inside the opening hours, 1-3
people each), then saves --repeat new sessions, one at a time, in a room of their own (so
that each is saved, not refused), and checks the whole programme --repeat times. Prints
the median of each, per engine.

    uv run python bench/programme_save.py [--sessions 2000] [--people 800] [--rooms 40] [--repeat 7]
                                          [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from common import base_env, machine_line, postgres_database, prepare_database

from exhibitions.accounts import queries as account_queries
from exhibitions.accounts.actor import Actor
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.demo import DEMO_ORGANIZER_EMAIL
from exhibitions.events import queries as event_queries
from exhibitions.seminars import services
from exhibitions.seminars.schemas import RoomIn, SessionIn
from exhibitions.seminars.tables import SeminarPerson, SeminarSession, SessionPerson, SessionType
from exhibitions.settings import Settings


async def fill(slug: str, args: argparse.Namespace, actor: Actor, now: datetime) -> None:
    exhibition = await event_queries.get_exhibition(slug)
    zone = ZoneInfo(exhibition["time_zone"])
    have = await services.list_rooms(slug=slug, actor=actor)
    for number in range(len(have), args.rooms):
        data = RoomIn(name=f"Salle {number}", building=f"Pavillon {number % 4}", capacity=60)
        await services.create_room(slug=slug, data=data, actor=actor, now=now)
    rooms = [row["id"] for row in await services.list_rooms(slug=slug, actor=actor)]
    people_now = len(await services.list_people(slug=slug, actor=actor))
    await SeminarPerson.insert(
        *[SeminarPerson(exhibition=exhibition["id"], name_latin=f"Person {n}", created_at=now, updated_at=now)
          for n in range(people_now, args.people)]
    )  # fmt: skip
    people = [row["id"] for row in await SeminarPerson.select(SeminarPerson.id)]
    track = (await services.list_tracks(slug=slug, actor=actor))[0]["id"]
    random.seed(11)
    existing = len(await services.list_sessions(slug=slug, actor=actor))
    for start in range(existing, args.sessions, 500):
        rows, ids = [], []
        for _ in range(start, min(start + 500, args.sessions)):
            day = exhibition["starts_on"] + timedelta(days=random.randrange(1, 10))
            begins = datetime.combine(day, exhibition["opens_at"], tzinfo=zone) + timedelta(
                minutes=15 * random.randrange(0, 32)
            )
            rows.append(SeminarSession(
                exhibition=exhibition["id"], guid=str(uuid.uuid4()), title_fr="Session", session_type="panel",
                track=track, room=random.choice(rooms), starts_at=begins.astimezone(ZoneInfo("UTC")),
                ends_at=(begins + timedelta(minutes=random.choice((30, 60, 90)))).astimezone(ZoneInfo("UTC")),
                status="scheduled", created_at=now, updated_at=now,
            ))  # fmt: skip
        inserted = await SeminarSession.insert(*rows).returning(SeminarSession.id)
        ids = [row["id"] for row in inserted]
        await SessionPerson.insert(
            *[SessionPerson(exhibition=exhibition["id"], session=session_id, person=person_id, role="speaker")
              for session_id in ids for person_id in random.sample(people, random.randint(1, 3))]
        )  # fmt: skip


async def measure(url: str, slug: str, args: argparse.Namespace) -> tuple[float, float, int]:
    settings = replace(Settings.from_env(), database_url=url)
    async with Database(settings).running():
        user = await account_queries.find_user_by_email(DEMO_ORGANIZER_EMAIL)
        assert user is not None
        actor = await account_queries.actor_for_user(user)
        now = utcnow()
        await fill(slug, args, actor, now)
        own = await services.create_room(
            slug=slug, data=RoomIn(name="Salle de mesure", capacity=50), actor=actor, now=now
        )
        exhibition = await event_queries.get_exhibition(slug)
        zone = ZoneInfo(exhibition["time_zone"])
        saves = []
        for index in range(args.repeat):
            begins = datetime.combine(exhibition["starts_on"] + timedelta(days=2), exhibition["opens_at"], tzinfo=zone)
            begins += timedelta(minutes=30 * index)
            data = SessionIn(
                type=SessionType.panel, track="legal_framework", starts_at=begins,
                ends_at=begins + timedelta(minutes=30), title_fr=f"Mesure {index}", room_id=own["id"],
            )  # fmt: skip
            started = time.perf_counter()
            await services.create_session(slug=slug, data=data, actor=actor, now=now)
            saves.append(time.perf_counter() - started)
        checks = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            checked = await services.programme_conflicts(slug=slug, actor=actor)
            checks.append(time.perf_counter() - started)
        return statistics.median(saves) * 1000, statistics.median(checks) * 1000, len(checked.conflicts)


def bench(name: str, env: dict[str, str], args: argparse.Namespace) -> None:
    slug = prepare_database(env)
    save, check, conflicts = asyncio.run(measure(env["EXHIBITIONS_DATABASE_URL"], slug, args))
    print(f"{name}: save one session {save:.0f} ms (median of {args.repeat}); whole programme's check "
          f"{check:.0f} ms ({conflicts} conflicts)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--people", type=int, default=800)
    parser.add_argument("--rooms", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    print(machine_line(f"{args.sessions} sessions, {args.people} people, {args.rooms} rooms, in-process service calls"))
    with tempfile.TemporaryDirectory() as workdir:
        env = base_env()
        if "sqlite" in args.engines:
            bench("SQLite", {**env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/d.sqlite3"}, args)
        if "postgresql" not in args.engines:
            return
        with postgres_database() as pg_url:
            if pg_url is None:
                print("PostgreSQL: not reachable, skipped")
                return
            bench("PostgreSQL", {**env, "EXHIBITIONS_DATABASE_URL": pg_url}, args)


if __name__ == "__main__":
    main()
