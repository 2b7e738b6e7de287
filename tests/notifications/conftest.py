"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from exhibitions.settings import SmtpSettings

SENDER = "Salon SESS <salon@test.ma>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the server accepted, and the recipients it refuses with a permanent 550."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    # Seconds each DATA takes: a slow server, so that a test can stop a delivery midway.
    delay: float = 0.0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.raw.append(envelope.original_content)
        # As a mail client shows it: the wire's CRLF line ends become LF.
        content = envelope.original_content.replace(b"\r\n", b"\n")
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    @property
    def smtp(self) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, sender=SENDER)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Mailbox]:
    mailbox = Mailbox(port=free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: Mailbox) -> Mailbox:
    """The server, emptied for this test."""
    smtp_server.messages.clear()
    smtp_server.envelopes.clear()
    smtp_server.raw.clear()
    smtp_server.refuse.clear()
    smtp_server.delay = 0.0
    return smtp_server


@pytest.fixture
def smtp_down() -> SmtpSettings:
    """A port nothing listens on."""
    return SmtpSettings(host="127.0.0.1", port=free_port(), sender=SENDER)
