"""The rules a registration's fields follow, reported all at once. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale

from exhibitions.errors import FieldError
from exhibitions.events.regions import regions_by_code
from exhibitions.phones import normalize_phone
from exhibitions.text import control_character_errors

ABROAD = "abroad"


@dataclass(frozen=True)
class CleanContact:
    email: str | None
    phone: str | None


@cache
def country_codes() -> frozenset[str]:
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def registration_errors(
    *, name: str, email_error: FieldError | None, phone: str | None, home_region: str, country: str | None
) -> tuple[list[FieldError], str | None]:
    """(errors, the phone in E.164) for one visitor's fields."""
    errors = control_character_errors({"name": name})
    if not errors and not name.strip():
        errors.append(FieldError("name", "required", "must not be blank"))
    if email_error:
        errors.append(email_error)
    clean_phone = None
    if phone is not None and phone.strip():
        clean_phone = normalize_phone(phone)
        if clean_phone is None:
            errors.append(FieldError("phone", "invalid_phone", "must be a Moroccan number, like +212 6 12 34 56 78"))
    if home_region == ABROAD:
        if country is None or country.upper() not in country_codes() or country.upper() == "MA":
            errors.append(FieldError("country", "unknown_country", "give the ISO code of the country abroad, like FR"))
    elif home_region not in regions_by_code():
        errors.append(FieldError("home_region", "unknown_region", "must be a region code (MA-01 to MA-12) or 'abroad'"))
    elif country is not None:
        errors.append(FieldError("country", "only_abroad", "give a country only when home_region is 'abroad'"))
    return errors, clean_phone
