"""Time the badge workflow around the documents: 1,000 exhibitor staff requested through the
quota (one at a time, then 200 at once for one exhibitor), a batch of them created (the
selection frozen into badge_batch_item), and the scheduler's job rendering it (claim, views,
render_sheet, atomic write, done) against render_sheet alone on the same badges.

    uv run python bench/badge_batches.py [--rounds 3] [--badges 1000]

Medians of ``--rounds``; SQLite, then PostgreSQL when it is reachable (BENCH_POSTGRES_URL).
bench/badges.py times the documents themselves (kiosk badge, sheets, memory).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from common import base_env, machine_line, postgres_database, prepare_database

from exhibitions.accounts.actor import Actor
from exhibitions.badges import services
from exhibitions.badges.schemas import BatchIn, StaffBadgeIn
from exhibitions.badges.tables import BadgeHolder
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.settings import Settings

ORGANIZER = Actor(user_id=0, email="bench", roles=frozenset({(None, "organizer")}))
PER_EXHIBITOR = 4  # a 21 m² stand's quota


async def _raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await BadgeHolder.raw(sql, *args)  # type: ignore[no-any-return]


async def _exhibitors(slug: str, count: int, width_cm: int = 700, start: int = 0) -> list[tuple[int, Actor]]:
    """``count`` approved exhibitors with a published 7 m × 3 m stand and a member each."""
    exhibition = (await _raw("SELECT id, venue FROM exhibition WHERE slug = {}", slug))[0]
    hall = (await _raw("SELECT id FROM hall WHERE venue = {} ORDER BY id LIMIT 1", exhibition["venue"]))[0]["id"]
    now = utcnow()
    found = []
    for n in range(start, start + count):
        organization = await _raw(
            "INSERT INTO organization (legal_form, name_latin, registry_number, region, city, sector, created_at,"
            " updated_at) VALUES ('cooperative', {}, {}, 'MA-09', 'Agadir', 'argan', {}, {}) RETURNING id",
            f"Coopérative banc {n}", f"B{n}/2020", now, now,
        )  # fmt: skip
        organization_id = organization[0]["id"]
        application = await _raw(
            "INSERT INTO application (exhibition, organization, status, created_at, updated_at)"
            " VALUES ({}, {}, 'approved', {}, {}) RETURNING id",
            exhibition["id"], organization_id, now, now,
        )  # fmt: skip
        stand = await _raw(
            "INSERT INTO stand (exhibition, hall, code, x_cm, y_cm, width_cm, depth_cm, created_at, updated_at)"
            " VALUES ({}, {}, {}, {}, {}, {}, 300, {}, {}) RETURNING id",
            exhibition["id"], hall, f"Z{n:04d}", (n % 50) * 800, 100000 + (n // 50) * 400, width_cm, now, now,
        )  # fmt: skip
        await _raw(
            "INSERT INTO stand_assignment (stand, application, assigned_at, published_at) VALUES ({}, {}, {}, {})",
            stand[0]["id"], application[0]["id"], now, now,
        )  # fmt: skip
        user = await _raw(
            "INSERT INTO app_user (email, password_hash, created_at) VALUES ({}, 'x', {}) RETURNING id",
            f"bench{n}@coop.ma", now,
        )  # fmt: skip
        await _raw(
            'INSERT INTO organization_member (organization, "user", created_at) VALUES ({}, {}, {})',
            organization_id, user[0]["id"], now,
        )  # fmt: skip
        found.append((application[0]["id"], Actor(user_id=user[0]["id"], email=f"bench{n}@coop.ma")))
    return found


async def _measure(settings: Settings, slug: str, badges: int, rounds: int, data_dir: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    async with Database(settings).running():
        exhibitors = await _exhibitors(slug, badges // PER_EXHIBITOR)
        started = time.perf_counter()
        for application_id, actor in exhibitors:
            for k in range(PER_EXHIBITOR):
                await services.request_staff_badge(
                    application_id=application_id, actor=actor, now=utcnow(),
                    data=StaffBadgeIn(full_name=f"Employé·e {k} de la coopérative {application_id}", title="Accueil"),
                )  # fmt: skip
        figures["requests_per_s"] = badges / (time.perf_counter() - started)

        [(crowd_application, crowd_actor)] = await _exhibitors(slug, 1, width_cm=10_000, start=len(exhibitors))
        await services.set_staff_quota(
            slug=slug, organization_id=(await _raw(
                "SELECT organization FROM application WHERE id = {}", crowd_application))[0]["organization"],
            quota=50, actor=ORGANIZER,
        )  # fmt: skip
        started = time.perf_counter()
        outcomes = await asyncio.gather(
            *(services.request_staff_badge(application_id=crowd_application, actor=crowd_actor, now=utcnow(),
                                           data=StaffBadgeIn(full_name=f"Foule {n}")) for n in range(200)),
            return_exceptions=True,
        )  # fmt: skip
        figures["crowd_200_s"] = time.perf_counter() - started
        figures["crowd_granted"] = sum(isinstance(o, dict) for o in outcomes)

        # Warm: WeasyPrint's first document in a process loads fonts and styles (seconds); the
        # scheduler's process is warm after its first batch, and the rendering processes fork from it.
        from exhibitions.badges.rendering import render_sheet

        warm = await services.create_batch(
            slug=slug, data=BatchIn(role="exhibitor_staff"), actor=ORGANIZER, now=utcnow()
        )
        views = await services.badge_views(batch_id=warm["id"], base_url=settings.base_url)
        await asyncio.to_thread(render_sheet, views[:8], size="a6", processes=1)
        await _raw("DELETE FROM badge_batch WHERE id = {}", warm["id"])
        create, job, direct = [], [], []
        for _ in range(rounds):
            started = time.perf_counter()
            batch = await services.create_batch(
                slug=slug, data=BatchIn(role="exhibitor_staff"), actor=ORGANIZER, now=utcnow()
            )
            create.append(time.perf_counter() - started)
            started = time.perf_counter()
            [result] = await services.render_due_batches(base_url=settings.base_url, data_dir=data_dir)
            job.append(time.perf_counter() - started)
            assert result.status == "done", result
            started = time.perf_counter()
            views = await services.badge_views(batch_id=batch["id"], base_url=settings.base_url)
            await asyncio.to_thread(render_sheet, views, size="a6")
            direct.append(time.perf_counter() - started)
        figures["total"] = batch["total"]
        figures["pages"] = float(result.page_count or 0)
        figures["create_s"] = statistics.median(create)
        figures["job_s"] = statistics.median(job)
        figures["render_sheet_s"] = statistics.median(direct)
    return figures


def bench(name: str, env: dict[str, str], args: argparse.Namespace, workdir: str) -> None:
    slug = prepare_database(env)
    settings = replace(Settings.from_env(env), data_dir=workdir)
    figures = asyncio.run(_measure(settings, slug, args.badges, args.rounds, Path(workdir)))
    print(
        f"{name}: {args.badges} staff requests one by one {figures['requests_per_s']:.0f}/s; "
        f"200 at once for a quota of 50: {figures['crowd_granted']:.0f} granted in {figures['crowd_200_s']:.2f} s"
    )
    print(
        f"{name}: batch of {figures['total']:.0f} badges ({figures['pages']:.0f} A4 pages): create "
        f"{figures['create_s'] * 1000:.0f} ms, job (claim, render, write, done) {figures['job_s']:.2f} s, "
        f"render_sheet alone {figures['render_sheet_s']:.2f} s (medians of {args.rounds})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--badges", type=int, default=1000)
    parser.add_argument("--engines", choices=["both", "sqlite", "postgresql"], default="both")
    args = parser.parse_args()
    print(machine_line(f"load {os.getloadavg()[0]:.2f}"))
    with tempfile.TemporaryDirectory() as workdir:
        env = base_env()
        if args.engines != "postgresql":
            bench("SQLite", {**env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/b.sqlite3"}, args, workdir)
        if args.engines == "sqlite":
            return
        with postgres_database() as pg_url:
            if pg_url is None:
                print("PostgreSQL: not reachable, skipped")
                return
            bench("PostgreSQL", {**env, "EXHIBITIONS_DATABASE_URL": pg_url}, args, workdir)


if __name__ == "__main__":
    main()
