"""The organizers' outbox page: what was queued, sent and failed, by rule; retry; CSV."""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Stream, Template

from exhibitions.accounts.guards import MAX_ID, MAX_PAGE, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import InvalidInput
from exhibitions.events import services as event_services
from exhibitions.notifications import services
from exhibitions.notifications.tables import OutboxStatus
from exhibitions.web.context import page, translator_for
from exhibitions.web.forms import errors_by_field

MESSAGES_PER_PAGE = 50


class OutboxPagesController(Controller):
    path = "/organize/exhibitions/{slug:str}"
    guards = [requires_staff]
    include_in_schema = False

    @get("/outbox")
    async def outbox(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        q: Annotated[str, QueryParameter(max_length=254)] = "",
        status: Annotated[str, QueryParameter(max_length=10)] = "",
        rule: Annotated[str, QueryParameter(max_length=64)] = "",
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=MAX_PAGE)] = 1,
    ) -> Template:
        actor = current_actor(request)
        filters = services.OutboxFilter(recipient=q.strip(), status=status, rule=rule)
        errors: dict[str, str] = {}
        try:
            view = await services.outbox_page(
                slug=slug, actor=actor, filters=filters, page=page_number, per_page=MESSAGES_PER_PAGE
            )
        except InvalidInput as exc:
            # A filter that cannot be (a hand-edited link): the whole outbox, with the field's message.
            errors = errors_by_field(exc.errors, translator_for(request))
            view = await services.outbox_page(
                slug=slug, actor=actor, filters=services.OutboxFilter(), page=1, per_page=MESSAGES_PER_PAGE
            )
            filters, page_number = services.OutboxFilter(), 1
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=actor)
        kept = {
            key: value
            for key, value in (("q", filters.recipient), ("status", filters.status), ("rule", filters.rule))
            if value
        }
        pagination = {
            "page": page_number,
            "pages": max(1, math.ceil(view.total / MESSAGES_PER_PAGE)),
            "total": view.total,
            "query": urlencode(kept) + "&" if kept else "",
        }
        template = (
            "notifications/outbox_rows.html" if request.headers.get("hx-request") else "notifications/outbox.html"
        )
        return page(
            request, template, status_code=422 if errors else 200, exhibition=exhibition, view=view, filters=filters,
            pagination=pagination, statuses=[status.value for status in OutboxStatus], errors=errors,
        )  # fmt: skip

    @get("/outbox.csv")
    async def export(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Stream:
        chunks = await services.export_outbox_csv(slug=slug, actor=current_actor(request))
        return Stream(
            chunks,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{slug}-outbox.csv"'},
        )

    @post("/outbox/retry")
    async def retry_all(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Redirect:
        await services.retry_failed_messages(slug=slug, actor=current_actor(request), now=utcnow())
        return Redirect(path=f"/organize/exhibitions/{slug}/outbox")

    @post("/outbox/{message_id:int}/retry")
    async def retry_one(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        message_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> Redirect:
        await services.retry_failed_messages(
            slug=slug, actor=current_actor(request), now=utcnow(), message_id=message_id
        )
        return Redirect(path=f"/organize/exhibitions/{slug}/outbox")
