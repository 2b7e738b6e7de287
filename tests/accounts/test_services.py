from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from exhibitions.accounts import queries, services
from exhibitions.accounts.tables import AccessToken, RoleName, TokenKind, User
from exhibitions.accounts.tokens import hash_secret
from exhibitions.db import Database
from exhibitions.errors import DuplicateValue, FieldError, InvalidInput, NotAuthenticated, NotFound
from tests.conftest import NOW

ALL_KINDS = frozenset(TokenKind)


async def test_create_user_stores_a_lower_case_email_and_an_argon2_hash(database: Database) -> None:
    user_id = await services.create_user(email="  Amina@Coop.MA ", password="a-long-password", now=NOW)
    row = await User.select().where(User.id == user_id).first()
    assert row["email"] == "amina@coop.ma"
    assert row["password_hash"].startswith("$argon2id$")
    assert "a-long-password" not in row["password_hash"]


@pytest.mark.parametrize(
    ("email", "password", "error"),
    [
        (
            "not-an-email",
            "a-long-password",
            FieldError("email", "invalid_email", "must be an e-mail address like name@example.ma"),
        ),
        ("a@b.ma", "short", FieldError("password", "password_too_short", "must be at least 10 characters")),
    ],
)
async def test_create_user_names_the_bad_field(
    database: Database, email: str, password: str, error: FieldError
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await services.create_user(email=email, password=password, now=NOW)
    assert caught.value.errors == [error]
    assert await User.count() == 0


async def test_the_same_email_twice_is_a_duplicate_even_when_racing(database: Database) -> None:
    results = await asyncio.gather(
        *(services.create_user(email="same@coop.ma", password="a-long-password", now=NOW) for _ in range(10)),
        return_exceptions=True,
    )
    assert sum(isinstance(result, int) for result in results) == 1
    duplicates = [result for result in results if isinstance(result, DuplicateValue)]
    assert len(duplicates) == 9
    assert duplicates[0].errors == [FieldError("email", "duplicate", "is already registered")]
    assert await User.count() == 1


async def test_create_organizer_grants_the_global_role_once(database: Database) -> None:
    user_id = await services.create_organizer(email="org@example.ma", password="a-long-password", now=NOW)
    assert await queries.list_roles(user_id) == frozenset({(None, "organizer")})
    assert await services.grant_role(user_id=user_id, role=RoleName.organizer, now=NOW) is False
    assert await services.grant_role(user_id=user_id, role=RoleName.reviewer, now=NOW) is True
    assert await queries.list_roles(user_id) == frozenset({(None, "organizer"), (None, "reviewer")})


async def test_a_failed_organizer_creation_leaves_no_user(database: Database) -> None:
    await services.create_organizer(email="org@example.ma", password="a-long-password", now=NOW)
    with pytest.raises(DuplicateValue):
        await services.create_organizer(email="ORG@example.ma", password="a-long-password", now=NOW)
    assert await User.count() == 1


async def test_password_authentication(database: Database) -> None:
    user_id = await services.create_user(email="a@coop.ma", password="a-long-password", now=NOW)
    actor = await services.authenticate_password(email="A@coop.ma", password="a-long-password", now=NOW)
    assert (actor.user_id, actor.email) == (user_id, "a@coop.ma")
    row = await User.select(User.last_login_at).where(User.id == user_id).first()
    assert row["last_login_at"] == NOW
    for email, password in [("a@coop.ma", "wrong-password"), ("nobody@coop.ma", "a-long-password")]:
        with pytest.raises(NotAuthenticated, match="the e-mail or the password is wrong"):
            await services.authenticate_password(email=email, password=password, now=NOW)


async def test_inactive_users_cannot_log_in(database: Database) -> None:
    user_id = await services.create_user(email="a@coop.ma", password="a-long-password", now=NOW)
    await User.update({User.is_active: False}).where(User.id == user_id)
    with pytest.raises(NotAuthenticated):
        await services.authenticate_password(email="a@coop.ma", password="a-long-password", now=NOW)


async def test_tokens_are_stored_hashed_and_resolve_to_their_actor(database: Database) -> None:
    user_id = await services.create_organizer(email="org@example.ma", password="a-long-password", now=NOW)
    token_id, secret = await services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW, name="sync")
    assert secret.startswith("exp_")
    stored = await AccessToken.select().where(AccessToken.id == token_id).first()
    assert stored["token_hash"] == hash_secret(secret)
    assert secret not in str(stored)
    actor = await services.actor_from_secret(secret, now=NOW, kinds=ALL_KINDS)
    assert actor is not None
    assert (actor.user_id, actor.token_id, actor.token_kind) == (user_id, token_id, "personal")
    assert actor.has_role(RoleName.organizer, exhibition_id=42) is True
    assert await services.actor_from_secret(secret + "x", now=NOW, kinds=ALL_KINDS) is None
    # A personal token is not a web session.
    assert await services.actor_from_secret(secret, now=NOW, kinds=frozenset({TokenKind.session})) is None


async def test_expired_and_revoked_tokens_stop_working(database: Database) -> None:
    user_id = await services.create_user(email="a@coop.ma", password="a-long-password", now=NOW)
    _, session = await services.issue_token(
        user_id=user_id, kind=TokenKind.session, now=NOW, lifetime=timedelta(hours=1)
    )
    assert await services.actor_from_secret(session, now=NOW + timedelta(minutes=59), kinds=ALL_KINDS) is not None
    assert await services.actor_from_secret(session, now=NOW + timedelta(hours=1), kinds=ALL_KINDS) is None
    token_id, personal = await services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    actor = await services.actor_from_secret(personal, now=NOW, kinds=ALL_KINDS)
    assert actor is not None
    await services.revoke_token(token_id=token_id, actor=actor, now=NOW)
    await services.revoke_token(token_id=token_id, actor=actor, now=NOW + timedelta(hours=1))
    assert await services.actor_from_secret(personal, now=NOW, kinds=ALL_KINDS) is None
    row = await AccessToken.select(AccessToken.revoked_at).where(AccessToken.id == token_id).first()
    assert row["revoked_at"] == NOW  # the second revocation did not move the date


async def test_nobody_can_revoke_someone_elses_token(database: Database) -> None:
    owner = await services.create_user(email="a@coop.ma", password="a-long-password", now=NOW)
    other = await services.create_user(email="b@coop.ma", password="a-long-password", now=NOW)
    token_id, _ = await services.issue_token(user_id=owner, kind=TokenKind.personal, now=NOW)
    _, other_secret = await services.issue_token(user_id=other, kind=TokenKind.personal, now=NOW)
    other_actor = await services.actor_from_secret(other_secret, now=NOW, kinds=ALL_KINDS)
    assert other_actor is not None
    with pytest.raises(NotFound):
        await services.revoke_token(token_id=token_id, actor=other_actor, now=NOW)
    assert await AccessToken.count().where(AccessToken.revoked_at.is_null()) == 2


async def test_use_is_recorded_at_most_every_five_minutes(database: Database) -> None:
    user_id = await services.create_user(email="a@coop.ma", password="a-long-password", now=NOW)
    token_id, secret = await services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    for minutes in (0, 3, 6):
        await services.actor_from_secret(secret, now=NOW + timedelta(minutes=minutes), kinds=ALL_KINDS)
    row = await AccessToken.select(AccessToken.last_used_at).where(AccessToken.id == token_id).first()
    assert row["last_used_at"] == NOW + timedelta(minutes=6)
