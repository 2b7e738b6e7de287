"""Accounts: users, passwords, roles and tokens. The one way in for pages, API and CLI."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from exhibitions.accounts import queries
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import AccessToken, Role, RoleName, TokenKind, User
from exhibitions.accounts.tokens import hash_secret, new_secret
from exhibitions.errors import DuplicateValue, FieldError, InvalidInput, NotAuthenticated, NotFound
from exhibitions.settings import LANGUAGES
from exhibitions.text import control_character_errors

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong
    password. Made at the first login, not at import: hashing takes a noticeable part of a second."""
    return _hasher.hash("not-a-real-password")


def normalize_email(email: str) -> str:
    value = email.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise InvalidInput.single("email", "invalid_email", "must be an e-mail address like name@example.ma")
    return value


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput.single(
            "password", "password_too_short", f"must be at least {MIN_PASSWORD_LENGTH} characters"
        )


async def create_user(
    *,
    email: str,
    password: str,
    now: datetime,
    display_name: str = "",
    preferred_language: str = "fr",
) -> int:
    email = normalize_email(email)
    _check_password(password)
    if errors := control_character_errors({"display_name": display_name}):
        raise InvalidInput(errors)
    if preferred_language not in LANGUAGES:
        raise InvalidInput.single("preferred_language", "invalid_choice", f"must be one of {', '.join(LANGUAGES)}")
    rows = await (
        User.insert(
            User(
                email=email,
                password_hash=_hasher.hash(password),
                display_name=display_name.strip(),
                preferred_language=preferred_language,
                created_at=now,
            )
        )
        .on_conflict(action="DO NOTHING")
        .returning(User.id)
    )
    if not rows:
        raise DuplicateValue(
            f"a user with e-mail {email} already exists",
            errors=[FieldError("email", "duplicate", "is already registered")],
        )
    return int(rows[0]["id"])


async def grant_role(*, user_id: int, role: RoleName, now: datetime, exhibition_id: int | None = None) -> bool:
    """Grant a role; True if it is new. The unique index makes a repeated grant a no-op."""
    rows = await (
        Role.insert(Role(user=user_id, exhibition=exhibition_id, role=role.value, granted_at=now))
        .on_conflict(action="DO NOTHING")
        .returning(Role.id)
    )
    return bool(rows)


async def create_organizer(*, email: str, password: str, now: datetime, display_name: str = "") -> int:
    """An organizer of every exhibition: the first account of a deployment."""
    async with User._meta.db.transaction():
        user_id = await create_user(email=email, password=password, now=now, display_name=display_name)
        await grant_role(user_id=user_id, role=RoleName.organizer, now=now)
    return user_id


async def authenticate_password(*, email: str, password: str, now: datetime) -> Actor:
    try:
        email = normalize_email(email)
    except InvalidInput:
        email = ""  # no such user; still pay for a hash below, like any wrong e-mail
    user = await queries.find_user_by_email(email) if email else None
    try:
        _hasher.verify(user["password_hash"] if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated("the e-mail or the password is wrong") from None
    if user is None or not user["is_active"]:
        raise NotAuthenticated("the e-mail or the password is wrong")
    if _hasher.check_needs_rehash(user["password_hash"]):
        await User.update({User.password_hash: _hasher.hash(password)}).where(User.id == user["id"])
    await User.update({User.last_login_at: now}).where(User.id == user["id"])
    return await queries.actor_for_user(user)


async def issue_token(
    *,
    user_id: int,
    kind: TokenKind,
    now: datetime,
    name: str = "",
    lifetime: timedelta | None = None,
    exhibition_id: int | None = None,
) -> tuple[int, str]:
    """Create a token; return its id and the secret, which is never stored and never shown again."""
    if errors := control_character_errors({"name": name}):
        raise InvalidInput(errors)
    secret = new_secret(kind)
    rows = await AccessToken.insert(
        AccessToken(
            user=user_id,
            kind=kind.value,
            name=name.strip()[:100],
            token_hash=hash_secret(secret),
            created_at=now,
            expires_at=now + lifetime if lifetime else None,
            exhibition=exhibition_id,
        )
    ).returning(AccessToken.id)
    return int(rows[0]["id"]), secret


async def actor_from_secret(secret: str, *, now: datetime, kinds: frozenset[TokenKind]) -> Actor | None:
    row = await queries.find_live_token(hash_secret(secret), now=now)
    if row is None or row["kind"] not in {kind.value for kind in kinds}:
        return None
    # Recording use costs a write: do it at most every five minutes per token.
    if row["last_used_at"] is None or now - row["last_used_at"] > timedelta(minutes=5):
        await AccessToken.update({AccessToken.last_used_at: now}).where(AccessToken.id == row["id"])
    user = {key.removeprefix("user."): value for key, value in row.items() if key.startswith("user.")}
    device_exhibition = row["exhibition"] if row["kind"] == TokenKind.device.value else None
    return await queries.actor_for_user(
        user, token_id=row["id"], token_kind=row["kind"], device_exhibition_id=device_exhibition
    )


async def revoke_token(*, token_id: int, actor: Actor, now: datetime) -> None:
    """Revoke one of the actor's own tokens. Revoking twice is harmless."""
    row = await AccessToken.select(AccessToken.user).where(AccessToken.id == token_id).first()
    # Someone else's token is reported as missing: its id tells nothing about its owner.
    if row is None or row["user"] != actor.user_id:
        raise NotFound(f"no token {token_id}")
    await AccessToken.update({AccessToken.revoked_at: now}).where(
        (AccessToken.id == token_id) & AccessToken.revoked_at.is_null()
    )


async def revoke_secret(*, secret: str, now: datetime) -> None:
    """Log out: the session's secret stops working at once, on every worker."""
    await AccessToken.update({AccessToken.revoked_at: now}).where(
        (AccessToken.token_hash == hash_secret(secret)) & AccessToken.revoked_at.is_null()
    )
