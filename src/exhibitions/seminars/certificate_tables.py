"""Attendance certificates issued to visitors (migration m0020 holds the rules)."""

from __future__ import annotations

from piccolo.columns import ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.tickets.tables import Ticket


class SeminarCertificate(Table, tablename="seminar_certificate"):
    id = Serial(primary_key=True)
    ticket = ForeignKey(Ticket, null=False, on_delete=OnDelete.cascade)
    code = Varchar(length=24, unique=True)  # random; the QR's verification link carries it
    sessions_digest = Varchar(length=64)  # SHA-256 of the sorted session ids: one certificate per set
    holder_name = Varchar(length=200)
    sessions = Text()  # JSON: what the certificate lists, as printed
    issued_at = Timestamptz()
