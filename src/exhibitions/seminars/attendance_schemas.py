"""What the public programme, visitors' stars and registrations and programme versions look
like over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from msgspec import Struct

from exhibitions.seminars.attendance_tables import RegistrationStatus

Language = Literal["ar", "fr", "en"]
Text = dict[str, str]  # language code -> text, any subset


class ProgrammeRoomOut(Struct):
    id: int
    name: str
    building: str
    capacity: int
    inside: int  # people the door staff have let in and not out
    full: bool


class ProgrammeTrackOut(Struct):
    code: str
    name: Text


class ProgrammePersonOut(Struct):
    name_ar: str
    name_latin: str
    affiliation: str
    country: str | None
    role: Literal["speaker", "moderator", "rapporteur", "discussant"]


class ProgrammeSessionOut(Struct):
    id: int
    guid: str
    title: Text
    abstract: Text
    type: Literal["keynote", "panel", "workshop", "round_table"]
    track: str | None  # its code
    room: int | None
    starts_at: datetime
    ends_at: datetime
    local_start: str  # e.g. "2027-05-07T10:00:00+01:00", in the exhibition's time zone
    status: Literal["scheduled", "cancelled"]
    languages: list[str]
    interpretation: bool
    needs_registration: bool
    capacity: int | None
    registered: int
    waitlisted: int
    full: bool  # every seat taken: a new registration lands on the waitlist
    people: list[ProgrammePersonOut]


class ProgrammeOut(Struct):
    exhibition: str
    version: int
    published_at: datetime
    time_zone: str
    rooms: list[ProgrammeRoomOut]
    tracks: list[ProgrammeTrackOut]
    sessions: list[ProgrammeSessionOut]


class VersionOut(Struct):
    number: int
    published_at: datetime
    created: bool  # False: nothing changed since this version
    sessions: int
    changes: int  # sessions moved, moved to another room, or cancelled since the previous version
    notices: int  # e-mails queued about them


class VersionListItem(Struct):
    number: int
    published_at: datetime
    published_by: str | None


class RegistrationOut(Struct):
    session: int
    status: RegistrationStatus
    waitlist_rank: int | None  # 1: the next free seat is theirs


class StarOut(Struct):
    session: int
    starred: bool


class VisitorProgrammeOut(Struct):
    exhibition: str
    starred: list[int]
    registrations: list[RegistrationOut]
