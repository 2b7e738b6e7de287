"""Organizations over the API: the registry organizers keep and exhibitors fill in."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, MAX_PAGE, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.exhibitors import services
from exhibitions.exhibitors.schemas import OrganizationCreate, OrganizationOut, OrganizationPage, OrganizationUpdate
from exhibitions.exhibitors.validation import is_women_led


def organization_out(row: dict[str, Any]) -> OrganizationOut:
    women_led = is_women_led(
        declared=row["declared_women_led"], members_total=row["members_total"], members_women=row["members_women"]
    )
    return OrganizationOut(**row, is_women_led=women_led)


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
