"""The organizers' stands page: per hall, the plan's size, the stands with who holds them,
forms to add one stand or a whole grid, CSV import and export, and assigning, locking and
freeing each stand. Server-rendered forms: it works without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Template
from msgspec import Struct

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput
from exhibitions.events import services as event_services
from exhibitions.stands import services
from exhibitions.stands.api import MAX_CSV_BYTES
from exhibitions.stands.schemas import GridIn, StandIn
from exhibitions.stands.tables import StandType
from exhibitions.web.context import page, translator_for
from exhibitions.web.forms import LINE_MESSAGE, message_for, parse_form
from exhibitions.web.i18n import N_, Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
PAGE = "/organize/exhibitions/{slug:str}/stands"
HallId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]

STAND_TYPES = {
    StandType.standard: N_("Standard"),
    StandType.corner: N_("Corner"),
    StandType.island: N_("Island"),
    StandType.outdoor: N_("Outdoor"),
}
# The stands' own codes, said to the organizer (the shared ones come from web.forms).
MESSAGES = {
    "stand_overlap": N_("This stand overlaps another stand of the hall."),
    "outside_hall": N_("This stand does not fit inside the hall's plan."),
    "negative": N_("This value must not be negative."),
    "not_positive": N_("This size must be more than zero."),
    "too_large": N_("This value is too large."),
    "too_small": N_("This value is too small."),
    "too_many": N_("A grid holds at most 5,000 stands."),
    "invalid_code": N_("A stand code has 1 to 20 letters, digits, dots, dashes or underscores, like B-14."),
    "invalid_capacity": N_("A stand seats 1 or 2 exhibitors."),
    "unknown_hall": N_("This hall is not at the exhibition's venue."),
    "stand_taken": N_("Every seat of this stand is taken already."),
    "not_approved": N_("Only an approved application of this exhibition gets a stand."),
    "unknown": N_("This application is not in this exhibition."),
    "already_assigned": N_("This application has a stand already."),
    "seats_taken": N_("More exhibitors sit at this stand: free a seat first."),
    "stand_assigned": N_("This stand is assigned: free it first."),
    "stands_outside": N_("Stands already reach beyond this size."),
    "not_assigned": N_("This stand is not assigned."),
    "missing_columns": N_("The file lacks some columns: code, hall, x, y, width, depth."),
    "not_utf8": N_("The file must be a UTF-8 CSV file."),
    "empty": N_("The file holds no stands."),
    "more_errors": N_("And more problems: fix these first."),
    "duplicate": N_("A stand with this code exists already."),
}
_CLASH = re.compile(r"^stand (\S+) overlaps stand (\S+)$")
_ROW = re.compile(r"^rows\.(\d+)\.")


def say(error: FieldError, translator: Translator) -> str:
    """One error in the organizer's language, with what names it: the clashing codes, the CSV row."""
    message = translator.gettext(MESSAGES[error.code]) if error.code in MESSAGES else message_for(error, translator)
    if clash := _CLASH.match(error.reason):
        message = f"{message} ({clash[1]} ↔ {clash[2]})"
    if row := _ROW.match(error.field):
        message = translator.gettext(LINE_MESSAGE) % {"line": row[1], "message": message}
    return message


class ImportForm(Struct):
    file: UploadFile | None = None


LENGTHS = ("x", "y", "width", "depth", "stand_width", "stand_depth", "aisle_width", "origin_x", "origin_y",
           "cross_aisle_width")  # fmt: skip


def _as_typed(form: dict[str, str], checkboxes: tuple[str, ...]) -> dict[str, str]:
    """The form as the struct's parsing reads it: an unchecked box (which sends nothing) is
    false, and a length may be written with a decimal comma (3,5 m)."""
    lengths = {name: form[name].replace(",", ".") for name in LENGTHS if name in form}
    return {**form, **lengths, **{name: "true" if form.get(name) else "false" for name in checkboxes}}


EQUIPMENT = ("power", "water", "accessible")


class StandPagesController(Controller):
    path = PAGE
    guards = [requires_staff]
    include_in_schema = False

    async def _page(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        *,
        hall: int | None = None,
        form: str = "",
        values: dict[str, Any] | None = None,
        errors: list[FieldError] | None = None,
        status_code: int = 200,
    ) -> Template:
        actor = current_actor(request)
        translator = translator_for(request)
        halls = await services.list_halls(slug=slug, actor=actor)
        chosen = next((h for h in halls if h["id"] == hall), halls[0] if halls else None)
        stands: list[dict[str, Any]] = []
        if chosen is not None:
            stands, _ = await services.list_stands(slug=slug, actor=actor, hall=chosen["id"], per_page=None)
        messages: dict[str, str] = {}
        for error in errors or []:
            messages.setdefault(re.sub(r"^rows\.\d+\.", "", error.field), say(error, translator))
        return page(
            request,
            "stands/stands.html",
            status_code=status_code,
            slug=slug,
            exhibition=await event_services.get_exhibition_detail(slug=slug, actor=actor),
            halls=halls,
            hall=chosen,
            stands=stands,
            applications=await services.assignable_applications(slug=slug, actor=actor),
            stand_types={kind.value: label for kind, label in STAND_TYPES.items()},
            metres=services.metres_text,
            area=lambda stand: f"{Decimal(stand['width_cm'] * stand['depth_cm']).scaleb(-4).normalize():f}",
            form=form,
            values=values or {},
            errors=messages,
            problems=[say(error, translator) for error in errors or []],
        )

    def _back(self, slug: str, hall: int | str | None) -> Redirect:
        return Redirect(path=f"/organize/exhibitions/{slug}/stands" + (f"?hall={hall}" if hall else ""))

    @get("/")
    async def show(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        hall: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
    ) -> Template:
        return await self._page(request, slug, hall=hall)

    @post("/add")
    async def add(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        parsed, errors = parse_form(StandIn, _as_typed(data, EQUIPMENT))
        return await self._create(request, slug, data, "add", parsed, errors, services.create_stand)

    @post("/grid")
    async def grid(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        parsed, errors = parse_form(GridIn, _as_typed(data, (*EQUIPMENT, "mark_corners")))
        return await self._create(request, slug, data, "grid", parsed, errors, services.generate_stands)

    async def _create(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        data: dict[str, str],
        form: str,
        parsed: Any,
        errors: list[FieldError],
        create: Callable[..., Awaitable[Any]],
    ) -> Template | Redirect:
        """Create from a parsed form (one stand or a grid), or show that form again with its errors."""
        if parsed is not None:
            try:
                await create(slug=slug, data=parsed, actor=current_actor(request), now=utcnow())
                return self._back(slug, parsed.hall)
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        hall = int(data["hall"]) if data.get("hall", "").isdigit() else None
        return await self._page(request, slug, hall=hall, form=form, values=data, errors=errors, status_code=422)

    @post("/halls/{hall_id:int}/plan")
    async def hall_plan(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        hall_id: HallId,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        errors: list[FieldError] = []
        sizes: dict[str, float] = {}
        for name in ("width", "depth"):
            try:
                sizes[name] = float(data.get(name, "").strip().replace(",", "."))
            except ValueError:
                errors.append(FieldError(name, "invalid", "is not a number"))
        if not errors:
            try:
                await services.set_hall_plan(slug=slug, hall_id=hall_id, actor=current_actor(request), **sizes)
                return self._back(slug, hall_id)
            except InvalidInput as exc:
                errors = exc.errors
        return await self._page(request, slug, hall=hall_id, form="plan", values=data, errors=errors, status_code=422)

    @post("/import", request_max_body_size=MAX_CSV_BYTES + 64 * 1024)
    async def import_csv(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template | Redirect:
        content = await data.file.read() if isinstance(data.file, UploadFile) else b""
        if not content:
            errors = [FieldError("file", "required", "choose a file")]
        else:
            try:
                await services.import_stands(slug=slug, content=content, actor=current_actor(request), now=utcnow())
                return self._back(slug, None)
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        return await self._page(request, slug, form="import", errors=errors, status_code=422)

    @get("/export.csv")
    async def export_csv(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[bytes]:
        content = await services.export_stands(slug=slug, actor=current_actor(request))
        return Response(
            content=content,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="stands-{slug}.csv"'},
        )

    async def _act(self, request: Request[Any, Any, Any], slug: str, hall: str, work: Any) -> Template | Redirect:
        hall_id = int(hall) if hall.isdigit() else None
        try:
            await work
        except (InvalidInput, Conflict) as exc:
            status_code = 409 if isinstance(exc, Conflict) else 422
            return await self._page(
                request, slug, hall=hall_id, form="stand", errors=exc.errors, status_code=status_code
            )
        return self._back(slug, hall_id)

    @post("/{code:str}/assign")
    async def assign(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        code: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        application = data.get("application", "")
        if not application.isdigit():
            errors = [FieldError("application", "required", "choose an application")]
            hall = int(data["hall"]) if data.get("hall", "").isdigit() else None
            return await self._page(request, slug, hall=hall, form="stand", errors=errors, status_code=422)
        work = services.assign_stand(
            slug=slug, code=code, application_id=int(application), locked=bool(data.get("locked")),
            actor=current_actor(request), now=utcnow(),
        )  # fmt: skip
        return await self._act(request, slug, data.get("hall", ""), work)

    @post("/{code:str}/lock")
    async def lock(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        code: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        locked = data.get("locked") == "true"
        work = services.set_locked(slug=slug, code=code, locked=locked, actor=current_actor(request))
        return await self._act(request, slug, data.get("hall", ""), work)

    @post("/{code:str}/unassign")
    async def unassign(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        code: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        application = data.get("application", "")
        work = services.unassign(
            slug=slug, code=code, application_id=int(application) if application.isdigit() else None,
            actor=current_actor(request),
        )  # fmt: skip
        return await self._act(request, slug, data.get("hall", ""), work)

    @post("/{code:str}/delete")
    async def delete(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        code: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        work = services.delete_stand(slug=slug, code=code, actor=current_actor(request))
        return await self._act(request, slug, data.get("hall", ""), work)
