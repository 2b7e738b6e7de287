"""What the benchmark scripts share: a server in its own process, wrk, a throwaway
PostgreSQL database, and the report line."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

EXHIBITIONS = str(Path(sys.executable).parent / "exhibitions")
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass(frozen=True)
class WrkResult:
    rate: float
    p50: str
    p99: str


def base_env() -> dict[str, str]:
    """The environment of the server under test: no rate limit, a fixed base URL."""
    return {**os.environ, "EXHIBITIONS_BASE_URL": "http://127.0.0.1", "EXHIBITIONS_PUBLIC_RATE_LIMIT": "0"}


def machine_line(details: str) -> str:
    return f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {details}"


def run(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout


def prepare_database(env: dict[str, str]) -> str:
    """Migrate and load the demo; return the national exhibition's slug."""
    run([EXHIBITIONS, "migrate"], env)
    demo = run([EXHIBITIONS, "demo"], env)
    match = re.search(r"/exhibitions/(sess-national-\d+)", demo)
    assert match, demo
    return match.group(1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """`exhibitions serve` in its own process; yields its base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [EXHIBITIONS, "serve", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def wrk(
    url: str, *, seconds: int, connections: int, script: str | None = None, env: dict[str, str] | None = None
) -> WrkResult:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command += ["-s", script]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"errors during the load:\n{output}")
    rate = float(output.split("Requests/sec:")[1].split()[0])
    return WrkResult(rate, output.split(" 50%")[1].split()[0], output.split(" 99%")[1].split()[0])


def report(name: str, unit: str, results: list[WrkResult]) -> float:
    """Print the median and each round; return the median."""
    median = statistics.median(result.rate for result in results)
    middle = sorted(results, key=lambda result: result.rate)[len(results) // 2]
    rounds = ", ".join(f"{result.rate:.0f}" for result in results)
    print(
        f"{name:<30} median {median:7.0f} {unit}  (rounds: {rounds}; median round p50 {middle.p50}, p99 {middle.p99})"
    )
    return median


@contextmanager
def postgres_database() -> Iterator[str | None]:
    """A fresh database on the PostgreSQL server, dropped afterwards; None when unreachable."""
    name = f"bench_{uuid.uuid4().hex[:8]}"

    async def execute(sql: str) -> None:
        connection = await asyncpg.connect(PG_SERVER, timeout=3)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    try:
        _run_apart(execute(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError):
        yield None
        return
    try:
        yield PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    finally:
        _run_apart(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _run_apart(work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` to its end from plain code or from inside a running event loop (an async
    benchmark), where ``asyncio.run`` is refused: then on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(work)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()
