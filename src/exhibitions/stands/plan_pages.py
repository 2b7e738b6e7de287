"""SAMPLE floor-plan pages: the renderer on a generated hall, to preview and test the plan
(SVG, interactive page, PDF) before the stands domain serves real halls. The integrator
swaps ``sample_plan`` for the hall's stands; the templates and the script stay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.response import Template

from exhibitions.accounts.guards import MAX_ID, current_actor
from exhibitions.exhibitors.labels import SECTOR_LABELS
from exhibitions.stands import services
from exhibitions.stands.plan import STATUS_LABELS, ColourBy, PlanStand, render_plan_svg
from exhibitions.stands.plan_document import render_plan_pdf
from exhibitions.stands.plan_sample import sample_plan
from exhibitions.web.context import page, translator_for
from exhibitions.web.i18n import N_, Translator

SAMPLE_SLUG = "sample"
SAMPLE_STANDS = 60
SAMPLE_TITLE = N_("Sample exhibition")
Colour = Annotated[Literal["status", "sector"], QueryParameter(name="colour")]
StandCode = Annotated[str | None, QueryParameter(max_length=40)]
HallId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
ProposalId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
HALL_PLAN = "/exhibitions/{slug:str}/halls/{hall_id:int}/plan"


def highlighted(stands: Sequence[PlanStand], code: str | None) -> list[PlanStand]:
    """The stands, with the one whose code is ``code`` highlighted (the directory links to it)."""
    if not code:
        return list(stands)
    return [replace(stand, highlight=True) if stand.code == code else stand for stand in stands]


def stands_data(stands: Sequence[PlanStand], translator: Translator, *, slug: str) -> dict[str, Any]:
    """What the interactive page's script shows in its panel and searches, by stand code."""
    return {
        stand.code: {
            "status": translator.gettext(STATUS_LABELS[stand.status]),
            "exhibitors": [
                {
                    "name_ar": exhibitor.name_ar,
                    "name_latin": exhibitor.name_latin,
                    "sector": translator.gettext(SECTOR_LABELS[exhibitor.sector])
                    if exhibitor.sector in SECTOR_LABELS
                    else exhibitor.sector,
                    "region": exhibitor.region,
                    "url": f"/exhibitions/{slug}/exhibitors/{exhibitor.id}",
                }
                for exhibitor in stand.exhibitors
            ],
        }
        for stand in stands
    }


class PlanPagesController(Controller):
    """The sample hall's plan, for anyone: it holds no real data."""

    include_in_schema = False

    @get("/plans/sample.svg", media_type="image/svg+xml")
    async def sample_svg(
        self, request: Request[Any, Any, Any], colour: Colour = "status", highlight: StandCode = None
    ) -> Response[str]:
        hall, stands = sample_plan(SAMPLE_STANDS)
        language = translator_for(request).language
        svg = render_plan_svg(hall, highlighted(stands, highlight), colour_by=colour, language=language)
        return Response(svg, media_type="image/svg+xml")

    @get("/plans/sample")
    async def sample_page(
        self, request: Request[Any, Any, Any], colour: Colour = "status", highlight: StandCode = None
    ) -> Template:
        translator = translator_for(request)
        hall, stands = sample_plan(SAMPLE_STANDS)
        colour_by: ColourBy = colour
        return page(
            request,
            "stands/plan_page.html",
            title=translator.gettext(SAMPLE_TITLE),
            hall=hall,
            sample=True,
            colour=colour_by,
            svg=render_plan_svg(
                hall, highlighted(stands, highlight), colour_by=colour_by, language=translator.language
            ),
            stands=stands_data(stands, translator, slug=SAMPLE_SLUG),
            pdf_url=f"/plans/sample.pdf?lang={translator.language}&colour={colour_by}",
            page_url="/plans/sample",
        )

    @get("/plans/sample.pdf", media_type="application/pdf")
    async def sample_pdf(self, request: Request[Any, Any, Any], colour: Colour = "sector") -> Response[bytes]:
        translator = translator_for(request)
        hall, stands = sample_plan(SAMPLE_STANDS)
        pdf = await render_plan_pdf(
            hall, stands, title=translator.gettext(SAMPLE_TITLE), language=translator.language, colour_by=colour
        )
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="plan-sample-{translator.language}.pdf"'},
        )


class HallPlanController(Controller):
    """A real hall's plan: the public sees published stands; organizers see every
    assignment, and a proposal as a diff (``?proposal=ID``)."""

    include_in_schema = False

    @get(
        "/api/v1" + HALL_PLAN + ".svg",
        media_type="image/svg+xml",
        include_in_schema=True,
        tags=["stands"],
        summary="A hall's plan as SVG (public: published stands; organizers: all, ?proposal= as a diff)",
    )
    async def plan_svg(
        self, request: Request[Any, Any, Any], slug: FromPath[str], hall_id: HallId, colour: Colour = "status",
        highlight: StandCode = None, proposal: ProposalId = None,
    ) -> Response[str]:  # fmt: skip
        _, hall, stands = await services.hall_plan(
            slug=slug, hall_id=hall_id, actor=current_actor(request), proposal_id=proposal
        )
        language = translator_for(request).language
        svg = render_plan_svg(hall, highlighted(stands, highlight), colour_by=colour, language=language)
        return Response(svg, media_type="image/svg+xml")

    @get(HALL_PLAN)
    async def plan_page(
        self, request: Request[Any, Any, Any], slug: FromPath[str], hall_id: HallId, colour: Colour = "status",
        highlight: StandCode = None,
    ) -> Template:  # fmt: skip
        translator = translator_for(request)
        exhibition, hall, stands = await services.hall_plan(slug=slug, hall_id=hall_id, actor=current_actor(request))
        page_url = f"/exhibitions/{slug}/halls/{hall_id}/plan"
        return page(
            request,
            "stands/plan_page.html",
            title=f"{exhibition['title_' + translator.language]} · {hall.name}",
            hall=hall,
            sample=False,
            colour=colour,
            svg=render_plan_svg(hall, highlighted(stands, highlight), colour_by=colour, language=translator.language),
            stands=stands_data(stands, translator, slug=slug),
            pdf_url=f"{page_url}.pdf?lang={translator.language}&colour={colour}",
            page_url=page_url,
        )

    @get(HALL_PLAN + ".pdf", media_type="application/pdf")
    async def plan_pdf(
        self, request: Request[Any, Any, Any], slug: FromPath[str], hall_id: HallId, colour: Colour = "sector"
    ) -> Response[bytes]:
        translator = translator_for(request)
        exhibition, hall, stands = await services.hall_plan(slug=slug, hall_id=hall_id, actor=current_actor(request))
        title = f"{exhibition['title_' + translator.language]} · {hall.name}"
        pdf = await render_plan_pdf(hall, stands, title=title, language=translator.language, colour_by=colour)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="plan-{slug}-{hall_id}-{translator.language}.pdf"'},
        )
