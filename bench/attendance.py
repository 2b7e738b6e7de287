"""The public programme's work, through the services: publishing a full programme, publishing
again after moves that many visitors follow (the change notices), many visitors registering
for one session at once, and reading the published programme as the public page does.

Loads the demo, fills the national exhibition's programme as bench/programme_save.py does
(--sessions, --people, --rooms), registers --visitors tickets, then:

1. publishes version 1 (no notices: nothing was published before);
2. each visitor stars 5 of the first 100 sessions; 100 sessions move by an hour; publishes
   version 2 (the notices are queued in the same transaction);
3. --visitors registrations at once (asyncio.gather) for a session of 60 places;
4. reads the published programme with its places --repeat times (median).

    uv run python bench/attendance.py [--sessions 2000] [--people 800] [--rooms 40] [--visitors 200]
                                      [--repeat 7] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import timedelta

from common import base_env, machine_line, postgres_database, prepare_database
from programme_save import fill

from exhibitions.accounts import queries as account_queries
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.demo import DEMO_ORGANIZER_EMAIL
from exhibitions.events import queries as event_queries
from exhibitions.seminars import services
from exhibitions.seminars.tables import SeminarSession
from exhibitions.settings import Settings
from exhibitions.tickets import services as tickets
from exhibitions.tickets.schemas import RegistrationIn


async def measure(url: str, slug: str, args: argparse.Namespace) -> dict[str, float]:
    settings = replace(Settings.from_env(), database_url=url)
    figures: dict[str, float] = {}
    async with Database(settings).running():
        user = await account_queries.find_user_by_email(DEMO_ORGANIZER_EMAIL)
        assert user is not None
        actor = await account_queries.actor_for_user(user)
        now = utcnow()
        await fill(slug, args, actor, now)
        exhibition = await event_queries.get_exhibition(slug)
        tokens = []
        for number in range(args.visitors):
            view, _ = await tickets.register_visitor(
                slug=slug, data=RegistrationIn(name=f"Visiteur {number}", email=f"v{number}@bench.ma",
                                               home_region="MA-04"),
                secret_key=settings.secret_key, now=now,
            )  # fmt: skip
            tokens.append(view.row["access_token"])
        started = time.perf_counter()
        first = await services.publish_programme(slug=slug, actor=actor, now=now, base_url="http://bench")
        figures["publish_first_ms"] = (time.perf_counter() - started) * 1000
        figures["sessions"] = first.sessions

        moved = await SeminarSession.raw(
            "SELECT id, starts_at, ends_at FROM seminar_session WHERE exhibition = {} AND status = 'scheduled'"
            " ORDER BY id LIMIT 100",
            exhibition["id"],
        )
        sessions = [row["id"] for row in moved]
        for index, token in enumerate(tokens):
            for offset in range(5):
                session_id = sessions[(index * 5 + offset) % len(sessions)]
                await services.star_session(access_token=token, session_id=session_id, now=now)
        for row in moved:
            await SeminarSession.raw(
                "UPDATE seminar_session SET starts_at = {}, ends_at = {}, sequence = sequence + 1 WHERE id = {}",
                row["starts_at"] + timedelta(hours=1), row["ends_at"] + timedelta(hours=1), row["id"],
            )  # fmt: skip
        started = time.perf_counter()
        second = await services.publish_programme(slug=slug, actor=actor, now=now, base_url="http://bench")
        figures["publish_changes_ms"] = (time.perf_counter() - started) * 1000
        figures["changes"], figures["notices"] = second.changes, second.notices

        target = sessions[-1]
        await SeminarSession.raw(
            "UPDATE seminar_session SET needs_registration = TRUE, capacity = 60 WHERE id = {}", target
        )
        await services.publish_programme(slug=slug, actor=actor, now=now, base_url="http://bench")
        started = time.perf_counter()
        outcomes = await asyncio.gather(
            *(services.register_for_session(access_token=token, session_id=target, now=now) for token in tokens)
        )
        figures["register_all_ms"] = (time.perf_counter() - started) * 1000
        figures["registered"] = sum(1 for one in outcomes if one.status.value == "registered")

        reads = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            await services.published_programme(slug=slug, actor=None)
            await services.places(exhibition["id"])
            reads.append(time.perf_counter() - started)
        figures["read_ms"] = statistics.median(reads) * 1000
    return figures


def bench(name: str, env: dict[str, str], args: argparse.Namespace) -> None:
    slug = prepare_database(env)
    f = asyncio.run(measure(env["EXHIBITIONS_DATABASE_URL"], slug, args))
    print(
        f"{name}: publish v1 of {f['sessions']:.0f} sessions {f['publish_first_ms']:.0f} ms; publish v2 with"
        f" {f['changes']:.0f} moved sessions, {f['notices']:.0f} notices queued {f['publish_changes_ms']:.0f} ms;"
        f" {args.visitors} registrations at once for 60 places {f['register_all_ms']:.0f} ms"
        f" ({f['registered']:.0f} registered); read the published programme and places {f['read_ms']:.1f} ms"
        f" (median of {args.repeat})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--people", type=int, default=800)
    parser.add_argument("--rooms", type=int, default=40)
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    print(machine_line(f"{args.sessions} sessions, {args.visitors} visitors, in-process service calls"))
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
