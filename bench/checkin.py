"""Check-in throughput: POST /api/v1/checkins with one server worker, 64 concurrent scanners.

Registers --tickets visitors of the demo national exhibition (in-process, through the same
service as the API), enrols a scanner device and a gate, then loads the server with wrk:
each connection walks through the codes, so the first pass admits and later passes are
answered already_admitted, as when people show their ticket twice.

    uv run python bench/checkin.py [--tickets 5000] [--rounds 3] [--seconds 10] [--connections 64]
                                   [--workers 1] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import textwrap
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from common import base_env, machine_line, postgres_database, prepare_database, report, server, wrk

from exhibitions.accounts import queries as account_queries
from exhibitions.accounts.services import issue_token
from exhibitions.accounts.tables import TokenKind
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.demo import DEMO_ORGANIZER_EMAIL
from exhibitions.events import queries as event_queries
from exhibitions.events.tables import Exhibition, OpeningException
from exhibitions.settings import Settings
from exhibitions.tickets import services
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.tables import CheckpointKind, CheckpointPolicy

LUA = textwrap.dedent(
    """
    local codes = {}
    for line in io.lines(os.getenv("BENCH_CODES")) do codes[#codes + 1] = line end
    local checkpoint = os.getenv("BENCH_CHECKPOINT")
    local scanned_at = os.getenv("BENCH_SCANNED_AT")
    local token = os.getenv("BENCH_TOKEN")
    local i = math.random(1, #codes)
    request = function()
      i = i % #codes + 1
      local body = '{"code": "' .. codes[i] .. '", "checkpoint": ' .. checkpoint
        .. ', "scanned_at": "' .. scanned_at .. '"}'
      return wrk.format("POST", "/api/v1/checkins",
        {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
    end
    """
)


async def prepare(url: str, tickets: int, *, running: bool = False) -> tuple[list[str], int, str, str]:
    """``running``: move the exhibition to have opened two days ago, so that scans on its
    first day are in the past (an offline batch refuses scan times in the future)."""
    settings = replace(Settings.from_env(), database_url=url)
    async with Database(settings).running():
        exhibition = next(
            row
            for row in (await event_queries.list_exhibitions(statuses=["published"]))[0]
            if row["kind"] == "national"
        )
        if running:
            first_day = utcnow().astimezone(ZoneInfo(exhibition["time_zone"])).date() - timedelta(days=2)
            length = exhibition["ends_on"] - exhibition["starts_on"]
            await OpeningException.delete().where(OpeningException.exhibition == exhibition["id"])
            await Exhibition.update({Exhibition.starts_on: first_day, Exhibition.ends_on: first_day + length}).where(
                Exhibition.id == exhibition["id"]
            )
            exhibition = await event_queries.get_exhibition(exhibition["slug"])
        organizer = await account_queries.find_user_by_email(DEMO_ORGANIZER_EMAIL)
        actor = await account_queries.actor_for_user(organizer)  # type: ignore[arg-type]
        gate = await services.create_checkpoint(
            slug=exhibition["slug"], name="Bench gate", kind=CheckpointKind.gate, policy=CheckpointPolicy.once_per_day,
            capacity=None, actor=actor,
        )  # fmt: skip
        _, token = await issue_token(
            user_id=actor.user_id, kind=TokenKind.device, now=utcnow(), name="bench", exhibition_id=exhibition["id"]
        )
        codes = []
        for number in range(tickets):
            view, _ = await services.register_visitor(
                slug=exhibition["slug"],
                data=RegistrationIn(name=f"Visitor {number}", email=f"bench-{number}@example.ma", home_region="MA-04"),
                secret_key=settings.secret_key, now=utcnow(),
            )  # fmt: skip
            codes.append(view.code)
        # The demo's first day opens at 15:00 (the inauguration): scan at 17:00.
        afternoon = datetime.combine(exhibition["starts_on"], time(17), ZoneInfo(exhibition["time_zone"]))
        return codes, gate["id"], token, afternoon.isoformat()


def bench(name: str, env: dict[str, str], args: argparse.Namespace, workdir: str) -> None:
    prepare_database(env)
    codes, checkpoint, token, scanned_at = asyncio.run(prepare(env["EXHIBITIONS_DATABASE_URL"], args.tickets))
    Path(f"{workdir}/codes.txt").write_text("\n".join(codes) + "\n")
    script = f"{workdir}/checkin.lua"
    Path(script).write_text(LUA)
    wrk_env = {**os.environ, "BENCH_CODES": f"{workdir}/codes.txt", "BENCH_CHECKPOINT": str(checkpoint),
               "BENCH_TOKEN": token, "BENCH_SCANNED_AT": scanned_at}  # fmt: skip
    with server(env, workers=args.workers) as base:
        probe = httpx.post(
            f"{base}/api/v1/checkins",
            json={"code": codes[0], "checkpoint": checkpoint, "scanned_at": scanned_at},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert probe.json()["result"] == "admitted", probe.text
        wrk(base, seconds=2, connections=args.connections, script=script, env=wrk_env)
        results = [
            wrk(base, seconds=args.seconds, connections=args.connections, script=script, env=wrk_env)
            for _ in range(args.rounds)
        ]
    report(name, "scans/s", results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    print(
        machine_line(
            f"{args.tickets} tickets, {args.workers} worker(s), wrk -t1 -c{args.connections} -d{args.seconds}s"
            f" x{args.rounds}"
        )
    )
    with tempfile.TemporaryDirectory() as workdir:
        env = base_env()
        if "sqlite" in args.engines:
            bench("SQLite", {**env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/c.sqlite3"}, args, workdir)
        if "postgresql" not in args.engines:
            return
        with postgres_database() as pg_url:
            if pg_url is None:
                print("PostgreSQL: not reachable, skipped")
                return
            bench("PostgreSQL", {**env, "EXHIBITIONS_DATABASE_URL": pg_url}, args, workdir)


if __name__ == "__main__":
    main()
