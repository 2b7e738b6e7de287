"""Visitors' stars and registrations for sessions, the registration counters, and the
programme's published versions. Migration m0019 holds the constraints; these classes mirror
it for Piccolo (the composite foreign keys on ``(id, exhibition)`` are the migration's)."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.accounts.tables import User
from exhibitions.events.tables import Exhibition
from exhibitions.seminars.tables import SeminarSession
from exhibitions.tickets.tables import Ticket


class RegistrationStatus(str, Enum):
    registered = "registered"
    waitlisted = "waitlisted"


class SessionStar(Table, tablename="session_star"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    session = ForeignKey(SeminarSession, null=False, on_delete=OnDelete.cascade)
    ticket = ForeignKey(Ticket, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz()


class SessionPlaces(Table, tablename="session_places"):
    """How many hold a seat, and the last waitlist position handed out: the row every
    registration and cancellation of a session updates first."""

    id = Serial(primary_key=True)
    session = ForeignKey(SeminarSession, null=False, unique=True, on_delete=OnDelete.cascade)
    registered = Integer(default=0)
    last_position = Integer(default=0)


class SessionRegistration(Table, tablename="session_registration"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    session = ForeignKey(SeminarSession, null=False, on_delete=OnDelete.cascade)
    ticket = ForeignKey(Ticket, null=False, on_delete=OnDelete.cascade)
    status = Varchar(length=10, choices=RegistrationStatus)
    position = Integer(null=True, default=None)  # on the waitlist only; 1 is served first
    created_at = Timestamptz()
    promoted_at = Timestamptz(null=True, default=None)


class ProgrammeVersion(Table, tablename="programme_version"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    number = Integer()
    published_at = Timestamptz()
    published_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    # JSON: the rooms, tracks and sessions (times, room, status, texts, people) as published.
    snapshot = Text()
