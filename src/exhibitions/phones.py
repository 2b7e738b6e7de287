"""Moroccan phone numbers, for every domain that stores one (visitors, organizations)."""

from __future__ import annotations

import phonenumbers


def normalize_phone(raw: str) -> str | None:
    """A valid Moroccan number in E.164 (+212612345678), or None."""
    try:
        number = phonenumbers.parse(raw, "MA")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != "MA":
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
