"""What the seminars API takes and gives. Times are ISO 8601 with an offset (a time without
one is refused, naming the field); they come back in UTC. Every number and string is
bounded, so that no input reaches the database unchecked."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from exhibitions.seminars.tables import Response, Role, SessionStatus, SessionType

Id = Annotated[int, Meta(ge=1, le=2_147_483_647)]
Name = Annotated[str, Meta(max_length=200)]
Title = Annotated[str, Meta(max_length=300)]
LongText = Annotated[str, Meta(max_length=10_000)]
Capacity = Annotated[int, Meta(ge=1, le=100_000)]
TrackCode = Annotated[
    str, Meta(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$", description="e.g. legal_framework")
]
Language = Literal["ar", "fr", "en"]


class RoomIn(Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=100)]
    capacity: Capacity
    building: Annotated[str, Meta(max_length=100)] = ""


class RoomUpdate(Struct, forbid_unknown_fields=True):
    """Only the fields sent change."""

    name: Annotated[str, Meta(min_length=1, max_length=100)] | UnsetType = UNSET
    capacity: Capacity | UnsetType = UNSET
    building: Annotated[str, Meta(max_length=100)] | UnsetType = UNSET


class RoomOut(Struct):
    id: int
    name: str
    building: str
    capacity: int
    checkpoint_id: int
    sessions: int


class TrackIn(Struct, forbid_unknown_fields=True):
    code: TrackCode
    name_ar: Name = ""
    name_fr: Name = ""
    name_en: Name = ""
    position: Annotated[int, Meta(ge=0, le=10_000)] = 0


class TrackUpdate(Struct, forbid_unknown_fields=True):
    name_ar: Name | UnsetType = UNSET
    name_fr: Name | UnsetType = UNSET
    name_en: Name | UnsetType = UNSET
    position: Annotated[int, Meta(ge=0, le=10_000)] | UnsetType = UNSET


class TrackOut(Struct):
    code: str
    name_ar: str
    name_fr: str
    name_en: str
    position: int
    sessions: int


class WindowIn(Struct, forbid_unknown_fields=True):
    starts_at: datetime
    ends_at: datetime


class WindowOut(Struct):
    starts_at: datetime
    ends_at: datetime


class PersonIn(Struct, forbid_unknown_fields=True):
    """A name in Arabic script, in Latin script, or both."""

    name_ar: Name = ""
    name_latin: Name = ""
    affiliation: Annotated[str, Meta(max_length=300)] = ""
    country: Annotated[str, Meta(max_length=2, description="ISO 3166-1 alpha-2, e.g. MA")] | None = None
    bio_ar: LongText = ""
    bio_fr: LongText = ""
    bio_en: LongText = ""
    email: Annotated[str, Meta(max_length=254)] | None = None
    phone: Annotated[str, Meta(max_length=30, description="with its country code, e.g. +33 6 12 34 56 78")] | None = (
        None
    )
    language: Language = "fr"
    user_id: Id | None = None
    availability: Annotated[list[WindowIn], Meta(max_length=60)] = []


class PersonUpdate(Struct, forbid_unknown_fields=True):
    """Only the fields sent change; ``availability`` sent replaces every window."""

    name_ar: Name | UnsetType = UNSET
    name_latin: Name | UnsetType = UNSET
    affiliation: Annotated[str, Meta(max_length=300)] | UnsetType = UNSET
    country: Annotated[str, Meta(max_length=2)] | UnsetType | None = UNSET
    bio_ar: LongText | UnsetType = UNSET
    bio_fr: LongText | UnsetType = UNSET
    bio_en: LongText | UnsetType = UNSET
    email: Annotated[str, Meta(max_length=254)] | UnsetType | None = UNSET
    phone: Annotated[str, Meta(max_length=30)] | UnsetType | None = UNSET
    language: Language | UnsetType = UNSET
    user_id: Id | UnsetType | None = UNSET
    availability: Annotated[list[WindowIn], Meta(max_length=60)] | UnsetType = UNSET


class PersonOut(Struct):
    id: int
    name_ar: str
    name_latin: str
    affiliation: str
    country: str | None
    bio_ar: str
    bio_fr: str
    bio_en: str
    email: str | None
    phone: str | None
    language: str
    user_id: int | None
    availability: list[WindowOut]
    sessions: int


class ParticipationIn(Struct, forbid_unknown_fields=True):
    person_id: Id
    role: Role


class SessionIn(Struct, forbid_unknown_fields=True):
    """A title in at least one of ar, fr, en; ``track`` is a track's code."""

    type: SessionType
    track: TrackCode
    starts_at: datetime
    ends_at: datetime
    title_ar: Title = ""
    title_fr: Title = ""
    title_en: Title = ""
    abstract_ar: LongText = ""
    abstract_fr: LongText = ""
    abstract_en: LongText = ""
    room_id: Id | None = None
    languages: Annotated[list[Language], Meta(min_length=1, max_length=3)] = msgspec.field(
        default_factory=lambda: ["fr"]
    )
    interpretation: bool = False
    needs_registration: bool = False
    capacity: Capacity | None = None
    status: SessionStatus = SessionStatus.draft
    people: Annotated[list[ParticipationIn], Meta(max_length=50)] = []


class SessionUpdate(Struct, forbid_unknown_fields=True):
    """Only the fields sent change; ``people`` sent replaces the list (each person kept keeps
    their response)."""

    type: SessionType | UnsetType = UNSET
    track: TrackCode | UnsetType = UNSET
    starts_at: datetime | UnsetType = UNSET
    ends_at: datetime | UnsetType = UNSET
    title_ar: Title | UnsetType = UNSET
    title_fr: Title | UnsetType = UNSET
    title_en: Title | UnsetType = UNSET
    abstract_ar: LongText | UnsetType = UNSET
    abstract_fr: LongText | UnsetType = UNSET
    abstract_en: LongText | UnsetType = UNSET
    room_id: Id | UnsetType | None = UNSET
    languages: Annotated[list[Language], Meta(min_length=1, max_length=3)] | UnsetType = UNSET
    interpretation: bool | UnsetType = UNSET
    needs_registration: bool | UnsetType = UNSET
    capacity: Capacity | UnsetType | None = UNSET
    status: SessionStatus | UnsetType = UNSET
    people: Annotated[list[ParticipationIn], Meta(max_length=50)] | UnsetType = UNSET


class ParticipationOut(Struct):
    person_id: int
    name_ar: str
    name_latin: str
    role: Role
    response: Response
    response_message: str
    responded_at: datetime | None


class ConflictOut(Struct):
    kind: str
    severity: str
    session_ids: list[int]
    person_id: int | None
    room_id: int | None
    detail: dict[str, int | str]
    message: str


class SessionOut(Struct):
    id: int
    guid: str
    type: SessionType
    track: str
    starts_at: datetime
    ends_at: datetime
    title_ar: str
    title_fr: str
    title_en: str
    abstract_ar: str
    abstract_fr: str
    abstract_en: str
    room_id: int | None
    languages: list[str]
    interpretation: bool
    needs_registration: bool
    capacity: int | None
    status: SessionStatus
    sequence: int
    people: list[ParticipationOut]
    conflicts: list[ConflictOut] = []


class ProgrammeSettingsIn(Struct, forbid_unknown_fields=True):
    """``severities`` maps a conflict kind to error, warning or ignore; kinds not sent keep
    their default severity."""

    travel_gap_minutes: Annotated[int, Meta(ge=0, le=240)] = 15
    severities: Annotated[
        dict[Annotated[str, Meta(max_length=40)], Literal["error", "warning", "ignore"]], Meta(max_length=20)
    ] = {}


class ProgrammeSettingsOut(Struct):
    travel_gap_minutes: int
    severities: dict[str, str]


class ProgrammeConflictsOut(Struct):
    errors: int
    warnings: int
    conflicts: list[ConflictOut]
