"""``exhibitions scheduler`` as deployments run it: several processes, one ticking, a
standby taking over when the active one is SIGKILLed, and mail delivery surviving a kill."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from exhibitions.clock import utcnow
from exhibitions.notifications import services
from exhibitions.notifications.emails import RenderedEmail
from exhibitions.notifications.tables import Outbox
from exhibitions.settings import Settings
from tests.notifications.conftest import SENDER, Mailbox

EXHIBITIONS = str(Path(sys.executable).parent / "exhibitions")
# Importing the app on a loaded 2-core machine has taken 20-35 s.
START_SECONDS = 90.0
TICK = re.compile(r"DEBUG tick deliver_mail \(pid (\d+)\)")


class Scheduler:
    """One `exhibitions scheduler -v` process and its log."""

    def __init__(self, settings: Settings, log: Path, ticks: Path, mail_port: int, claim_timeout: int = 600) -> None:
        self.log_path = log
        environment = {
            **os.environ,
            "EXHIBITIONS_DATABASE_URL": settings.database_url,
            "EXHIBITIONS_SMTP_PORT": str(mail_port),
            "EXHIBITIONS_MAIL_FROM": SENDER,
            "EXHIBITIONS_MAIL_CLAIM_TIMEOUT": str(claim_timeout),
            "EXHIBITIONS_SCHEDULER": "off",
        }
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [EXHIBITIONS, "scheduler", "--ticks", str(ticks), "-v"],
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def ticks(self) -> int:
        return len(TICK.findall(self.text))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        self._log.close()


async def _until(condition: object, seconds: float, what: str) -> float:
    """Wait for ``condition()``; how long it took."""
    started = time.monotonic()
    while not condition():  # type: ignore[operator]
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds} s: {what}")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


def _ticks_file(tmp_path: Path, every: float) -> Path:
    path = tmp_path / "ticks.toml"
    path.write_text(f"[deliver_mail]\nevery_seconds = {every}\n")
    return path


async def test_one_of_two_schedulers_ticks_and_the_other_takes_over_within_seconds_of_a_kill(
    settings: Settings, tmp_path: Path, mailbox: Mailbox
) -> None:
    ticks = _ticks_file(tmp_path, 0.2)
    first = Scheduler(settings, tmp_path / "first.log", ticks, mailbox.port)
    try:
        await _until(lambda: first.ticks() > 0, START_SECONDS, "the first scheduler ticks")
        second = Scheduler(settings, tmp_path / "second.log", ticks, mailbox.port)
        try:
            await _until(lambda: "standby scheduler" in second.text, START_SECONDS, "the second one stands by")
            await asyncio.sleep(2.0)
            before = first.ticks()
            await asyncio.sleep(1.0)
            assert first.ticks() >= before + 3  # still ticking every 0.2 s
            assert second.ticks() == 0
            assert "active scheduler" not in second.text

            first.process.send_signal(signal.SIGKILL)
            first.process.wait(timeout=10)
            takeover = await _until(lambda: second.ticks() > 0, 15, "the standby ticks after the kill")
            print(f"\nfailover after SIGKILL: the standby ticked {takeover:.2f} s later ({settings.database_url[:10]})")
            assert takeover < 5.0
            assert re.search(rf"active scheduler \(pid {second.process.pid}, ", second.text)

            second.process.send_signal(signal.SIGTERM)
            assert second.process.wait(timeout=30) == 0
            assert second.text.endswith("scheduler stopped\n")
        finally:
            second.close()
    finally:
        first.close()


def _record(path: Path, report: str) -> None:
    """The figure for the report, kept where a person finds it after the run."""
    path.write_text(report + "\n", encoding="utf-8")


async def _enqueue(count: int) -> None:
    now = utcnow()
    for number in range(count):
        await services.enqueue(
            rule="kill_test",
            recipient=f"visitor{number}@x.ma",
            subject_key=f"kill:{number}",
            language="fr",
            now=now,
            rendered=RenderedEmail(
                subject=f"Rappel n° {number}",
                text=f"Bonjour, votre rappel n° {number}.\n",
                html=f"<p>Bonjour, votre rappel n° {number}.</p>",
            ),
        )


async def test_a_scheduler_killed_mid_delivery_loses_nothing_and_doubles_only_what_was_in_flight(
    settings: Settings, tmp_path: Path, exhibition: int, mailbox: Mailbox, artifacts_dir: Path
) -> None:
    total = 1000
    await _enqueue(total)
    rows = await Outbox.select(Outbox.id, Outbox.created_at)
    domain = "test.ma"
    expected_ids = {f"<outbox.{row['id']}.{int(row['created_at'].timestamp())}@{domain}>" for row in rows}
    assert len(expected_ids) == total
    mailbox.delay = 0.004  # about 200 messages a second: the kill lands mid-delivery
    ticks = _ticks_file(tmp_path, 0.5)

    first = Scheduler(settings, tmp_path / "first.log", ticks, mailbox.port, claim_timeout=2)
    try:
        # Not a multiple of the batch (100): the kill then lands inside a pass, not between two.
        await _until(lambda: len(mailbox.messages) >= 250, START_SECONDS, "250 messages delivered")
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
    finally:
        first.close()
    engine = settings.database_url.split(":")[0]
    _record(artifacts_dir / f"scheduler-kill-{engine}-first.log", first.text)
    received_at_kill = len(mailbox.messages)
    in_flight = await Outbox.select(Outbox.id, Outbox.created_at).where(Outbox.status == "sending")
    in_flight_ids = {f"<outbox.{row['id']}.{int(row['created_at'].timestamp())}@{domain}>" for row in in_flight}
    assert len(in_flight) <= services.DEFAULT_BATCH
    assert received_at_kill < total

    mailbox.delay = 0.0
    second = Scheduler(settings, tmp_path / "second.log", ticks, mailbox.port, claim_timeout=2)
    try:
        async with asyncio.timeout(START_SECONDS + 60):
            while await Outbox.count().where(Outbox.status == "sent") < total:  # noqa: ASYNC110 - another process
                await asyncio.sleep(0.1)
    finally:
        second.close()

    counts = Counter(str(message["Message-ID"]) for message in mailbox.messages)
    duplicates = {message_id: n for message_id, n in counts.items() if n > 1}
    report = (
        f"{settings.database_url.split(':')[0]}: {total} queued, {received_at_kill} received before the SIGKILL,"
        f" {len(in_flight)} claimed and unmarked at the kill, {len(duplicates)} delivered twice"
    )
    print(f"\n{report}")
    _record(artifacts_dir / f"scheduler-kill-{engine}.txt", report)
    assert set(counts) == expected_ids  # every message arrived
    assert set(duplicates) <= in_flight_ids  # doubles only among those in flight at the kill
    assert set(duplicates.values()) <= {2}
    assert await Outbox.count().where(Outbox.status != "sent") == 0


def test_a_bad_ticks_file_stops_the_scheduler_command_with_the_place_of_the_mistake(
    settings: Settings, tmp_path: Path
) -> None:
    ticks = tmp_path / "ticks.toml"
    ticks.write_text('[deliver_mail]\ncron = "0 3 * * */2"\n')
    environment = {**os.environ, "EXHIBITIONS_DATABASE_URL": settings.database_url}
    result = subprocess.run(
        [EXHIBITIONS, "scheduler", "--ticks", str(ticks)], env=environment, capture_output=True, text=True,
        timeout=START_SECONDS, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {ticks}:2: [deliver_mail] cron: '0 3 * * */2': a step in the day of the week is ambiguous;"
        " list the days instead (mon,wed,fri)\n"
    )
