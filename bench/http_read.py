"""Requests/s of GET /api/v1/exhibitions/{slug} with one server worker.

Starts `exhibitions serve --workers 1` on a fresh database with the demo data, loads it
with wrk (Debian's `wrk`, one thread on the other core) for several rounds, and prints
the median. Engines compared: SQLite with our shared connection (the default), SQLite
with Piccolo's stock connection-per-query engine, and PostgreSQL when reachable.

    uv run python bench/http_read.py [--rounds 5] [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXHIBITIONS = str(Path(sys.executable).parent / "exhibitions")
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [EXHIBITIONS, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("server did not start")


def wrk(url: str, seconds: int, connections: int) -> tuple[float, str, str]:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"errors during the load:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+(\S+)", output).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", output).group(1)  # type: ignore[union-attr]
    return rps, p50, p99


def bench(name: str, env: dict[str, str], rounds: int, seconds: int, connections: int) -> float:
    run([EXHIBITIONS, "migrate"], env)
    demo = run([EXHIBITIONS, "demo"], env)
    slug = re.search(r"/exhibitions/(sess-national-\d+)", demo).group(1)  # type: ignore[union-attr]
    server, base = start_server(env)
    try:
        url = f"{base}/api/v1/exhibitions/{slug}"
        assert httpx.get(url).status_code == 200
        wrk(url, 2, connections)  # warm-up
        results = [wrk(url, seconds, connections) for _ in range(rounds)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    values = [rps for rps, _, _ in results]
    median = statistics.median(values)
    _, p50, p99 = sorted(results)[len(results) // 2]
    rounds_text = ", ".join(f"{v:.0f}" for v in values)
    print(f"{name:<30} median {median:7.0f} req/s  (rounds: {rounds_text}; median round p50 {p50}, p99 {p99})")
    return median


def postgres_database() -> str | None:
    try:
        import asyncio

        import asyncpg

        name = f"bench_{uuid.uuid4().hex[:8]}"

        async def create() -> None:
            connection = await asyncpg.connect(PG_SERVER, timeout=3)
            await connection.execute(f'CREATE DATABASE "{name}"')
            await connection.close()

        asyncio.run(create())
        return PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    except Exception:
        return None


def drop_postgres_database(url: str) -> None:
    import asyncio

    import asyncpg

    async def drop() -> None:
        connection = await asyncpg.connect(PG_SERVER)
        await connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        await connection.close()

    asyncio.run(drop())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"wrk -t1 -c{args.connections} -d{args.seconds}s x{args.rounds}"
    )
    with tempfile.TemporaryDirectory() as workdir:
        base_env = {**os.environ, "EXHIBITIONS_BASE_URL": "http://127.0.0.1", "EXHIBITIONS_PUBLIC_RATE_LIMIT": "0"}
        shared = bench(
            "SQLite, shared connection",
            {**base_env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/shared.sqlite3"},
            args.rounds,
            args.seconds,
            args.connections,
        )
        stock = bench(
            "SQLite, Piccolo stock engine",
            {
                **base_env,
                "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/stock.sqlite3",
                "EXHIBITIONS_SQLITE_SHARED_CONNECTION": "false",
            },
            args.rounds,
            args.seconds,
            args.connections,
        )
        print(f"shared / stock: {shared / stock:.1f}x")
        pg_url = postgres_database()
        if pg_url is None:
            print("PostgreSQL: not reachable, skipped")
            return
        try:
            bench(
                "PostgreSQL, pool of 10",
                {**base_env, "EXHIBITIONS_DATABASE_URL": pg_url},
                args.rounds,
                args.seconds,
                args.connections,
            )
        finally:
            drop_postgres_database(pg_url)


if __name__ == "__main__":
    main()
