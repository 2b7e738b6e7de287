"""Languages of the site: Arabic (right-to-left), French and English.

Catalogs are the ``.po`` files under ``exhibitions/locale``, compiled in memory at
start-up, so there is no build step and no binary ``.mo`` in the repository.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from exhibitions.settings import LANGUAGES

RTL_LANGUAGES = frozenset({"ar"})
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}
# Arabic as used in Morocco; Latin digits are the everyday norm there on signs and tickets.
BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention extractors look for
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@cache
def catalog(language: str) -> NullTranslations:
    source = resources.files("exhibitions").joinpath("locale", language, "LC_MESSAGES", "messages.po")
    if not source.is_file():
        return NullTranslations()
    with source.open("rb") as handle:
        po = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, po)
    buffer.seek(0)
    return Translations(fp=buffer)


@dataclass(frozen=True)
class Translator:
    language: str

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    @property
    def colon(self) -> str:
        """What follows a label ("Salle : Atlas"): French sets the colon off with a no-break space."""
        return "\u00a0:" if self.language == "fr" else ":"

    @property
    def locale(self) -> Locale:
        return Locale.parse(BABEL_LOCALES[self.language])

    def gettext(self, message: str) -> str:
        return catalog(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return catalog(self.language).ngettext(singular, plural, n)

    def date(self, value: date, fmt: str = "full") -> str:
        return format_date(value, format=fmt, locale=self.locale)

    def time(self, value: time) -> str:
        return format_time(value, format="HH:mm", locale=self.locale)

    def datetime(self, value: datetime, fmt: str = "medium", tz: str | None = None) -> str:
        return format_datetime(value, format=fmt, tzinfo=ZoneInfo(tz) if tz else None, locale=self.locale)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)


def parse_accept_language(header: str) -> list[str]:
    """Primary language subtags in order of preference (``fr-MA;q=0.8`` -> ``fr``)."""
    weighted = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag.split("-")[0]))
    return [tag for _, _, tag in sorted(weighted)]


def choose_language(*, query: str | None, cookie: str | None, accept_language: str | None, default: str) -> str:
    """The page language: an explicit ``?lang=`` choice, then the remembered one, then the browser's."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return str(candidate)
    for tag in parse_accept_language(accept_language or ""):
        if tag in LANGUAGES:
            return tag
    return default
