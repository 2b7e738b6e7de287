"""The organizers' dashboard, timing insight and calendar marks pages."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, PathParameter, QueryParameter
from litestar.response import Redirect, Response, Template

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_staff
from exhibitions.analytics import calendar as calendar_services
from exhibitions.analytics import dashboard as dashboard_services
from exhibitions.analytics import services as figures
from exhibitions.analytics.calendar_tables import MarkKind
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput
from exhibitions.events.regions import regions_by_code
from exhibitions.exhibitors.services._export import ExportFormat
from exhibitions.web.context import page, translator_for
from exhibitions.web.downloads import private_attachment
from exhibitions.web.forms import errors_by_field
from exhibitions.web.i18n import N_, Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)

MARK_KINDS = {
    MarkKind.friday_prayer.value: N_("Friday prayer"),
    MarkKind.ramadan.value: N_("Ramadan"),
    MarkKind.school_holiday.value: N_("School holidays"),
    MarkKind.public_holiday.value: N_("Public holiday"),
    MarkKind.unfavourable.value: N_("Unfavourable day"),
    MarkKind.other.value: N_("Other"),
}
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
CATEGORIES = {
    "general": N_("General public"),
    "professional": N_("Professionals"),
    "student": N_("Students"),
    "press": N_("Press"),
    "institutional": N_("Institutions"),
}
APPLICATION_STATUSES = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "approved": N_("Approved"),
    "waitlisted": N_("Waiting list"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
}
OUTBOX_STATUSES = {"pending": N_("Waiting"), "sending": N_("Sending"), "sent": N_("Sent"), "failed": N_("Failed")}


def _region_name(code: str, translator: Translator) -> str:
    if code == "abroad":
        return translator.gettext("Abroad")
    region = regions_by_code().get(code)
    if region is None:
        return code
    return str(getattr(region, f"name_{translator.language}", region.name_fr))


def _hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


def _edition_label(edition: figures.ComparedExhibition, translator: Translator) -> str:
    """A short name for a chart's legend: which kind (or region) and when."""
    where = (
        translator.gettext("National exhibition")
        if edition.kind == "national"
        else _region_name(edition.region or "", translator)
    )
    return f"{where} · {translator.date(edition.starts_on, 'MMMM y')}"


def _chart(kind: str, labels: list[str], series: list[dict[str, Any]], *, horizontal: bool = False) -> str:
    """The chart's data for static/js/dashboard.js, as JSON for a <script> element."""
    return (
        msgspec.json.encode({"kind": kind, "labels": labels, "series": series, "horizontal": horizontal})
        .decode()
        .replace("</", "<\\/")
    )


class AnalyticsPagesController(Controller):
    path = "/organize/exhibitions/{slug:str}"
    guards = [requires_staff]
    include_in_schema = False

    @get("/dashboard")
    async def dashboard(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        day: FromQuery[date | None] = None,
    ) -> Template:
        translator = translator_for(request)
        board = await dashboard_services.dashboard(slug=slug, actor=current_actor(request), now=utcnow(), day=day)
        _ = translator.gettext
        charts = {
            "by-day": _chart(
                "bar",
                [translator.date(row.day, "EEE d MMM") for row in board.by_day],
                [{"name": _("Visitors"), "data": [row.visitors for row in board.by_day]}],
            ),
            "by-hour": _chart(
                "bar",
                [_hour_label(hour) for hour, _count in board.by_hour],
                [{"name": _("Admissions"), "data": [count for _hour, count in board.by_hour]}],
            ),
            "inside": _chart(
                "line",
                [translator.time(point.at.time()) for point in board.inside],
                [{"name": _("Inside"), "data": [point.inside for point in board.inside]}],
            ),
            "regions": _chart(
                "bar",
                [_region_name(share.key, translator) for share in board.regions],
                [{"name": _("Visitors"), "data": [share.visitors for share in board.regions]}],
                horizontal=True,
            ),
            "categories": _chart(
                "bar",
                [_(CATEGORIES.get(share.key, share.key)) for share in board.categories],
                [{"name": _("Visitors"), "data": [share.visitors for share in board.categories]}],
            ),
            "seminars": _chart(
                "bar",
                [getattr(row, f"title_{translator.language}") or row.title_fr for row in board.seminars],
                [
                    {"name": _("Registered"), "data": [row.registered for row in board.seminars]},
                    {"name": _("Attended"), "data": [row.attended for row in board.seminars]},
                    {"name": _("Capacity"), "data": [row.capacity or 0 for row in board.seminars]},
                ],
                horizontal=True,
            ),
        }
        return page(
            request,
            "analytics/dashboard.html",
            board=board,
            panel=board.panel,
            exhibition=board.exhibition,
            slug=slug,
            charts=charts,
            region_name=lambda code: _region_name(code, translator),
            categories=CATEGORIES,
            application_statuses=APPLICATION_STATUSES,
            outbox_statuses=OUTBOX_STATUSES,
            hour_label=_hour_label,
        )

    @get("/dashboard/live")
    async def live(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        """The dashboard's live figures alone, for the page to swap in every 30 seconds."""
        panel = await dashboard_services.live_panel(slug=slug, actor=current_actor(request), now=utcnow())
        return page(
            request, "analytics/_live.html", panel=panel, slug=slug, application_statuses=APPLICATION_STATUSES,
            outbox_statuses=OUTBOX_STATUSES,
        )  # fmt: skip

    @get("/dashboard/export/{fmt:str}/{table:str}")
    async def download(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        table: FromPath[str],
        fmt: FromPath[str],
        day: FromQuery[date | None] = None,
    ) -> Response[bytes]:
        if fmt not in {item.value for item in ExportFormat}:
            raise InvalidInput.single("fmt", "invalid_choice", "must be csv or xlsx")
        export = await figures.export_table(
            slug=slug, table=table, fmt=ExportFormat(fmt), actor=current_actor(request), day=day,
            language=translator_for(request).language,
        )  # fmt: skip
        return private_attachment(export.content, filename=export.filename, media_type=export.media_type)

    @get("/compare")
    async def compare(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        chosen: Annotated[list[str] | None, QueryParameter(name="with", required=False)] = None,
        picked: FromQuery[str | None] = None,
    ) -> Template:
        """This exhibition beside others: national against regional, one edition against
        another. Before the reader picks (no ``picked``), its suggested editions are ticked."""
        translator = translator_for(request)
        _ = translator.gettext
        actor = current_actor(request)
        options = await figures.comparison_choices(slug=slug, actor=actor, today=utcnow().date())
        others = [other for other in (chosen or []) if other != slug] if picked else options.suggested
        # At most MAX_COMPARED columns: the ones ticked beyond are left out, and the page says so.
        too_many = len(others) > figures.MAX_COMPARED - 1
        others = others[: figures.MAX_COMPARED - 1]
        slugs = [slug, *others]
        comparisons = {
            metric: await figures.compare_for(slugs=slugs, actor=actor, metric=metric) for metric in figures.Metric
        }
        editions = comparisons[figures.Metric.totals].exhibitions
        labels = [_edition_label(edition, translator) for edition in editions]
        totals = {row.key: row.values for row in comparisons[figures.Metric.totals].rows}
        by_day = comparisons[figures.Metric.visitors_by_day].rows
        profile = comparisons[figures.Metric.hour_profile].rows
        # An edition nobody has entered yet (a planned one) would draw flat lines at zero: the
        # tables show it, the charts leave it out and say so.
        drawn = [index for index, admissions in enumerate(totals["admissions"]) if admissions]
        charts = {
            "per-day": _chart(
                "bar",
                [labels[index] for index in drawn],
                [{"name": _("Visitors per day"), "data": [totals["visitors_per_day"][index] for index in drawn]}],
                horizontal=True,
            ),
            "by-day": _chart(
                "line",
                [_("Day %(number)s") % {"number": row.key} for row in by_day],
                [{"name": labels[index], "data": [row.values[index] for row in by_day]} for index in drawn],
            ),
            "profile": _chart(
                "line",
                [row.key for row in profile],
                [
                    {"name": labels[index], "data": [round(float(row.values[index] or 0) * 100, 1) for row in profile]}
                    for index in drawn
                ],
            ),
        }
        query = "&" + urlencode([("with", other) for other in others] + [("picked", "1")])
        return page(
            request,
            "analytics/compare.html",
            exhibition=await figures.analytics_exhibition(slug=slug, actor=actor),
            slug=slug,
            editions=editions,
            labels=labels,
            not_drawn=[label for index, label in enumerate(labels) if index not in drawn],
            too_many=too_many,
            max_others=figures.MAX_COMPARED - 1,
            choices=options.choices,
            ticked=set(others),
            totals=totals,
            # "2027-05-08 11:00" as a date the page writes in the reader's language, and the hour
            peaks=[
                (date.fromisoformat(value.split(" ")[0]), value.split(" ")[1]) if isinstance(value, str) else None
                for value in totals["peak_hour"]
            ],
            totals_labels=figures.TOTALS_LABELS,
            by_day=by_day,
            profile=profile,
            charts=charts,
            query=query,
            region_name=lambda code: _region_name(code, translator),
        )

    @get("/compare/export/{fmt:str}/{metric:str}")
    async def download_comparison(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        fmt: FromPath[str],
        metric: FromPath[str],
        chosen: Annotated[list[str] | None, QueryParameter(name="with", required=False)] = None,
    ) -> Response[bytes]:
        if fmt not in {item.value for item in ExportFormat}:
            raise InvalidInput.single("fmt", "invalid_choice", "must be csv or xlsx")
        export = await figures.export_comparison(
            slugs=[slug, *(chosen or [])], actor=current_actor(request), metric=metric, fmt=ExportFormat(fmt),
            language=translator_for(request).language,
        )  # fmt: skip
        return private_attachment(export.content, filename=export.filename, media_type=export.media_type)

    async def _timing_page(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        translator = translator_for(request)
        insight = await dashboard_services.timing(slug=slug, actor=current_actor(request), now=utcnow())
        profile_chart = _chart(
            "bar",
            [_hour_label(hour) for hour in insight.profile.shares],
            [{"name": translator.gettext("Share of the day's admissions (%)"),
              "data": [round(share * 100, 1) for share in insight.profile.shares.values()]}],
        )  # fmt: skip
        return page(
            request,
            "analytics/timing.html",
            status_code=status_code,
            insight=insight,
            exhibition=insight.exhibition,
            slug=slug,
            profile_chart=profile_chart,
            mark_kinds=MARK_KINDS,
            weekdays=WEEKDAYS,
            values=values or {"kind": "unfavourable"},
            errors=errors or {},
            hour_label=_hour_label,
        )

    @get("/timing")
    async def timing(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._timing_page(request, slug)

    @post("/calendar/marks")
    async def add_mark(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        errors: list[FieldError] = []

        def parsed(name: str, kind: type[date] | type[time] | type[int]) -> Any:
            raw = (data.get(name) or "").strip()
            if not raw:
                return None
            try:
                return kind.fromisoformat(raw) if kind is not int else int(raw)  # type: ignore[union-attr]
            except ValueError:
                errors.append(FieldError(name, "invalid", "is not valid"))
                return None

        fields = {
            "starts_on": parsed("starts_on", date),
            "ends_on": parsed("ends_on", date),
            "weekday": parsed("weekday", int),
            "from_time": parsed("from_time", time),
            "to_time": parsed("to_time", time),
        }
        if not errors:
            try:
                await calendar_services.add_mark(
                    slug=slug, kind=data.get("kind", ""), note=data.get("note", ""),
                    national=data.get("national") == "on", actor=current_actor(request), now=utcnow(), **fields,
                )  # fmt: skip
                return Redirect(path=f"/organize/exhibitions/{slug}/timing#calendar")
            except InvalidInput as exc:
                errors = exc.errors
            except Conflict as exc:
                errors = exc.errors
        return await self._timing_page(
            request, slug, values=data, errors=errors_by_field(errors, translator_for(request)), status_code=422
        )

    @post("/calendar/marks/{mark_id:int}/remove")
    async def remove_mark(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        mark_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> Redirect:
        await calendar_services.remove_mark(slug=slug, mark_id=mark_id, actor=current_actor(request))
        return Redirect(path=f"/organize/exhibitions/{slug}/timing#calendar")
