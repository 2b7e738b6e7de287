"""Personal API tokens: exchange an e-mail and password for a token, list and revoke them."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import JSONBody, PathParameter

from exhibitions.accounts import queries, services
from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, current_actor, requires_login
from exhibitions.accounts.schemas import Me, TokenCreate, TokenCreated, TokenInfo
from exhibitions.accounts.tables import TokenKind
from exhibitions.clock import utcnow


class TokenApiController(Controller):
    path = "/api/v1/auth"
    tags = ["authentication"]

    @post("/tokens", summary="Create a personal token", description="The token is shown once; store it.")
    async def create_token(self, data: JSONBody[TokenCreate]) -> Response[TokenCreated]:
        now = utcnow()
        actor = await services.authenticate_password(email=data.email, password=data.password, now=now)
        token_id, secret = await services.issue_token(
            user_id=actor.user_id, kind=TokenKind.personal, name=data.name, now=now
        )
        return Response(TokenCreated(id=token_id, name=data.name, token=secret), status_code=201)

    @get("/tokens", guards=[requires_login], security=BEARER_SECURITY, summary="Your personal and device tokens")
    async def list_tokens(self, request: Request[Any, Any, Any]) -> list[TokenInfo]:
        actor = current_actor(request)
        assert actor is not None
        return [TokenInfo(**row) for row in await queries.list_tokens(actor.user_id)]

    @delete("/tokens/{token_id:int}", guards=[requires_login], security=BEARER_SECURITY, summary="Revoke a token")
    async def revoke_token(
        self, request: Request[Any, Any, Any], token_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)]
    ) -> None:
        actor = current_actor(request)
        assert actor is not None
        await services.revoke_token(token_id=token_id, actor=actor, now=utcnow())

    @get("/me", guards=[requires_login], security=BEARER_SECURITY, summary="Who the token belongs to")
    async def me(self, request: Request[Any, Any, Any]) -> Me:
        actor = current_actor(request)
        assert actor is not None
        return Me(
            id=actor.user_id,
            email=actor.email,
            display_name=actor.display_name,
            preferred_language=actor.preferred_language,
            roles=[{"exhibition_id": exhibition, "role": role} for exhibition, role in sorted(actor.roles, key=str)],
        )
