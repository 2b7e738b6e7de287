"""Sending the outbox: claim due rows, send them over one SMTP connection, record each outcome."""

from __future__ import annotations

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
DEFAULT_BATCH = 50


class SmtpUnreachable(ConnectionError):
    """The connection to the server failed; every message of the pass records the same reason."""


@dataclass(frozen=True)
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


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


async def _claim(*, now: datetime, limit: int, claim_timeout: timedelta) -> list[dict[str, Any]]:
    stale_before = now - claim_timeout
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
    row: Mapping[str, Any], mailer: _Mailer, *, now: datetime, smtp: SmtpSettings, base_url: str
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
    await _mark_sent(row, now)
    return OutboxStatus.sent.value


async def deliver_due(
    *,
    now: datetime,
    smtp: SmtpSettings,
    base_url: str,
    limit: int = DEFAULT_BATCH,
    claim_timeout: timedelta = STALE_CLAIM,
) -> DeliveryReport:
    """Claim up to ``limit`` due messages, send them over one SMTP connection, and record
    each outcome. At-least-once (the package docstring, exhibitions.notifications.services, says why).
    A claim older than ``claim_timeout`` is taken to belong to a delivery that died."""
    rows = await _claim(now=now, limit=limit, claim_timeout=claim_timeout)
    budget = min(PASS_BUDGET_SECONDS, claim_timeout.total_seconds() / 2)
    if not rows:
        return DeliveryReport()
    outcomes: list[str] = []
    mailer = _Mailer(smtp, local_hostname=urlsplit(base_url).hostname or "localhost")
    started = time.monotonic()
    try:
        for row in rows:
            if time.monotonic() - started > budget:
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
    if mailer.unreachable is not None:
        logger.warning("mail server unreachable, %s message(s) to retry: %s", report.retried, mailer.unreachable)
    logger.info("mail delivery: %s", report)
    return report
