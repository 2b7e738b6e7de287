"""The rules a room's, a person's and a session's fields follow, each error naming its
field, all reported at once. Pure: what needs the database (a room or a person of this
exhibition) is checked by the services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import phonenumbers

from exhibitions.errors import FieldError
from exhibitions.seminars.schemas import ParticipationIn, PersonIn, SessionIn, WindowIn
from exhibitions.text import control_character_errors
from exhibitions.tickets.validation import country_codes

# Far enough apart for any programme; outside them a moment is a typing error, and
# converting year 1 or 9999 with an offset to UTC would overflow.
_EARLIEST_YEAR, _LATEST_YEAR = 2000, 2200


def moment_errors(field: str, value: datetime) -> list[FieldError]:
    if value.tzinfo is None or value.utcoffset() is None:
        return [FieldError(field, "missing_time_zone", "must carry a UTC offset, like 2027-05-07T10:00:00+01:00")]
    if not _EARLIEST_YEAR <= value.year <= _LATEST_YEAR:
        return [FieldError(field, "out_of_range", f"must be between the years {_EARLIEST_YEAR} and {_LATEST_YEAR}")]
    return []


def utc(value: datetime) -> datetime:
    """An aware moment as stored: UTC, to the second."""
    return value.astimezone(UTC).replace(microsecond=0)


def period_errors(prefix: str, starts_at: datetime, ends_at: datetime) -> list[FieldError]:
    """``prefix`` is '' or a path ending in a dot (``availability[2].``)."""
    errors = [*moment_errors(f"{prefix}starts_at", starts_at), *moment_errors(f"{prefix}ends_at", ends_at)]
    if not errors and ends_at <= starts_at:
        errors.append(FieldError(f"{prefix}ends_at", "ends_not_after_start", "must be after starts_at"))
    return errors


def window_errors(windows: Sequence[WindowIn]) -> list[FieldError]:
    return [
        error
        for index, window in enumerate(windows)
        for error in period_errors(f"availability[{index}].", window.starts_at, window.ends_at)
    ]


def international_phone(raw: str) -> str | None:
    """A valid number of any country in E.164; without a country code, Moroccan."""
    try:
        number = phonenumbers.parse(raw, "MA")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def person_errors(data: PersonIn) -> list[FieldError]:
    errors = control_character_errors(
        {"name_ar": data.name_ar, "name_latin": data.name_latin, "affiliation": data.affiliation,
         "bio_ar": data.bio_ar, "bio_fr": data.bio_fr, "bio_en": data.bio_en}
    )  # fmt: skip
    if not data.name_ar.strip() and not data.name_latin.strip():
        errors.append(FieldError("name", "name_required", "give the name in Arabic script, Latin script, or both"))
    if data.country is not None and data.country.strip().upper() not in country_codes():
        errors.append(FieldError("country", "unknown_country_code", "must be an ISO 3166-1 code, like MA or FR"))
    if data.phone is not None and data.phone.strip() and international_phone(data.phone) is None:
        errors.append(
            FieldError("phone", "invalid_international_phone", "must be a phone number, like +33 6 12 34 56 78")
        )
    return [*errors, *window_errors(data.availability)]


def people_errors(people: Sequence[ParticipationIn]) -> list[FieldError]:
    """A person appears once in a session (with one role)."""
    seen: set[int] = set()
    errors = []
    for index, participation in enumerate(people):
        if participation.person_id in seen:
            errors.append(FieldError(f"people[{index}].person_id", "duplicate_person", "this person is listed already"))
        seen.add(participation.person_id)
    return errors


def session_errors(data: SessionIn) -> list[FieldError]:
    errors = control_character_errors(
        {"title_ar": data.title_ar, "title_fr": data.title_fr, "title_en": data.title_en,
         "abstract_ar": data.abstract_ar, "abstract_fr": data.abstract_fr, "abstract_en": data.abstract_en}
    )  # fmt: skip
    if not (data.title_ar.strip() or data.title_fr.strip() or data.title_en.strip()):
        errors.append(
            FieldError("title", "title_required", "give a title in at least one of title_ar, title_fr, title_en")
        )
    if len(set(data.languages)) != len(data.languages):
        errors.append(FieldError("languages", "duplicate_language", "each language once"))
    return [*errors, *period_errors("", data.starts_at, data.ends_at), *people_errors(data.people)]
