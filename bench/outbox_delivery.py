"""Time the delivery of the outbox: N queued e-mails (text + HTML, rendered) sent by the
scheduler's job (notifications.jobs.deliver_mail, called back to back as ticks do while a
backlog lasts) to an SMTP server on loopback in its own process (bench/smtp_sink.py).

    uv run python bench/outbox_delivery.py [--messages 10000] [--rounds 3] [--engine sqlite|postgres|both]

Prints messages per second, median of the rounds, and checks that the server received
each message once (distinct Message-IDs).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine_line, postgres_database

from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.migrations import apply_migrations
from exhibitions.notifications import jobs
from exhibitions.notifications.tables import Outbox
from exhibitions.settings import Settings, SmtpSettings

HTML = "<!doctype html><html lang=fr><body><p>Bonjour {name},</p><p>{body}</p><p>À demain.</p></body></html>"
BODY = "Le salon ouvre demain à 10 h, hall B. Présentez ce courriel ou votre billet à l'entrée. " * 8


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _fill(count: int) -> None:
    """Queue ``count`` rendered messages, a thousand rows per INSERT (not timed)."""
    now = utcnow()
    columns = (
        "(rule, recipient, subject_key, occurrence, language, subject_line, text_body, html_body, status, attempts,"
        " next_attempt_at, created_at)"
    )
    for start in range(0, count, 1000):
        numbers = range(start, min(start + 1000, count))
        values, args = [], []
        for number in numbers:
            values.append("({}, {}, {}, '', 'fr', {}, {}, {}, 'pending', 0, {}, {})")
            name = f"Visiteur {number}"
            args += ["bench", f"v{number}@x.ma", f"bench:{number}", f"Rappel : le salon ouvre demain ({number})",
                     f"Bonjour {name},\n\n{BODY}\n", HTML.format(name=name, body=BODY), now, now]  # fmt: skip
        await Outbox.raw(f"INSERT INTO outbox {columns} VALUES {', '.join(values)}", *args)  # noqa: S608 - placeholders


@contextmanager
def smtp_sink() -> Iterator[tuple[int, Path]]:
    """bench/smtp_sink.py in its own process: its port, and the file of its final count."""
    port = _free_port()
    report = Path(tempfile.mkstemp(suffix=".txt")[1])
    sink = subprocess.Popen([sys.executable, str(Path(__file__).parent / "smtp_sink.py"), str(port), str(report)],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert sink.stdout is not None
    assert sink.stdout.readline().strip() == "ready"
    try:
        yield port, report
    finally:
        sink.terminate()
        sink.wait(timeout=30)


async def _deliver(database_url: str, port: int, count: int) -> tuple[float, float]:
    settings = replace(
        Settings(), database_url=database_url, smtp=SmtpSettings(port=port, sender="Salon <salon@bench.ma>")
    )
    async with Database(settings).running() as database:
        await apply_migrations(database.engine)
        await _fill(count)
        started, cpu = time.perf_counter(), time.process_time()
        while (await jobs.deliver_mail(settings)).claimed:
            pass
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        sent = await Outbox.count().where(Outbox.status == "sent")
    assert sent == count, f"{sent} of {count} marked sent"
    return seconds, cpu


def _round(database_url: str, count: int) -> tuple[float, float, float]:
    """Wall seconds, the deliverer's CPU seconds, the SMTP server's CPU seconds."""
    with smtp_sink() as (port, report):
        seconds, cpu = asyncio.run(_deliver(database_url, port, count))
    messages, distinct, server_cpu = report.read_text().split()
    report.unlink()
    assert (int(messages), int(distinct)) == (count, count), f"server received {messages}, {distinct} distinct"
    return seconds, cpu, float(server_cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    print(machine_line(f"load average {os.getloadavg()[0]:.2f} at the start"))
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    for engine in engines:
        times, cpus = [], []
        for _ in range(args.rounds):
            if engine == "sqlite":
                with tempfile.TemporaryDirectory() as directory:
                    seconds, cpu, server_cpu = _round(f"sqlite:///{directory}/bench.sqlite3", args.messages)
            else:
                with postgres_database() as url:
                    if url is None:
                        print("postgres: server unreachable, skipped")
                        break
                    seconds, cpu, server_cpu = _round(url, args.messages)
            times.append(seconds)
            cpus.append((cpu, server_cpu))
        if times:
            median = statistics.median(times)
            rounds = ", ".join(f"{t:.1f} s" for t in times)
            rate = args.messages / median
            print(f"{engine:<9} {args.messages} messages: median {median:.1f} s, {rate:.0f} messages/s"
                  f"  (rounds: {rounds}; each received once)")  # fmt: skip
            deliverer, server = (statistics.median(cpu[side] for cpu in cpus) for side in (0, 1))
            print(f"          CPU: deliverer {deliverer:.1f} s, SMTP server {server:.1f} s (medians)")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
