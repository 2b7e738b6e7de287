"""Delivery runs by itself: the ticks of schedules/ticks.toml, in the app's lifespan."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

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
        scheduler.Tick(job="refresh_attendance_rollups", every_seconds=30.0),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[send_everything]\nevery_seconds = 5\n",
            r"unknown job \[send_everything\]; known: deliver_mail, queue_speaker_messages",
        ),
        ("[deliver_mail]\nevery_seconds = 0\n", r"\[deliver_mail\] every_seconds must be a positive number"),
        ('[deliver_mail]\nevery_seconds = "5"\n', r"\[deliver_mail\] every_seconds must be a positive number"),
        ("[deliver_mail]\nevery = 5\n", r"\[deliver_mail\] every_seconds must be a positive number"),
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
