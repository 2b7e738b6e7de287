"""A speaker's page: their sessions, and an answer for each (confirm, ask for another time,
decline). Reached by the signed link of their e-mail, or from their account at /speakers/me."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, PathParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, InvalidInput, NotFound
from exhibitions.seminars.labels import RESPONSES, ROLES
from exhibitions.seminars.links import LinkProblem, LinkRefused
from exhibitions.seminars.services import _exports
from exhibitions.seminars.services import _speakers as services
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.downloads import revalidated_file
from exhibitions.web.forms import FIELD_MESSAGES
from exhibitions.web.i18n import N_, Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
ObjectId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]

REFUSALS = {
    LinkProblem.forged: (
        403,
        N_("This link is not valid: copy all of it from the e-mail, or ask the organizers for a new one."),
    ),
    LinkProblem.expired: (410, N_("This link has expired. Ask the organizers for a new one if you still need it.")),
    LinkProblem.revoked: (
        410,
        N_("This link has been replaced by a newer one. Use the link in the organizers' latest e-mail."),
    ),
}
SPEAKER_MESSAGES = {
    "message_required": N_("Say which days and times would suit you."),
    "text_too_long": N_("This text is too long."),
    "cancelled": N_("This session was cancelled."),
}


def _messages(errors: list[Any], translator: Translator) -> dict[str, str]:
    messages: dict[str, str] = {}
    for error in errors:
        template = SPEAKER_MESSAGES.get(error.code) or FIELD_MESSAGES.get(error.code)
        messages.setdefault(error.field, translator.gettext(template) if template else error.reason)
    return messages


def _speaker_page(
    request: Request[Any, Any, Any],
    pages: list[services.SpeakerPage],
    *,
    action: str,
    status_code: int = 200,
    errors: dict[int, dict[str, str]] | None = None,
    typed: dict[int, dict[str, str]] | None = None,
) -> Template:
    answered = request.query_params.get("answered")
    return page(
        request,
        "seminars/speaker_page.html",
        status_code=status_code,
        preferred_language=pages[0].language if pages else None,
        pages=pages,
        action=action,
        role_names=ROLES,
        response_names=RESPONSES,
        when_text=services.when_text,
        answered=int(answered) if answered and answered.isdigit() else None,
        errors=errors or {},
        typed=typed or {},
    )


async def _answer(
    request: Request[Any, Any, Any],
    pages: list[services.SpeakerPage],
    session_person_id: int,
    data: dict[str, str],
    *,
    action: str,
) -> Template | Redirect:
    owner = next(
        (p for p in pages if any(s.session_person_id == session_person_id for s in p.sessions)),
        None,
    )
    if owner is None:
        raise NotFound(f"no session {session_person_id} on this page")
    response, message = data.get("response", ""), data.get("message", "")
    try:
        await services.respond(
            session_person_id=session_person_id, person_id=owner.person["id"], response=response,
            message=message, now=utcnow(),
        )  # fmt: skip
    except (InvalidInput, Conflict) as exc:
        translator = translator_for(request, preferred=owner.language)
        return _speaker_page(
            request, pages, action=action, status_code=exc.status_code,
            errors={session_person_id: _messages(exc.errors, translator)},
            typed={session_person_id: {"response": response, "message": message}},
        )  # fmt: skip
    lang = request.query_params.get("lang")
    query = f"?answered={session_person_id}" + (f"&lang={lang}" if lang else "")
    return Redirect(path=f"{action}{query}#session-{session_person_id}")


async def _calendar(request: Request[Any, Any, Any], found: services.SpeakerPage, lang: str | None) -> Response[bytes]:
    file = await _exports.speaker_calendar(page=found, base_url=settings_of(request).base_url, language=lang)
    return revalidated_file(
        request.headers.get("if-none-match"), file.content, etag=file.etag, media_type=file.media_type,
        filename=file.filename, public=False,
    )  # fmt: skip


class SpeakerPagesController(Controller):
    include_in_schema = False

    @get("/speakers/me", guards=[requires_login])
    async def my_sessions(self, request: Request[Any, Any, Any]) -> Template:
        actor = current_actor(request)
        assert actor is not None
        return _speaker_page(request, await services.speaker_pages_of(actor=actor), action="/speakers/me")

    @post("/speakers/me/sessions/{session_person_id:int}", guards=[requires_login])
    async def answer_from_account(
        self,
        request: Request[Any, Any, Any],
        session_person_id: ObjectId,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        actor = current_actor(request)
        assert actor is not None
        pages = await services.speaker_pages_of(actor=actor)
        return await _answer(request, pages, session_person_id, data, action="/speakers/me")

    async def _linked(self, request: Request[Any, Any, Any], token: str) -> services.SpeakerPage | Template:
        try:
            return await services.open_speaker_link(
                token=token, secret_key=settings_of(request).secret_key, today=utcnow().date()
            )
        except LinkRefused as exc:
            status, message = REFUSALS[exc.problem]
            return page(
                request,
                "seminars/speaker_link_refused.html",
                status_code=status,
                message=translator_for(request).gettext(message),
            )

    @get("/speakers/me/people/{person_id:int}/programme.ics", guards=[requires_login])
    async def my_calendar(
        self, request: Request[Any, Any, Any], person_id: ObjectId, lang: FromQuery[str | None] = None
    ) -> Response[bytes]:
        """The sessions of one of the people the account is, as a calendar to subscribe to."""
        actor = current_actor(request)
        assert actor is not None
        mine = [found for found in await services.speaker_pages_of(actor=actor) if found.person["id"] == person_id]
        if not mine:
            raise NotFound(f"no person {person_id} of yours")
        return await _calendar(request, mine[0], lang)

    @get("/speakers/{token:str}/programme.ics")
    async def linked_calendar(
        self, request: Request[Any, Any, Any], token: FromPath[str], lang: FromQuery[str | None] = None
    ) -> Response[bytes] | Template:
        found = await self._linked(request, token)
        if isinstance(found, Template):
            return found
        return await _calendar(request, found, lang)

    @get("/speakers/{token:str}")
    async def linked_sessions(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        found = await self._linked(request, token)
        if isinstance(found, Template):
            return found
        return _speaker_page(request, [found], action=f"/speakers/{token}")

    @post("/speakers/{token:str}/sessions/{session_person_id:int}")
    async def answer_from_link(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        session_person_id: ObjectId,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        found = await self._linked(request, token)
        if isinstance(found, Template):
            return found
        return await _answer(request, [found], session_person_id, data, action=f"/speakers/{token}")
