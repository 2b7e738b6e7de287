"""Visitor tickets and the keys that sign them."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Boolean, Date, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

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
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
