"""Seminars: rooms (each a tickets checkpoint), tracks, people and their availability,
sessions and the people who take part in them, and each exhibition's programme settings.

The rules that must hold whatever the code does (times in order, a title or a name in some
language, every reference inside one exhibition, one person once per session) live in
migration m0017's DDL; these classes mirror that schema for Piccolo's query builder. The
composite foreign keys on ``(id, exhibition)`` are the migration's: Piccolo sees plain ones.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.accounts.tables import User
from exhibitions.events.tables import Exhibition
from exhibitions.tickets.tables import Checkpoint


class SessionType(str, Enum):
    keynote = "keynote"
    panel = "panel"
    workshop = "workshop"
    round_table = "round_table"


class SessionStatus(str, Enum):
    draft = "draft"
    scheduled = "scheduled"
    cancelled = "cancelled"


class Role(str, Enum):
    speaker = "speaker"
    moderator = "moderator"
    rapporteur = "rapporteur"
    discussant = "discussant"


class Response(str, Enum):
    invited = "invited"
    confirmed = "confirmed"
    declined = "declined"
    reschedule_requested = "reschedule_requested"


class SeminarRoom(Table, tablename="seminar_room"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=100)
    building = Varchar(length=100, default="")
    capacity = Integer()
    # The door staff's checkpoint (kind ``room``), made with the room.
    checkpoint = ForeignKey(Checkpoint, null=False, unique=True, on_delete=OnDelete.no_action)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class SeminarTrack(Table, tablename="seminar_track"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    code = Varchar(length=40)
    name_ar = Varchar(length=200, default="")
    name_fr = Varchar(length=200, default="")
    name_en = Varchar(length=200, default="")
    position = Integer(default=0)


class SeminarPerson(Table, tablename="seminar_person"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    name_ar = Varchar(length=200, default="")
    name_latin = Varchar(length=200, default="")
    affiliation = Varchar(length=300, default="")
    country = Varchar(length=2, null=True, default=None)  # ISO 3166-1 alpha-2
    bio_ar = Text(default="")
    bio_fr = Text(default="")
    bio_en = Text(default="")
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=30, null=True, default=None)
    language = Varchar(length=2, default="fr")  # the language of the messages they get
    # An account is optional: many speakers only ever use their signed link.
    user = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PersonAvailability(Table, tablename="person_availability"):
    id = Serial(primary_key=True)
    person = ForeignKey(SeminarPerson, null=False, on_delete=OnDelete.cascade)
    starts_at = Timestamptz()
    ends_at = Timestamptz()


class SeminarSession(Table, tablename="seminar_session"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    guid = Varchar(length=36, unique=True)  # a UUID fixed at creation: exports' stable id
    title_ar = Varchar(length=300, default="")
    title_fr = Varchar(length=300, default="")
    title_en = Varchar(length=300, default="")
    abstract_ar = Text(default="")
    abstract_fr = Text(default="")
    abstract_en = Text(default="")
    session_type = Varchar(length=12, choices=SessionType)
    track = ForeignKey(SeminarTrack, null=False, on_delete=OnDelete.no_action)
    room = ForeignKey(SeminarRoom, null=True, default=None, on_delete=OnDelete.no_action)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    languages = Varchar(length=20, default="fr")  # comma-separated codes, e.g. "ar,fr"
    interpretation = Boolean(default=False)
    needs_registration = Boolean(default=False)
    capacity = Integer(null=True, default=None)  # None: the room's
    status = Varchar(length=10, choices=SessionStatus, default=SessionStatus.draft)
    # Bumped by every change, in the same UPDATE: the ICS SEQUENCE and the edit check.
    sequence = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class SessionPerson(Table, tablename="session_person"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    session = ForeignKey(SeminarSession, null=False, on_delete=OnDelete.cascade)
    person = ForeignKey(SeminarPerson, null=False, on_delete=OnDelete.no_action)
    role = Varchar(length=12, choices=Role)
    position = Integer(default=0)  # the order the organizer listed them in
    response = Varchar(length=24, choices=Response, default=Response.invited)
    response_message = Text(default="")
    responded_at = Timestamptz(null=True, default=None)


class ProgrammeSettings(Table, tablename="programme_settings"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, unique=True, on_delete=OnDelete.cascade)
    travel_gap_minutes = Integer(default=15)
    severities = Text(default="{}")  # JSON: conflict kind -> error | warning | ignore
    updated_at = Timestamptz()
