"""Who may enter an area of the site or API (may-do-this-to-that lives in ``permissions``).

Pages authenticate with a session cookie; the API only with ``Authorization: Bearer``,
so that a browser's cookie can never be used to write through the API (no CSRF there).
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.services import actor_from_secret
from exhibitions.accounts.tables import RoleName, TokenKind
from exhibitions.cache import TTLCache
from exhibitions.clock import utcnow
from exhibitions.errors import NotAuthenticated, PermissionDenied

SESSION_COOKIE = "exhibitions_session"
API_PREFIX = "/api/"
# OpenAPI security requirement of the routes that need a token.
BEARER_SECURITY: list[dict[str, list[str]]] = [{"BearerToken": []}]
# Ids are 32-bit SERIALs on PostgreSQL: a larger id in a path is a 422, not a database error.
MAX_ID = 2_147_483_647
# Deep enough for any real list; keeps OFFSET far from integer overflow on both engines.
MAX_PAGE = 100_000
# Route ``opt`` key: the route's service checks, inside its own transaction, that the
# device token is still live (check-in). There a device this process authenticated a few
# seconds ago is taken without the token query, which is most of a scan's database time;
# a token revoked meanwhile is still refused, and changes nothing. Such a route needs a
# login: the middleware refuses it without a token (as ``requires_login`` would).
RECHECKS_DEVICE_TOKEN = "rechecks_device_token"  # noqa: S105 (an opt key, not a secret)
_recent_devices: TTLCache[str, Actor] = TTLCache(5.0)


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        if connection.scope["path"].startswith(API_PREFIX):
            header = connection.headers.get("authorization")
            rechecked = connection.route_handler.opt.get(RECHECKS_DEVICE_TOKEN, False)
            if not header:
                if rechecked:
                    # Such a route needs a login and has no guard: Litestar copies the
                    # route handler for every guard call, 6 % of a check-in.
                    raise NotAuthenticated("log in first")
                return AuthenticationResult(user=None, auth=None)
            scheme, _, secret = header.partition(" ")
            secret = secret.strip()
            if scheme.lower() != "bearer" or not secret:
                raise NotAuthenticated("send the token as 'Authorization: Bearer <token>'")
            if rechecked and (actor := _recent_devices.get(secret)) is not None:
                return AuthenticationResult(user=actor, auth="bearer")
            actor = await actor_from_secret(
                secret, now=utcnow(), kinds=frozenset({TokenKind.personal, TokenKind.device})
            )
            if actor is None:
                raise NotAuthenticated("the token is unknown, expired or revoked")
            if rechecked and actor.device_exhibition_id is not None:
                _recent_devices.put(secret, actor)
            return AuthenticationResult(user=actor, auth="bearer")
        cookie = connection.cookies.get(SESSION_COOKIE)
        if not cookie:
            return AuthenticationResult(user=None, auth=None)
        # A dead session cookie is not an error: the visitor simply browses anonymously.
        actor = await actor_from_secret(cookie, now=utcnow(), kinds=frozenset({TokenKind.session}))
        return AuthenticationResult(user=actor, auth="session" if actor else None)


def current_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    user = connection.scope.get("user")
    return user if isinstance(user, Actor) else None


# Guards are coroutines: Litestar runs a plain function guard in a worker thread, a hop
# that cost about 5 % of a check-in.
async def requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if current_actor(connection) is None:
        raise NotAuthenticated("log in first")


async def requires_staff(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """The organizers' area: anyone holding an organizer or reviewer role somewhere."""
    actor = current_actor(connection)
    if actor is None:
        raise NotAuthenticated("log in first")
    if not (actor.has_role_anywhere(RoleName.organizer) or actor.has_role_anywhere(RoleName.reviewer)):
        raise PermissionDenied("this area is for organizers")
