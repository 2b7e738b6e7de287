"""A hall's floor plan for people: the SVG (API), the interactive page and the printable
PDF, and for its organizers, moving exhibitors by dragging stands on the plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, PathParameter, QueryParameter
from litestar.response import Template

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, ExhibitionsError, InvalidInput, NotFound, PermissionDenied
from exhibitions.exhibitors.labels import SECTOR_LABELS
from exhibitions.stands import services
from exhibitions.stands.plan import STATUS_LABELS, PlanStand, render_plan_svg
from exhibitions.stands.plan_document import render_plan_pdf
from exhibitions.web.context import page, translator_for
from exhibitions.web.i18n import N_, RTL_LANGUAGES, Translator

Colour = Annotated[Literal["status", "sector"], QueryParameter(name="colour")]
StandCode = Annotated[str | None, QueryParameter(max_length=40)]
HallId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
ProposalId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
HALL_PLAN = "/exhibitions/{slug:str}/halls/{hall_id:int}/plan"
EDITOR = "/organize/exhibitions/{slug:str}/plans"
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)

# What the drag and drop says, in the organizer's language (static/js/plan-drag.js).
DRAG_MESSAGES = {
    "hint": N_(
        "Drag a stand onto another to move its exhibitor there; onto an occupied stand, the two swap."
        " With the keyboard: focus a stand, press M, go to the other stand (Tab or the arrow keys)"
        " and press Enter; Escape cancels."
    ),
    "picked": N_("Moving the exhibitor of stand {code}: choose the stand to move it to and press Enter."),
    "cancelled": N_("Move cancelled."),
    "locked": N_("Stand {code} is locked: unlock it before moving its exhibitor."),
    "empty": N_("Stand {code} has no exhibitor to move."),
    "saving": N_("Moving…"),
    "failed": N_("The move could not be saved. Check your connection and try again."),
}
# The answers of the move, by outcome or by the code of the service's refusal.
MOVE_MESSAGES = {
    "moved": N_("{name} moved to stand {code}."),
    "swapped": N_("{name} and {other} swapped stands."),
    "same": N_("{name} is on stand {code} already."),
    "locked": N_("{name} is locked on its stand: unlock it before moving it."),
    "full": N_("Every place of stand {code} is taken: move one of its exhibitors first."),
    "stand_taken": N_("Stand {code} was taken meanwhile: the plan now shows who is where."),
    "not_assigned": N_("This exhibitor has no stand any more: the plan now shows who is where."),
    "unknown": N_("There is no such stand or exhibitor in this exhibition."),
    "refused": N_("Only the exhibition's organizers can move its exhibitors."),
}


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


def shown_name(assignment: dict[str, Any], language: str) -> str:
    if language in RTL_LANGUAGES:
        return str(assignment["name_ar"] or assignment["name"])
    return str(assignment["name"])


def movable_data(rows: Sequence[dict[str, Any]], language: str) -> dict[str, list[dict[str, Any]]]:
    """By stand code, who sits there (application id, name, locked): what the organizers'
    drag and drop needs besides the SVG. Never on a public page."""
    return {
        row["code"]: [
            {"application": a["application"], "name": shown_name(a, language), "locked": bool(a["locked"])}
            for a in row["assignments"]
        ]
        for row in rows
    }


def editor_data(slug: str, rows: Sequence[dict[str, Any]], translator: Translator) -> dict[str, Any]:
    """The drag and drop's settings (the CSRF token comes from the template)."""
    return {
        "move_url": f"/organize/exhibitions/{slug}/plans/move?lang={translator.language}",
        "stands": movable_data(rows, translator.language),
        "messages": {key: translator.gettext(message) for key, message in DRAG_MESSAGES.items()},
    }


def refusal_outcome(exc: ExhibitionsError) -> str:
    """The ``MOVE_MESSAGES`` key of a service's refusal."""
    if isinstance(exc, PermissionDenied):
        return "refused"
    codes = [error.code for error in getattr(exc, "errors", [])]
    for outcome in ("locked", "stand_taken"):
        if outcome in codes:
            return outcome
    return "unknown"


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
        actor = current_actor(request)
        exhibition, hall, stands = await services.hall_plan(slug=slug, hall_id=hall_id, actor=actor)
        editor = None
        if services.may_see_everything(actor, exhibition["id"]):
            rows = await services.hall_stands(slug=slug, hall_id=hall_id)
            editor = editor_data(slug, rows, translator)
        page_url = f"/exhibitions/{slug}/halls/{hall_id}/plan"
        return page(
            request,
            "stands/plan_page.html",
            title=f"{exhibition['title_' + translator.language]} · {hall.name}",
            hall=hall,
            colour=colour,
            svg=render_plan_svg(hall, highlighted(stands, highlight), colour_by=colour, language=translator.language),
            stands=stands_data(stands, translator, slug=slug),
            editor=editor,
            pdf_url=f"{page_url}.pdf?lang={translator.language}&colour={colour}",
            page_url=page_url,
        )

    @get(EDITOR, guards=[requires_staff])
    async def editor(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        """The organizers' plans of every hall holding stands, to drag stands on: an HTML
        fragment the allocation page loads (static/js/plan-drag.js)."""
        translator = translator_for(request)
        actor = current_actor(request)
        halls, rows = [], []
        for listed in await services.list_halls(slug=slug, actor=actor):
            if not listed["stands"]:
                continue
            _, hall, stands = await services.hall_plan(slug=slug, hall_id=listed["id"], actor=actor)
            halls.append({"name": hall.name, "svg": render_plan_svg(hall, stands, language=translator.language)})
            rows += await services.hall_stands(slug=slug, hall_id=listed["id"])
        return page(request, "stands/plan_editor.html", halls=halls, editor=editor_data(slug, rows, translator))

    @post(EDITOR + "/move", guards=[requires_staff])
    async def move(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Response[dict[str, str]]:
        """Drop an application's stand onto another (form fields ``application``, ``code``):
        JSON ``{outcome, code, message}``, the message in the organizer's language; 200 when
        done, 409 or 422 when refused (and 403 for someone else's exhibition)."""
        translator = translator_for(request)
        application, code = data.get("application", ""), data.get("code", "").strip()
        status, name, other = 200, "", ""
        try:
            if not application.isdigit() or int(application) > MAX_ID or not code or len(code) > 40:
                raise services.DropRefused("unknown", code)
            drop = await services.drop_on_stand(
                slug=slug, application_id=int(application), code=code, actor=current_actor(request), now=utcnow()
            )
            outcome, code = drop.outcome, drop.code
            name = shown_name(drop.moved, translator.language) if drop.moved else ""
            other = shown_name(drop.other, translator.language) if drop.other else ""
        except services.DropRefused as refusal:
            outcome, code = refusal.outcome, refusal.code or code
            name = shown_name(refusal.assignment, translator.language) if refusal.assignment else ""
            status = 409 if outcome in ("locked", "full", "not_assigned") else 422
        except (Conflict, InvalidInput, NotFound, PermissionDenied) as exc:
            outcome = refusal_outcome(exc)
            status = {"refused": 403, "unknown": 422}.get(outcome, 409)
        message = translator.gettext(MOVE_MESSAGES[outcome]).format(code=code, name=name, other=other)
        return Response({"outcome": outcome, "code": code, "message": message}, status_code=status)

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
