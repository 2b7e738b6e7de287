"""The organizers' visitor list: search, CSV export, cancel and replace a ticket."""

from __future__ import annotations

import math
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Stream, Template

from exhibitions.accounts.guards import MAX_ID, MAX_PAGE, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.events import services as event_services
from exhibitions.tickets import services
from exhibitions.web.context import page, settings_of

VISITORS_PER_PAGE = 50


class VisitorPagesController(Controller):
    path = "/organize/exhibitions/{slug:str}"
    guards = [requires_staff]
    include_in_schema = False

    @get("/visitors")
    async def visitors(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=MAX_PAGE)] = 1,
    ) -> Template:
        actor = current_actor(request)
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=actor)
        rows, total = await services.list_visitors(
            slug=slug, actor=actor, search=q, page=page_number, per_page=VISITORS_PER_PAGE
        )
        pagination = {"page": page_number, "pages": max(1, math.ceil(total / VISITORS_PER_PAGE)), "total": total}
        template = "tickets/visitor_rows.html" if request.headers.get("hx-request") else "tickets/visitors.html"
        return page(request, template, exhibition=exhibition, visitors=rows, q=q or "", pagination=pagination)

    @get("/visitors.csv")
    async def export(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Stream:
        chunks = await services.export_visitors_csv(slug=slug, actor=current_actor(request))
        return Stream(
            chunks,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{slug}-visitors.csv"'},
        )

    @post("/visitors/{ticket_id:int}/revoke")
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        ticket_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> Redirect:
        await services.revoke_ticket(slug=slug, ticket_id=ticket_id, actor=current_actor(request), now=utcnow())
        return Redirect(path=f"/organize/exhibitions/{slug}/visitors")

    @post("/visitors/{ticket_id:int}/replace")
    async def replace(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        ticket_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> Redirect:
        view = await services.replace_ticket(
            slug=slug, ticket_id=ticket_id, actor=current_actor(request), secret_key=settings_of(request).secret_key,
            now=utcnow(),
        )  # fmt: skip
        # The organizer lands on the new ticket, to print it or send its link.
        return Redirect(path=f"/tickets/{view.row['access_token']}")
