"""The assisted review over the API, for an exhibition's organizers: quotas and settings,
proposals (computed with a published seed) and applying one as decisions."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, JSONBody, PathParameter

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.exhibitors import review, services
from exhibitions.exhibitors.review_schemas import (
    ApplyIn,
    ApplyOut,
    GaugeOut,
    ProposalIn,
    ProposalOut,
    ProposedDecisionOut,
    QuotaOut,
    ReviewSettingsIn,
    ReviewSettingsOut,
)

REVIEW = "/api/v1/exhibitions/{slug:str}/review"


def proposal_out(found: dict[str, Any]) -> ProposalOut:
    proposal: review.Proposal = found["proposal"]
    facts = found["facts"]
    gauges = [GaugeOut(**{k: v for k, v in services.gauge(r).items() if k in GaugeOut.__struct_fields__})
              for r in proposal.quotas]  # fmt: skip
    return ProposalOut(
        id=found["id"], exhibition=found["exhibition_slug"], seed=proposal.seed, capacity=proposal.capacity,
        places=proposal.places, unfilled=proposal.unfilled, total_score=proposal.total_score,
        created_at=found["created_at"], applied_at=found["applied_at"], quotas=gauges,
        unmet=[one for one in gauges if not one.met],
        decisions=[
            ProposedDecisionOut(
                application=d.application_id, organization=facts[d.application_id]["organization"],
                name=facts[d.application_id]["name"], region=facts[d.application_id]["region"],
                sector=facts[d.application_id]["sector"], legal_form=facts[d.application_id]["legal_form"],
                women_led=facts[d.application_id]["women_led"], outcome=d.outcome, rank=d.rank, score=d.score,
                points={c.value: p for c, p in d.points.items()}, quotas=list(d.quotas),
                waitlist_position=d.waitlist_position, reason=review.explain(d, proposal, str),
            )
            for d in proposal.decisions
        ],
    )  # fmt: skip


class ReviewApiController(Controller):
    tags = ["review"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @get(f"{REVIEW}/quotas", summary="The review settings: capacity, criteria weights and quotas (organizers)")
    async def get_settings(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> ReviewSettingsOut:
        found = await services.get_review_settings(slug=slug, actor=current_actor(request))
        return ReviewSettingsOut(
            capacity=found["capacity"], weights=found["weights"], quotas=[QuotaOut(**q) for q in found["quotas"]]
        )

    @put(f"{REVIEW}/quotas", summary="Replace the capacity, criteria weights and quotas (organizers)")
    async def put_settings(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[ReviewSettingsIn]
    ) -> ReviewSettingsOut:
        found = await services.set_review_settings(slug=slug, data=data, actor=current_actor(request), now=utcnow())
        return ReviewSettingsOut(
            capacity=found["capacity"], weights=found["weights"], quotas=[QuotaOut(**q) for q in found["quotas"]]
        )

    @get(f"{REVIEW}/gauges", summary="Each quota against the applications approved now (organizers)")
    async def gauges(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[GaugeOut]:
        found = await services.quota_gauges(slug=slug, actor=current_actor(request))
        return [GaugeOut(**{k: v for k, v in g.items() if k in GaugeOut.__struct_fields__}) for g in found]

    @post(f"{REVIEW}/proposals", summary="Compute a proposal (a draft) with the given seed, or a fresh random one")
    async def compute(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[ProposalIn | None] = None
    ) -> Response[ProposalOut]:
        found = await services.compute_proposal(
            slug=slug, actor=current_actor(request), seed=data.seed if data else None, now=utcnow()
        )
        return Response(proposal_out(found), status_code=201)

    @get(f"{REVIEW}/proposals/latest", summary="The latest proposal, with its seed and every decision explained")
    async def latest(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> ProposalOut:
        return proposal_out(await services.get_proposal(slug=slug, proposal_id=None, actor=current_actor(request)))

    @get(f"{REVIEW}/proposals/{{proposal_id:int}}", summary="One proposal")
    async def one(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        proposal_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> ProposalOut:
        return proposal_out(
            await services.get_proposal(slug=slug, proposal_id=proposal_id, actor=current_actor(request))
        )

    @post(
        f"{REVIEW}/proposals/{{proposal_id:int}}/apply",
        status_code=200,
        summary="Make the proposal's decisions, with overrides, in one transaction; refused if anything changed",
    )
    async def apply(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        proposal_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
        data: JSONBody[ApplyIn | None] = None,
    ) -> ApplyOut:
        overrides = {one.application: one.outcome for one in (data.overrides if data else [])}
        counts = await services.apply_proposal(
            slug=slug, proposal_id=proposal_id, overrides=overrides, actor=current_actor(request), now=utcnow()
        )
        return ApplyOut(**counts)
