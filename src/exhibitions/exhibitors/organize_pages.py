"""The organizers' applications: a sortable, filterable table with bulk decisions, and one
application with the organization's facts, its history and a decision form."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_PAGE, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.events import services as event_services
from exhibitions.exhibitors import services
from exhibitions.exhibitors.portal_pages import (
    ORGANIZER_PARTY_NAMES,
    STATUS_NAMES,
    ObjectId,
    display_names,
    field_messages,
    history_lines,
    message_for_code,
)
from exhibitions.exhibitors.validation import is_women_led
from exhibitions.exhibitors.workflow import DECISIONS, ApplicationStatus, Party, who_may_move
from exhibitions.web.context import page, translator_for

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
APPLICATIONS_PER_PAGE = 50
# A form posts each ticked checkbox as its own `application` value: at most a page of them.
MAX_BULK = APPLICATIONS_PER_PAGE
DECISION_ORDER = (ApplicationStatus.approved, ApplicationStatus.waitlisted, ApplicationStatus.rejected)
FILTER_ORDER = (
    ApplicationStatus.submitted, ApplicationStatus.approved, ApplicationStatus.waitlisted, ApplicationStatus.rejected,
    ApplicationStatus.withdrawn, ApplicationStatus.draft,
)  # fmt: skip


@dataclass(frozen=True)
class TableQuery:
    """What the table shows: ``?status=&q=&sort=&dir=&page=``."""

    status: str | None
    q: str | None
    sort: str
    direction: str
    page_number: int


def _status_or_none(text: str | None) -> ApplicationStatus | None:
    try:
        return ApplicationStatus(text) if text else None
    except ValueError:
        raise InvalidInput.single("status", "invalid_choice", "is not an application status") from None


def _decision(text: str | None) -> ApplicationStatus:
    status = _status_or_none(text)
    if status not in DECISIONS:
        raise InvalidInput.single("status", "invalid_choice", "must be approved, waitlisted or rejected")
    assert status is not None
    return status


def _ids(values: list[str]) -> list[int]:
    ids = [int(value) for value in values if value.isdigit() and len(value) < 10]
    return ids[:MAX_BULK]


class OrganizerApplicationPagesController(Controller):
    path = "/organize/exhibitions/{slug:str}/applications"
    guards = [requires_staff]
    include_in_schema = False

    async def _table(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        query: TableQuery,
        *,
        report: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        actor = current_actor(request)
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=actor)
        status, q, page_number = query.status, query.q, query.page_number
        chosen = _status_or_none(status)
        sort = query.sort if query.sort in services.SORTS else "submitted"
        descending = query.direction == "desc"
        rows, total = await services.list_exhibition_applications(
            slug=slug, actor=actor, status=chosen, search=q, sort=sort, descending=descending, page=page_number,
            per_page=APPLICATIONS_PER_PAGE,
        )  # fmt: skip
        counts = await services.count_by_status(slug=slug, actor=actor)
        for row in rows:
            row["women_led"] = bool(row["women_led"])
        base = {"status": status or "", "q": q or ""}

        def link(**changes: Any) -> str:
            params = {**base, "sort": sort, "dir": "desc" if descending else "asc", **changes}
            return "?" + urlencode({key: value for key, value in params.items() if value not in ("", None)})

        def sort_link(key: str) -> str:
            # A header links to its own sort; clicking the sorted column again flips the direction.
            flipped = "asc" if (key == sort and descending) else ("desc" if key == sort else "asc")
            return link(sort=key, dir=flipped, page=None)

        return page(
            request,
            "exhibitors/organize/applications.html",
            status_code=status_code,
            exhibition=exhibition,
            applications=rows,
            total=total,
            counts=counts,
            status=status or "",
            q=q or "",
            sort=sort,
            descending=descending,
            sort_link=sort_link,
            page_link=lambda number: link(page=number),
            pagination={"page": page_number, "pages": max(1, math.ceil(total / APPLICATIONS_PER_PAGE)), "total": total},
            filters=FILTER_ORDER,
            decisions=DECISION_ORDER,
            report=report,
            errors=errors or {},
            gauges=await services.quota_gauges(slug=slug, actor=actor),
            **display_names(),
        )

    @get("/")
    async def applications(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        status: Annotated[str | None, QueryParameter(max_length=12)] = None,
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
        sort: Annotated[str, QueryParameter(max_length=20)] = "submitted",
        direction: Annotated[str, QueryParameter(name="dir", max_length=4)] = "asc",
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=MAX_PAGE)] = 1,
    ) -> Template:
        return await self._table(request, slug, TableQuery(status, q, sort, direction, page_number))

    @post("/decisions")
    async def bulk_decision(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        """The same decision for every ticked application; the table comes back with a report."""
        # Read as a multi-dict: each ticked checkbox sends its own `application` value.
        form = await request.form()
        data = {key: str(form.get(key, "")) for key in ("reason", "filter_status", "q", "sort", "dir", "decision")}
        ids = _ids([str(value) for value in form.getall("application")] if "application" in form else [])
        reason = data["reason"]
        translator = translator_for(request)
        # The table comes back as it was shown: same filter, search and sort, first page.
        view = TableQuery(data["filter_status"] or None, data["q"] or None, data["sort"], data["dir"], 1)
        errors: list[FieldError] = []
        if not ids:
            errors.append(FieldError("application", "none_ticked", "tick at least one application"))
        if len(reason) > 2000:
            errors.append(FieldError("reason", "text_too_long", "at most 2000 characters"))
        try:
            decision = _decision(data["decision"])
        except InvalidInput as exc:
            errors += exc.errors
        if errors:
            return await self._table(request, slug, view, errors=field_messages(errors, translator), status_code=422)
        decided, failures = await services.decide_many(
            slug=slug, application_ids=ids, status=decision, reason=reason, actor=current_actor(request), now=utcnow()
        )
        report = {
            "decision": decision.value,
            "decided": decided,
            "failures": [
                {"id": failure.application_id, "message": message_for_code(failure.code, failure.code, translator)}
                for failure in failures
            ],
        }
        return await self._table(request, slug, view, report=report)

    async def _detail(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        application_id: int,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        view = await services.application_view(application_id=application_id, actor=current_actor(request))
        if not view.is_organizer or view.exhibition["slug"] != slug:
            raise NotFound(f"no application {application_id} at {slug!r}")
        organization = view.organization
        translator = translator_for(request)
        current = ApplicationStatus(view.application["status"])
        return page(
            request,
            "exhibitors/organize/application.html",
            status_code=status_code,
            application=view.application,
            exhibition=view.exhibition,
            organization=organization,
            women_led=is_women_led(
                declared=bool(organization["declared_women_led"]),
                members_total=organization["members_total"],
                members_women=organization["members_women"],
            ),
            history=history_lines(view.application),
            decisions=[
                (status.value, translator.gettext(STATUS_NAMES[status.value]))
                for status in DECISION_ORDER
                if who_may_move(current, status) is Party.organizer
            ],
            values=values or {"status": "", "reason": ""},
            errors=errors or {},
            **{**display_names(), "party_names": ORGANIZER_PARTY_NAMES},
        )

    @get("/{application_id:int}")
    async def application(
        self, request: Request[Any, Any, Any], slug: FromPath[str], application_id: ObjectId
    ) -> Template:
        return await self._detail(request, slug, application_id)

    @post("/{application_id:int}/decision")
    async def decide(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        application_id: ObjectId,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        actor = current_actor(request)
        # The same checks as reading it: an application of another exhibition is not here.
        await self._detail(request, slug, application_id)
        reason = data.get("reason", "")
        errors: list[FieldError] = []
        try:
            status = _decision(data.get("status"))
            if len(reason) > 2000:
                raise InvalidInput.single("reason", "text_too_long", "at most 2000 characters")
            await services.decide_application(
                application_id=application_id, status=status, reason=reason, actor=actor, now=utcnow()
            )
        except (InvalidInput, Conflict) as exc:
            errors = exc.errors
        if not errors:
            return Redirect(path=f"/organize/exhibitions/{slug}/applications/{application_id}")
        return await self._detail(
            request, slug, application_id, values={"status": data.get("status", ""), "reason": reason},
            errors=field_messages(errors, translator_for(request)), status_code=422,
        )  # fmt: skip
