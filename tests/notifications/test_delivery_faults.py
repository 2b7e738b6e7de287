"""A mail server that refuses for now or drops the connection: messages retry with their
backoff, then show as failed; nothing is lost, and a copy sent again after a crash carries
the same Message-ID."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from exhibitions.clock import utcnow
from exhibitions.notifications import services
from exhibitions.notifications.emails import RenderedEmail
from exhibitions.notifications.services import DeliveryReport, deliver_due
from exhibitions.notifications.tables import Outbox
from exhibitions.settings import SmtpSettings
from tests.notifications.conftest import SENDER, Mailbox, free_port


@dataclass
class FlakyServer:
    """Accepts messages, except: ``refuse`` answers 451 (try later) to DATA, and ``drop``
    closes the connection every ``drop_every``-th DATA without answering."""

    port: int = 0
    refuse: bool = False
    drop_every: int = 0
    received: list[str] = field(default_factory=list)
    data_commands: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.data_commands += 1
        if self.refuse:
            return "451 4.3.0 mailbox busy, try again later"
        if self.drop_every and self.data_commands % self.drop_every == 0:
            server.transport.close()
            await asyncio.sleep(0.05)
            return "421 closing"
        header = envelope.original_content.split(b"\r\n\r\n", 1)[0].decode()
        self.received.append(
            next(line.split(":", 1)[1].strip() for line in header.split("\r\n") if line.startswith("Message-ID:"))
        )
        return "250 OK"

    @property
    def smtp(self) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, sender=SENDER)


@pytest.fixture
def flaky() -> Iterator[FlakyServer]:
    server = FlakyServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()


async def _queue(count: int, now: datetime, exhibition: int) -> list[int]:
    ids = []
    for number in range(count):
        message_id = await services.enqueue(
            rule="fault_test", recipient=f"v{number}@x.ma", subject_key=f"fault:{number}", language="ar", now=now,
            exhibition_id=exhibition, rendered=RenderedEmail(subject="تذكير", text="مرحبا\n", html="<p dir=rtl>مرحبا</p>"),
        )  # fmt: skip
        assert message_id is not None
        ids.append(message_id)
    return ids


def _deliver(smtp: SmtpSettings, now: datetime, **options: Any) -> Any:
    return deliver_due(now=now, smtp=smtp, base_url="http://testserver", **options)


async def _statuses() -> Counter[str]:
    return Counter(row["status"] for row in await Outbox.select(Outbox.status))


async def test_a_server_that_refuses_for_now_gets_every_message_later(exhibition: int, flaky: FlakyServer) -> None:
    now = utcnow()
    await _queue(3, now, exhibition)
    flaky.refuse = True
    assert await _deliver(flaky.smtp, now) == DeliveryReport(claimed=3, retried=3)
    rows = await Outbox.select(Outbox.status, Outbox.attempts, Outbox.next_attempt_at, Outbox.last_error)
    assert {(row["status"], row["attempts"], row["next_attempt_at"]) for row in rows} == {
        ("pending", 1, now + timedelta(seconds=30))
    }
    assert {row["last_error"] for row in rows} == {"SMTPDataError: (451, '4.3.0 mailbox busy, try again later')"}
    flaky.refuse = False
    assert await _deliver(flaky.smtp, now + timedelta(seconds=29)) == DeliveryReport()  # not before its time
    assert await _deliver(flaky.smtp, now + timedelta(seconds=30)) == DeliveryReport(claimed=3, sent=3)
    assert len(flaky.received) == len(set(flaky.received)) == 3


async def test_a_server_that_keeps_refusing_leaves_the_messages_failed_and_retry_sends_them(
    exhibition: int, flaky: FlakyServer
) -> None:
    now = utcnow()
    await _queue(2, now, exhibition)
    flaky.refuse = True
    for _ in range(services.MAX_ATTEMPTS):
        await _deliver(flaky.smtp, now)
        now += timedelta(hours=1)
    assert await _statuses() == Counter(failed=2)
    flaky.refuse = False
    assert await services.retry_failed(now=now) == 2
    assert await _deliver(flaky.smtp, now) == DeliveryReport(claimed=2, sent=2)
    assert await _statuses() == Counter(sent=2)


async def test_dropped_connections_lose_nothing_and_send_nothing_twice(exhibition: int, flaky: FlakyServer) -> None:
    now = utcnow()
    ids = await _queue(120, now, exhibition)
    flaky.drop_every = 7  # the server hangs up in the middle of every seventh message
    passes = 0
    while (await _statuses()).get("sent", 0) < len(ids):
        await _deliver(flaky.smtp, now, limit=100)
        now += timedelta(minutes=5)
        passes += 1
        assert passes < 10
    failed_attempts = await Outbox.count().where(Outbox.attempts > 1)
    assert failed_attempts > 0  # some were dropped, and went again
    assert len(flaky.received) == len(ids)
    assert len(set(flaky.received)) == len(ids)


async def test_a_copy_sent_again_after_a_crash_has_the_same_message_id(exhibition: int, mailbox: Mailbox) -> None:
    now = utcnow()
    [message_id] = await _queue(1, now, exhibition)
    assert await _deliver(mailbox.smtp, now) == DeliveryReport(claimed=1, sent=1)
    # The process died after the server's 250 and before the mark: the row is still claimed.
    await Outbox.update({Outbox.status: "sending", Outbox.sent_at: None}).where(Outbox.id == message_id)
    claim_timeout = timedelta(seconds=2)
    assert await _deliver(mailbox.smtp, now + timedelta(seconds=1), claim_timeout=claim_timeout) == DeliveryReport()
    later = now + timedelta(seconds=2)
    assert await _deliver(mailbox.smtp, later, claim_timeout=claim_timeout) == DeliveryReport(claimed=1, sent=1)
    first, second = mailbox.messages
    assert first["Message-ID"] == second["Message-ID"]
    created = (await Outbox.select(Outbox.created_at).where(Outbox.id == message_id).first())["created_at"]  # type: ignore[index]
    assert first["Message-ID"] == f"<outbox.{message_id}.{int(created.timestamp())}@test.ma>"


async def test_a_pass_claims_no_more_than_its_limit_however_many_are_due(
    exhibition: int, smtp_down: SmtpSettings
) -> None:
    now = utcnow()
    values = ", ".join(
        f"({exhibition}, 'limit_test', 'v{number}@x.ma', 'limit:{number}', 'fr', 'S', 'T', {{}}, {{}})"
        for number in range(1000)
    )
    await Outbox.raw(
        "INSERT INTO outbox (exhibition, rule, recipient, subject_key, language, subject_line, text_body,"
        f" next_attempt_at, created_at) VALUES {values}",
        *[now] * 2000,
    )
    # On PostgreSQL `id IN (SELECT … LIMIT 100 FOR UPDATE SKIP LOCKED)` claimed all 1,000.
    assert await _deliver(smtp_down, now, limit=100) == DeliveryReport(claimed=100, retried=100)
    assert await _statuses() == Counter(pending=1000)
    assert await Outbox.count().where(Outbox.attempts == 1) == 100
