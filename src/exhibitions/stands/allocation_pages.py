"""The organizers' allocation page: the allocator's weights, "compute a proposal", its
result (gap, points by goal, a reason per exhibitor, who cannot be placed and why), the
proposal drawn as a diff on each hall's plan, accepting all of it or the ticked rows, and
moving and locking single assignments. Server-rendered forms: it works without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, PathParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput
from exhibitions.events import services as event_services
from exhibitions.stands import allocation, services
from exhibitions.stands.pages import say
from exhibitions.web.context import page, translator_for
from exhibitions.web.i18n import N_, Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
PAGE = "/organize/exhibitions/{slug:str}/allocation"

# The solver's note codes (stands/allocation.py), said to people in their language.
NOTES = {
    "locked": N_("locked by the organizers"),
    "unchanged": N_("as published"),
    "zone_met": N_("zone preference met"),
    "zone_missed": N_("zone preference not met"),
    "hall_met": N_("hall preference met"),
    "hall_missed": N_("hall preference not met"),
    "sector_neighbours": N_("same sector as neighbours"),
    "region_neighbours": N_("same region as neighbours"),
    "near_met": N_("near the organizations asked for"),
    "near_missed": N_("near request not met"),
    "shared": N_("shares the stand"),
}
UNPLACED = {
    "no_fitting_stand": N_("no stand fits its size, type and needs"),
    "fitting_stands_taken": N_("every stand that fits is taken"),
}
GOALS = {
    "unplaced": N_("Unplaced applications"),
    "preference": N_("Preferences"),
    "fairness": N_("Fairness"),
    "sector_clustering": N_("Sector clustering"),
    "region": N_("Regions"),
    "near": N_("Near requests"),
    "keep_apart": N_("Same products kept apart"),
    "changes": N_("Changes to published stands"),
}
WEIGHT_LABELS = {
    "preference": N_("Preferred zone or hall"),
    "fairness": N_("Fairness"),
    "sector_clustering": N_("Sector clustering"),
    "region": N_("Regions"),
    "near": N_("Near requests"),
    "keep_apart": N_("Same products kept apart"),
    "change": N_("Keep published stands"),
    "unplaced": N_("Place everyone"),
}
MESSAGES = {
    "stale": N_("The stands or the locks changed since this proposal was computed: compute a new one."),
    "accepted": N_("This proposal was accepted already."),
    "not_proposed": N_("This application has no stand in the proposal."),
    "out_of_range": N_("Enter a whole number from 0 to 100000."),
    "empty": N_("Tick at least one row."),
}


def reason_text(notes: list[str], translator: Translator) -> str:
    """The one-line reason, from the solver's note codes, in the reader's language."""
    said = [translator.gettext(NOTES[note]) for note in notes if note in NOTES]
    return "; ".join(said) or translator.gettext(N_("fits its needs"))


def _say(error: FieldError, translator: Translator) -> str:
    return translator.gettext(MESSAGES[error.code]) if error.code in MESSAGES else say(error, translator)


class AllocationPagesController(Controller):
    path = PAGE
    guards = [requires_staff]
    include_in_schema = False

    async def _page(
        self, request: Request[Any, Any, Any], slug: str, *, errors: list[FieldError] | None = None,
        weights: dict[str, str] | None = None, status_code: int = 200,
    ) -> Template:  # fmt: skip
        actor = current_actor(request)
        translator = translator_for(request)
        proposal = await services.latest_proposal(slug=slug, actor=actor)
        halls = await services.list_halls(slug=slug, actor=actor)
        stands, _ = await services.list_stands(slug=slug, actor=actor, per_page=None)
        current = {a["application"]: (stand["code"], a) for stand in stands for a in stand["assignments"]}
        rules = proposal["rules"] if proposal else services.rules_json(allocation.Rules())
        return page(
            request,
            "stands/allocation.html",
            status_code=status_code,
            slug=slug,
            exhibition=await event_services.get_exhibition_detail(slug=slug, actor=actor),
            proposal=proposal,
            halls=[hall for hall in halls if hall["stands"]],
            stands=stands,
            current=current,
            weights={key: (weights or {}).get(key, rules.get(key, "")) for key in services.WEIGHTS},
            region_mode=(weights or {}).get("region_mode", rules.get("region_mode", "spread")),
            weight_labels={key: translator.gettext(label) for key, label in WEIGHT_LABELS.items()},
            goal_labels={key: translator.gettext(label) for key, label in GOALS.items()},
            reason=lambda notes: reason_text(notes, translator),
            unplaced_reason=lambda code: translator.gettext(UNPLACED.get(code, N_("cannot be placed"))),
            problems=[_say(error, translator) for error in errors or []],
        )

    @get("/")
    async def show(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._page(request, slug)

    @post("/compute")
    async def compute(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        weights: dict[str, Any] = {}
        errors: list[FieldError] = []
        for key in services.WEIGHTS:
            text = data.get(key, "").strip()
            if text:
                if text.isdigit():
                    weights[key] = int(text)
                else:
                    errors.append(FieldError(f"rules.{key}", "out_of_range", "is a whole number"))
        if data.get("region_mode"):
            weights["region_mode"] = data["region_mode"]
        try:
            if errors:
                raise InvalidInput(errors)
            rules = services.rules_from(weights)
            await services.compute_proposal(slug=slug, rules=rules, actor=current_actor(request), now=utcnow())
        except InvalidInput as exc:
            return await self._page(request, slug, errors=exc.errors, weights=data, status_code=422)
        return Redirect(path=f"/organize/exhibitions/{slug}/allocation")

    @post("/{proposal_id:int}/accept")
    async def accept(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        proposal_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> Template | Redirect:
        form = await request.form()
        ticked = [int(value) for value in form.getall("applications", []) if str(value).isdigit()]
        applications = ticked if form.get("which") == "ticked" else None
        try:
            await services.accept_proposal(
                slug=slug, proposal_id=proposal_id, applications=applications, actor=current_actor(request),
                now=utcnow(),
            )  # fmt: skip
        except (InvalidInput, Conflict) as exc:
            status_code = 409 if isinstance(exc, Conflict) else 422
            return await self._page(request, slug, errors=exc.errors, status_code=status_code)
        return Redirect(path=f"/organize/exhibitions/{slug}/allocation")

    @post("/move")
    async def move(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        application, code = data.get("application", ""), data.get("code", "")
        try:
            if not application.isdigit() or not code:
                raise InvalidInput([FieldError("code", "required", "choose a stand")])
            await services.assign_stand(
                slug=slug, code=code, application_id=int(application), locked=bool(data.get("locked")),
                actor=current_actor(request), now=utcnow(),
            )  # fmt: skip
        except (InvalidInput, Conflict) as exc:
            status_code = 409 if isinstance(exc, Conflict) else 422
            return await self._page(request, slug, errors=exc.errors, status_code=status_code)
        return Redirect(path=f"/organize/exhibitions/{slug}/allocation")

    @post("/publish")
    async def publish(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Redirect:
        await services.publish_stands(slug=slug, actor=current_actor(request), now=utcnow())
        return Redirect(path=f"/organize/exhibitions/{slug}/allocation")
