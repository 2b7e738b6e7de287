"""Delivery runs by itself: the ticks of schedules/ticks.toml, in the app's lifespan."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from exhibitions import scheduler
from exhibitions.app import create_app
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.errors import ConfigurationError
from exhibitions.notifications.tables import Outbox
from exhibitions.settings import Settings
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.services import register_visitor
from tests.notifications.conftest import Mailbox


def test_the_shipped_ticks() -> None:
    assert scheduler.read_ticks() == [
        scheduler.Tick(job="deliver_mail", every_seconds=5.0),
        scheduler.Tick(job="queue_speaker_messages", every_seconds=60.0),
        scheduler.Tick(job="tend_session_waitlists", every_seconds=60.0),
        scheduler.Tick(job="render_badge_batches", every_seconds=5.0),
        scheduler.Tick(job="queue_reminders", every_seconds=60.0),
        scheduler.Tick(job="deliver_sms", every_seconds=10.0),
        scheduler.Tick(job="refresh_attendance_rollups", every_seconds=30.0),
    ]


def test_a_ticks_file_takes_intervals_and_crontab_lines(tmp_path: Path) -> None:
    path = tmp_path / "ticks.toml"
    path.write_text(
        "[deliver_mail]\nevery_seconds = 2.5\n\n"
        '[queue_speaker_messages]\ncron = "0  9 * * 0"\ntimezone = "Africa/Casablanca"\n'
    )
    assert scheduler.read_ticks(path) == [
        scheduler.Tick(job="deliver_mail", every_seconds=2.5),
        scheduler.Tick(job="queue_speaker_messages", cron="0 9 * * 0", timezone="Africa/Casablanca"),
    ]


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        # Crontab's 0 is Sunday (APScheduler 3's own from_crontab would say Monday).
        ("0 9 * * 0", "2026-11-25T12:00:00+00:00", "2026-11-29T09:00:00+01:00"),
        ("0 9 * * 7", "2026-11-25T12:00:00+00:00", "2026-11-29T09:00:00+01:00"),
        ("30 8 * * 1-5", "2026-11-28T12:00:00+00:00", "2026-11-30T08:30:00+01:00"),
        ("0 0 * * 5-7", "2026-11-28T12:00:00+00:00", "2026-11-29T00:00:00+01:00"),
        ("0 3 * * *", "2026-11-29T12:00:00+00:00", "2026-11-30T03:00:00+01:00"),
        ("*/15 * * * sat,sun", "2026-11-27T22:50:00+00:00", "2026-11-28T00:00:00+01:00"),
    ],
)
def test_a_crontab_line_fires_when_cron_would(expression: str, after: str, expected: str) -> None:
    trigger = scheduler.crontab_trigger(expression, ZoneInfo("Africa/Casablanca"))
    fire = trigger.get_next_fire_time(None, datetime.fromisoformat(after))
    assert fire is not None
    assert fire.isoformat() == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[send_everything]\nevery_seconds = 5\n",
            r"ticks.toml:1: \[send_everything\]: unknown job; known: deliver_mail, deliver_sms, queue_reminders,"
            r" queue_speaker_messages, refresh_attendance_rollups, render_badge_batches, tend_session_waitlists",
        ),
        (
            "# mail\n\n[deliver_mail]\nevery_seconds = 0\n",
            r"ticks.toml:4: \[deliver_mail\] every_seconds: must be a positive number of seconds$",
        ),
        ('[deliver_mail]\nevery_seconds = "5"\n', r"ticks.toml:2: \[deliver_mail\] every_seconds: must be a positive"),
        (
            "[deliver_mail]\nevery = 5\n",
            r"ticks.toml:2: \[deliver_mail\] every: unknown field; expected every_seconds, cron, timezone$",
        ),
        (
            "[deliver_mail]\n",
            r"ticks.toml:1: \[deliver_mail\]: set exactly one of every_seconds \(an interval\) or cron",
        ),
        (
            '[deliver_mail]\nevery_seconds = 5\ncron = "* * * * *"\n',
            r"ticks.toml:1: \[deliver_mail\]: set exactly one of every_seconds",
        ),
        (
            '[deliver_mail]\nevery_seconds = 5\n[queue_speaker_messages]\ncron = "0 25 * * *"\n',
            r"ticks.toml:4: \[queue_speaker_messages\] cron: '0 25 \* \* \*': .*the last value \(25\) is higher than the maximum value \(23\)$",
        ),
        (
            '[deliver_mail]\ncron = "0 3 * *"\n',
            r"ticks.toml:2: \[deliver_mail\] cron: '0 3 \* \*': expected 5 fields \(minute hour day month weekday\), got 4$",
        ),
        (
            '[deliver_mail]\ncron = "0 3 * * */2"\n',
            r"ticks.toml:2: \[deliver_mail\] cron: .*a step in the day of the week is ambiguous",
        ),
        ("[deliver_mail]\ncron = 3\n", r"ticks.toml:2: \[deliver_mail\] cron: must be a crontab line in quotes"),
        (
            '[deliver_mail]\ncron = "0 3 * * *"\ntimezone = "Mars/Olympus"\n',
            r"ticks.toml:3: \[deliver_mail\] timezone: unknown time zone 'Mars/Olympus'$",
        ),
        (
            '[deliver_mail]\nevery_seconds = 5\ntimezone = "UTC"\n',
            r"ticks.toml:3: \[deliver_mail\] timezone: applies to cron only",
        ),
        ("[deliver_mail\n", "ticks.toml: "),
    ],
)
def test_a_bad_ticks_file_stops_the_start(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "ticks.toml"
    path.write_text(content)
    with pytest.raises(ConfigurationError, match=message):
        scheduler.read_ticks(path)


async def _register(settings: Settings, email: str) -> None:
    data = RegistrationIn(name="Yassine", email=email, home_region="MA-01", language="en")
    await register_visitor(slug="sess-2027", data=data, secret_key=settings.secret_key, now=utcnow())


async def _wait_for(mailbox: Mailbox, count: int, seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        while len(mailbox.messages) < count:  # noqa: ASYNC110 - the server fills it from its own thread
            await asyncio.sleep(0.05)


async def test_the_ticker_delivers_mail_on_its_own(settings: Settings, exhibition: int, mailbox: Mailbox) -> None:
    mail_settings = replace(settings, smtp=mailbox.smtp)
    async with scheduler.running(mail_settings, [scheduler.Tick("deliver_mail", 0.2)]):
        await _register(settings, "first@x.ma")
        await _wait_for(mailbox, 1)
        await _register(settings, "second@x.ma")
        await _wait_for(mailbox, 2)
    assert [message["To"] for message in mailbox.messages] == ["first@x.ma", "second@x.ma"]
    assert await Outbox.count().where(Outbox.status == "sent") == 2


async def test_the_app_delivers_at_start_up_when_the_scheduler_is_inline(
    settings: Settings, database: Database, exhibition: int, mailbox: Mailbox
) -> None:
    await _register(settings, "waiting@x.ma")
    app = create_app(replace(settings, smtp=mailbox.smtp, scheduler="inline"), database=database)
    async with app.lifespan():
        await _wait_for(mailbox, 1)
    assert [message["To"] for message in mailbox.messages] == ["waiting@x.ma"]


async def test_with_the_scheduler_off_the_app_sends_nothing(
    settings: Settings, database: Database, exhibition: int, mailbox: Mailbox
) -> None:
    await _register(settings, "waiting@x.ma")
    app = create_app(replace(settings, smtp=mailbox.smtp, scheduler="off"), database=database)
    async with app.lifespan():
        await asyncio.sleep(0.3)
    assert mailbox.messages == []
    assert await Outbox.count().where(Outbox.status == "pending") == 1
