"""``exhibitions deliver-mail`` and ``exhibitions mail-status``, run as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from exhibitions.clock import utcnow
from exhibitions.notifications.tables import Outbox
from exhibitions.settings import Settings
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.services import register_visitor
from tests.notifications.conftest import Mailbox

EXHIBITIONS = str(Path(sys.executable).parent / "exhibitions")


def _run(settings: Settings, mailbox_port: int, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "EXHIBITIONS_DATABASE_URL": settings.database_url,
        "EXHIBITIONS_SMTP_PORT": str(mailbox_port),
        "EXHIBITIONS_MAIL_FROM": "Salon <salon@test.ma>",
    }
    return subprocess.run(
        [EXHIBITIONS, *args], capture_output=True, text=True, env=environment, timeout=60, check=False
    )


async def test_deliver_mail_sends_what_is_due_and_mail_status_counts_it(
    settings: Settings, exhibition: int, mailbox: Mailbox
) -> None:
    for email in ("one@x.ma", "two@x.ma"):
        data = RegistrationIn(name="Visiteur", email=email, home_region="MA-01")
        await register_visitor(slug="sess-2027", data=data, secret_key=settings.secret_key, now=utcnow())
    await Outbox.update({Outbox.status: "failed", Outbox.attempts: 10, Outbox.last_error: "SMTP down"}).where(
        Outbox.recipient == "two@x.ma"
    )

    status = _run(settings, mailbox.port, "mail-status")
    assert status.returncode == 0, status.stderr
    failed_id = await Outbox.select(Outbox.id, Outbox.subject_key).where(Outbox.recipient == "two@x.ma").first()
    assert status.stdout == (
        "pending 1  sending 0  sent 0  failed 1\n"
        f"failed #{failed_id['id']} ticket_issued {failed_id['subject_key']} to two@x.ma after 10 attempt(s): SMTP down\n"
    )

    delivered = _run(settings, mailbox.port, "deliver-mail")
    assert (delivered.returncode, delivered.stdout) == (0, "sent 1, to retry 0, failed 0\n"), delivered.stderr
    assert [message["To"] for message in mailbox.messages] == ["one@x.ma"]

    retried = _run(settings, mailbox.port, "deliver-mail", "--retry-failed")
    assert (retried.returncode, retried.stdout) == (
        0,
        "1 failed message(s) queued again.\nsent 1, to retry 0, failed 0\n",
    ), retried.stderr
    assert [message["To"] for message in mailbox.messages] == ["one@x.ma", "two@x.ma"]
    assert _run(settings, mailbox.port, "mail-status").stdout == "pending 0  sending 0  sent 2  failed 0\n"
