"""Time the allocation workflow through its services on a real database: compute a proposal
(read the approved applications and the stands, solve, store the draft), accept all of it
(seat, publish and queue an e-mail per exhibitor, in one transaction), then publish what is
left (nothing: acceptance publishes). The instances are bench/allocation.py's (every soft goal
on), in two halls of a venue, each exhibitor with one member. SQLite, then PostgreSQL when
reachable; the median of 3 rounds, each on a fresh database.

    uv run python bench/allocation_workflow.py [--sizes 150,600] [--rounds 3]

The solver's time limit is the issue's goal for the size (85 %, as in bench/allocation.py),
so "compute" is mostly that limit; the rest is the database's share.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from allocation import LIMITS, instance
from common import machine_line, postgres_database

from exhibitions.accounts.actor import Actor
from exhibitions.db import Database
from exhibitions.migrations import apply_migrations
from exhibitions.settings import Settings
from exhibitions.stands import services
from exhibitions.stands.tables import Stand

SLUG = "bench-2027"


@dataclass(frozen=True)
class Round:
    compute: float
    accept: float
    publish: float
    placed: int

    @property
    def total(self) -> float:
        return self.compute + self.accept + self.publish


async def _populate(database: Database, size: int) -> Actor:
    people, plan = instance(size)
    now = datetime.now(UTC)
    engine = database.engine
    await engine.run_ddl("INSERT INTO venue (name, city) VALUES ('Bench', 'Rabat')")
    await engine.run_ddl(
        "INSERT INTO exhibition (slug, kind, title_ar, title_fr, title_en, venue, starts_on, ends_on, opens_at,"
        " closes_at, status) VALUES ('bench-2027', 'national', 'a', 'f', 'e', (SELECT id FROM venue LIMIT 1),"
        " '2027-05-07', '2027-05-09', '10:00:00', '20:00:00', 'published')"
    )
    exhibition = (await engine.run_ddl("SELECT id FROM exhibition"))[0]["id"]
    async with engine.transaction():
        halls = {}
        for number in sorted({stand.hall for stand in plan}):
            rows = await Stand.raw(
                "INSERT INTO hall (venue, name) VALUES ((SELECT id FROM venue LIMIT 1), {}) RETURNING id",
                f"Hall {number}",
            )
            halls[number] = rows[0]["id"]
        for stand in plan:
            await Stand.raw(
                "INSERT INTO stand (exhibition, hall, code, x_cm, y_cm, width_cm, depth_cm, stand_type, zone,"
                " has_power, has_water, accessible, capacity, created_at, updated_at)"
                " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                exhibition, halls[stand.hall], stand.code, round(stand.x * 100), round(stand.y * 100),
                round(stand.width * 100), round(stand.depth * 100), stand.stand_type.value, stand.zone, stand.power,
                stand.water, stand.accessible, stand.capacity, now, now,
            )  # fmt: skip
        organizer = await Stand.raw(
            "INSERT INTO app_user (email, password_hash, created_at) VALUES ('o@bench.ma', 'x', {}) RETURNING id", now
        )
        organization_of: dict[int, int] = {}
        for person in people:
            rows = await Stand.raw(
                "INSERT INTO organization (legal_form, name_latin, registry_number, region, city, sector, created_at,"
                " updated_at) VALUES ('cooperative', {}, {}, {}, 'Agadir', {}, {}, {}) RETURNING id",
                person.organization_name, f"{person.organization_id}/2020", person.region, person.sector, now, now,
            )  # fmt: skip
            organization_of[person.organization_id] = rows[0]["id"]
            user = await Stand.raw(
                "INSERT INTO app_user (email, password_hash, created_at) VALUES ({}, 'x', {}) RETURNING id",
                f"member-{person.organization_id}@bench.ma", now,
            )  # fmt: skip
            await Stand.raw(
                'INSERT INTO organization_member (organization, "user", created_at) VALUES ({}, {}, {})',
                rows[0]["id"], user[0]["id"], now,
            )  # fmt: skip
        for person in people:
            near = [organization_of[organization] for organization in sorted(person.near_organizations)]
            await Stand.raw(
                "INSERT INTO application (exhibition, organization, status, stand_type, stand_area_m2, preferred_zone,"
                " near_organizations, needs_power, needs_water, needs_accessible, accepts_sharing, products,"
                " created_at, updated_at) VALUES ({}, {}, 'approved', {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                exhibition, organization_of[person.organization_id], person.stand_type.value, round(person.area_m2),
                person.preferred_zone, json.dumps(near), person.needs_power, person.needs_water,
                person.needs_accessible, person.accepts_sharing, "\n".join(sorted(person.product_lines)), now, now,
            )  # fmt: skip
    return Actor(user_id=organizer[0]["id"], email="o@bench.ma", roles=frozenset({(None, "organizer")}))


async def _round(url: str, size: int) -> Round:
    database = Database(replace(Settings(), database_url=url, scheduler="off"))
    async with database.running():
        await apply_migrations(database.engine)
        actor = await _populate(database, size)
        limit = {"time_limit_s": LIMITS.get(size, 60.0) * 0.85}
        started = time.perf_counter()
        proposal = await services.compute_proposal(slug=SLUG, actor=actor, now=datetime.now(UTC), overrides=limit)
        computed = time.perf_counter() - started
        started = time.perf_counter()
        outcome = await services.accept_proposal(
            slug=SLUG, proposal_id=proposal["id"], applications=None, actor=actor, now=datetime.now(UTC)
        )
        accepted = time.perf_counter() - started
        started = time.perf_counter()
        left = await services.publish_stands(slug=SLUG, actor=actor, now=datetime.now(UTC))
        published = time.perf_counter() - started
        placed = len(proposal["assignments"])
        assert outcome["accepted"] == outcome["changed"] == outcome["notified"] == placed, outcome
        assert left == 0
    return Round(computed, accepted, published, placed)


def _report(engine: str, size: int, rounds: list[Round]) -> None:
    def median(part: str) -> float:
        return statistics.median(getattr(round_, part) for round_ in rounds)

    print(
        f"{engine:<10} {size:>4} x {size:<4} compute {median('compute'):5.2f} s (solver limit"
        f" {LIMITS.get(size, 60.0) * 0.85:.2f} s) + accept {median('accept'):5.2f} s + publish"
        f" {median('publish'):5.2f} s = {median('total'):5.2f} s median; placed {rounds[0].placed}"
        f" (rounds: {', '.join(f'{r.compute:.2f}/{r.accept:.2f}/{r.publish:.2f}' for r in rounds)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="150,600")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(machine_line("one process"))
    sizes = [int(value) for value in args.sizes.split(",")]
    for size in sizes:
        rounds = []
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as directory:
                rounds.append(asyncio.run(_round(f"sqlite:///{Path(directory) / 'bench.sqlite3'}", size)))
        _report("SQLite", size, rounds)
    for size in sizes:
        rounds = []
        for _ in range(args.rounds):
            with postgres_database() as url:
                if url is None:
                    print("PostgreSQL: unreachable, skipped")
                    return
                rounds.append(asyncio.run(_round(url, size)))
        _report("PostgreSQL", size, rounds)


if __name__ == "__main__":
    main()
