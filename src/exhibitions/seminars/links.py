"""Signed speaker links: one per person, to read their sessions and answer the invitation.

A pure module: a key and values in, a token or a refusal out; no database, no clock (the
caller passes ``today``).

A link is a bearer credential that a speaker without an account keeps in an e-mail, so it
is short, opaque and tamper-proof rather than secret-by-database: nothing is stored per link
but the person's link *version*, which the organizer bumps to revoke every link issued
before (the service compares it). Format, version 1::

    "sp1" + base64url( payload || HMAC-SHA256(key, payload)[:16] )

    payload, 12 bytes, big-endian:
      person id      4 bytes
      exhibition id  4 bytes
      expires on     2 bytes  days since 2020-01-01 (the exhibition's last day + 30 days)
      version        2 bytes  the person's link version when it was issued

28 bytes, 38 characters with the prefix: it fits on one line of an e-mail and in a URL
path without escaping. A 128-bit tag is plenty against forgery (no attacker gets an oracle
beyond trying links one request at a time), and the key is derived from
``EXHIBITIONS_SECRET_KEY`` with HKDF under its own label, so it signs nothing else.
"""

from __future__ import annotations

import base64
import hmac
import re
import struct
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from hashlib import sha256

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "sp1"
EPOCH = date(2020, 1, 1)
VALID_AFTER_LAST_DAY = timedelta(days=30)
_PAYLOAD = struct.Struct(">IIHH")
TAG_SIZE = 16
_INFO = b"exhibitions speaker links v1"
# base64url without padding of 28 bytes: 38 characters, plus the prefix.
TOKEN_LENGTH = len(PREFIX) + 38
_TOKEN = re.compile(rf"^{PREFIX}[A-Za-z0-9_-]{{38}}$")


@dataclass(frozen=True)
class SpeakerLink:
    person_id: int
    exhibition_id: int
    expires_on: date  # the last day the link opens
    version: int


class LinkProblem(str, Enum):
    """Why a link does not open; the page says each in the reader's language."""

    forged = "forged"  # malformed, or its signature does not match: 403
    expired = "expired"  # past its last day: 410
    revoked = "revoked"  # the organizer issued a newer link, or the person is gone: 410


class LinkRefused(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def link_key(secret_key: str) -> bytes:
    """The HMAC key of speaker links, derived from the application's secret key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode("utf-8"))


def expiry_for(last_day: date) -> date:
    return last_day + VALID_AFTER_LAST_DAY


def _tag(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, sha256).digest()[:TAG_SIZE]


def sign_link(link: SpeakerLink, key: bytes) -> str:
    offset = (link.expires_on - EPOCH).days
    if not 0 <= offset <= 0xFFFF:
        raise ValueError(f"expires_on must fall between {EPOCH} and {EPOCH + timedelta(days=0xFFFF)}")
    if not 1 <= link.version <= 0xFFFF:
        raise ValueError("version must be 1 to 65535")
    payload = _PAYLOAD.pack(link.person_id, link.exhibition_id, offset, link.version)
    return PREFIX + base64.urlsafe_b64encode(payload + _tag(key, payload)).decode("ascii").rstrip("=")


def read_link(token: str, key: bytes, *, today: date) -> SpeakerLink:
    """The link ``token`` carries, once its signature and date are checked. Whether its
    version is still the person's is the caller's to check (it lives in the database)."""
    if not _TOKEN.match(token):
        raise LinkRefused(LinkProblem.forged)
    body = token[len(PREFIX) :]
    # 38 characters of the alphabet always decode to 28 bytes; the last one has 4 spare bits,
    # so only the canonical spelling is taken (one link, one address).
    raw = base64.urlsafe_b64decode(body + "==")
    if base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != body:
        raise LinkRefused(LinkProblem.forged)
    payload, tag = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
    if len(tag) != TAG_SIZE or not hmac.compare_digest(tag, _tag(key, payload)):
        raise LinkRefused(LinkProblem.forged)
    person_id, exhibition_id, offset, version = _PAYLOAD.unpack(payload)
    link = SpeakerLink(person_id, exhibition_id, EPOCH + timedelta(days=offset), version)
    if today > link.expires_on:
        raise LinkRefused(LinkProblem.expired)
    return link
