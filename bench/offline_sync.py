"""Time to apply a batch of offline scans: POST /api/v1/checkins/batch with --scans scans
(one per registered visitor, so each is admitted), one server worker. The demo exhibition
is moved to have opened two days ago: a batch refuses scan times in the future.

    uv run python bench/offline_sync.py [--scans 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid

import httpx
from checkin import prepare
from common import base_env, machine_line, postgres_database, prepare_database, server


def bench(name: str, env: dict[str, str], args: argparse.Namespace) -> None:
    prepare_database(env)
    codes, checkpoint, token, scanned_at = asyncio.run(
        prepare(env["EXHIBITIONS_DATABASE_URL"], args.scans, running=True)
    )
    timings = []
    with server(env) as base:
        for round_number in range(args.rounds):
            # Each round is another gate's day: a fresh checkpoint is not needed, the scans
            # of later rounds are answered already_admitted, which costs the same work.
            batch = {
                "scans": [
                    {
                        "code": code,
                        "checkpoint": checkpoint,
                        "scanned_at": scanned_at,
                        "nonce": f"{round_number}-{uuid.uuid4().hex}",
                    }
                    for code in codes
                ]
            }
            started = time.perf_counter()
            response = httpx.post(
                f"{base}/api/v1/checkins/batch", json=batch, headers={"Authorization": f"Bearer {token}"}, timeout=300
            )
            timings.append(time.perf_counter() - started)
            response.raise_for_status()
            assert len(response.json()["results"]) == args.scans
    rounds = ", ".join(f"{seconds:.2f}" for seconds in timings)
    print(f"{name:<12} median {statistics.median(timings):6.2f} s for {args.scans} scans  (rounds: {rounds})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(machine_line(f"{args.scans} scans per batch x{args.rounds}"))
    with tempfile.TemporaryDirectory() as workdir:
        env = base_env()
        bench("SQLite", {**env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/o.sqlite3"}, args)
        with postgres_database() as pg_url:
            if pg_url is None:
                print("PostgreSQL: not reachable, skipped")
                return
            bench("PostgreSQL", {**env, "EXHIBITIONS_DATABASE_URL": pg_url}, args)


if __name__ == "__main__":
    main()
