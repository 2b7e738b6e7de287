"""Tickets/s through POST /api/v1/exhibitions/{slug}/tickets with one server worker.

Every request registers a new visitor (a unique e-mail from a wrk Lua counter), so each
one inserts a ticket; QR symbols are not drawn at registration (only the code is signed).

    uv run python bench/registration.py [--rounds 3] [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import tempfile
import textwrap
from pathlib import Path

from common import base_env, machine_line, postgres_database, prepare_database, report, server, wrk

LUA = textwrap.dedent(
    """
    counter = 0
    request = function()
      counter = counter + 1
      local body = string.format(
        '{"name": "زائر %d", "email": "visitor-%d-%d@example.ma", "home_region": "MA-04"}',
        counter, math.random(1, 1000000000), counter)
      return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
    end
    """
)


def bench(name: str, env: dict[str, str], args: argparse.Namespace, script: str) -> None:
    slug = prepare_database(env)
    with server(env) as base:
        url = f"{base}/api/v1/exhibitions/{slug}/tickets"
        wrk(url, seconds=2, connections=args.connections, script=script)
        results = [
            wrk(url, seconds=args.seconds, connections=args.connections, script=script) for _ in range(args.rounds)
        ]
    report(name, "tickets/s", results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    print(machine_line(f"wrk -t1 -c{args.connections} -d{args.seconds}s x{args.rounds}"))
    with tempfile.TemporaryDirectory() as workdir:
        script = f"{workdir}/register.lua"
        Path(script).write_text(LUA)
        env = base_env()
        bench("SQLite", {**env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/r.sqlite3"}, args, script)
        with postgres_database() as pg_url:
            if pg_url is None:
                print("PostgreSQL: not reachable, skipped")
                return
            bench("PostgreSQL", {**env, "EXHIBITIONS_DATABASE_URL": pg_url}, args, script)


if __name__ == "__main__":
    main()
