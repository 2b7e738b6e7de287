"""Time `exhibitions demo` (with its past edition: 500 exhibitors, 50,000 visitors) and the
organizer's dashboard, timing and compare pages over that edition, on SQLite and PostgreSQL.

For each engine: a fresh database, `exhibitions migrate`, then `exhibitions demo` timed
(wall clock, the process included); then `exhibitions serve --workers 1`, an organizer logs
in, and each page is fetched ``--rounds`` times after one warm-up; the medians are printed.
Goal (issue 8): the whole dashboard page <= 1.5 s.

    uv run python bench/dashboard_page.py [--rounds 10]

``--database-url URL --slug SLUG`` times the pages of an existing database instead (for
example the 1,000,000 check-ins bench/analytics.py leaves, if it is kept), without the demo.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

import httpx
from common import EXHIBITIONS, base_env, machine_line, postgres_database, run, server

ORGANIZER = ("organizer@example.ma", "demo-organizer-password")
PAGES = ("dashboard", "timing", "compare")


def timed_demo(env: dict[str, str]) -> tuple[float, str]:
    run([EXHIBITIONS, "migrate"], env)
    started = time.perf_counter()
    output = subprocess.run([EXHIBITIONS, "demo"], env=env, check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - started
    match = re.search(r"/organize/exhibitions/([\w-]+)/dashboard", output)
    assert match, output
    return elapsed, match.group(1)


def time_pages(env: dict[str, str], slug: str, rounds: int) -> dict[str, float]:
    medians = {}
    with server(env) as base, httpx.Client(base_url=base, timeout=60) as client:
        form = client.get("/login").text
        token = re.search(r'name="_csrf_token" value="([^"]+)"', form)
        assert token
        client.post("/login", data={"email": ORGANIZER[0], "password": ORGANIZER[1], "_csrf_token": token.group(1)})
        for name in PAGES:
            path = f"/organize/exhibitions/{slug}/{name}"
            assert client.get(path).status_code == 200, path  # warm-up
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200
            medians[name] = statistics.median(times)
            spread = f"min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}"
            print(f"  {name}: median {medians[name] * 1000:.0f} ms ({spread})")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database-url")
    parser.add_argument("--slug")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(machine_line(f"load {load:.2f} at start, {args.rounds} rounds per page"))
    env = {**base_env(), "EXHIBITIONS_SCHEDULER": "off"}
    if args.database_url:
        print(f"{args.database_url} · {args.slug}")
        time_pages({**env, "EXHIBITIONS_DATABASE_URL": args.database_url}, args.slug, args.rounds)
        return
    with tempfile.TemporaryDirectory() as workdir:
        sqlite = {**env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/bench.db"}
        elapsed, slug = timed_demo(sqlite)
        print(f"sqlite: exhibitions demo {elapsed:.1f} s")
        time_pages(sqlite, slug, args.rounds)
    with postgres_database() as url:
        if url is None:
            print("postgresql: unreachable, skipped")
            return
        postgres = {**env, "EXHIBITIONS_DATABASE_URL": url}
        elapsed, slug = timed_demo(postgres)
        print(f"postgresql: exhibitions demo {elapsed:.1f} s")
        time_pages(postgres, slug, args.rounds)


if __name__ == "__main__":
    main()
