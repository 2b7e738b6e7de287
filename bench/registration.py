"""Tickets/s through POST /api/v1/exhibitions/{slug}/tickets with one server worker.

Every request registers a new visitor (a unique e-mail from a wrk Lua counter), so each
one inserts a ticket; QR symbols are not drawn at registration (only the code is signed).

    uv run python bench/registration.py [--rounds 3] [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_read import EXHIBITIONS, drop_postgres_database, postgres_database, run, start_server

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


def wrk(url: str, script: str, seconds: int, connections: int) -> tuple[float, str]:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in output:
        raise RuntimeError(f"errors during the load:\n{output}")
    rps = float(output.split("Requests/sec:")[1].split()[0])
    p99 = output.split(" 99%")[1].split()[0]
    return rps, p99


def bench(name: str, env: dict[str, str], rounds: int, seconds: int, connections: int, script: str) -> None:
    run([EXHIBITIONS, "migrate"], env)
    demo = run([EXHIBITIONS, "demo"], env).splitlines()
    slug = next(line for line in demo if "sess-national" in line).rsplit("/", 1)[1]
    server, base = start_server(env)
    try:
        url = f"{base}/api/v1/exhibitions/{slug}/tickets"
        wrk(url, script, 2, connections)
        results = [wrk(url, script, seconds, connections) for _ in range(rounds)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    values = [rps for rps, _ in results]
    p99 = sorted(results)[len(results) // 2][1]
    print(
        f"{name:<30} median {statistics.median(values):7.0f} tickets/s  "
        f"(rounds: {', '.join(f'{v:.0f}' for v in values)}; median round p99 {p99})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"wrk -t1 -c{args.connections} -d{args.seconds}s x{args.rounds}"
    )
    with tempfile.TemporaryDirectory() as workdir:
        script = f"{workdir}/register.lua"
        Path(script).write_text(LUA)
        base_env = {**os.environ, "EXHIBITIONS_BASE_URL": "http://127.0.0.1", "EXHIBITIONS_PUBLIC_RATE_LIMIT": "0"}
        bench(
            "SQLite",
            {**base_env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/r.sqlite3"},
            args.rounds,
            args.seconds,
            args.connections,
            script,
        )
        pg_url = postgres_database()
        if pg_url is None:
            print("PostgreSQL: not reachable, skipped")
            return
        try:
            bench(
                "PostgreSQL",
                {**base_env, "EXHIBITIONS_DATABASE_URL": pg_url},
                args.rounds,
                args.seconds,
                args.connections,
                script,
            )
        finally:
            drop_postgres_database(pg_url)


if __name__ == "__main__":
    main()
