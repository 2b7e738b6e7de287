"""The exhibitions API: ``/api/v1/exhibitions`` and ``/api/v1/regions``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_PAGE, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.events import services
from exhibitions.events.regions import Region, all_regions
from exhibitions.events.schemas import (
    DayOut,
    Exhibition,
    ExhibitionCreate,
    ExhibitionSummary,
    ExhibitionUpdate,
    HallOut,
    LocalizedText,
    Page,
    RegionOut,
    VenueOut,
)
from exhibitions.events.tables import ExhibitionKind, ExhibitionStatus


def _page_url(request: Request[Any, Any, Any], slug: str) -> str:
    return f"{request.app.state.settings.base_url}/exhibitions/{slug}"


def region_out(region: Region) -> RegionOut:
    return RegionOut(
        code=region.code,
        number=region.number,
        name=LocalizedText(ar=region.name_ar, fr=region.name_fr, en=region.name_en),
        capital=region.capital,
    )


def _titles(row: dict[str, Any]) -> LocalizedText:
    return LocalizedText(ar=row["title_ar"], fr=row["title_fr"], en=row["title_en"])


def exhibition_out(request: Request[Any, Any, Any], detail: services.ExhibitionDetail) -> Exhibition:
    row = detail.row
    return Exhibition(
        slug=row["slug"],
        kind=ExhibitionKind(row["kind"]),
        region=region_out(detail.region) if detail.region else None,
        title=_titles(row),
        venue=VenueOut(
            name=row["venue_name"],
            city=row["city"],
            address=row["venue_address"],
            halls=[HallOut(id=h["id"], name=h["name"], area_m2=h["area_m2"]) for h in detail.halls],
        ),
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        time_zone=row["time_zone"],
        opens_at=row["opens_at"],
        closes_at=row["closes_at"],
        status=ExhibitionStatus(row["status"]),
        days=[
            DayOut(day=d.day, opens_at=d.opens_at, closes_at=d.closes_at, closed=d.closed, note=d.note)
            for d in detail.days
        ],
        url=_page_url(request, row["slug"]),
        setup_on=row.get("setup_on"),
        applications_close_on=row.get("applications_close_on"),
    )


class ExhibitionApiController(Controller):
    path = "/api/v1/exhibitions"
    tags = ["exhibitions"]

    @get(
        "/",
        summary="List exhibitions",
        description="Published and closed exhibitions, soonest first. "
        "With a token, `include_drafts=true` adds the drafts you organize or review.",
    )
    async def list_exhibitions(
        self,
        request: Request[Any, Any, Any],
        page: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Page number, from 1")] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100, description="Items per page")] = 20,
        kind: Annotated[ExhibitionKind | None, QueryParameter(description="national or regional")] = None,
        region: Annotated[str | None, QueryParameter(description="Region code, MA-01 to MA-12")] = None,
        q: Annotated[str | None, QueryParameter(max_length=100, description="Search titles, city and slug")] = None,
        include_drafts: FromQuery[bool] = False,
    ) -> Page:
        rows, total = await services.list_visible_exhibitions(
            actor=current_actor(request),
            include_drafts=include_drafts,
            kind=kind.value if kind else None,
            region=region,
            search=q,
            page=page,
            per_page=per_page,
        )
        items = [
            ExhibitionSummary(
                slug=row["slug"],
                kind=ExhibitionKind(row["kind"]),
                region=row["region"],
                title=_titles(row),
                city=row["city"],
                starts_on=row["starts_on"],
                ends_on=row["ends_on"],
                status=ExhibitionStatus(row["status"]),
                url=_page_url(request, row["slug"]),
            )
            for row in rows
        ]
        return Page(items=items, total=total, page=page, per_page=per_page)

    @post("/", guards=[requires_login], security=BEARER_SECURITY, summary="Create an exhibition (as a draft)")
    async def create_exhibition(
        self, request: Request[Any, Any, Any], data: JSONBody[ExhibitionCreate]
    ) -> Response[Exhibition]:
        actor = current_actor(request)
        slug = await services.create_exhibition(data=data, actor=actor, now=utcnow())
        detail = await services.get_exhibition_detail(slug=slug, actor=actor)
        return Response(
            exhibition_out(request, detail), status_code=201, headers={"Location": f"/api/v1/exhibitions/{slug}"}
        )

    @get("/{slug:str}", summary="One exhibition, with its venue, halls and daily hours")
    async def get_exhibition(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Exhibition:
        detail = await services.get_exhibition_detail(slug=slug, actor=current_actor(request))
        return exhibition_out(request, detail)

    @patch(
        "/{slug:str}",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Change an exhibition, or publish or close it",
    )
    async def update_exhibition(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[ExhibitionUpdate]
    ) -> Exhibition:
        actor = current_actor(request)
        await services.update_exhibition(slug=slug, changes=data, actor=actor, now=utcnow())
        return exhibition_out(request, await services.get_exhibition_detail(slug=slug, actor=actor))


class RegionApiController(Controller):
    path = "/api/v1/regions"
    tags = ["regions"]

    @get("/", summary="The 12 regions of Morocco", cache=3600)
    async def list_regions(self) -> list[RegionOut]:
        return [region_out(region) for region in all_regions()]
