"""Organizations and applications over the API: the registry organizers keep and exhibitors
fill in, and the applications they review."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, MAX_PAGE, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.errors import NotFound
from exhibitions.exhibitors import services
from exhibitions.exhibitors.schemas import (
    ApplicationCreate,
    ApplicationEventOut,
    ApplicationOut,
    ApplicationUpdate,
    DecisionIn,
    OrganizationCreate,
    OrganizationOut,
    OrganizationPage,
    OrganizationUpdate,
    TransitionIn,
)
from exhibitions.exhibitors.validation import is_women_led
from exhibitions.exhibitors.workflow import ApplicationStatus, Party, who_may_move


def organization_out(row: dict[str, Any]) -> OrganizationOut:
    women_led = is_women_led(
        declared=row["declared_women_led"], members_total=row["members_total"], members_women=row["members_women"]
    )
    shown = {key: value for key, value in row.items() if key != "search_text"}
    return OrganizationOut(**shown, is_women_led=women_led)


class OrganizationApiController(Controller):
    path = "/api/v1/organizations"
    tags = ["organizations"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @post("/", summary="Register an organization (its creator becomes a member)")
    async def create(
        self, request: Request[Any, Any, Any], data: JSONBody[OrganizationCreate]
    ) -> Response[OrganizationOut]:
        row = await services.create_organization(data=data, actor=current_actor(request), now=utcnow())
        return Response(organization_out(row), status_code=201)

    @get("/", summary="Organizations: every one for organizers, an exhibitor's own otherwise")
    async def list_organizations(
        self,
        request: Request[Any, Any, Any],
        page: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        q: Annotated[str | None, QueryParameter(max_length=100, description="Name, registry number or city")] = None,
    ) -> OrganizationPage:
        rows, total = await services.list_organizations(
            actor=current_actor(request), search=q, page=page, per_page=per_page
        )
        return OrganizationPage(
            items=[organization_out(row) for row in rows], total=total, page=page, per_page=per_page
        )

    @get("/{organization_id:int}", summary="One organization (its members and organizers only)")
    async def get_organization(
        self, request: Request[Any, Any, Any], organization_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)]
    ) -> OrganizationOut:
        row = await services.get_organization(organization_id=organization_id, actor=current_actor(request))
        return organization_out(row)

    @patch("/{organization_id:int}", summary="Change an organization; only the fields sent change")
    async def update(
        self,
        request: Request[Any, Any, Any],
        organization_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
        data: JSONBody[OrganizationUpdate],
    ) -> OrganizationOut:
        row = await services.update_organization(
            organization_id=organization_id, changes=data, actor=current_actor(request), now=utcnow()
        )
        return organization_out(row)


def application_out(row: dict[str, Any]) -> ApplicationOut:
    history = [
        ApplicationEventOut(
            from_status=ApplicationStatus(event["from_status"]) if event["from_status"] else None,
            to_status=ApplicationStatus(event["to_status"]),
            # Who moved it, by role (the workflow says which party makes each move): an
            # applicant's page explains decisions without naming staff.
            by=_party(event["from_status"], event["to_status"]).value,
            reason=event["reason"],
            at=event["at"],
        )
        for event in row["history"]
    ]
    fields = {name: row[name] for name in ApplicationOut.__struct_fields__ if name not in ("exhibition", "history")}
    return ApplicationOut(**fields, exhibition=row["exhibition_slug"], history=history)


def _party(from_status: str | None, to_status: str) -> Party:
    if from_status is None:
        return Party.applicant  # the draft's creation
    return who_may_move(ApplicationStatus(from_status), ApplicationStatus(to_status)) or Party.organizer


ApplicationId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


class ApplicationApiController(Controller):
    tags = ["applications"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @post("/api/v1/exhibitions/{slug:str}/applications", summary="Start an application (a draft)")
    async def create(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[ApplicationCreate]
    ) -> Response[ApplicationOut]:
        row = await services.create_application(slug=slug, data=data, actor=current_actor(request), now=utcnow())
        return Response(application_out(row), status_code=201)

    @get(
        "/api/v1/exhibitions/{slug:str}/applications",
        summary="Applications: all of them for the exhibition's organizers, your own otherwise",
    )
    async def list_applications(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        status: Annotated[ApplicationStatus | None, QueryParameter()] = None,
    ) -> list[ApplicationOut]:
        rows = await services.list_applications(
            slug=slug, actor=current_actor(request), status=status.value if status else None
        )
        return [application_out(row) for row in rows]

    @get(
        "/api/v1/exhibitions/{slug:str}/applications/{application_id:int}", summary="One application, with its history"
    )
    async def get_application(
        self, request: Request[Any, Any, Any], slug: FromPath[str], application_id: ApplicationId
    ) -> ApplicationOut:
        return application_out(await _in_exhibition(slug, application_id, request))

    @patch("/api/v1/exhibitions/{slug:str}/applications/{application_id:int}", summary="Change a draft")
    async def update(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        application_id: ApplicationId,
        data: JSONBody[ApplicationUpdate],
    ) -> ApplicationOut:
        await _in_exhibition(slug, application_id, request)
        row = await services.update_application(
            application_id=application_id, changes=data, actor=current_actor(request), now=utcnow()
        )
        return application_out(row)

    @post(
        "/api/v1/exhibitions/{slug:str}/applications/{application_id:int}/submit",
        status_code=200,
        summary="Submit a draft for review",
    )
    async def submit(
        self, request: Request[Any, Any, Any], slug: FromPath[str], application_id: ApplicationId
    ) -> ApplicationOut:
        await _in_exhibition(slug, application_id, request)
        row = await services.move_application(
            application_id=application_id, to=ApplicationStatus.submitted, actor=current_actor(request), now=utcnow()
        )
        return application_out(row)

    @post(
        "/api/v1/exhibitions/{slug:str}/applications/{application_id:int}/withdraw",
        status_code=200,
        summary="Withdraw an application",
    )
    async def withdraw(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        application_id: ApplicationId,
        data: JSONBody[TransitionIn | None] = None,
    ) -> ApplicationOut:
        await _in_exhibition(slug, application_id, request)
        row = await services.move_application(
            application_id=application_id, to=ApplicationStatus.withdrawn, actor=current_actor(request),
            reason=data.reason if data else "", now=utcnow(),
        )  # fmt: skip
        return application_out(row)

    @post(
        "/api/v1/exhibitions/{slug:str}/applications/{application_id:int}/decision",
        status_code=200,
        summary="Decide: approved, waitlisted or rejected (organizers), with a reason the applicant sees",
    )
    async def decide(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        application_id: ApplicationId,
        data: JSONBody[DecisionIn],
    ) -> ApplicationOut:
        await _in_exhibition(slug, application_id, request)
        row = await services.decide_application(
            application_id=application_id, status=data.status, reason=data.reason, actor=current_actor(request),
            now=utcnow(),
        )  # fmt: skip
        return application_out(row)


async def _in_exhibition(slug: str, application_id: int, request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The application, if the actor may see it and it belongs to this exhibition."""
    row = await services.get_application(application_id=application_id, actor=current_actor(request))
    if row["exhibition_slug"] != slug:
        raise NotFound(f"no application {application_id} at {slug!r}")
    return row
