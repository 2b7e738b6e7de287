"""Time the review service end to end on a real database: compute a proposal for 3,000
submitted applications and 600 stands (read, solve, store), then apply it (3,000 decisions,
each a compare-and-set move with its event and e-mail, and 2,400 waiting-list rows, in one
transaction). SQLite, then PostgreSQL when reachable; the median of 3 rounds, each on a
fresh database.

    uv run python bench/review_apply.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from common import machine_line, postgres_database

from exhibitions.accounts.actor import Actor
from exhibitions.db import Database
from exhibitions.exhibitors.review import Dimension
from exhibitions.exhibitors.review_schemas import QuotaIn, ReviewSettingsIn
from exhibitions.exhibitors.services import _review
from exhibitions.exhibitors.tables import Application
from exhibitions.migrations import apply_migrations
from exhibitions.settings import Settings

APPLICANTS = 3000
REGIONS = [f"MA-{number:02d}" for number in range(1, 13)]


async def _populate(database: Database) -> Actor:
    engine = database.engine
    now = datetime.now(UTC)
    await engine.run_ddl("INSERT INTO venue (name, city) VALUES ('Bench', 'Rabat')")
    await engine.run_ddl(
        "INSERT INTO exhibition (slug, kind, title_ar, title_fr, title_en, venue, starts_on, ends_on, opens_at,"
        " closes_at, status) VALUES ('bench-2027', 'national', 'a', 'f', 'e', (SELECT id FROM venue LIMIT 1),"
        " '2027-05-07', '2027-05-09', '10:00:00', '20:00:00', 'published')"
    )
    exhibition = (await engine.run_ddl("SELECT id FROM exhibition"))[0]["id"]
    draw = random.Random(2027)
    async with engine.transaction():
        organizer = await Application.raw(
            "INSERT INTO app_user (email, password_hash, created_at) VALUES ('o@bench.ma', 'x', {}) RETURNING id", now
        )
        for number in range(APPLICANTS):
            user = await Application.raw(
                "INSERT INTO app_user (email, password_hash, created_at) VALUES ({}, 'x', {}) RETURNING id",
                f"member-{number}@bench.ma", now,
            )  # fmt: skip
            organization = await Application.raw(
                "INSERT INTO organization (legal_form, name_latin, registry_number, region, city, sector,"
                " members_total, members_women, members_youth, created_at, updated_at)"
                " VALUES ('cooperative', {}, {}, {}, 'Agadir', 'argan', 10, {}, {}, {}, {}) RETURNING id",
                f"Coop {number}", f"{number}/2020", draw.choice(REGIONS), draw.choice([2, 8]), draw.choice([1, 7]),
                now, now,
            )  # fmt: skip
            await Application.raw(
                'INSERT INTO organization_member (organization, "user", created_at) VALUES ({}, {}, {})',
                organization[0]["id"], user[0]["id"], now,
            )  # fmt: skip
            await Application.raw(
                "INSERT INTO application (exhibition, organization, status, products, created_at, updated_at,"
                " submitted_at) VALUES ({}, {}, 'submitted', {}, {}, {}, {})",
                exhibition, organization[0]["id"], ", ".join(f"p{i}" for i in range(draw.randint(1, 6))), now, now,
                now,
            )  # fmt: skip
    return Actor(user_id=organizer[0]["id"], email="o@bench.ma", roles=frozenset({(None, "organizer")}))


async def _round(url: str) -> tuple[float, float]:
    database = Database(replace(Settings(), database_url=url, scheduler="off"))
    async with database.running():
        await apply_migrations(database.engine)
        actor = await _populate(database)
        quotas = [QuotaIn(Dimension.region, region, min_share=0.04) for region in REGIONS]
        settings = ReviewSettingsIn(capacity=600, quotas=quotas)
        await _review.set_review_settings(slug="bench-2027", data=settings, actor=actor, now=datetime.now(UTC))
        started = time.perf_counter()
        found = await _review.compute_proposal(slug="bench-2027", actor=actor, seed="bench", now=datetime.now(UTC))
        computed = time.perf_counter() - started
        started = time.perf_counter()
        counts = await _review.apply_proposal(
            slug="bench-2027", proposal_id=found["id"], overrides={}, actor=actor, now=datetime.now(UTC)
        )
        applied = time.perf_counter() - started
        assert counts == {"approved": 600, "waitlisted": 2400, "rejected": 0, "unchanged": 0}, counts
    return computed, applied


def _report(engine: str, rounds: list[tuple[float, float]]) -> None:
    compute = statistics.median(round_[0] for round_ in rounds)
    apply = statistics.median(round_[1] for round_ in rounds)
    print(
        f"{engine}: compute a proposal (3000 applications, 600 stands, 12 quotas) median {compute:.2f} s;"
        f" apply it (3000 decisions) median {apply:.2f} s"
        f" (rounds: {', '.join(f'{c:.2f}/{a:.2f}' for c, a in rounds)})"
    )


def main() -> None:
    print(machine_line("one process"))
    rounds = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as directory:
            rounds.append(asyncio.run(_round(f"sqlite:///{Path(directory) / 'bench.sqlite3'}")))
    _report("SQLite", rounds)
    rounds = []
    for _ in range(3):
        with postgres_database() as url:
            if url is None:
                print("PostgreSQL: unreachable, skipped")
                return
            rounds.append(asyncio.run(_round(url)))
    _report("PostgreSQL", rounds)


if __name__ == "__main__":
    main()
