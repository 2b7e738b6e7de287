"""Requests/s of GET /api/v1/exhibitions/{slug} with one server worker.

Starts `exhibitions serve --workers 1` on a fresh database with the demo data, loads it
with wrk (Debian's `wrk`, one thread on the other core) for several rounds, and prints
the median. Engines compared: SQLite with our engine (the default), SQLite with Piccolo's
stock connection-per-query engine, and PostgreSQL when reachable.

    uv run python bench/http_read.py [--rounds 5] [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile

from common import base_env, machine_line, postgres_database, prepare_database, report, server, wrk


def bench(name: str, env: dict[str, str], args: argparse.Namespace) -> float:
    slug = prepare_database(env)
    with server(env) as base:
        url = f"{base}/api/v1/exhibitions/{slug}"
        wrk(url, seconds=2, connections=args.connections)  # warm-up
        results = [wrk(url, seconds=args.seconds, connections=args.connections) for _ in range(args.rounds)]
    return report(name, "req/s", results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    print(machine_line(f"wrk -t1 -c{args.connections} -d{args.seconds}s x{args.rounds}"))
    with tempfile.TemporaryDirectory() as workdir:
        env = base_env()
        ours = bench(
            "SQLite, our engine", {**env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/ours.sqlite3"}, args
        )
        stock_env = {
            **env,
            "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/stock.sqlite3",
            "EXHIBITIONS_SQLITE_SHARED_CONNECTION": "false",
        }
        stock = bench("SQLite, Piccolo stock engine", stock_env, args)
        print(f"ours / stock: {ours / stock:.1f}x")
        with postgres_database() as pg_url:
            if pg_url is None:
                print("PostgreSQL: not reachable, skipped")
                return
            bench("PostgreSQL, pool of 10", {**env, "EXHIBITIONS_DATABASE_URL": pg_url}, args)


if __name__ == "__main__":
    main()
