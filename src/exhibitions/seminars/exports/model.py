"""What the programme exports read: plain frozen dataclasses, filled by the seminars services
from the database, and the small rules the three formats share (which language a text is
shown in, whose name is printed, local times).

Every datetime is timezone-aware (UTC when it comes from the database); the exports show it
in the programme's time zone. A session is checked when it is built, so that no format has
to guess: its times carry a zone and it does not end before it starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

Text = Mapping[str, str]
"""A text in parallel translations: language code ("ar", "fr", "en") to text; any subset."""

LANGUAGES = ("ar", "fr", "en")


@dataclass(frozen=True)
class ExportRoom:
    id: int
    name: str
    building: str = ""
    capacity: int | None = None


@dataclass(frozen=True)
class ExportPerson:
    id: int
    name: str
    name_ar: str = ""
    affiliation: str = ""
    bio: Text = field(default_factory=dict)


@dataclass(frozen=True)
class ExportSession:
    id: int
    guid: str  # a UUID fixed at creation, stable forever
    title: Text
    abstract: Text
    type: str  # keynote | panel | workshop | round_table
    track: Text
    track_code: str
    room_id: int | None
    starts_at: datetime
    ends_at: datetime
    people: tuple[tuple[ExportPerson, str], ...]  # (person, role: speaker|moderator|rapporteur|discussant)
    languages: tuple[str, ...]
    interpretation: bool
    sequence: int  # bumped by the services at each published change
    cancelled: bool = False
    url: str = ""

    def __post_init__(self) -> None:
        if self.starts_at.utcoffset() is None or self.ends_at.utcoffset() is None:
            raise ValueError(f"session {self.id}: starts_at and ends_at must carry a time zone")
        if self.ends_at < self.starts_at:
            raise ValueError(f"session {self.id}: ends_at must not come before starts_at")


@dataclass(frozen=True)
class ExportProgramme:
    slug: str
    title: Text
    time_zone: str  # e.g. "Africa/Casablanca"
    starts_on: date
    ends_on: date
    version: str
    base_url: str
    host: str  # the domain of the ICS UIDs: "{guid}@{host}"
    rooms: tuple[ExportRoom, ...]
    sessions: tuple[ExportSession, ...]
    language: str = "fr"  # the language to pick first from a Text

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def language_order(language: str) -> tuple[str, ...]:
    """The languages to try, the wanted one first, then the house's three."""
    return (language, *(code for code in LANGUAGES if code != language))


def text_language(text: Text, language: str) -> str | None:
    """The language ``text`` is shown in for a reader of ``language``: that one when it is
    written, else the first written of Arabic, French, English, else any other (by code)."""
    for code in (*language_order(language), *sorted(text)):
        if text.get(code, "").strip():
            return code
    return None


def pick(text: Text, language: str) -> str:
    """``text`` in ``language``, falling back to any translation there is ("" when none)."""
    code = text_language(text, language)
    return "" if code is None else text[code]


def second_language(text: Text, first: str | None) -> str | None:
    """The next written translation after ``first``, for a bilingual line (a subtitle)."""
    if first is None:
        return None
    for code in (*LANGUAGES, *sorted(text)):
        if code != first and text.get(code, "").strip():
            return code
    return None


def person_name(person: ExportPerson, language: str) -> str:
    """The name printed for ``person``: the Arabic script for Arabic readers when there is one."""
    if language == "ar" and person.name_ar.strip():
        return person.name_ar
    return person.name if person.name.strip() else person.name_ar


def distinct_people(session: ExportSession) -> list[ExportPerson]:
    """The session's people in their order, each once (one person may hold two roles)."""
    seen: set[int] = set()
    people = []
    for person, _role in session.people:
        if person.id not in seen:
            seen.add(person.id)
            people.append(person)
    return people


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)
