"""The analytics figures over the API (msgspec), field for field the services' dataclasses."""

from __future__ import annotations

from datetime import date, datetime

from msgspec import Struct


class DayCountOut(Struct):
    day: date
    visitors: int
    admissions: int


class HourCountOut(Struct):
    day: date
    hour: int
    admissions: int
    visitors: int


class InsidePointOut(Struct):
    at: datetime
    admitted: int
    exited: int
    inside: int
    method: str


class PeakHourOut(Struct):
    day: date
    hour: int
    admissions: int
    visitors: int


class NoShowsOut(Struct):
    registered: int
    came: int
    no_shows: int
    rate: float | None


class RepeatBucketOut(Struct):
    days_visited: str
    visitors: int


class ShareOut(Struct):
    key: str
    registered: int
    visitors: int
    share: float | None


class SessionAttendanceOut(Struct):
    session_id: int
    title_ar: str
    title_fr: str
    title_en: str
    starts_at: datetime
    room: str | None
    capacity: int | None
    registered: int
    waitlisted: int
    attended: int
    registered_attended: int
    fill_rate: float | None
    show_rate: float | None


class LiveFiguresOut(Struct):
    day: date
    admitted_today: int
    admissions_today: int
    inside_now: int
    inside_method: str
    as_of: datetime


class ComparedExhibitionOut(Struct):
    id: int
    slug: str
    title_ar: str
    title_fr: str
    title_en: str
    kind: str
    region: str | None
    starts_on: date
    ends_on: date


class ComparisonRowOut(Struct):
    key: str
    values: list[int | float | str | None]


class ComparisonOut(Struct):
    metric: str
    exhibitions: list[ComparedExhibitionOut]
    rows: list[ComparisonRowOut]
