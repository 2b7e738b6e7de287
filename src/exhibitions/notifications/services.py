"""The outbox and its delivery: the one way e-mail leaves the system.

Writing a message is :func:`enqueue`, one ``INSERT … ON CONFLICT DO NOTHING`` on the
outbox's unique key (rule, recipient, subject_key, occurrence): a rule evaluated twice,
two schedulers or a restart cannot queue a message twice.

Sending is :func:`deliver_due`, and it is **at-least-once**:

1. it *claims* due rows in one statement (``UPDATE … SET status = 'sending' WHERE id IN
   (SELECT … due … FOR UPDATE SKIP LOCKED) RETURNING``), so two deliverers never take the
   same row, and it counts the attempt at the claim;
2. it sends each row by SMTP, then marks it sent.

A process that dies between the server's "250 OK" and step 2 leaves the row in 'sending';
after :data:`STALE_CLAIM` another pass takes it again and the visitor receives a second copy
(with the same Message-ID). We accept that rather than at-most-once (marking sent before
sending), which would silently lose a ticket on every crash: a duplicate e-mail is a
nuisance, a missing ticket is a visitor at the gate without one. SMTP offers no way to ask a
server whether it already accepted a message, so exactly-once is not on offer.

Failures: a permanent refusal (5xx for the recipient or the message) fails the row at once;
anything else (server down, 4xx, timeout) puts it back to 'pending' with an exponential
backoff, and the :data:`MAX_ATTEMPTS`-th failure leaves it 'failed' for a person to look at
(``exhibitions mail-status``, ``exhibitions deliver-mail --retry-failed``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

import aiosmtplib

from exhibitions.notifications.emails import Attachment, RenderedEmail, build_message, render
from exhibitions.notifications.tables import Outbox, OutboxStatus
from exhibitions.settings import SmtpSettings
from exhibitions.tickets.tables import Ticket, TicketStatus

logger = logging.getLogger(__name__)

RULE_TICKET_ISSUED = "ticket_issued"

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# A claim this old belongs to a delivery that died (a killed process): its rows are due again.
STALE_CLAIM = timedelta(minutes=10)
# A pass stops well before STALE_CLAIM, so that a slow server never lets another deliverer
# reclaim rows this one is still sending.
PASS_BUDGET_SECONDS = 300.0
SMTP_TIMEOUT_SECONDS = 30.0
DEFAULT_BATCH = 50


class Undeliverable(Exception):
    """Retrying cannot help: the message is failed at once, with this reason."""


class SmtpUnreachable(ConnectionError):
    """The connection to the server failed; every message of the pass records the same reason."""


@dataclass(frozen=True)
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


# Registration runs this on every new ticket with an e-mail: hand-written SQL, one statement.
_ENQUEUE = """
INSERT INTO outbox (exhibition, rule, recipient, subject_key, occurrence, language, subject_line, text_body,
                    html_body, attachment, status, attempts, next_attempt_at, created_at)
VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, 'pending', 0, {}, {})
ON CONFLICT (rule, recipient, subject_key, occurrence) DO NOTHING
RETURNING id
"""


async def enqueue(
    *,
    rule: str,
    recipient: str,
    subject_key: str,
    language: str,
    now: datetime,
    occurrence: str = "",
    exhibition_id: int | None = None,
    rendered: RenderedEmail | None = None,
    attachment: str | None = None,
) -> int | None:
    """Queue one message; its id, or None when the same (rule, recipient, subject_key,
    occurrence) is already queued or sent. Without ``rendered``, delivery renders the rule's
    template from ``subject_key`` at send time (see ``_RENDERERS``)."""
    if rule not in _RENDERERS and rendered is None:
        raise ValueError(f"rule {rule!r} has no renderer: pass the rendered message")
    rows = await Outbox.raw(
        _ENQUEUE,
        exhibition_id,
        rule,
        recipient.strip().lower(),
        subject_key,
        occurrence,
        language,
        rendered.subject if rendered else None,
        rendered.text if rendered else None,
        rendered.html if rendered else None,
        attachment,
        now,
        now,
    )
    return int(rows[0]["id"]) if rows else None


# The same row as enqueue() writes, with what is fixed for a ticket written into the SQL:
# every parameter costs Piccolo's raw() a few microseconds, on the registration hot path.
_ENQUEUE_TICKET = """
INSERT INTO outbox (exhibition, rule, recipient, subject_key, language, next_attempt_at, created_at)
VALUES ({}, 'ticket_issued', {}, {}, {}, {}, {})
ON CONFLICT (rule, recipient, subject_key, occurrence) DO NOTHING
RETURNING id
"""


async def enqueue_ticket_email(*, ticket: Mapping[str, Any], now: datetime) -> int | None:
    """Queue the e-mail of a newly issued ticket, if its holder gave an e-mail address.

    Only the reference is stored: rendering waits for delivery, off the registration path
    (it costs more than the INSERT). The ticket PDF (tickets' own renderer) can ride along
    once it exists: add ``attachment`` = ``f"ticket_pdf:{ticket['id']}"`` to the row and a
    ``"ticket_pdf"`` loader to ``ATTACHMENT_LOADERS``; the e-mail links to the PDF meanwhile."""
    if not ticket.get("email"):
        return None
    rows = await Outbox.raw(
        _ENQUEUE_TICKET, ticket["exhibition"], ticket["email"], f"ticket:{ticket['id']}", ticket["language"], now, now
    )
    return int(rows[0]["id"]) if rows else None


# --- rendering at delivery ---------------------------------------------------------------

_TICKET_FOR_EMAIL = """
SELECT t.id, t.holder_name, t.manual_code, t.access_token, t.first_day, t.day_count, t.status,
       e.title_ar, e.title_fr, e.title_en, e.opens_at, e.closes_at,
       v.name AS venue_name, v.address AS venue_address, v.city AS city
FROM ticket t JOIN exhibition e ON e.id = t.exhibition JOIN venue v ON v.id = e.venue
WHERE t.id = {}
"""


def _subject_id(subject_key: str, kind: str) -> int:
    prefix, _, value = subject_key.partition(":")
    if prefix != kind or not value.isdigit():
        raise Undeliverable(f"subject {subject_key!r} is not a {kind}")
    return int(value)


async def _render_ticket_issued(row: Mapping[str, Any], base_url: str) -> RenderedEmail:
    tickets = await Ticket.raw(_TICKET_FOR_EMAIL, _subject_id(row["subject_key"], "ticket"))
    if not tickets:
        raise Undeliverable(f"{row['subject_key']} no longer exists")
    ticket = tickets[0]
    if ticket["status"] != TicketStatus.valid.value:
        raise Undeliverable(f"{row['subject_key']} was revoked before its e-mail left")
    language = row["language"]
    link = f"{base_url}/tickets/{ticket['access_token']}"
    return render(
        "tickets/ticket_issued",
        language=language,
        values={
            "exhibition": ticket[f"title_{language}"],
            "holder_name": ticket["holder_name"],
            "first_day": ticket["first_day"],
            "last_day": ticket["first_day"] + timedelta(days=ticket["day_count"] - 1),
            "opens_at": ticket["opens_at"],
            "closes_at": ticket["closes_at"],
            "place": ", ".join(
                part for part in (ticket["venue_name"], ticket["venue_address"], ticket["city"]) if part
            ),
            "manual_code": ticket["manual_code"],
            "ticket_url": f"{link}?lang={language}",
            "pdf_url": f"{link}/pdf",
        },
    )


_RENDERERS: dict[str, Callable[[Mapping[str, Any], str], Awaitable[RenderedEmail]]] = {
    RULE_TICKET_ISSUED: _render_ticket_issued,
}

# Attachments are references ('<kind>:<id>') rendered at send time, so the outbox never
# holds a PDF's bytes. A domain that renders documents adds its kind here.
ATTACHMENT_LOADERS: dict[str, Callable[[str], Awaitable[Attachment]]] = {}


async def _load_attachment(reference: str) -> Attachment:
    kind, _, key = reference.partition(":")
    loader = ATTACHMENT_LOADERS.get(kind)
    if loader is None:
        raise Undeliverable(f"no loader for attachments of kind {kind!r}")
    return await loader(key)


async def _rendered(row: Mapping[str, Any], base_url: str) -> RenderedEmail:
    if row["text_body"] is not None:
        return RenderedEmail(subject=row["subject_line"], text=row["text_body"], html=row["html_body"])
    renderer = _RENDERERS.get(row["rule"])
    if renderer is None:
        raise Undeliverable(f"rule {row['rule']!r} has no renderer")
    return await renderer(row, base_url)


# --- delivery ----------------------------------------------------------------------------

# Due: pending and its time has come, or claimed by a delivery that has not finished in
# STALE_CLAIM. The outer WHERE repeats the test: on PostgreSQL a row another deliverer
# claimed between our snapshot and our lock is re-checked against it, and skipped.
_CLAIM = """
UPDATE outbox SET status = 'sending', claimed_at = {}, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM outbox
    WHERE (status = 'pending' AND next_attempt_at <= {}) OR (status = 'sending' AND claimed_at <= {})
    ORDER BY next_attempt_at, id LIMIT {} LOCK
)
AND ((status = 'pending' AND next_attempt_at <= {}) OR (status = 'sending' AND claimed_at <= {}))
RETURNING *
"""


async def _claim(*, now: datetime, limit: int) -> list[dict[str, Any]]:
    stale_before = now - STALE_CLAIM
    # PostgreSQL: rows another deliverer holds are skipped rather than waited for. SQLite
    # has one writer at a time, so the statement is already atomic there.
    lock = " FOR UPDATE SKIP LOCKED" if Outbox._meta.db.engine_type == "postgres" else ""
    rows: list[dict[str, Any]] = await Outbox.raw(
        _CLAIM.replace(" LOCK\n", f"{lock}\n"), now, now, stale_before, limit, now, stale_before
    )
    return sorted(rows, key=lambda row: (row["next_attempt_at"], row["id"]))


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    return min(FIRST_RETRY * (1 << max(attempts - 1, 0)), LONGEST_RETRY)


async def _mark_sent(row: Mapping[str, Any], now: datetime) -> None:
    await Outbox.raw("UPDATE outbox SET status = 'sent', sent_at = {} WHERE id = {}", now, row["id"])


async def _mark_failed_attempt(row: Mapping[str, Any], now: datetime, error: str, *, permanent: bool) -> str:
    """Back to pending with a later attempt, or failed; the new status. Only the claim that
    made this attempt may record it (a stale claim taken over since must not overwrite)."""
    status = OutboxStatus.failed if permanent or row["attempts"] >= MAX_ATTEMPTS else OutboxStatus.pending
    await Outbox.raw(
        "UPDATE outbox SET status = {}, next_attempt_at = {}, last_error = {}"
        " WHERE id = {} AND status = 'sending' AND attempts = {}",
        status.value,
        now + retry_delay(row["attempts"]),
        error[:2000],
        row["id"],
        row["attempts"],
    )
    return status.value


async def _release(row: Mapping[str, Any], now: datetime) -> str:
    """Give back a claimed row unsent, its attempt uncounted: the pass ran out of time."""
    await Outbox.raw(
        "UPDATE outbox SET status = 'pending', attempts = attempts - 1, next_attempt_at = {}"
        " WHERE id = {} AND status = 'sending' AND attempts = {}",
        now,
        row["id"],
        row["attempts"],
    )
    return OutboxStatus.pending.value


def _describe(error: BaseException) -> str:
    if isinstance(error, SmtpUnreachable):
        return str(error)
    return f"{type(error).__name__}: {error}".strip()


def _is_permanent(error: BaseException) -> bool:
    """A 5xx about this recipient or this message. A 5xx about our login or sender is a
    configuration problem that a fix makes retryable, so it is retried."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return all(refusal.code >= 500 for refusal in error.recipients)
    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        return error.code >= 500
    return False


class _Mailer:
    """One SMTP connection for a delivery pass, opened at the first message. When the server
    cannot be reached, the rest of the pass fails fast instead of knocking once per row."""

    def __init__(self, smtp: SmtpSettings, local_hostname: str) -> None:
        self._smtp = smtp
        self._local_hostname = local_hostname
        self._client: aiosmtplib.SMTP | None = None
        self._unreachable: str | None = None

    async def send(self, message: Any) -> None:
        if self._unreachable is not None:
            raise SmtpUnreachable(self._unreachable)
        if self._client is None:
            client = aiosmtplib.SMTP(
                hostname=self._smtp.host,
                port=self._smtp.port,
                username=self._smtp.username or None,
                password=self._smtp.password or None,
                use_tls=self._smtp.tls,
                # Never an opportunistic upgrade: a relay on loopback often offers STARTTLS
                # with a certificate that would not validate.
                start_tls=self._smtp.starttls,
                timeout=SMTP_TIMEOUT_SECONDS,
                local_hostname=self._local_hostname,
            )
            try:
                await client.connect()
            except Exception as exc:
                self._unreachable = _describe(exc)
                raise SmtpUnreachable(self._unreachable) from exc
            self._client = client
        try:
            await self._client.send_message(message)
        except (aiosmtplib.SMTPResponseException, aiosmtplib.SMTPRecipientsRefused):
            raise  # the server answered: the connection is still good for the next message
        except BaseException:
            self._client.close()
            self._client = None
            raise

    async def close(self) -> None:
        if self._client is not None:
            try:
                await self._client.quit()
            except aiosmtplib.SMTPException:
                self._client.close()
            self._client = None


def _message_id(row: Mapping[str, Any], sender: str) -> str:
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{row['id']}.{int(row['created_at'].timestamp())}@{domain}>"


async def _deliver_one(
    row: Mapping[str, Any], mailer: _Mailer, *, now: datetime, smtp: SmtpSettings, base_url: str
) -> str:
    if row["attempts"] > MAX_ATTEMPTS:
        # Claimed again after a delivery died during the last attempt.
        return await _mark_failed_attempt(row, now, "gave up: delivery stopped during the last attempt", permanent=True)
    try:
        email = await _rendered(row, base_url)
        attachments = (await _load_attachment(row["attachment"]),) if row["attachment"] else ()
        message = build_message(
            sender=smtp.sender,
            recipient=row["recipient"],
            language=row["language"],
            subject=email.subject,
            text=email.text,
            html=email.html,
            message_id=_message_id(row, smtp.sender),
            sent_at=now,
            attachments=attachments,
        )
    except Undeliverable as exc:
        return await _mark_failed_attempt(row, now, f"Undeliverable: {exc}", permanent=True)
    except Exception as exc:
        logger.exception("could not prepare outbox message %s", row["id"])
        return await _mark_failed_attempt(row, now, _describe(exc), permanent=False)
    try:
        await mailer.send(message)
    except Exception as exc:
        status = await _mark_failed_attempt(row, now, _describe(exc), permanent=_is_permanent(exc))
        logger.warning("outbox message %s not sent (%s, attempt %s): %s", row["id"], status, row["attempts"], exc)
        return status
    await _mark_sent(row, now)
    return OutboxStatus.sent.value


async def deliver_due(
    *, now: datetime, smtp: SmtpSettings, base_url: str, limit: int = DEFAULT_BATCH
) -> DeliveryReport:
    """Claim up to ``limit`` due messages, send them over one SMTP connection, and record
    each outcome. At-least-once (see the module's docstring)."""
    rows = await _claim(now=now, limit=limit)
    if not rows:
        return DeliveryReport()
    outcomes: list[str] = []
    mailer = _Mailer(smtp, local_hostname=urlsplit(base_url).hostname or "localhost")
    started = time.monotonic()
    try:
        for row in rows:
            if time.monotonic() - started > PASS_BUDGET_SECONDS:
                outcomes.append(await _release(row, now))
                continue
            outcomes.append(await _deliver_one(row, mailer, now=now, smtp=smtp, base_url=base_url))
    finally:
        await mailer.close()
    report = DeliveryReport(
        claimed=len(rows),
        sent=outcomes.count(OutboxStatus.sent.value),
        retried=outcomes.count(OutboxStatus.pending.value),
        failed=outcomes.count(OutboxStatus.failed.value),
    )
    logger.info("mail delivery: %s", report)
    return report


async def retry_failed(*, now: datetime) -> int:
    """Give every failed message a fresh set of attempts (after fixing what made them fail);
    how many. Sent messages are never touched."""
    rows = await Outbox.raw(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = {} WHERE status = 'failed' RETURNING id",
        now,
    )
    return len(rows)
