from __future__ import annotations

from datetime import datetime
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import AccessToken, Role, User
from exhibitions.db import fetch
from exhibitions.errors import NotFound


async def find_user_by_email(email: str) -> dict[str, Any] | None:
    return await User.select().where(User.email == email.strip().lower()).first()  # type: ignore[no-any-return]


async def get_user(user_id: int) -> dict[str, Any]:
    row = await User.select().where(User.id == user_id).first()
    if row is None:
        raise NotFound(f"no user {user_id}")
    return row  # type: ignore[no-any-return]


async def list_roles(user_id: int) -> frozenset[tuple[int | None, str]]:
    rows = await Role.select(Role.exhibition, Role.role).where(Role.user == user_id)
    return frozenset((row["exhibition"], row["role"]) for row in rows)


async def actor_for_user(
    user: dict[str, Any],
    *,
    token_id: int | None = None,
    token_kind: str | None = None,
    device_exhibition_id: int | None = None,
) -> Actor:
    # A scanner device acts for its exhibition's gates only: none of its owner's roles.
    roles = frozenset() if device_exhibition_id is not None else await list_roles(user["id"])
    return Actor(
        user_id=user["id"],
        email=user["email"],
        display_name=user["display_name"],
        preferred_language=user["preferred_language"],
        roles=roles,
        token_id=token_id,
        token_kind=token_kind,
        device_exhibition_id=device_exhibition_id,
    )


# Every authenticated request runs this: hand-written SQL straight to the driver, a
# fraction of the query builder's cost (and of ``raw``'s).
_LIVE_ACCESS_QUERY = """
SELECT t.id, t.kind, t.expires_at, t.last_used_at, t.exhibition,
       u.id AS "user.id", u.email AS "user.email", u.display_name AS "user.display_name",
       u.preferred_language AS "user.preferred_language"
FROM access_token t JOIN app_user u ON u.id = t."user"
WHERE t.token_hash = {} AND t.revoked_at IS NULL AND u.is_active = {}
"""


async def find_live_token(token_hash: str, *, now: datetime) -> dict[str, Any] | None:
    """The token row joined with its user, if the token is unrevoked, unexpired and its user active."""
    rows = await fetch(AccessToken._meta.db, _LIVE_ACCESS_QUERY, token_hash, True)
    if not rows:
        return None
    row: dict[str, Any] = dict(rows[0])
    if row["expires_at"] is not None and row["expires_at"] <= now:
        return None
    return row


async def list_tokens(user_id: int) -> list[dict[str, Any]]:
    return await (  # type: ignore[no-any-return]
        AccessToken.select(
            AccessToken.id,
            AccessToken.kind,
            AccessToken.name,
            AccessToken.created_at,
            AccessToken.expires_at,
            AccessToken.last_used_at,
            AccessToken.revoked_at,
        )
        .where((AccessToken.user == user_id) & (AccessToken.kind != "session"))
        .order_by(AccessToken.id)
    )
