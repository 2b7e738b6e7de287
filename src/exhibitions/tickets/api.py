"""Visitor tickets over the API: free registration, and reading a ticket by its link token."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody

from exhibitions.clock import utcnow
from exhibitions.tickets import services
from exhibitions.tickets.schemas import RegistrationIn, TicketOut
from exhibitions.tickets.tables import TicketStatus, VisitorCategory


def ticket_out(request: Request[Any, Any, Any], view: services.TicketView) -> TicketOut:
    row = view.row
    return TicketOut(
        exhibition=view.exhibition_slug,
        holder_name=row["holder_name"],
        category=VisitorCategory(row["category"]),
        language=row["language"],
        home_region=row["home_region"],
        country=row["country"],
        first_day=row["first_day"],
        last_day=view.last_day,
        status=TicketStatus(row["status"]),
        manual_code=row["manual_code"],
        code=view.code,
        url=f"{request.app.state.settings.base_url}/tickets/{row['access_token']}",
    )


class TicketApiController(Controller):
    tags = ["tickets"]

    @post(
        "/api/v1/exhibitions/{slug:str}/tickets",
        summary="Register a visitor (free)",
        description="201 with a new ticket; 200 with the existing one when this e-mail already registered.",
    )
    async def register(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[RegistrationIn]
    ) -> Response[TicketOut]:
        settings = request.app.state.settings
        view, created = await services.register_visitor(
            slug=slug, data=data, secret_key=settings.secret_key, now=utcnow()
        )
        return Response(ticket_out(request, view), status_code=201 if created else 200)

    @get("/api/v1/tickets/{access_token:str}", summary="A ticket, by the token in its link")
    async def get_ticket(self, request: Request[Any, Any, Any], access_token: FromPath[str]) -> TicketOut:
        view = await services.get_ticket(access_token=access_token, secret_key=request.app.state.settings.secret_key)
        return ticket_out(request, view)
