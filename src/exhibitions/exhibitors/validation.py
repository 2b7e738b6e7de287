"""Rules an organization's fields follow together: a pure function that reports every
broken rule at once, and the derived facts (women-led) computed in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.exceptions import ValidationError as NumberError
from stdnum.ma import ice as ice_number

from exhibitions.errors import FieldError
from exhibitions.events.regions import regions_by_code
from exhibitions.phones import normalize_phone
from exhibitions.text import control_character_errors

# Register numbers are printed with slashes, dashes and spaces ("12/2015", "RC 4521"): keep
# letters, digits and those, nothing a spreadsheet or a URL would choke on.
_REGISTRY = re.compile(r"^[0-9A-Za-z][0-9A-Za-z /.-]{0,39}$")


def is_women_led(*, declared: bool, members_total: int, members_women: int) -> bool:
    """Declared by the organization, or women are more than half of its members."""
    return declared or (members_total > 0 and 2 * members_women > members_total)


@dataclass(frozen=True)
class CleanContacts:
    registry_number: str
    ice: str | None
    phone: str | None


def organization_errors(
    *,
    name_ar: str | None,
    name_latin: str | None,
    registry_number: str,
    ice: str | None,
    region: str,
    city: str,
    members_total: int,
    members_women: int,
    members_youth: int,
    phone: str | None,
) -> tuple[list[FieldError], CleanContacts]:
    """(every broken rule, the identifiers in their stored form)."""
    errors = control_character_errors(
        {"name_ar": name_ar, "name_latin": name_latin, "registry_number": registry_number, "city": city}
    )
    if not (name_ar or "").strip() and not (name_latin or "").strip():
        errors.append(FieldError("name_latin", "name_required", "give the name in Arabic or in Latin script"))
    clean_registry = " ".join(registry_number.split())
    if not _REGISTRY.match(clean_registry):
        errors.append(FieldError("registry_number", "invalid", "letters, digits, spaces and / . - only"))
    clean_ice = None
    if ice is not None and ice.strip():
        try:
            clean_ice = ice_number.validate(ice)
        except NumberError:
            errors.append(FieldError("ice", "invalid_ice", "must be the 15 digits of a valid ICE"))
    if region not in regions_by_code():
        errors.append(FieldError("region", "unknown_region", "must be a region code, MA-01 to MA-12"))
    if not city.strip():
        errors.append(FieldError("city", "required", "must not be blank"))
    if members_women > members_total:
        errors.append(FieldError("members_women", "more_than_members", "cannot exceed members_total"))
    if members_youth > members_total:
        errors.append(FieldError("members_youth", "more_than_members", "cannot exceed members_total"))
    clean_phone = None
    if phone is not None and phone.strip():
        clean_phone = normalize_phone(phone)
        if clean_phone is None:
            errors.append(FieldError("phone", "invalid_phone", "must be a Moroccan number, like +212 5 28 84 12 34"))
    return errors, CleanContacts(registry_number=clean_registry, ice=clean_ice, phone=clean_phone)
