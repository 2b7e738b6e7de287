"""Pages that hand out the programme's files: the calendar (ICS) and the printed booklet for
everyone, door posters and a person's calendar for organizers, and a visitor's attendance
certificate with the page its QR code opens."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery, Parameter
from litestar.response import Template

from exhibitions.accounts.guards import current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import NotFound
from exhibitions.seminars.documents import pick_title
from exhibitions.seminars.services import _certificates, _exports
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.downloads import private_attachment, revalidated_file
from exhibitions.web.i18n import N_

Language = Literal["ar", "fr", "en"]

NOTHING_ATTENDED = N_(
    "No seminar session was recorded for this ticket: a certificate lists the sessions whose door "
    "staff scanned the ticket. Show your ticket at the door of the next session you attend."
)
RoomId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]
PersonId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]


def _file(request: Request[Any, Any, Any], file: _exports.ExportFile) -> Response[bytes]:
    return revalidated_file(
        request.headers.get("if-none-match"), file.content, etag=file.etag, media_type=file.media_type,
        filename=file.filename, public=file.public,
    )  # fmt: skip


class ProgrammeFilesController(Controller):
    """The public's files: the programme's calendar and booklet, and certificates."""

    include_in_schema = False

    @get("/exhibitions/{slug:str}/programme.ics")
    async def programme_ics(
        self, request: Request[Any, Any, Any], slug: FromPath[str], lang: FromQuery[Language] = "fr"
    ) -> Response[bytes]:
        """The whole published programme, for a calendar to subscribe to; ``lang`` picks the
        language its texts are in first (the URL, not the browser, so that caches can share it)."""
        file = await _exports.programme_ics(
            slug=slug, actor=current_actor(request), base_url=settings_of(request).base_url,
            language=lang,
        )  # fmt: skip
        return _file(request, file)

    @get("/exhibitions/{slug:str}/programme.pdf")
    async def programme_pdf(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[bytes]:
        """The printed programme, in Arabic and French."""
        file = await _exports.booklet_pdf(
            slug=slug, actor=current_actor(request), base_url=settings_of(request).base_url
        )
        return _file(request, file)

    @get("/tickets/{access_token:str}/certificate.pdf")
    async def certificate_pdf(
        self, request: Request[Any, Any, Any], access_token: FromPath[str], lang: FromQuery[str | None] = None
    ) -> Response[bytes] | Template:
        settings = settings_of(request)
        try:
            pdf = await _certificates.ticket_certificate(
                access_token=access_token, secret_key=settings.secret_key, base_url=settings.base_url, now=utcnow(),
                language=lang,
            )  # fmt: skip
        except _certificates.NothingAttended:
            translator = translator_for(request)
            return page(
                request, "errors/error.html", status_code=404, status=404, message=translator.gettext(NOTHING_ATTENDED)
            )
        return private_attachment(pdf.content, filename=pdf.filename, media_type="application/pdf")

    @get("/certificates/{code:str}")
    async def certificate(self, request: Request[Any, Any, Any], code: FromPath[str]) -> Template:
        """Says whether a certificate is genuine: what it certifies, or that we never issued it."""
        try:
            found = await _certificates.verify_certificate(code=code)
        except NotFound:
            return page(request, "seminars/certificate_check.html", status_code=404, certificate=None, code=code)
        language = translator_for(request).language
        zone = ZoneInfo(found.exhibition["time_zone"])
        return page(
            request,
            "seminars/certificate_check.html",
            certificate=found,
            code=code,
            exhibition_title=found.exhibition[f"title_{language}"] or found.exhibition["title_fr"],
            sessions=[
                {
                    "title": pick_title(session.title, language),
                    "starts_at": session.starts_at,
                    "ends_at": session.ends_at,
                    "room": session.room,
                }
                for session in found.sessions
            ],
            zone=zone,
        )


class OrganizerProgrammeFilesController(Controller):
    """Organizers' files: a room's door poster for a day, and a person's calendar."""

    path = "/organize/exhibitions/{slug:str}"
    guards = [requires_staff]
    include_in_schema = False

    @get("/rooms/{room_id:int}/poster.pdf")
    async def poster(
        self, request: Request[Any, Any, Any], slug: FromPath[str], room_id: RoomId, day: FromQuery[date],
        size: FromQuery[Literal["a4", "a3"]] = "a4",
    ) -> Response[bytes]:  # fmt: skip
        file = await _exports.poster_pdf(
            slug=slug, room_id=room_id, day=day, actor=current_actor(request), base_url=settings_of(request).base_url,
            size=size,
        )  # fmt: skip
        return _file(request, file)

    @get("/people/{person_id:int}/programme.ics")
    async def person_ics(
        self, request: Request[Any, Any, Any], slug: FromPath[str], person_id: PersonId,
        lang: FromQuery[str | None] = None,
    ) -> Response[bytes]:  # fmt: skip
        """A person's sessions, in their language, for the organizer to send them."""
        file = await _exports.person_programme_ics(
            slug=slug, person_id=person_id, actor=current_actor(request), base_url=settings_of(request).base_url,
            language=lang,
        )  # fmt: skip
        return _file(request, file)
