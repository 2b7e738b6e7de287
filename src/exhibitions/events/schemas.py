"""Bodies in and out of the exhibitions API (msgspec Structs)."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from exhibitions.events.tables import ExhibitionKind, ExhibitionStatus

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    Meta(
        min_length=3,
        max_length=80,
        pattern=SLUG_PATTERN,
        description="Lower-case letters, digits and single hyphens; used in URLs.",
        examples=["sess-2027"],
    ),
]
Title = Annotated[str, Meta(min_length=1, max_length=300)]
ShortText = Annotated[str, Meta(min_length=1, max_length=200)]
City = Annotated[str, Meta(min_length=1, max_length=100)]
RegionCode = Annotated[str, Meta(description="ISO 3166-2:MA code, MA-01 to MA-12", examples=["MA-04"])]
TimeZoneName = Annotated[str, Meta(max_length=64, description="IANA time zone", examples=["Africa/Casablanca"])]


class OpeningExceptionIn(Struct, forbid_unknown_fields=True):
    """A day with other hours than the daily ones; leave both times out to close the day."""

    day: date
    opens_at: time | None = None
    closes_at: time | None = None
    note: Annotated[str, Meta(max_length=200)] = ""


class HallIn(Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=100)]
    area_m2: Annotated[int, Meta(gt=0)] | None = None


class ExhibitionCreate(Struct, forbid_unknown_fields=True):
    slug: Slug
    kind: ExhibitionKind
    title_ar: Title
    title_fr: Title
    title_en: Title
    venue_name: ShortText
    city: City
    starts_on: date
    ends_on: date
    region: RegionCode | None = None
    venue_address: Annotated[str, Meta(max_length=500)] = ""
    time_zone: TimeZoneName = "Africa/Casablanca"
    opens_at: time = time(10, 0)
    closes_at: time = time(19, 0)
    opening_exceptions: list[OpeningExceptionIn] = msgspec.field(default_factory=list)
    halls: list[HallIn] = msgspec.field(default_factory=list)
    # Anchors of reminder rules: the stand set-up day and the last day to apply.
    setup_on: date | None = None
    applications_close_on: date | None = None


class ExhibitionUpdate(Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields present change. ``opening_exceptions`` and ``halls``, when present,
    replace the exceptions and add halls to the venue."""

    title_ar: Title | UnsetType = UNSET
    title_fr: Title | UnsetType = UNSET
    title_en: Title | UnsetType = UNSET
    kind: ExhibitionKind | UnsetType = UNSET
    region: RegionCode | UnsetType | None = UNSET
    venue_name: ShortText | UnsetType = UNSET
    city: City | UnsetType = UNSET
    venue_address: Annotated[str, Meta(max_length=500)] | UnsetType = UNSET
    starts_on: date | UnsetType = UNSET
    ends_on: date | UnsetType = UNSET
    time_zone: TimeZoneName | UnsetType = UNSET
    opens_at: time | UnsetType = UNSET
    closes_at: time | UnsetType = UNSET
    status: ExhibitionStatus | UnsetType = UNSET
    opening_exceptions: list[OpeningExceptionIn] | UnsetType = UNSET
    halls: list[HallIn] | UnsetType = UNSET
    setup_on: date | UnsetType | None = UNSET
    applications_close_on: date | UnsetType | None = UNSET


class LocalizedText(Struct):
    ar: str
    fr: str
    en: str


class HallOut(Struct):
    id: int
    name: str
    area_m2: int | None


class VenueOut(Struct):
    name: str
    city: str
    address: str
    halls: list[HallOut]


class RegionOut(Struct):
    code: str
    number: int
    name: LocalizedText
    capital: str


class DayOut(Struct):
    day: date
    opens_at: time | None
    closes_at: time | None
    closed: bool
    note: str


class ExhibitionSummary(Struct):
    slug: str
    kind: ExhibitionKind
    region: str | None
    title: LocalizedText
    city: str
    starts_on: date
    ends_on: date
    status: ExhibitionStatus
    url: str


class Exhibition(Struct):
    slug: str
    kind: ExhibitionKind
    region: RegionOut | None
    title: LocalizedText
    venue: VenueOut
    starts_on: date
    ends_on: date
    time_zone: str
    opens_at: time
    closes_at: time
    status: ExhibitionStatus
    days: list[DayOut]
    url: str
    setup_on: date | None = None
    applications_close_on: date | None = None


class Page(Struct):
    items: list[ExhibitionSummary]
    total: int
    page: int
    per_page: int
