"""Sending SMS: a pluggable sender, chosen by ``EXHIBITIONS_SMS_SENDER``, off by default.

- ``null`` (the default): SMS is off. Rules with ``channel = "sms"`` are skipped and counted
  by the reminders job, never queued and never failed.
- ``console``: each message is written to the standard error, one line, for development.
- ``file:/path/to/sms.log``: each message is appended to that file, one line (tests, demos).

A real gateway is one more class with an async ``send``: plug it in :func:`configured_sender`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from exhibitions.errors import ConfigurationError

ENVIRONMENT_VARIABLE = "EXHIBITIONS_SMS_SENDER"


class SmsSender(Protocol):
    @property
    def enabled(self) -> bool: ...

    async def send(self, *, to: str, text: str) -> None:
        """Send ``text`` to ``to`` (E.164); raise to have the outbox retry later."""


def _line(to: str, text: str) -> str:
    return f"{to}\t{' '.join(text.split())}\n"


@dataclass(frozen=True)
class NullSender:
    enabled: bool = False

    async def send(self, *, to: str, text: str) -> None:
        raise RuntimeError("SMS is off (EXHIBITIONS_SMS_SENDER=null)")


@dataclass(frozen=True)
class ConsoleSender:
    enabled: bool = True

    async def send(self, *, to: str, text: str) -> None:
        sys.stderr.write(_line(to, text))


@dataclass(frozen=True)
class FileSender:
    path: Path
    enabled: bool = True

    async def send(self, *, to: str, text: str) -> None:
        with self.path.open("a", encoding="utf-8") as log:
            log.write(_line(to, text))


def configured_sender(value: str | None = None) -> SmsSender:
    """The sender ``value`` (by default the environment's) names; a ConfigurationError otherwise."""
    choice = (os.environ.get(ENVIRONMENT_VARIABLE, "") if value is None else value).strip()
    if choice in ("", "null"):
        return NullSender()
    if choice == "console":
        return ConsoleSender()
    if choice.startswith("file:") and len(choice) > len("file:"):
        return FileSender(Path(choice.removeprefix("file:")))
    raise ConfigurationError(f"{ENVIRONMENT_VARIABLE}={choice!r}: use null, console or file:/path/to/sms.log")
