"""Attendance analytics over the API: the figures as JSON, every table as CSV or XLSX.

For an exhibition's organizers and reviewers (aggregates); the per-visitor no-show list
for its organizers only. Errors are problem details (RFC 9457), as everywhere.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from litestar import Controller, Request, Response, get
from litestar.params import FromPath, QueryParameter

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, current_actor, requires_login
from exhibitions.analytics import services
from exhibitions.analytics.schemas import (
    ComparisonOut,
    DayCountOut,
    HourCountOut,
    InsidePointOut,
    LiveFiguresOut,
    NoShowsOut,
    PeakHourOut,
    RepeatBucketOut,
    SessionAttendanceOut,
    ShareOut,
)
from exhibitions.clock import utcnow
from exhibitions.errors import InvalidInput
from exhibitions.exhibitors.services import ExportFormat
from exhibitions.web.downloads import private_attachment

Out = TypeVar("Out")
GateId = Annotated[
    int | None, QueryParameter(ge=1, le=MAX_ID, description="one checkpoint's figures (default: every gate)")
]
Step = Annotated[int, QueryParameter(ge=1, le=1440, description="minutes per step: a multiple of 5 that divides a day")]
PREFIX = "/api/v1/exhibitions/{slug:str}/analytics"


def _out(kind: type[Out], value: Any) -> Out:
    return msgspec.convert(dataclasses.asdict(value), kind)


def _outs(kind: type[Out], values: list[Any]) -> list[Out]:
    return [_out(kind, value) for value in values]


async def _exhibition_id(request: Request[Any, Any, Any], slug: str) -> int:
    exhibition = await services.analytics_exhibition(slug=slug, actor=current_actor(request))
    return int(exhibition["id"])


class AnalyticsApiController(Controller):
    tags = ["analytics"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @get(f"{PREFIX}/visitors-by-day", summary="Visitors (distinct tickets) and admissions per local day")
    async def visitors_by_day(
        self, request: Request[Any, Any, Any], slug: FromPath[str], gate: GateId = None
    ) -> list[DayCountOut]:
        exhibition_id = await _exhibition_id(request, slug)
        return _outs(DayCountOut, await services.visitors_by_day(exhibition_id=exhibition_id, gate_id=gate))

    @get(f"{PREFIX}/visitors-by-hour", summary="Admissions and visitors per local day and hour")
    async def visitors_by_hour(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        day: Annotated[date | None, QueryParameter()] = None,
        gate: GateId = None,
    ) -> list[HourCountOut]:
        exhibition_id = await _exhibition_id(request, slug)
        hours = await services.visitors_by_hour(exhibition_id=exhibition_id, day=day, gate_id=gate)
        return _outs(HourCountOut, hours)

    @get(f"{PREFIX}/inside-over-time", summary="People inside the venue through a day (counted or estimated)")
    async def inside_over_time(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        day: Annotated[date, QueryParameter()],
        step_minutes: Step = 15,
    ) -> list[InsidePointOut]:
        exhibition_id = await _exhibition_id(request, slug)
        points = await services.inside_over_time(exhibition_id=exhibition_id, day=day, step_minutes=step_minutes)
        return _outs(InsidePointOut, points)

    @get(f"{PREFIX}/peak-hour", summary="The local hour with the most admissions (null before anyone came)")
    async def peak_hour(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> PeakHourOut | None:
        peak = await services.peak_hour(exhibition_id=await _exhibition_id(request, slug))
        return None if peak is None else _out(PeakHourOut, peak)

    @get(f"{PREFIX}/no-shows", summary="Registered, came, no-shows and their rate")
    async def no_shows(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> NoShowsOut:
        return _out(NoShowsOut, await services.no_shows(exhibition_id=await _exhibition_id(request, slug)))

    @get(f"{PREFIX}/repeat-visits", summary="Visitors who came on one, two, three or more days")
    async def repeat_visits(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[RepeatBucketOut]:
        buckets = await services.repeat_visits(exhibition_id=await _exhibition_id(request, slug))
        return _outs(RepeatBucketOut, buckets)

    @get(f"{PREFIX}/visitors-by-region", summary="Registered and visitors per home region")
    async def visitors_by_region(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[ShareOut]:
        return _outs(ShareOut, await services.visitors_by_region(exhibition_id=await _exhibition_id(request, slug)))

    @get(f"{PREFIX}/visitors-by-category", summary="Registered and visitors per visitor category")
    async def visitors_by_category(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[ShareOut]:
        shares = await services.visitors_by_category(exhibition_id=await _exhibition_id(request, slug))
        return _outs(ShareOut, shares)

    @get(f"{PREFIX}/seminar-attendance", summary="Each session: capacity, registered, attended")
    async def seminar_attendance(
        self, request: Request[Any, Any, Any], slug: FromPath[str]
    ) -> list[SessionAttendanceOut]:
        sessions = await services.seminar_attendance(exhibition_id=await _exhibition_id(request, slug))
        return _outs(SessionAttendanceOut, sessions)

    @get(f"{PREFIX}/live", summary="Admitted today and inside now, read from the gates' log")
    async def live(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> LiveFiguresOut:
        figures = await services.live_figures(exhibition_id=await _exhibition_id(request, slug), now=utcnow())
        return _out(LiveFiguresOut, figures)

    @get(
        f"{PREFIX}/{{filename:str}}",
        summary="One analytics table as CSV or XLSX",
        description="`filename` is a table name and `.csv` or `.xlsx`, e.g. `visitors-by-day.csv`. "
        "`no-show-visitors` lists people and is for the exhibition's organizers only.",
    )
    async def export(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        filename: FromPath[str],
        day: Annotated[date | None, QueryParameter()] = None,
        gate: GateId = None,
        lang: Annotated[Literal["ar", "fr", "en"], QueryParameter(description="language of the headers")] = "en",
    ) -> Response[bytes]:
        table, _, extension = filename.rpartition(".")
        try:
            fmt = ExportFormat(extension)
        except ValueError:
            raise InvalidInput.single("filename", "unknown_format", "must end in .csv or .xlsx") from None
        export = await services.export_table(
            slug=slug, table=table, fmt=fmt, actor=current_actor(request), day=day, gate_id=gate, language=lang
        )
        return private_attachment(export.content, filename=export.filename, media_type=export.media_type)

    @get("/api/v1/analytics/compare", summary="Exhibitions side by side (national against regional, year on year)")
    async def compare(
        self,
        request: Request[Any, Any, Any],
        exhibitions: Annotated[str, QueryParameter(description="slugs, comma-separated, in column order")],
        metric: Annotated[services.Metric, QueryParameter()] = services.Metric.totals,
    ) -> ComparisonOut:
        slugs = [slug.strip() for slug in exhibitions.split(",") if slug.strip()]
        comparison = await services.compare_for(slugs=slugs, actor=current_actor(request), metric=metric)
        return _out(ComparisonOut, comparison)
