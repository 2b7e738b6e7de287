"""Visitor tickets and the keys that sign them."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Boolean, Date, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.accounts.tables import AccessToken, User
from exhibitions.events.tables import Exhibition


class VisitorCategory(str, Enum):
    general = "general"
    professional = "professional"
    student = "student"
    press = "press"
    institutional = "institutional"


class TicketStatus(str, Enum):
    valid = "valid"
    revoked = "revoked"


class SigningKey(Table, tablename="signing_key"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    key_id = Integer()
    public_key = Varchar(length=64)
    private_key_sealed = Text()
    created_at = Timestamptz()
    retired_at = Timestamptz(null=True, default=None)


class Ticket(Table, tablename="ticket"):
    id = Serial(primary_key=True)
    # Tickets are the attendance record: an exhibition with tickets cannot be deleted.
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.restrict)
    access_token = Varchar(length=64, unique=True)
    manual_code = Varchar(length=12)
    holder_name = Varchar(length=200)
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=20, null=True, default=None)
    home_region = Varchar(length=6)
    country = Varchar(length=2, null=True, default=None)
    category = Varchar(length=20, choices=VisitorCategory)
    language = Varchar(length=2)
    share_contact = Boolean(default=False)
    first_day = Date()
    day_count = Integer()
    key_id = Integer()
    status = Varchar(length=10, choices=TicketStatus, default=TicketStatus.valid)
    group_leader: ForeignKey[Ticket] = ForeignKey("self", null=True, default=None, on_delete=OnDelete.set_null)
    # The ticket this one replaced (revoked at the same moment); at most one replacement each.
    replaces: ForeignKey[Ticket] = ForeignKey("self", null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class CheckpointKind(str, Enum):
    gate = "gate"
    hall = "hall"
    room = "room"


class CheckpointPolicy(str, Enum):
    once_per_day = "once_per_day"
    once = "once"
    reentry_after_exit = "reentry_after_exit"
    unlimited = "unlimited"


class Checkpoint(Table, tablename="checkpoint"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=100)
    kind = Varchar(length=10, choices=CheckpointKind, default=CheckpointKind.gate)
    policy = Varchar(length=20, choices=CheckpointPolicy, default=CheckpointPolicy.once_per_day)
    capacity = Integer(null=True, default=None)
    inside = Integer(default=0)


class Admission(Table, tablename="admission"):
    id = Serial(primary_key=True)
    ticket = ForeignKey(Ticket, null=False, on_delete=OnDelete.cascade)
    checkpoint = ForeignKey(Checkpoint, null=False, on_delete=OnDelete.cascade)
    scope = Varchar(length=24)
    slot = Varchar(length=48)
    admitted_at = Timestamptz()


class Scan(Table, tablename="scan"):
    """Every scan, admitted or not: the gate log and the raw material of attendance analytics."""

    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    device = ForeignKey(AccessToken, null=True, default=None, on_delete=OnDelete.set_null)
    checkpoint = ForeignKey(Checkpoint, null=True, default=None, on_delete=OnDelete.set_null)
    ticket = ForeignKey(Ticket, null=True, default=None, on_delete=OnDelete.set_null)
    direction = Varchar(length=3)
    result = Varchar(length=20)
    nonce = Varchar(length=64, null=True, default=None)
    scanned_at = Timestamptz()
    received_at = Timestamptz()


class DeviceEnrolment(Table, tablename="device_enrolment"):
    """A one-time secret shown as a QR code; a phone that scans it becomes a scanner device."""

    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=100)
    secret_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(User, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    device = ForeignKey(AccessToken, null=True, default=None, on_delete=OnDelete.set_null)
