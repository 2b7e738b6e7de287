"""Time 10,000 reminders from rule evaluation to delivery at a local SMTP server (aiosmtpd),
and count duplicates by Message-ID at the server.

    uv run python bench/reminders.py [--count 10000] [--rounds 3] [--postgres]

Each round: a fresh database (SQLite in a temporary directory, or a throwaway PostgreSQL
database), one published exhibition with ``--count`` visitors holding a ticket and an
e-mail (a third each in ar/fr/en), then the clock set at the visitors' day-before rule.
Timed: ``queue_reminders`` (evaluates every rule of schedules/reminders.toml) twice, as two
ticks would, then delivery passes as the scheduler runs them (``deliver_due``, 50 a batch)
until the outbox is empty. Goal: <= 60 s, zero duplicates. The CPU time of this process
(the SMTP server included: it is a thread here) is printed too, as the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine_line, postgres_database

from exhibitions.db import Database
from exhibitions.migrations import apply_migrations
from exhibitions.notifications import services
from exhibitions.notifications.tables import Outbox
from exhibitions.settings import Settings, SmtpSettings

OPENING_DAY = date.today() + timedelta(days=30)


class Counting:
    """An SMTP server that keeps only each message's Message-ID."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        for line in envelope.original_content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.ids.append(line.split(b":", 1)[1].strip().decode())
                break
            if not line:
                break
        return "250 OK"


_TICKETS = (
    "INSERT INTO ticket (exhibition, access_token, manual_code, holder_name, email, home_region, category,"
    " language, first_day, day_count, key_id) VALUES "
)


async def _populate(count: int) -> None:
    now = datetime.now(UTC)
    await Outbox.raw("INSERT INTO venue (name, city) VALUES ('Parc OLM Souissi', 'Rabat')")
    await Outbox.raw(
        "INSERT INTO exhibition (slug, kind, title_ar, title_fr, title_en, venue, starts_on, ends_on, opens_at,"
        " closes_at, status, created_at, updated_at) VALUES ('bench-2027', 'national', 'المعرض الوطني',"
        " 'Salon national', 'National exhibition', 1, {}, {}, {}, {}, 'published', {}, {})",
        OPENING_DAY, OPENING_DAY + timedelta(days=9), clock_time(10), clock_time(20), now, now,
    )  # fmt: skip
    languages = ("ar", "fr", "en")
    for start in range(0, count, 500):
        rows = range(start, min(start + 500, count))
        values = ", ".join(["(1, {}, {}, {}, {}, 'MA-06', 'general', {}, {}, 1, 0)"] * len(rows))
        args: list[Any] = []
        for n in rows:
            args += [
                secrets.token_urlsafe(24),
                f"M{n:07d}",
                f"Visiteur {n}",
                f"v{n}@bench.ma",
                languages[n % 3],
                OPENING_DAY,
            ]
        await Outbox.raw(_TICKETS + values, *args)


async def _round(url: str, count: int, smtp: SmtpSettings, server: Counting) -> tuple[float, float, int, int, float]:
    settings = replace(Settings(), database_url=url, scheduler="off", smtp=smtp, base_url="http://127.0.0.1")
    database = Database(settings)
    async with database.running():
        await apply_migrations(database.engine)
        await _populate(count)
        server.ids.clear()
        due = datetime.combine(OPENING_DAY - timedelta(days=1), clock_time(10), tzinfo=ZoneInfo("Africa/Casablanca"))
        now = due.astimezone(UTC) + timedelta(minutes=1)
        started, cpu_started = time.perf_counter(), time.process_time()
        queued = (await services.queue_reminders(now=now)).queued
        queued += (await services.queue_reminders(now=now)).queued  # a second tick adds nothing
        evaluated = time.perf_counter() - started
        while True:
            report = await services.deliver_due(now=now, smtp=smtp, base_url=settings.base_url)
            if report.claimed == 0:
                break
        total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        [left] = await Outbox.raw("SELECT COUNT(*) AS n FROM outbox WHERE status <> 'sent'")
        assert int(left["n"]) == 0, left
        assert queued == count, queued
        return evaluated, total, len(server.ids), len(server.ids) - len(set(server.ids)), cpu


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    server = Counting()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="Salon <salon@bench.ma>")
    results = []
    try:
        for _ in range(args.rounds):
            if args.postgres:
                with postgres_database() as url:
                    assert url is not None
                    results.append(await _round(url, args.count, smtp, server))
            else:
                with tempfile.TemporaryDirectory() as directory:
                    results.append(await _round(f"sqlite:///{directory}/bench.sqlite3", args.count, smtp, server))
            evaluated, total, received, duplicates, cpu = results[-1]
            print(
                f"  round: queued in {evaluated:.2f} s, delivered all in {total:.2f} s (CPU {cpu:.2f} s),"
                f" {received} received, {duplicates} duplicates, load {os.getloadavg()[0]:.1f}"
            )
    finally:
        controller.stop()
    engine = "PostgreSQL" if args.postgres else "SQLite"
    median = statistics.median(r[1] for r in results)
    print(
        f"{args.count:,} reminders, rule evaluation to delivery ({engine}): median {median:.2f} s"
        f" (rounds: {', '.join(f'{r[1]:.2f}' for r in results)} s; evaluation median"
        f" {statistics.median(r[0] for r in results):.2f} s;"
        f" CPU median {statistics.median(r[4] for r in results):.2f} s;"
        f" duplicates {sum(r[3] for r in results)}) goal <= 60 s"
    )
    print(machine_line(f"load {os.getloadavg()[0]:.2f}"))


if __name__ == "__main__":
    asyncio.run(main())
