"""Public pages (home, one exhibition) and the organizers' pages to plan editions."""

from __future__ import annotations

import math
import re
from datetime import date, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_PAGE, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import DuplicateValue, FieldError, InvalidInput
from exhibitions.events import services
from exhibitions.events.hours import has_ended, is_open_at
from exhibitions.events.permissions import can_create_exhibition, can_manage_exhibition
from exhibitions.events.regions import all_regions
from exhibitions.events.schemas import ExhibitionCreate, ExhibitionUpdate, HallIn, OpeningExceptionIn
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.web.context import page, translator_for
from exhibitions.web.forms import errors_by_field, parse_form

PER_PAGE = 12
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
_EXCEPTION_LINE = re.compile(
    r"^(?P<day>\d{4}-\d{2}-\d{2})\s+(?:(?P<closed>closed|fermé|ferme|مغلق)|(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2}))\s*(?P<note>.*)$",
    re.IGNORECASE,
)


def _pagination(total: int, page_number: int) -> dict[str, int]:
    return {"page": page_number, "pages": max(1, math.ceil(total / PER_PAGE)), "total": total}


def parse_exception_lines(text: str) -> tuple[list[OpeningExceptionIn], list[FieldError]]:
    """``2027-03-14 closed`` or ``2027-03-15 14:00-20:00 Friday prayer``, one per line."""
    exceptions, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _EXCEPTION_LINE.match(line.strip())
        try:
            if match is None:
                raise ValueError(line)
            day = date.fromisoformat(match["day"])
            opens = time.fromisoformat(match["opens"].zfill(5)) if match["opens"] else None
            closes = time.fromisoformat(match["closes"].zfill(5)) if match["closes"] else None
        except ValueError:
            errors.append(
                FieldError(
                    f"opening_exceptions[{number}]", "bad_line", f"line {number} is not like '2027-03-14 closed'"
                )
            )
            continue
        exceptions.append(
            OpeningExceptionIn(day=day, opens_at=opens, closes_at=closes, note=match["note"].strip()[:200])
        )
    return exceptions, errors


def parse_hall_lines(text: str) -> tuple[list[HallIn], list[FieldError]]:
    """``Hall A`` or ``Hall A | 2500`` (area in square metres), one per line."""
    halls, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        name, _, area = line.partition("|")
        if not name.strip():
            continue
        if area.strip() and not (area.strip().isdigit() and int(area.strip()) > 0):
            errors.append(FieldError(f"halls[{number}]", "bad_line", f"line {number}: the area must be a whole number"))
            continue
        halls.append(HallIn(name=name.strip()[:100], area_m2=int(area.strip()) if area.strip() else None))
    return halls, errors


def parse_exhibition_form(data: dict[str, str]) -> tuple[ExhibitionCreate | None, list[FieldError]]:
    """The create/edit form as the struct the services take, or every error in it."""
    exceptions, exception_errors = parse_exception_lines(data.get("opening_exceptions", ""))
    halls, hall_errors = parse_hall_lines(data.get("halls", ""))
    parsed, errors = parse_form(ExhibitionCreate, data, overrides={"opening_exceptions": exceptions, "halls": halls})
    errors += exception_errors + hall_errors
    return (None, errors) if errors else (parsed, [])


def _form_values(detail: services.ExhibitionDetail) -> dict[str, str]:
    row = detail.row
    exceptions = []
    for day in detail.days:
        if day.opens_at == row["opens_at"] and day.closes_at == row["closes_at"] and not day.note:
            continue
        hours = "closed" if day.closed else f"{day.opens_at:%H:%M}-{day.closes_at:%H:%M}"
        exceptions.append(f"{day.day.isoformat()} {hours} {day.note}".strip())
    return {
        "slug": row["slug"],
        "kind": row["kind"],
        "region": row["region"] or "",
        "title_ar": row["title_ar"],
        "title_fr": row["title_fr"],
        "title_en": row["title_en"],
        "venue_name": row["venue_name"],
        "city": row["city"],
        "venue_address": row["venue_address"],
        "starts_on": row["starts_on"].isoformat(),
        "ends_on": row["ends_on"].isoformat(),
        "time_zone": row["time_zone"],
        "opens_at": f"{row['opens_at']:%H:%M}",
        "closes_at": f"{row['closes_at']:%H:%M}",
        "opening_exceptions": "\n".join(exceptions),
        "halls": "\n".join(f"{h['name']} | {h['area_m2']}" if h["area_m2"] else h["name"] for h in detail.halls),
        "setup_on": row["setup_on"].isoformat() if row.get("setup_on") else "",
        "applications_close_on": row["applications_close_on"].isoformat() if row.get("applications_close_on") else "",
    }


class PublicPagesController(Controller):
    include_in_schema = False

    @get("/")
    async def home(
        self,
        request: Request[Any, Any, Any],
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=MAX_PAGE)] = 1,
    ) -> Template:
        rows, total = await services.list_visible_exhibitions(actor=None, search=q, page=page_number, per_page=PER_PAGE)
        return page(
            request,
            "events/home.html",
            exhibitions=rows,
            q=q or "",
            pagination=_pagination(total, page_number),
            regions={region.code: region for region in all_regions()},
        )

    @get("/exhibitions/{slug:str}")
    async def exhibition(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        actor = current_actor(request)
        detail = await services.get_exhibition_detail(slug=slug, actor=actor)
        now = utcnow()
        zone = ZoneInfo(detail.row["time_zone"])
        from exhibitions.stands.services import plan_halls  # the stands domain imports this one

        return page(
            request,
            "events/exhibition.html",
            exhibition=detail,
            plan_halls=await plan_halls(detail.row["id"], detail.row["venue"]),
            open_now=is_open_at(now, detail.row["time_zone"], detail.days),
            utc_offset=now.astimezone(zone).strftime("%z"),
            # The same rule registration applies: open until the last local day is over.
            registration_open=detail.row["status"] == "published"
            and not has_ended(detail.row["ends_on"], detail.row["time_zone"], now),
            can_manage=can_manage_exhibition(actor, detail.row["id"]),
        )


class OrganizerPagesController(Controller):
    path = "/organize"
    guards = [requires_staff]
    include_in_schema = False

    @get("/")
    async def dashboard(
        self,
        request: Request[Any, Any, Any],
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=MAX_PAGE)] = 1,
    ) -> Template:
        actor = current_actor(request)
        rows, total = await services.list_visible_exhibitions(
            actor=actor, include_drafts=True, search=q, page=page_number, per_page=PER_PAGE
        )
        return page(
            request,
            "events/organize.html",
            exhibitions=rows,
            q=q or "",
            pagination=_pagination(total, page_number),
            can_create=can_create_exhibition(actor),
        )

    def _form_page(
        self,
        request: Request[Any, Any, Any],
        *,
        values: dict[str, Any],
        errors: dict[str, str],
        mode: str,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "events/exhibition_form.html",
            status_code=status_code,
            values=values,
            errors=errors,
            mode=mode,
            regions=all_regions(),
        )

    @get("/exhibitions/new")
    async def new_exhibition(self, request: Request[Any, Any, Any]) -> Template:
        defaults = {"kind": "national", "time_zone": "Africa/Casablanca", "opens_at": "10:00", "closes_at": "19:00"}
        return self._form_page(request, values=defaults, errors={}, mode="create")

    @post("/exhibitions/new")
    async def create_exhibition(
        self, request: Request[Any, Any, Any], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        parsed, errors = parse_exhibition_form(data)
        if parsed is not None:
            try:
                slug = await services.create_exhibition(data=parsed, actor=current_actor(request), now=utcnow())
                return Redirect(path=f"/exhibitions/{slug}")
            except InvalidInput as exc:
                errors = exc.errors
            except DuplicateValue as exc:
                errors = exc.errors
        return self._form_page(
            request,
            values=data,
            errors=errors_by_field(errors, translator_for(request)),
            mode="create",
            status_code=422,
        )

    @get("/exhibitions/{slug:str}/edit")
    async def edit_exhibition(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        detail = await services.get_exhibition_detail(slug=slug, actor=current_actor(request))
        return self._form_page(request, values=_form_values(detail), errors={}, mode="edit")

    @post("/exhibitions/{slug:str}/edit")
    async def update_exhibition(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        parsed, errors = parse_exhibition_form({**data, "slug": slug})
        if parsed is not None:
            # The form shows every field, so every field is a change (the slug never changes).
            changes = ExhibitionUpdate(**{k: v for k, v in msgspec.structs.asdict(parsed).items() if k != "slug"})
            try:
                await services.update_exhibition(slug=slug, changes=changes, actor=current_actor(request), now=utcnow())
                return Redirect(path=f"/exhibitions/{slug}")
            except InvalidInput as exc:
                errors = exc.errors
        return self._form_page(
            request,
            values={**data, "slug": slug},
            errors=errors_by_field(errors, translator_for(request)),
            mode="edit",
            status_code=422,
        )

    @post("/exhibitions/{slug:str}/status")
    async def change_status(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Redirect:
        try:
            status = ExhibitionStatus(data.get("status", ""))
        except ValueError:
            raise InvalidInput.single("status", "invalid_choice", "must be draft, published or closed") from None
        await services.update_exhibition(
            slug=slug, changes=ExhibitionUpdate(status=status), actor=current_actor(request), now=utcnow()
        )
        return Redirect(path=f"/exhibitions/{slug}")
