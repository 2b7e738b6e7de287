"""The organizers' allocation page: the exhibition's allocation rules (saved, and used by
"compute a proposal"), the proposal's result (gap, points by goal, a reason per exhibitor,
who cannot be placed and why), the proposal drawn as a diff on each hall's plan, accepting
all of it or the ticked rows, and moving and locking single assignments. Server-rendered
forms: it works without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, PathParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput
from exhibitions.events import services as event_services
from exhibitions.stands import services
from exhibitions.stands.pages import say
from exhibitions.stands.plan import render_plan_svg
from exhibitions.stands.reasons import UNPLACED, reason_text
from exhibitions.web.context import page, translator_for
from exhibitions.web.i18n import N_, Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
PAGE = "/organize/exhibitions/{slug:str}/allocation"

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
MEASURE_LABELS = {
    "neighbour_gap_m": N_("Largest gap between neighbouring stands (metres)"),
    "max_area_ratio": N_("Largest stand for a request (times the area asked)"),
    "time_limit_s": N_("Time to compute a proposal (seconds)"),
}
RULE_LABELS = {**WEIGHT_LABELS, "region_mode": N_("Exhibitors of one region"), **MEASURE_LABELS}
MESSAGES = {
    "stale": N_("The stands or their assignments changed since this proposal was computed: compute a new one."),
    "accepted": N_("This proposal was accepted already."),
    "not_proposed": N_("This application has no stand in the proposal."),
    "empty": N_("Tick at least one row."),
    "invalid": N_("Choose spread or together."),
}
# What is out of range is said by the rule it concerns.
RANGES = {
    **dict.fromkeys(WEIGHT_LABELS, N_("Enter a whole number from 0 to 100000.")),
    "neighbour_gap_m": N_("Enter a distance from 0 to 10 metres."),
    "max_area_ratio": N_("Enter a number from 1 to 10."),
    "time_limit_s": N_("Enter a number of seconds from 0.1 to 30."),
}


LABELLED = N_("%(label)s: %(message)s")


def _say(error: FieldError, translator: Translator) -> str:
    template = RANGES.get(error.field) if error.code == "out_of_range" else MESSAGES.get(error.code)
    return translator.gettext(template) if template else say(error, translator)


def _say_labelled(error: FieldError, translator: Translator) -> str:
    """For the list atop the page: which rule, then what is wrong with it."""
    if error.field not in RULE_LABELS:
        return _say(error, translator)
    label = translator.gettext(RULE_LABELS[error.field])
    return translator.gettext(LABELLED) % {"label": label, "message": _say(error, translator)}


def _number_text(value: Any) -> str:
    # 0.5 rather than 0.50000001, and 2 rather than 2.0.
    return f"{value:g}" if isinstance(value, float) else str(value)


def _rules_of(form: dict[str, str]) -> dict[str, Any]:
    """The rules the form sets (an empty field takes its default); numbers may be written with
    a decimal comma. What is not a number is named, with what the rules refuse."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for key in services.WEIGHTS:
        text = form.get(key, "").strip()
        if text.isdecimal():
            values[key] = int(text)
        elif text:
            errors.append(FieldError(key, "out_of_range", "is a whole number"))
    for key in services.MEASURES:
        text = form.get(key, "").strip().replace(",", ".")
        if text:
            try:
                values[key] = float(text)
            except ValueError:
                errors.append(FieldError(key, "out_of_range", "is a number"))
    if form.get("region_mode"):
        values["region_mode"] = form["region_mode"]
    try:
        services.rules_from(values, prefix="")
    except InvalidInput as exc:
        errors = sorted([*errors, *exc.errors], key=lambda error: list(RULE_LABELS).index(error.field))
    if errors:
        raise InvalidInput(errors)
    return values


class AllocationPagesController(Controller):
    path = PAGE
    guards = [requires_staff]
    include_in_schema = False

    async def _page(
        self, request: Request[Any, Any, Any], slug: str, *, errors: list[FieldError] | None = None,
        form: dict[str, str] | None = None, status_code: int = 200,
    ) -> Template:  # fmt: skip
        actor = current_actor(request)
        translator = translator_for(request)
        proposal = await services.latest_proposal(slug=slug, actor=actor)
        halls = await services.list_halls(slug=slug, actor=actor)
        stands, _ = await services.list_stands(slug=slug, actor=actor, per_page=None)
        current = {a["application"]: (stand["code"], a) for stand in stands for a in stand["assignments"]}
        rules = form if form is not None else await services.get_rules(slug=slug, actor=actor)
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
            weights={key: rules.get(key, "") for key in services.WEIGHTS},
            measures={key: _number_text(rules.get(key, "")) for key in services.MEASURES},
            region_mode=rules.get("region_mode", "spread"),
            rules_saved=form is None and rules.get("updated_at") is not None,
            weight_labels={key: translator.gettext(label) for key, label in RULE_LABELS.items()},
            rule_errors={error.field: _say(error, translator) for error in errors or [] if error.field in RULE_LABELS},
            goal_labels={key: translator.gettext(label) for key, label in GOALS.items()},
            reason=lambda item: reason_text(item["notes"], translator, item.get("near", ())),
            unplaced_reason=lambda code: translator.gettext(UNPLACED.get(code, N_("cannot be placed"))),
            problems=[_say_labelled(error, translator) for error in errors or []],
        )

    @get("/")
    async def show(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._page(request, slug)

    @get("/{proposal_id:int}/halls/{hall_id:int}/plan.svg", media_type="image/svg+xml")
    async def diff_plan(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        proposal_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
        hall_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> Response[str]:
        """The proposal drawn over the hall's plan, for the page's signed-in organizer (an
        ``<img>`` carries the session cookie, which the API does not take)."""
        _, hall, stands = await services.hall_plan(
            slug=slug, hall_id=hall_id, actor=current_actor(request), proposal_id=proposal_id
        )
        svg = render_plan_svg(hall, stands, colour_by="status", language=translator_for(request).language)
        return Response(svg, media_type="image/svg+xml")

    @post("/rules")
    async def save_rules(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        try:
            await services.save_rules(slug=slug, values=_rules_of(data), actor=current_actor(request), now=utcnow())
        except InvalidInput as exc:
            return await self._page(request, slug, errors=exc.errors, form=data, status_code=422)
        return Redirect(path=f"/organize/exhibitions/{slug}/allocation")

    @post("/compute")
    async def compute(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        """Save the rules as the form sets them, then compute a proposal with them."""
        actor = current_actor(request)
        try:
            await services.save_rules(slug=slug, values=_rules_of(data), actor=actor, now=utcnow())
        except InvalidInput as exc:
            return await self._page(request, slug, errors=exc.errors, form=data, status_code=422)
        await services.compute_proposal(slug=slug, actor=actor, now=utcnow())
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
