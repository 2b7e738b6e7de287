"""Sending the outbox: claim due rows, send them over a few SMTP connections, record each outcome."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

import aiosmtplib

from exhibitions.notifications.emails import build_message, envelope, wire_bytes
from exhibitions.notifications.services._rendering import Undeliverable, load_attachment, rendered_message
from exhibitions.notifications.tables import Outbox, OutboxStatus
from exhibitions.settings import SmtpSettings

logger = logging.getLogger("exhibitions.notifications")

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# A claim this old belongs to a delivery that died (a killed process): its rows are due again.
# The default of EXHIBITIONS_MAIL_CLAIM_TIMEOUT (Settings.mail_claim_timeout).
STALE_CLAIM = timedelta(minutes=10)
# A pass stops well before its claim goes stale (at most this long, at most half the claim
# timeout), so that a slow server never lets another deliverer reclaim rows still being sent.
PASS_BUDGET_SECONDS = 300.0
SMTP_TIMEOUT_SECONDS = 30.0
DEFAULT_BATCH = 100
# A pass sends over this many SMTP connections at once: each message costs four round
# trips to the server (MAIL, RCPT, DATA, the data), and while one connection waits for an
# answer another builds its next message. Relays commonly allow 10 connections per client.
SMTP_CONNECTIONS = 4
# Accepted messages are marked sent this many at a time (one UPDATE … WHERE id IN (…)):
# a commit per message was the largest cost on PostgreSQL. The price: a crash re-sends up
# to this many accepted-but-unmarked messages per connection (with their Message-ID).
MARK_SENT_EVERY = 10
# A connection costs its own handshake (connect, EHLO, QUIT): a small batch goes over one,
# and a second opens for every this many messages, up to SMTP_CONNECTIONS.
MESSAGES_PER_CONNECTION = 25


class SmtpUnreachable(ConnectionError):
    """The connection to the server failed; every message of the pass records the same reason."""


@dataclass(frozen=True)
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


# Due: pending and its time has come, or claimed by a delivery that has not finished in
# its claim timeout. The outer WHERE repeats the test: on PostgreSQL a row another
# deliverer claimed between our snapshot and our lock is re-checked against it, and skipped.
_CLAIM = {
    # PostgreSQL: rows another deliverer holds are skipped rather than waited for. The pick
    # is an ARRAY(...) sub-query, run once: as ``id IN (SELECT … LIMIT n FOR UPDATE SKIP
    # LOCKED)`` the planner may run it again per row, each run skipping the rows the last
    # one locked, and one pass claimed 1,000 rows with a limit of 100.
    "postgres": """
UPDATE outbox SET status = 'sending', claimed_at = {}, attempts = attempts + 1
WHERE id = ANY(ARRAY(
    SELECT id FROM outbox
    WHERE channel = {}
      AND ((status = 'pending' AND next_attempt_at <= {}) OR (status = 'sending' AND claimed_at <= {}))
    ORDER BY next_attempt_at, id LIMIT {} FOR UPDATE SKIP LOCKED
))
AND ((status = 'pending' AND next_attempt_at <= {}) OR (status = 'sending' AND claimed_at <= {}))
RETURNING *
""",
    # SQLite has one writer at a time, so the statement is already atomic there.
    "sqlite": """
UPDATE outbox SET status = 'sending', claimed_at = {}, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM outbox
    WHERE channel = {}
      AND ((status = 'pending' AND next_attempt_at <= {}) OR (status = 'sending' AND claimed_at <= {}))
    ORDER BY next_attempt_at, id LIMIT {}
)
AND ((status = 'pending' AND next_attempt_at <= {}) OR (status = 'sending' AND claimed_at <= {}))
RETURNING *
""",
}


async def claim_due(
    *, now: datetime, limit: int, claim_timeout: timedelta, channel: str = "email"
) -> list[dict[str, Any]]:
    """Up to ``limit`` due rows of ``channel`` ('email' or 'sms'), claimed for this delivery."""
    stale_before = now - claim_timeout
    statement = _CLAIM["postgres" if Outbox._meta.db.engine_type == "postgres" else "sqlite"]
    rows: list[dict[str, Any]] = await Outbox.raw(statement, now, channel, now, stale_before, limit, now, stale_before)
    return sorted(rows, key=lambda row: (row["next_attempt_at"], row["id"]))


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    return min(FIRST_RETRY * (1 << max(attempts - 1, 0)), LONGEST_RETRY)


class _SentMarks:
    """Rows the server accepted, written as sent a few at a time (``MARK_SENT_EVERY``).
    Only the claim that sent a row marks it (``attempts`` unchanged since the claim)."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._waiting: list[tuple[int, int]] = []

    async def add(self, row: Mapping[str, Any]) -> None:
        self._waiting.append((int(row["id"]), int(row["attempts"])))
        if len(self._waiting) >= MARK_SENT_EVERY:
            await self.flush()

    async def flush(self) -> None:
        waiting, self._waiting = self._waiting, []
        if not waiting:
            return
        pairs = " OR ".join(["(id = {} AND attempts = {})"] * len(waiting))
        await Outbox.raw(
            f"UPDATE outbox SET status = 'sent', sent_at = {{}} WHERE status = 'sending' AND ({pairs})",  # noqa: S608 - placeholders
            self._now,
            *[value for pair in waiting for value in pair],
        )


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

    @property
    def unreachable(self) -> str | None:
        """Why the server could not be reached in this pass, if it could not."""
        return self._unreachable

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
            sender, recipients = envelope(message)
            await self._client.sendmail(sender, recipients, wire_bytes(message))
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
    row: Mapping[str, Any], mailer: _Mailer, marks: _SentMarks, *, now: datetime, smtp: SmtpSettings, base_url: str
) -> str:
    if row["attempts"] > MAX_ATTEMPTS:
        # Claimed again after a delivery died during the last attempt.
        return await _mark_failed_attempt(row, now, "gave up: delivery stopped during the last attempt", permanent=True)
    if mailer.unreachable is not None:
        # Rendering costs the event loop more than the INSERT did: not for a server that is down.
        return await _mark_failed_attempt(row, now, mailer.unreachable, permanent=False)
    try:
        email = await rendered_message(row, base_url)
        attachments = (await load_attachment(row["attachment"]),) if row["attachment"] else ()
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
        if not isinstance(exc, SmtpUnreachable):  # said once per pass, in deliver_due
            logger.warning("outbox message %s not sent (%s, attempt %s): %s", row["id"], status, row["attempts"], exc)
        return status
    await marks.add(row)
    return OutboxStatus.sent.value


async def deliver_due(
    *,
    now: datetime,
    smtp: SmtpSettings,
    base_url: str,
    limit: int = DEFAULT_BATCH,
    claim_timeout: timedelta = STALE_CLAIM,
) -> DeliveryReport:
    """Claim up to ``limit`` due messages, send them over ``SMTP_CONNECTIONS`` connections, and record
    each outcome. At-least-once (the package docstring, exhibitions.notifications.services, says why).
    A claim older than ``claim_timeout`` is taken to belong to a delivery that died."""
    rows = await claim_due(now=now, limit=limit, claim_timeout=claim_timeout)
    budget = min(PASS_BUDGET_SECONDS, claim_timeout.total_seconds() / 2)
    if not rows:
        return DeliveryReport()
    local_hostname = urlsplit(base_url).hostname or "localhost"
    started = time.monotonic()

    async def send_over_one_connection(share: list[dict[str, Any]]) -> tuple[list[str], str | None]:
        outcomes: list[str] = []
        mailer = _Mailer(smtp, local_hostname=local_hostname)
        marks = _SentMarks(now)
        try:
            for row in share:
                if time.monotonic() - started > budget:
                    outcomes.append(await _release(row, now))
                    continue
                outcomes.append(await _deliver_one(row, mailer, marks, now=now, smtp=smtp, base_url=base_url))
        finally:
            await marks.flush()
            await mailer.close()
        return outcomes, mailer.unreachable

    # Rows dealt round-robin, so that each connection sends the oldest of what remains.
    connections = min(SMTP_CONNECTIONS, -(-len(rows) // MESSAGES_PER_CONNECTION))
    lanes = await asyncio.gather(*(send_over_one_connection(rows[lane::connections]) for lane in range(connections)))
    outcomes = [outcome for lane_outcomes, _ in lanes for outcome in lane_outcomes]
    unreachable = next((reason for _, reason in lanes if reason is not None), None)
    report = DeliveryReport(
        claimed=len(rows),
        sent=outcomes.count(OutboxStatus.sent.value),
        retried=outcomes.count(OutboxStatus.pending.value),
        failed=outcomes.count(OutboxStatus.failed.value),
    )
    if unreachable is not None:
        logger.warning("mail server unreachable, %s message(s) to retry: %s", report.retried, unreachable)
    logger.info("mail delivery: %s", report)
    return report
