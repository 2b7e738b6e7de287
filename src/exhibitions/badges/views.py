"""What a printed badge shows, as plain values: no database, no request, no I/O.

The badges' services build these from their rows; ``rendering.py`` turns them into PDFs.
Every text is already in the badge's language (``language``), except the person's own
words (name, title, organization), which stay as they were typed, in any script."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

BadgeRole = Literal["exhibitor_staff", "speaker", "moderator", "organizer", "staff", "press", "vip"]
# "a6": 105 x 148 mm, portrait, 4 to an A4 sheet. "label": 90 x 55 mm, landscape, the
# common name-badge insert and label size, 10 to an A4 sheet (2 columns of 5).
BadgeSize = Literal["a6", "label"]

BADGE_ROLES: tuple[BadgeRole, ...] = get_args(BadgeRole)
BADGE_SIZES: tuple[BadgeSize, ...] = get_args(BadgeSize)


@dataclass(frozen=True)
class BadgeView:
    role: BadgeRole
    full_name: str  # any script, up to 120 characters, may mix Arabic and Latin
    language: str  # "ar" | "fr" | "en": the labels' language and the page direction
    exhibition_name: str  # in that language
    exhibition_dates: str  # already formatted in that language
    qr_payload: str  # what the QR encodes (a URL); never personal data
    title: str = ""  # job title, "Intervenant · Table ronde …", any script
    organization: str = ""  # any script, may be empty
    stand_code: str = ""  # exhibitor staff only
    back_lines: tuple[str, ...] = ()  # the back's text (programme, wifi, rules); empty: single-sided

    @property
    def double_sided(self) -> bool:
        return bool(self.back_lines)
