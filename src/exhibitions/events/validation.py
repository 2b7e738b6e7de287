"""Rules an exhibition's fields must follow together, as a pure function that reports
every broken rule at once (a form shows them all, not one per submit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from exhibitions.errors import FieldError
from exhibitions.events.regions import regions_by_code
from exhibitions.events.schemas import HallIn, OpeningExceptionIn
from exhibitions.events.tables import ExhibitionKind
from exhibitions.text import control_character_errors

MAX_DAYS = 60


@dataclass(frozen=True)
class ExhibitionFields:
    kind: str
    region: str | None
    title_ar: str
    title_fr: str
    title_en: str
    venue_name: str
    city: str
    starts_on: date
    ends_on: date
    time_zone: str
    opens_at: time
    closes_at: time
    opening_exceptions: list[OpeningExceptionIn]
    halls: list[HallIn]
    setup_on: date | None = None
    applications_close_on: date | None = None


def exhibition_field_errors(fields: ExhibitionFields) -> list[FieldError]:
    texts = {
        name: getattr(fields, name) for name in ("title_ar", "title_fr", "title_en", "venue_name", "city", "time_zone")
    }
    texts |= {f"opening_exceptions[{i}].note": exception.note for i, exception in enumerate(fields.opening_exceptions)}
    texts |= {f"halls[{i}].name": hall.name for i, hall in enumerate(fields.halls)}
    errors = control_character_errors(texts)
    if errors:
        return errors  # the other rules would only repeat themselves on garbled text
    for name in ("title_ar", "title_fr", "title_en", "venue_name", "city"):
        if not getattr(fields, name).strip():
            errors.append(FieldError(name, "required", "must not be blank"))
    if fields.region is not None and fields.region not in regions_by_code():
        errors.append(
            FieldError("region", "unknown_region", f"{fields.region!r} is not a region code (MA-01 to MA-12)")
        )
    elif fields.kind == ExhibitionKind.regional.value and fields.region is None:
        errors.append(FieldError("region", "region_required", "a regional market must name its region"))
    if fields.ends_on < fields.starts_on:
        errors.append(FieldError("ends_on", "ends_before_start", "must be on or after starts_on"))
    elif (fields.ends_on - fields.starts_on).days + 1 > MAX_DAYS:
        errors.append(FieldError("ends_on", "too_long", f"an exhibition lasts at most {MAX_DAYS} days"))
    try:
        ZoneInfo(fields.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(FieldError("time_zone", "unknown_time_zone", f"{fields.time_zone!r} is not an IANA time zone"))
    if fields.closes_at <= fields.opens_at:
        errors.append(FieldError("closes_at", "closes_before_opening", "must be after opens_at"))
    seen_days: set[date] = set()
    for index, exception in enumerate(fields.opening_exceptions):
        prefix = f"opening_exceptions[{index}]"
        if not fields.starts_on <= exception.day <= fields.ends_on:
            errors.append(FieldError(f"{prefix}.day", "outside_dates", "must fall between starts_on and ends_on"))
        if exception.day in seen_days:
            errors.append(FieldError(f"{prefix}.day", "duplicate", "this day already has an exception"))
        seen_days.add(exception.day)
        if (exception.opens_at is None) != (exception.closes_at is None):
            errors.append(
                FieldError(
                    f"{prefix}.closes_at",
                    "both_or_neither",
                    "give both opens_at and closes_at, or neither to close the day",
                )
            )
        elif (
            exception.opens_at is not None
            and exception.closes_at is not None
            and exception.closes_at <= exception.opens_at
        ):
            errors.append(FieldError(f"{prefix}.closes_at", "closes_before_opening", "must be after opens_at"))
    # Reminder anchors (m0022 holds the same rules): set-up by the opening day, applications
    # closed before it.
    if fields.setup_on is not None and fields.setup_on > fields.starts_on:
        errors.append(FieldError("setup_on", "setup_after_opening", "must be on or before starts_on"))
    if fields.applications_close_on is not None and fields.applications_close_on >= fields.starts_on:
        errors.append(FieldError("applications_close_on", "deadline_after_opening", "must be before starts_on"))
    hall_names: set[str] = set()
    for index, hall in enumerate(fields.halls):
        key = hall.name.strip().casefold()
        if not key:
            errors.append(FieldError(f"halls[{index}].name", "required", "must not be blank"))
        elif key in hall_names:
            errors.append(FieldError(f"halls[{index}].name", "duplicate", "two halls have this name"))
        hall_names.add(key)
    return errors
