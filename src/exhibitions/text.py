"""Rules every piece of user text follows, whichever domain stores it."""

from __future__ import annotations

import re

from exhibitions.errors import FieldError

# C0 controls other than tab and newlines, and DEL. PostgreSQL refuses NUL in text outright;
# the others are never meant and break documents and CSV exports later.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(value: str) -> bool:
    return _CONTROL.search(value) is not None


def control_character_errors(fields: dict[str, str | None]) -> list[FieldError]:
    """One error per field whose text holds control characters."""
    return [
        FieldError(name, "control_characters", "must not contain control characters")
        for name, value in fields.items()
        if value is not None and has_control_characters(value)
    ]
