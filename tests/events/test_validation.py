from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from exhibitions.errors import FieldError
from exhibitions.events.schemas import HallIn, OpeningExceptionIn
from exhibitions.events.validation import ExhibitionFields, exhibition_field_errors

VALID = ExhibitionFields(
    kind="regional",
    region="MA-02",
    title_ar="السوق المتنقل",
    title_fr="Marché itinérant",
    title_en="Itinerant market",
    venue_name="Esplanade",
    city="Oujda",
    starts_on=date(2027, 5, 7),
    ends_on=date(2027, 5, 12),
    time_zone="Africa/Casablanca",
    opens_at=time(10, 0),
    closes_at=time(20, 0),
    opening_exceptions=[],
    halls=[],
)


def test_valid_fields_have_no_errors() -> None:
    assert exhibition_field_errors(VALID) == []


def test_every_broken_rule_is_reported_at_once() -> None:
    fields = replace(
        VALID,
        region="MA-13",
        title_fr="   ",
        ends_on=date(2027, 5, 1),
        time_zone="Mars/Olympus",
        closes_at=time(9, 0),
    )
    assert exhibition_field_errors(fields) == [
        FieldError("title_fr", "required", "must not be blank"),
        FieldError("region", "unknown_region", "'MA-13' is not a region code (MA-01 to MA-12)"),
        FieldError("ends_on", "ends_before_start", "must be on or after starts_on"),
        FieldError("time_zone", "unknown_time_zone", "'Mars/Olympus' is not an IANA time zone"),
        FieldError("closes_at", "closes_before_opening", "must be after opens_at"),
    ]


def test_regional_market_needs_a_region() -> None:
    assert exhibition_field_errors(replace(VALID, region=None)) == [
        FieldError("region", "region_required", "a regional market must name its region")
    ]


def test_national_exhibition_needs_no_region() -> None:
    assert exhibition_field_errors(replace(VALID, kind="national", region=None)) == []


def test_too_long_an_exhibition() -> None:
    assert exhibition_field_errors(replace(VALID, ends_on=date(2027, 7, 6))) == [
        FieldError("ends_on", "too_long", "an exhibition lasts at most 60 days")
    ]


def test_opening_exceptions_are_checked_one_by_one() -> None:
    fields = replace(
        VALID,
        opening_exceptions=[
            OpeningExceptionIn(day=date(2027, 5, 8)),
            OpeningExceptionIn(day=date(2027, 5, 8), opens_at=time(15, 0), closes_at=time(14, 0)),
            OpeningExceptionIn(day=date(2027, 6, 1), opens_at=time(15, 0)),
        ],
    )
    assert exhibition_field_errors(fields) == [
        FieldError("opening_exceptions[1].day", "duplicate", "this day already has an exception"),
        FieldError("opening_exceptions[1].closes_at", "closes_before_opening", "must be after opens_at"),
        FieldError("opening_exceptions[2].day", "outside_dates", "must fall between starts_on and ends_on"),
        FieldError(
            "opening_exceptions[2].closes_at",
            "both_or_neither",
            "give both opens_at and closes_at, or neither to close the day",
        ),
    ]


def test_hall_names_must_differ() -> None:
    fields = replace(VALID, halls=[HallIn(name="Hall A"), HallIn(name="hall a"), HallIn(name=" ")])
    assert exhibition_field_errors(fields) == [
        FieldError("halls[1].name", "duplicate", "two halls have this name"),
        FieldError("halls[2].name", "required", "must not be blank"),
    ]
