"""Sign up, log in and log out with a session cookie."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from exhibitions.accounts import services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.guards import SESSION_COOKIE
from exhibitions.accounts.tables import RoleName, TokenKind
from exhibitions.clock import utcnow
from exhibitions.errors import DuplicateValue, FieldError, InvalidInput, NotAuthenticated
from exhibitions.settings import LANGUAGES
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.forms import errors_by_field
from exhibitions.web.i18n import LANGUAGE_NAMES


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host. Empty when none was
    asked for: then the landing page depends on who logs in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""


def _landing(actor: Actor) -> str:
    """Organizers and reviewers land on their dashboard, exhibitors on their portal."""
    staff = actor.has_role_anywhere(RoleName.organizer) or actor.has_role_anywhere(RoleName.reviewer)
    return "/organize/" if staff else "/portal/"


async def _session_cookie(request: Request[Any, Any, Any], user_id: int, now: datetime) -> Cookie:
    """A new web session for this user, as the cookie that carries it."""
    settings = settings_of(request)
    lifetime = timedelta(hours=settings.session_hours)
    _, secret = await services.issue_token(
        user_id=user_id, kind=TokenKind.session, name="web", now=now, lifetime=lifetime
    )
    return Cookie(
        key=SESSION_COOKIE,
        value=secret,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.is_production,
        path="/",
    )


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
                cookie = await _session_cookie(request, actor.user_id, now)
                return Redirect(path=target or _landing(actor), cookies=[cookie])
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


class SignupPagesController(Controller):
    """An account for an exhibitor: anyone may open one, then register their organization."""

    include_in_schema = False

    def _form(
        self, request: Request[Any, Any, Any], values: dict[str, str], errors: dict[str, str], status_code: int = 200
    ) -> Template:
        return page(
            request,
            "accounts/signup.html",
            status_code=status_code,
            values=values,
            errors=errors,
            languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        )

    @get("/signup")
    async def signup_form(self, request: Request[Any, Any, Any]) -> Template:
        values = {"email": "", "display_name": "", "preferred_language": translator_for(request).language}
        return self._form(request, values, {})

    @post("/signup")
    async def signup(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        now = utcnow()
        values = {
            "email": data.get("email", "").strip(),
            "display_name": data.get("display_name", "").strip()[:200],
            "preferred_language": data.get("preferred_language", "") or translator_for(request).language,
        }
        password = data.get("password", "")
        errors: list[FieldError] = [
            FieldError(name, "required", "is required")
            for name, value in (("email", values["email"]), ("password", password))
            if not value
        ]
        if not errors:
            try:
                user_id = await services.create_user(
                    email=values["email"], password=password, now=now, display_name=values["display_name"],
                    preferred_language=values["preferred_language"],
                )  # fmt: skip
            except DuplicateValue:
                # Say only what the person needs: this address has an account, log in with it.
                errors.append(FieldError("email", "email_taken", "is already registered"))
            except InvalidInput as exc:
                errors.extend(exc.errors)
            else:
                cookie = await _session_cookie(request, user_id, now)
                return Redirect(path="/portal/", cookies=[cookie])
        translator = translator_for(request)
        messages = errors_by_field(errors, translator)
        if any(error.code == "email_taken" for error in errors):
            messages["email"] = translator.gettext("An account with this e-mail already exists: log in instead.")
        return self._form(request, values, messages, status_code=422)
