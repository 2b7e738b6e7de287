"""HTML forms: turn submitted text into the same Structs the API takes, collecting every
field error at once, and say each error in the visitor's language."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec

from exhibitions.errors import FieldError
from exhibitions.web.i18n import N_, Translator

S = TypeVar("S", bound=msgspec.Struct)

_HH_MM = re.compile(r"^\d{1,2}:\d{2}$")

FIELD_MESSAGES = {
    "required": N_("This field is required."),
    "invalid": N_("This value is not valid."),
    "invalid_email": N_("Enter an e-mail address, like name@example.ma."),
    "password_too_short": N_("The password must be at least 10 characters long."),
    "invalid_choice": N_("Choose one of the options."),
    "duplicate": N_("This value is already taken."),
    "unknown_region": N_("Choose one of the 12 regions."),
    "region_required": N_("A regional market must name its region."),
    "ends_before_start": N_("The last day must be on or after the first day."),
    "too_long": N_("An exhibition lasts at most 60 days."),
    "unknown_time_zone": N_("This time zone is unknown."),
    "closes_before_opening": N_("The closing time must be after the opening time."),
    "outside_dates": N_("This day is outside the exhibition's dates."),
    "both_or_neither": N_("Give both the opening and closing times, or neither to close the day."),
    "invalid_transition": N_("This status change is not allowed."),
    "bad_line": N_("This line could not be read; follow the example."),
    "login_failed": N_("The e-mail or the password is wrong."),
    "control_characters": N_("Remove the invisible control characters from this text."),
    "contact_required": N_("Give an e-mail address or a mobile phone number."),
    "invalid_phone": N_("Enter a Moroccan mobile number, like 06 12 34 56 78."),
    "unknown_country": N_("Enter the two-letter code of the country where you live, like FR."),
    "only_abroad": N_("Leave the country empty when you live in Morocco."),
    "registration_closed": N_("Registration is closed: this exhibition is over."),
    "text_too_long": N_("This text is too long."),
    "used_or_expired": N_("This enrolment code was already used or has expired. Ask for a new one."),
    "no_members": N_("Give at least one name, one per line."),
    "too_many_members": N_("A group has at most 200 people; register a larger group in several parts."),
    "name_too_long": N_("A name has at most 200 characters."),
}


LINE_MESSAGE = N_("Line %(line)s: %(message)s")


def message_for(error: FieldError, translator: Translator) -> str:
    template = FIELD_MESSAGES.get(error.code)
    return translator.gettext(template) if template else error.reason


def errors_by_field(errors: list[FieldError], translator: Translator) -> dict[str, str]:
    """The first message per top-level field (``opening_exceptions[2].day`` -> ``opening_exceptions``)."""
    messages: dict[str, str] = {}
    for error in errors:
        field = re.split(r"[.\[]", error.field, maxsplit=1)[0]
        messages.setdefault(field, message_for(error, translator))
    return messages


def _normalize(raw: str) -> str:
    value = raw.strip()
    # <input type="time"> sends HH:MM; msgspec wants seconds too.
    return f"{value}:00" if _HH_MM.match(value) else value


def parse_form(
    struct_type: type[S], form: dict[str, Any], overrides: dict[str, Any] | None = None
) -> tuple[S | None, list[FieldError]]:
    """Convert the text fields of ``form`` to ``struct_type``; ``overrides`` are values
    already parsed (lists built from text areas)."""
    overrides = overrides or {}
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for field in msgspec.structs.fields(struct_type):
        if field.name in overrides:
            values[field.name] = overrides[field.name]
            continue
        raw = form.get(field.name)
        text = _normalize(raw) if isinstance(raw, str) else raw
        if text in (None, ""):
            if field.required:
                errors.append(FieldError(field.name, "required", "is required"))
            continue
        try:
            values[field.name] = msgspec.convert(text, field.type, strict=False)
        except msgspec.ValidationError as exc:
            errors.append(FieldError(field.name, "invalid", str(exc)))
    if errors:
        return None, errors
    try:
        return msgspec.convert(values, struct_type), []
    except msgspec.ValidationError as exc:
        return None, [FieldError("form", "invalid", str(exc))]
