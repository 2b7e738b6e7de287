"""The organizers' review page: capacity, criteria weights and quotas; computing a proposal
with a published seed; reading it (gauges, ranks, reasons) page by page; overriding rows
and applying it. Server-rendered forms: it works without JavaScript."""

from __future__ import annotations

import math
import re
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_ID, MAX_PAGE, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.events import services as event_services
from exhibitions.events.regions import all_regions
from exhibitions.exhibitors import review, services
from exhibitions.exhibitors.labels import SECTOR_LABELS, quota_name
from exhibitions.exhibitors.review import Criterion, Dimension, Outcome
from exhibitions.exhibitors.review_schemas import QuotaIn, ReviewSettingsIn
from exhibitions.exhibitors.tables import LegalForm, Sector
from exhibitions.web.context import page, translator_for
from exhibitions.web.forms import message_for
from exhibitions.web.i18n import N_, Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
ROWS_PER_PAGE = 50
BLANK_QUOTA_ROWS = 3
_QUOTA_FIELD = re.compile(r"^quotas\[(\d+)\]")

CRITERIA = {
    Criterion.first_time: N_("Never exhibited before"),
    Criterion.women_led: N_("Women-led"),
    Criterion.youth_led: N_("Youth-led"),
    Criterion.product_diversity: N_("Product diversity (per product, up to 5)"),
}
DIMENSIONS = {
    Dimension.region: N_("Region"),
    Dimension.sector: N_("Sector"),
    Dimension.legal_form: N_("Legal form"),
    Dimension.women_led: N_("Women-led"),
}
OUTCOMES = {
    Outcome.selected: N_("Selected"),
    Outcome.waitlisted: N_("Waiting list"),
    Outcome.rejected: N_("Rejected"),
}
# The review's own codes, said to the organizer (the shared ones come from web.forms).
MESSAGES = {
    "not_allowed": N_("Women-led takes no value: leave it empty."),
    "below_minimum": N_("The maximum must not be below the minimum."),
    "out_of_range": N_("Give a percentage between 0 and 100."),
    "duplicate": N_("This group has a quota already."),
    "stale": N_("The applications changed since this proposal was computed: compute a new one."),
    "applied": N_("This proposal was applied already."),
    "over_capacity": N_("The overrides select more applicants than there are stands."),
    "approved_already": N_("This applicant was approved before."),
    "unknown": N_("This applicant is not in the proposal."),
    "no_capacity": N_("Set the number of stands to fill first."),
}


def _say(error: FieldError, translator: Translator) -> str:
    return translator.gettext(MESSAGES[error.code]) if error.code in MESSAGES else message_for(error, translator)


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:g}"


def _settings_values(found: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {"capacity": str(found["capacity"])}
    values.update({f"weight_{name}": str(points) for name, points in found["weights"].items()})
    rows = [
        {"dimension": q["dimension"].value, "value": q["value"], "min": _percent(q["min_share"]),
         "max": _percent(q["max_share"])}
        for q in found["quotas"]
    ]  # fmt: skip
    values["quotas"] = rows + [{"dimension": "", "value": "", "min": "", "max": ""}] * BLANK_QUOTA_ROWS
    return values


def _parse_settings(form: dict[str, str]) -> tuple[ReviewSettingsIn | None, dict[str, Any], list[FieldError]]:
    """The form's settings, the values to show again, and every field error (quota rows are
    ``quota_<n>_dimension`` ... with percentages; an empty row is ignored)."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {key: value for key, value in form.items() if not key.startswith("quota_")}

    def number(name: str, text: str, low: float, high: float) -> float | None:
        try:
            value = float(text.strip().replace(",", "."))
        except ValueError:
            errors.append(FieldError(name, "invalid", "is not a number"))
            return None
        if not (low <= value <= high) or math.isnan(value):
            errors.append(FieldError(name, "out_of_range", f"must be between {low:g} and {high:g}"))
            return None
        return value

    capacity = number("capacity", form.get("capacity", "") or "0", 0, 100_000)
    weights = {}
    for criterion in Criterion:
        points = number(f"weight_{criterion.value}", form.get(f"weight_{criterion.value}", "") or "0", 0, 10)
        weights[criterion] = int(points or 0)
    rows = []
    quotas = []
    indexes = sorted({int(m[1]) for key in form if (m := re.match(r"^quota_(\d+)_", key))})
    for index in indexes:
        row = {part: form.get(f"quota_{index}_{part}", "").strip() for part in ("dimension", "value", "min", "max")}
        if not row["dimension"]:
            continue
        rows.append(row)
        position = len(rows) - 1
        try:
            dimension = Dimension(row["dimension"])
        except ValueError:
            errors.append(FieldError(f"quotas[{position}].dimension", "invalid_choice", "is not a dimension"))
            continue
        bounds = [
            None if not row[part] else number(f"quotas[{position}].{part}_share", row[part], 0, 100)
            for part in ("min", "max")
        ]
        quotas.append(
            QuotaIn(
                dimension=dimension,
                value=row["value"],
                min_share=None if bounds[0] is None else bounds[0] / 100,
                max_share=None if bounds[1] is None else bounds[1] / 100,
            )
        )
    values["quotas"] = rows + [{"dimension": "", "value": "", "min": "", "max": ""}] * BLANK_QUOTA_ROWS
    if errors or capacity is None:
        return None, values, errors
    return ReviewSettingsIn(capacity=int(capacity), weights=weights, quotas=quotas), values, []


def _split_errors(errors: list[FieldError], translator: Translator) -> tuple[dict[str, str], dict[int, str]]:
    """(messages by plain field, messages by quota row)."""
    fields: dict[str, str] = {}
    rows: dict[int, str] = {}
    for error in errors:
        match = _QUOTA_FIELD.match(error.field)
        if match:
            rows.setdefault(int(match[1]), _say(error, translator))
        else:
            fields.setdefault(error.field, _say(error, translator))
    return fields, rows


def _page_overrides(form: dict[str, str]) -> dict[int, Outcome | None]:
    """The override selects of the rows shown: an outcome, or None for "keep the proposal's"."""
    overrides: dict[int, Outcome | None] = {}
    for key, value in form.items():
        if key.startswith("override_") and key[9:].isdigit():
            try:
                overrides[int(key[9:])] = Outcome(value) if value else None
            except ValueError:
                continue  # not one of the options: the row keeps what it had
    return overrides


class ReviewPagesController(Controller):
    path = "/organize/exhibitions/{slug:str}/review"
    guards = [requires_staff]
    include_in_schema = False

    async def _page(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        *,
        tab: str = Outcome.selected.value,
        page_number: int = 1,
        values: dict[str, Any] | None = None,
        errors: list[FieldError] | None = None,
        status_code: int = 200,
        notice: str | None = None,
    ) -> Template:
        actor = current_actor(request)
        translator = translator_for(request)
        settings = await services.get_review_settings(slug=slug, actor=actor)
        try:
            found: dict[str, Any] | None = await services.get_proposal(slug=slug, proposal_id=None, actor=actor)
        except NotFound:
            found = None
        field_errors, row_errors = _split_errors(errors or [], translator)
        context: dict[str, Any] = {
            "slug": slug,
            "exhibition": await event_services.get_exhibition_detail(slug=slug, actor=actor),
            "values": values or _settings_values(settings),
            "errors": field_errors,
            "row_errors": row_errors,
            "criteria": {criterion.value: label for criterion, label in CRITERIA.items()},
            "dimensions": {dimension.value: label for dimension, label in DIMENSIONS.items()},
            "outcomes": {outcome.value: label for outcome, label in OUTCOMES.items()},
            "regions": all_regions(),
            "region_names": {region.code: region.name(translator.language) for region in all_regions()},
            "sector_names": {key: translator.gettext(label) for key, label in SECTOR_LABELS.items()},
            "sectors": [sector.value for sector in Sector],
            "legal_forms": [form.value for form in LegalForm],
            "current_gauges": await services.quota_gauges(slug=slug, actor=actor),
            "notice": notice,
            "tab": tab,
            "proposal": None,
        }
        if found is not None:
            proposal: review.Proposal = found["proposal"]
            facts = found["facts"]
            shown = [d for d in proposal.decisions if d.outcome.value == tab]
            pages = max(1, math.ceil(len(shown) / ROWS_PER_PAGE))
            page_number = min(page_number, pages)
            start = (page_number - 1) * ROWS_PER_PAGE
            context["proposal"] = {
                "id": found["id"],
                "seed": proposal.seed,
                "capacity": proposal.capacity,
                "places": proposal.places,
                "unfilled": proposal.unfilled,
                "total_score": proposal.total_score,
                "created_at": found["created_at"],
                "applied_at": found["applied_at"],
                "gauges": [services.gauge(result) for result in proposal.quotas],
                "counts": {o.value: sum(d.outcome is o for d in proposal.decisions) for o in Outcome},
                "total": len(proposal.decisions),
                "rows": [
                    {
                        "decision": d,
                        "facts": facts[d.application_id],
                        "reason": review.explain(
                            d, proposal, translator.gettext, partial(quota_name, gettext=translator.gettext)
                        ),
                    }
                    for d in shown[start : start + ROWS_PER_PAGE]
                ],
                "pagination": {"page": page_number, "pages": pages, "total": len(shown)},
                "overrides": {key: value.value for key, value in found["overrides"].items()},
            }
        return page(request, "exhibitors/review/review.html", status_code=status_code, **context)

    @get("/")
    async def show(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        tab: Annotated[Outcome, QueryParameter()] = Outcome.selected,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=MAX_PAGE)] = 1,
        applied: Annotated[bool, QueryParameter()] = False,
    ) -> Template:
        notice = translator_for(request).gettext(N_("The decisions were applied and e-mailed.")) if applied else None
        return await self._page(request, slug, tab=tab.value, page_number=page_number, notice=notice)

    @post("/settings")
    async def save_settings(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        parsed, values, errors = _parse_settings(data)
        if parsed is not None:
            try:
                await services.set_review_settings(slug=slug, data=parsed, actor=current_actor(request), now=utcnow())
                return Redirect(path=f"/organize/exhibitions/{slug}/review/")
            except InvalidInput as exc:
                errors = exc.errors
        return await self._page(request, slug, values=values, errors=errors, status_code=422)

    @post("/proposals")
    async def compute(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        seed = (data.get("seed") or "").strip()
        if len(seed) > 100:
            error = FieldError("seed", "text_too_long", "at most 100 characters")
            return await self._page(request, slug, errors=[error], status_code=422)
        try:
            await services.compute_proposal(slug=slug, actor=current_actor(request), seed=seed or None, now=utcnow())
        except InvalidInput as exc:
            return await self._page(request, slug, errors=exc.errors, status_code=422)
        return Redirect(path=f"/organize/exhibitions/{slug}/review/")

    @post("/proposals/{proposal_id:int}/overrides")
    async def save_overrides(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        proposal_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Keep this page's override choices with the proposal, then show the same page."""
        tab = data.get("tab") if data.get("tab") in {o.value for o in Outcome} else Outcome.selected.value
        page_number = int(data["page"]) if data.get("page", "").isdigit() else 1
        try:
            await services.save_overrides(
                slug=slug, proposal_id=proposal_id, overrides=_page_overrides(data), actor=current_actor(request)
            )
        except (InvalidInput, Conflict) as exc:
            status_code = 409 if isinstance(exc, Conflict) else 422
            return await self._page(request, slug, tab=str(tab), errors=exc.errors, status_code=status_code)
        return Redirect(path=f"/organize/exhibitions/{slug}/review/?tab={tab}&page={page_number}")

    @post("/proposals/{proposal_id:int}/apply")
    async def apply(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        proposal_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        tab = data.get("tab", Outcome.selected.value)
        actor = current_actor(request)
        try:
            # This page's choices join those kept from the other pages, then all apply.
            await services.save_overrides(
                slug=slug, proposal_id=proposal_id, overrides=_page_overrides(data), actor=actor
            )
            await services.apply_proposal(slug=slug, proposal_id=proposal_id, overrides={}, actor=actor, now=utcnow())
        except (InvalidInput, Conflict) as exc:
            return await self._page(
                request, slug, tab=tab if tab in {o.value for o in Outcome} else "selected", errors=exc.errors,
                status_code=409 if isinstance(exc, Conflict) else 422,
            )  # fmt: skip
        return Redirect(path=f"/organize/exhibitions/{slug}/review/?applied=true")
