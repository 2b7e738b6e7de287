"""What every page needs: its language, the translator, the signed-in actor, and links
to the same page in the other languages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Template

from exhibitions.accounts.guards import current_actor
from exhibitions.settings import LANGUAGES, Settings
from exhibitions.web.i18n import LANGUAGE_NAMES, Translator, choose_language

LANGUAGE_COOKIE = "lang"


def settings_of(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def translator_for(request: Request[Any, Any, Any], *, preferred: str | None = None) -> Translator:
    """The page's language; ``preferred`` (a ticket holder's language, say) comes before the
    browser's but after an explicit choice."""
    cached = request.scope.get("state", {}).get("translator")
    if isinstance(cached, Translator):
        return cached
    language = choose_language(
        query=request.query_params.get("lang"),
        cookie=request.cookies.get(LANGUAGE_COOKIE),
        accept_language=preferred or request.headers.get("accept-language"),
        default=settings_of(request).default_language,
    )
    translator = Translator(language)
    request.state.translator = translator
    return translator


def language_links(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    params = {key: value for key, value in request.query_params.items() if key != "lang"}
    links = []
    for language in LANGUAGES:
        query = urlencode({**params, "lang": language})
        links.append({"code": language, "name": LANGUAGE_NAMES[language], "url": f"{request.url.path}?{query}"})
    return links


def base_context(request: Request[Any, Any, Any], *, preferred_language: str | None = None) -> dict[str, Any]:
    translator = translator_for(request, preferred=preferred_language)
    return {
        "t": translator,
        "lang": translator.language,
        "dir": translator.direction,
        "_": translator.gettext,
        "gettext": translator.gettext,
        "ngettext": translator.ngettext,
        "actor": current_actor(request),
        "language_links": language_links(request),
        "current_path": request.url.path,
    }


def page(
    request: Request[Any, Any, Any],
    template_name: str,
    *,
    status_code: int = 200,
    preferred_language: str | None = None,
    **context: Any,
) -> Template:
    """Render a page; a ``?lang=`` choice is remembered for the next pages.
    ``preferred_language`` (a ticket holder's, say) comes before the browser's."""
    full_context = {**base_context(request, preferred_language=preferred_language), **context}
    cookies = []
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES and chosen != request.cookies.get(LANGUAGE_COOKIE):
        cookies.append(Cookie(key=LANGUAGE_COOKIE, value=chosen, max_age=365 * 24 * 3600, samesite="lax"))
    return Template(template_name=template_name, context=full_context, status_code=status_code, cookies=cookies)
