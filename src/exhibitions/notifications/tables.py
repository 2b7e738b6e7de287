"""The outbox. Its columns and constraints are in migrations/m0004_outbox.py."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.events.tables import Exhibition


class OutboxStatus(str, Enum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"


class Outbox(Table, tablename="outbox"):
    id = Serial(primary_key=True)
    # Mail about an exhibition that no longer exists has nothing left to say.
    exhibition = ForeignKey(Exhibition, null=True, default=None, on_delete=OnDelete.cascade)
    rule = Varchar(length=64)
    # 'email', or 'sms' with a phone number in E.164 as the recipient (m0022).
    channel = Varchar(length=5, default="email")
    recipient = Varchar(length=254)
    # What the message is about ('ticket:123'), and which time ('' or a date for a reminder):
    # with rule and recipient, the key that makes a message unique.
    subject_key = Varchar(length=100)
    occurrence = Varchar(length=64, default="")
    language = Varchar(length=2)
    # NULL until rendered: a rule may store only its parameters and render at delivery.
    subject_line = Varchar(length=300, null=True, default=None)
    text_body = Text(null=True, default=None)
    html_body = Text(null=True, default=None)
    # A reference rendered at send time ('ticket_pdf:123'), never the bytes.
    attachment = Varchar(length=100, null=True, default=None)
    status = Varchar(length=10, choices=OutboxStatus, default=OutboxStatus.pending)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz()
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(null=True, default=None)
    created_at = Timestamptz()
