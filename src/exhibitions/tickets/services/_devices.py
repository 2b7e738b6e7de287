"""Scanner devices: enrolment by a QR code the organizer shows, the list, revocation.

A device is an access token of kind ``device`` scoped to one exhibition (see
accounts/tables.py). The QR code carries a one-time enrolment secret, not the token, so a
photo of the organizer's screen is useless once a phone has enrolled or the secret expired.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.services import issue_token
from exhibitions.accounts.tables import AccessToken, TokenKind
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.text import control_character_errors
from exhibitions.tickets.services._checkin import _managed_exhibition
from exhibitions.tickets.tables import DeviceEnrolment

ENROLMENT_LIFETIME = timedelta(minutes=10)
# Longer than a secret we issue, short enough to refuse junk before hashing it.
MAX_SECRET_LENGTH = 64


@dataclass(frozen=True)
class EnrolmentOffer:
    id: int
    name: str
    secret: str
    expires_at: datetime


@dataclass(frozen=True)
class EnrolledDevice:
    id: int
    name: str
    token: str
    exhibition_slug: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _device_name(name: str) -> str:
    if errors := control_character_errors({"name": name}):
        raise InvalidInput(errors)
    if not name.strip():
        raise InvalidInput.single("name", "required", "must not be blank")
    if len(name.strip()) > 100:
        raise InvalidInput.single("name", "text_too_long", "must be at most 100 characters")
    return name.strip()


async def offer_device_enrolment(*, slug: str, name: str, actor: Actor | None, now: datetime) -> EnrolmentOffer:
    """A one-time secret for the QR code that turns a phone into this exhibition's scanner."""
    exhibition = await _managed_exhibition(slug, actor)
    assert actor is not None
    clean_name = _device_name(name)
    secret = secrets.token_urlsafe(24)
    rows = await DeviceEnrolment.raw(
        "INSERT INTO device_enrolment (exhibition, name, secret_hash, created_by, created_at, expires_at)"
        " VALUES ({}, {}, {}, {}, {}, {}) RETURNING id",
        exhibition["id"], clean_name, _hash(secret), actor.user_id, now, now + ENROLMENT_LIFETIME,
    )  # fmt: skip
    return EnrolmentOffer(id=rows[0]["id"], name=clean_name, secret=secret, expires_at=now + ENROLMENT_LIFETIME)


async def complete_device_enrolment(*, secret: str, now: datetime) -> EnrolledDevice:
    """Exchange an enrolment secret for a device token, once: a second phone scanning the
    same QR code, or a scan after it expired, gets a clear refusal."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        raise InvalidInput.single("secret", "invalid", "is not an enrolment code")
    async with write_transaction(DeviceEnrolment._meta.db):
        claimed = await DeviceEnrolment.raw(
            "UPDATE device_enrolment SET used_at = {} WHERE secret_hash = {} AND used_at IS NULL AND expires_at > {}"
            " RETURNING id, exhibition, name, created_by",
            now, _hash(secret), now,
        )  # fmt: skip
        if not claimed:
            raise Conflict(
                "this enrolment code was already used or has expired; ask for a new one",
                errors=[FieldError("secret", "used_or_expired", "was already used or has expired")],
            )
        offer = claimed[0]
        token_id, token = await issue_token(
            user_id=offer["created_by"], kind=TokenKind.device, name=offer["name"], now=now,
            exhibition_id=offer["exhibition"],
        )  # fmt: skip
        await DeviceEnrolment.raw("UPDATE device_enrolment SET device = {} WHERE id = {}", token_id, offer["id"])
        slug_rows = await DeviceEnrolment.raw("SELECT slug FROM exhibition WHERE id = {}", offer["exhibition"])
    return EnrolledDevice(id=token_id, name=offer["name"], token=token, exhibition_slug=slug_rows[0]["slug"])


async def list_devices(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    """This exhibition's scanner devices, newest first, with their scan count and last scan."""
    exhibition = await _managed_exhibition(slug, actor)
    rows = await AccessToken.raw(
        "SELECT t.id, t.name, t.created_at, t.last_used_at, t.revoked_at,"
        " (SELECT COUNT(*) FROM scan s WHERE s.device = t.id) AS scans,"
        " (SELECT MAX(s.received_at) FROM scan s WHERE s.device = t.id) AS last_scan_at"
        " FROM access_token t WHERE t.exhibition = {} AND t.kind = 'device' ORDER BY t.id DESC",
        exhibition["id"],
    )
    for row in rows:
        # An aggregate loses the column's type: SQLite hands back the stored text.
        if isinstance(row["last_scan_at"], str):
            row["last_scan_at"] = datetime.fromisoformat(row["last_scan_at"])
    return rows  # type: ignore[no-any-return]


async def revoke_device(*, slug: str, device_id: int, actor: Actor | None, now: datetime) -> None:
    """The device's token stops working at once; revoking twice changes nothing."""
    exhibition = await _managed_exhibition(slug, actor)
    found = await AccessToken.raw(
        "SELECT id FROM access_token WHERE id = {} AND exhibition = {} AND kind = 'device'",
        device_id,
        exhibition["id"],
    )
    if not found:
        raise NotFound(f"no scanner device {device_id} for this exhibition")
    await AccessToken.raw(
        "UPDATE access_token SET revoked_at = {} WHERE id = {} AND revoked_at IS NULL RETURNING id", now, device_id
    )
