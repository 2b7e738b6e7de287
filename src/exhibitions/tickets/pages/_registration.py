"""Visitor pages: register for free, and the ticket with its QR code."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote_plus

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput
from exhibitions.events import services as event_services
from exhibitions.events.regions import all_regions
from exhibitions.seminars import services as seminar_services
from exhibitions.tickets import services
from exhibitions.tickets.qr import qr_svg
from exhibitions.tickets.schemas import GroupMemberIn, RegistrationIn
from exhibitions.tickets.tables import VisitorCategory
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.downloads import private_attachment
from exhibitions.web.forms import LINE_MESSAGE, errors_by_field, message_for, parse_form
from exhibitions.web.i18n import Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
_MEMBER_FIELD = re.compile(r"^members\[(\d+)\]")


def member_lines(text: str) -> list[tuple[int, str]]:
    """(line number, name) for each non-blank line of the members box."""
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]


def group_form_messages(
    errors: list[FieldError], lines: list[tuple[int, str]], translator: Translator
) -> dict[str, str]:
    """Messages for the group form: the leader's fields by name, and every bad member by the
    line it was typed on."""
    # The form shows the leader's fields at the top level, where the API nests them.
    unnested = [FieldError(error.field.removeprefix("leader."), error.code, error.reason) for error in errors]
    messages = errors_by_field([error for error in unnested if not error.field.startswith("members")], translator)
    about_members = []
    for error in unnested:
        if not error.field.startswith("members"):
            continue
        message = message_for(error, translator)
        if match := _MEMBER_FIELD.match(error.field):
            line = lines[int(match[1])][0]
            message = translator.gettext(LINE_MESSAGE) % {"line": line, "message": message}
        about_members.append(message)
    if about_members:
        messages["members"] = " ".join(about_members)
    return messages


class TicketPagesController(Controller):
    include_in_schema = False

    async def _form(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        *,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
        group: bool = False,
    ) -> Template:
        """The registration form, for one visitor or (``group``) a leader and their people."""
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=None)
        return page(
            request,
            "tickets/register_group.html" if group else "tickets/register.html",
            status_code=status_code,
            exhibition=exhibition,
            values=values,
            errors=errors,
            regions=all_regions(),
            categories=[category.value for category in VisitorCategory],
            max_members=services.MAX_GROUP_MEMBERS,
        )

    @get("/exhibitions/{slug:str}/register")
    async def register_form(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        language = translator_for(request).language
        return await self._form(request, slug, values={"language": language, "category": "general"}, errors={})

    @post("/exhibitions/{slug:str}/register")
    async def register(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        # An unticked checkbox sends nothing; a ticked one sends "on".
        form = {**data, "share_contact": "true" if data.get("share_contact") else "false"}
        parsed, errors = parse_form(RegistrationIn, form)
        if parsed is not None:
            try:
                view, _ = await services.register_visitor(
                    slug=slug, data=parsed, secret_key=settings_of(request).secret_key, now=utcnow()
                )
                return Redirect(path=f"/tickets/{view.row['access_token']}?lang={view.row['language']}")
            except InvalidInput as exc:
                errors = exc.errors
            except Conflict as exc:
                errors = exc.errors or [FieldError("form", "conflict", exc.detail)]
        return await self._form(
            request, slug, values=data, errors=errors_by_field(errors, translator_for(request)), status_code=422
        )

    @get("/exhibitions/{slug:str}/register/group")
    async def register_group_form(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        language = translator_for(request).language
        return await self._form(
            request, slug, values={"language": language, "category": "general"}, errors={}, group=True
        )

    @post("/exhibitions/{slug:str}/register/group")
    async def register_group(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        form = {**data, "share_contact": "true" if data.get("share_contact") else "false"}
        leader, errors = parse_form(RegistrationIn, form)
        lines = member_lines(data.get("members", ""))
        members_category = None
        try:
            members_category = VisitorCategory(data["members_category"]) if data.get("members_category") else None
        except ValueError:
            errors.append(FieldError("members_category", "invalid_choice", "not a visitor category"))
        members = [GroupMemberIn(name=name, category=members_category) for _, name in lines]
        if leader is None or errors:
            errors += services.member_errors(members)
        else:
            try:
                group, _ = await services.register_group(
                    slug=slug, leader=leader, members=members, secret_key=settings_of(request).secret_key, now=utcnow()
                )
                row = group.leader.row
                return Redirect(path=f"/tickets/{row['access_token']}?lang={row['language']}")
            except InvalidInput as exc:
                errors = exc.errors
            except Conflict as exc:
                errors = exc.errors or [FieldError("form", "conflict", exc.detail)]
        messages = group_form_messages(errors, lines, translator_for(request))
        return await self._form(request, slug, values=data, errors=messages, status_code=422, group=True)

    @get("/tickets/{access_token:str}/pdf")
    async def ticket_pdf(
        self, request: Request[Any, Any, Any], access_token: FromPath[str], lang: FromQuery[str | None] = None
    ) -> Response[bytes]:
        """Every ticket behind the link (a group's, for its leader), in the holder's language
        unless the page was read in another."""
        pdf = await services.ticket_pdf(
            access_token=access_token, secret_key=settings_of(request).secret_key, language=lang
        )
        return private_attachment(pdf.content, filename=pdf.filename, media_type="application/pdf")

    @get("/tickets/{access_token:str}")
    async def ticket(self, request: Request[Any, Any, Any], access_token: FromPath[str]) -> Template:
        group = await services.get_group(access_token=access_token, secret_key=settings_of(request).secret_key)
        view = group.leader
        exhibition = await event_services.get_exhibition_detail(slug=view.exhibition_slug, actor=None)
        place = ", ".join(
            part
            for part in (exhibition.row["venue_name"], exhibition.row["venue_address"], exhibition.row["city"])
            if part
        )
        return page(
            request,
            "tickets/ticket.html",
            preferred_language=view.row["language"],
            ticket=view,
            members=group.members,
            exhibition=exhibition,
            qr=qr_svg(view.code, title=view.row["manual_code"]),
            map_url=f"https://www.openstreetmap.org/search?query={quote_plus(place)}",
            # The visitor's own programme (stars, registrations) opens once there is one.
            has_programme=await seminar_services.latest_programme(exhibition.row) is not None,
        )
