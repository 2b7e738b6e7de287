"""Halls, stands and assignments over the API, for an exhibition's organizers. Every
refusal is a problem document naming the field; lengths are metres."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter
from msgspec import UNSET, structs

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, MAX_PAGE, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.stands import services
from exhibitions.stands.schemas import (
    AcceptIn,
    AcceptOut,
    AssignmentIn,
    AssignmentOut,
    AssignmentPatch,
    GridIn,
    GridOut,
    HallOut,
    HallPlanIn,
    ImportOut,
    ProposalIn,
    RulesIn,
    RulesOut,
    StandIn,
    StandOut,
    StandPage,
    StandUpdate,
)
from exhibitions.stands.tables import AssignmentSource, StandType
from exhibitions.stands.validation import metres

EXHIBITION = "/api/v1/exhibitions/{slug:str}"
STAND = EXHIBITION + "/stands/{code:str}"
PROPOSALS = EXHIBITION + "/allocation/proposals"
RULES = EXHIBITION + "/allocation/rules"
# A CSV of a few thousand stands is well under this.
MAX_CSV_BYTES = 2 * 1024 * 1024


def hall_out(row: dict[str, Any]) -> HallOut:
    return HallOut(
        id=row["id"],
        name=row["name"],
        area_m2=row["area_m2"],
        width=metres(row["plan_width_cm"]) if row["plan_width_cm"] is not None else None,
        depth=metres(row["plan_depth_cm"]) if row["plan_depth_cm"] is not None else None,
        stands=int(row["stands"]),
    )


def stand_out(row: dict[str, Any]) -> StandOut:
    return StandOut(
        code=row["code"], hall=row["hall"], hall_name=row["hall_name"], x=metres(row["x_cm"]), y=metres(row["y_cm"]),
        width=metres(row["width_cm"]), depth=metres(row["depth_cm"]),
        area_m2=row["width_cm"] * row["depth_cm"] / 10_000, stand_type=StandType(row["stand_type"]), zone=row["zone"],
        power=bool(row["has_power"]), water=bool(row["has_water"]), accessible=bool(row["accessible"]),
        capacity=row["capacity"],
        assignments=[
            AssignmentOut(
                application=a["application"], organization=a["organization"], name=a["name"], seat=a["seat"],
                locked=bool(a["locked"]), source=AssignmentSource(a["source"]), assigned_at=a["assigned_at"],
                published_at=a["published_at"],
            )
            for a in row["assignments"]
        ],
    )  # fmt: skip


class StandApiController(Controller):
    tags = ["stands"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @get(EXHIBITION + "/halls", summary="The halls of the exhibition's venue, with their plan size (organizers)")
    async def list_halls(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[HallOut]:
        return [hall_out(row) for row in await services.list_halls(slug=slug, actor=current_actor(request))]

    @patch(EXHIBITION + "/halls/{hall_id:int}", summary="Set a hall's plan size in metres (organizers)")
    async def set_hall_plan(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        hall_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
        data: JSONBody[HallPlanIn],
    ) -> HallOut:
        row = await services.set_hall_plan(
            slug=slug, hall_id=hall_id, width=data.width, depth=data.depth, actor=current_actor(request)
        )
        return hall_out(row)

    @get(EXHIBITION + "/stands", summary="Stands with their assignments, filtered, by pages (organizers)")
    async def list_stands(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        hall: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
        zone: Annotated[str | None, QueryParameter(max_length=100)] = None,
        stand_type: Annotated[StandType | None, QueryParameter(name="type")] = None,
        assigned: Annotated[bool | None, QueryParameter()] = None,
        page: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    ) -> StandPage:
        rows, total = await services.list_stands(
            slug=slug, actor=current_actor(request), hall=hall, zone=zone,
            stand_type=stand_type.value if stand_type else None, assigned=assigned, page=page, per_page=per_page,
        )  # fmt: skip
        return StandPage(items=[stand_out(row) for row in rows], total=total, page=page, per_page=per_page)

    @post(EXHIBITION + "/stands", summary="Add one stand (organizers)")
    async def create_stand(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[StandIn]
    ) -> Response[StandOut]:
        row = await services.create_stand(slug=slug, data=data, actor=current_actor(request), now=utcnow())
        return Response(stand_out(row), status_code=201)

    @post(
        EXHIBITION + "/stands/grid",
        summary="Generate a grid of stands: all of them, or none (organizers)",
        description="A clash with an existing stand is a 409 naming the clashing codes.",
    )
    async def generate_grid(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[GridIn]
    ) -> Response[GridOut]:
        codes = await services.generate_stands(slug=slug, data=data, actor=current_actor(request), now=utcnow())
        return Response(GridOut(created=len(codes), codes=codes), status_code=201)

    @post(
        EXHIBITION + "/stands/import",
        status_code=201,
        request_max_body_size=MAX_CSV_BYTES,
        summary="Import stands from a CSV body (the export's columns): all rows, or none (organizers)",
    )
    async def import_stands(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> ImportOut:
        content = await request.body()
        codes = await services.import_stands(slug=slug, content=content, actor=current_actor(request), now=utcnow())
        return ImportOut(created=len(codes), codes=codes)

    @get(EXHIBITION + "/stands/export", summary="Every stand as CSV (organizers)")
    async def export_stands(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[bytes]:
        content = await services.export_stands(slug=slug, actor=current_actor(request))
        return Response(
            content=content,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="stands-{slug}.csv"'},
        )

    @get(STAND, summary="One stand with its assignments (organizers)")
    async def get_stand(self, request: Request[Any, Any, Any], slug: FromPath[str], code: FromPath[str]) -> StandOut:
        return stand_out(await services.get_stand(slug=slug, code=code, actor=current_actor(request)))

    @patch(STAND, summary="Change a stand; only the fields sent change (organizers)")
    async def update_stand(
        self, request: Request[Any, Any, Any], slug: FromPath[str], code: FromPath[str], data: JSONBody[StandUpdate]
    ) -> StandOut:
        row = await services.update_stand(
            slug=slug, code=code, changes=data, actor=current_actor(request), now=utcnow()
        )
        return stand_out(row)

    @delete(STAND, summary="Delete a stand that nobody holds (organizers)")
    async def delete_stand(self, request: Request[Any, Any, Any], slug: FromPath[str], code: FromPath[str]) -> None:
        await services.delete_stand(slug=slug, code=code, actor=current_actor(request))

    @put(
        STAND + "/assignment",
        summary="Seat an approved application at the stand, moving it if it sits elsewhere (organizers)",
        description="Sent again for the stand it holds, it only sets the lock. A stand whose seats are all "
        "taken (two organizers at the same moment included: the database decides) is a 409.",
    )
    async def assign(
        self, request: Request[Any, Any, Any], slug: FromPath[str], code: FromPath[str], data: JSONBody[AssignmentIn]
    ) -> StandOut:
        row = await services.assign_stand(
            slug=slug, code=code, application_id=data.application, locked=data.locked, actor=current_actor(request),
            now=utcnow(),
        )  # fmt: skip
        return stand_out(row)

    @patch(STAND + "/assignment", summary="Lock or unlock the stand's assignments (organizers)")
    async def lock(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        code: FromPath[str],
        data: JSONBody[AssignmentPatch],
    ) -> StandOut:
        row = await services.set_locked(slug=slug, code=code, locked=data.locked, actor=current_actor(request))
        return stand_out(row)

    @delete(STAND + "/assignment", summary="Free the stand, or only one application's seat (organizers)")
    async def unassign(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        code: FromPath[str],
        application: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
    ) -> None:
        await services.unassign(slug=slug, code=code, application_id=application, actor=current_actor(request))

    @post(
        PROPOSALS,
        summary="Compute an allocation proposal and keep it as a draft (organizers)",
        description="The exhibition's saved rules apply (`GET .../allocation/rules`), with the body's `rules` over "
        "them for this proposal only. Locked assignments stay; changes to published ones cost the `change` "
        "weight. An instance that cannot all be placed still gives a proposal, with `unplaced` saying why.",
    )
    async def compute_proposal(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[ProposalIn]
    ) -> Response[dict[str, Any]]:
        overrides: dict[str, Any] = dict(data.rules)
        if data.time_limit_s is not None:
            overrides["time_limit_s"] = data.time_limit_s
        proposal = await services.compute_proposal(
            slug=slug, overrides=overrides, actor=current_actor(request), now=utcnow()
        )
        return Response(proposal, status_code=201)

    @get(
        RULES, summary="The exhibition's allocation rules: weights, region mode, neighbour gap, time limit (organizers)"
    )
    async def get_rules(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> RulesOut:
        return RulesOut(**await services.get_rules(slug=slug, actor=current_actor(request)))

    @put(
        RULES,
        summary="Save the exhibition's allocation rules; a rule not sent takes its default (organizers)",
        description="Every proposal computed afterwards uses them, unless its body overrides some. Each value out "
        "of its range is named in the problem document, all at once.",
    )
    async def save_rules(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[RulesIn]
    ) -> RulesOut:
        values = {key: value for key, value in structs.asdict(data).items() if value is not UNSET}
        return RulesOut(
            **await services.save_rules(slug=slug, values=values, actor=current_actor(request), now=utcnow())
        )

    @get(PROPOSALS + "/{proposal_id:int}", summary="One allocation proposal (organizers)")
    async def get_proposal(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        proposal_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> dict[str, Any]:
        return await services.get_proposal(slug=slug, proposal_id=proposal_id, actor=current_actor(request))

    @post(
        PROPOSALS + "/{proposal_id:int}/accept",
        status_code=200,
        summary="Accept a proposal, whole or for some applications: seated, published, announced (organizers)",
        description="One transaction. A proposal may be accepted in parts, one after the other. A 409 `stale` "
        "when any stand or assignment of the exhibition changed since it was computed (or last accepted in "
        "part), `accepted` when all that is asked was accepted already.",
    )
    async def accept_proposal(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        proposal_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
        data: JSONBody[AcceptIn],
    ) -> AcceptOut:
        outcome = await services.accept_proposal(
            slug=slug, proposal_id=proposal_id, applications=data.applications, actor=current_actor(request),
            now=utcnow(),
        )  # fmt: skip
        return AcceptOut(**outcome)

    @post(
        EXHIBITION + "/allocation/publish",
        status_code=200,
        summary="Publish the stands assigned or moved by hand since last published, and tell their exhibitors",
    )
    async def publish(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> dict[str, int]:
        count = await services.publish_stands(slug=slug, actor=current_actor(request), now=utcnow())
        return {"published": count}
