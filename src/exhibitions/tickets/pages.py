"""Visitor pages: register for free, and the ticket with its QR code."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote_plus

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput
from exhibitions.events import services as event_services
from exhibitions.events.regions import all_regions
from exhibitions.tickets import services
from exhibitions.tickets.qr import qr_svg
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.tables import VisitorCategory
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.forms import errors_by_field, parse_form

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)


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
    ) -> Template:
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=None)
        return page(
            request,
            "tickets/register.html",
            status_code=status_code,
            exhibition=exhibition,
            values=values,
            errors=errors,
            regions=all_regions(),
            categories=[category.value for category in VisitorCategory],
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

    @get("/tickets/{access_token:str}")
    async def ticket(self, request: Request[Any, Any, Any], access_token: FromPath[str]) -> Template:
        view = await services.get_ticket(access_token=access_token, secret_key=settings_of(request).secret_key)
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
            exhibition=exhibition,
            qr=qr_svg(view.code, title=view.row["manual_code"]),
            map_url=f"https://www.openstreetmap.org/search?query={quote_plus(place)}",
        )
