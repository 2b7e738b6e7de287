"""Users, their roles per exhibition, and hashed access tokens (web sessions, personal and
device tokens share one table so that one lookup authenticates every face)."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Boolean, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.events.tables import Exhibition


class RoleName(str, Enum):
    organizer = "organizer"
    reviewer = "reviewer"
    gate_staff = "gate_staff"


class TokenKind(str, Enum):
    session = "session"
    personal = "personal"
    device = "device"


class User(Table, tablename="app_user"):
    id = Serial(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive in effect.
    email = Varchar(length=254, unique=True)
    password_hash = Text()
    display_name = Varchar(length=200, default="")
    preferred_language = Varchar(length=2, default="fr")
    is_active = Boolean(default=True)
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)


class Role(Table, tablename="role_grant"):
    """A role on one exhibition, or on every exhibition when ``exhibition`` is null."""

    id = Serial(primary_key=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade)
    exhibition = ForeignKey(Exhibition, null=True, default=None, on_delete=OnDelete.cascade)
    role = Varchar(length=20, choices=RoleName)
    granted_at = Timestamptz()


class AccessToken(Table, tablename="access_token"):
    id = Serial(primary_key=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=10, choices=TokenKind)
    name = Varchar(length=100, default="")
    # SHA-256 of the secret: tokens are 256-bit random, so a slow hash adds nothing.
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    expires_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    # A scanner device's token works only for this exhibition's check-ins.
    exhibition = ForeignKey(Exhibition, null=True, default=None, on_delete=OnDelete.cascade)
