"""Log in and log out with a session cookie."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from exhibitions.accounts import services
from exhibitions.accounts.guards import SESSION_COOKIE
from exhibitions.accounts.tables import TokenKind
from exhibitions.clock import utcnow
from exhibitions.errors import FieldError, InvalidInput, NotAuthenticated
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.forms import errors_by_field


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/organize/"


class LoginPagesController(Controller):
    include_in_schema = False

    @get("/login")
    async def login_form(self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None) -> Template:
        return page(request, "accounts/login.html", values={"email": ""}, errors={}, next=_safe_next(next))

    @post("/login")
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        now = utcnow()
        email, password = data.get("email", "").strip(), data.get("password", "")
        target = _safe_next(data.get("next"))
        errors: list[FieldError] = []
        if not email:
            errors.append(FieldError("email", "required", "is required"))
        if not password:
            errors.append(FieldError("password", "required", "is required"))
        if not errors:
            try:
                actor = await services.authenticate_password(email=email, password=password, now=now)
            except (NotAuthenticated, InvalidInput):
                errors.append(FieldError("form", "login_failed", "the e-mail or the password is wrong"))
            else:
                settings = settings_of(request)
                lifetime = timedelta(hours=settings.session_hours)
                _, secret = await services.issue_token(
                    user_id=actor.user_id, kind=TokenKind.session, name="web", now=now, lifetime=lifetime
                )
                cookie = Cookie(
                    key=SESSION_COOKIE,
                    value=secret,
                    max_age=int(lifetime.total_seconds()),
                    httponly=True,
                    samesite="lax",
                    secure=settings.is_production,
                    path="/",
                )
                return Redirect(path=target, cookies=[cookie])
        return page(
            request,
            "accounts/login.html",
            status_code=422,
            values={"email": email},
            errors=errors_by_field(errors, translator_for(request)),
            next=target,
        )

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            await services.revoke_secret(secret=secret, now=utcnow())
        return Redirect(path="/", cookies=[Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/", httponly=True)])
