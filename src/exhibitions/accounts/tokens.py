"""Opaque bearer secrets: 256 random bits, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from exhibitions.accounts.tables import TokenKind

_PREFIX = {TokenKind.session: "exs", TokenKind.personal: "exp", TokenKind.device: "exd"}


def new_secret(kind: TokenKind) -> str:
    # The prefix lets secret scanners and people tell what leaked.
    return f"{_PREFIX[kind]}_{secrets.token_urlsafe(32)}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
