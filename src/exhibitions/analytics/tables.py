"""The attendance rollups (migration m0023): derived from the scan log by
``refresh_attendance_rollups``, never written by anything else. The DDL holds the rules."""

from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.events.tables import Exhibition
from exhibitions.tickets.tables import Ticket

STEP_MINUTES = 5  # the resolution of attendance_step

# ``checkpoint`` value of the rows that count every gate of an exhibition together.
ALL_GATES = 0


class AttendanceHour(Table, tablename="attendance_hour"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    checkpoint = Integer()  # ALL_GATES, or a checkpoint's id
    day = Date()  # local
    hour = Integer()  # local, 0-23
    admissions = Integer()
    exits = Integer()
    visitors = Integer()  # distinct tickets admitted


class AttendanceDay(Table, tablename="attendance_day"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    checkpoint = Integer()
    day = Date()
    admissions = Integer()
    exits = Integer()
    visitors = Integer()


class AttendanceStep(Table, tablename="attendance_step"):
    """Every gate together, per local day and 5-minute step (``minute`` of the local day)."""

    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    day = Date()
    minute = Integer()
    admissions = Integer()
    exits = Integer()


class AttendanceVisitor(Table, tablename="attendance_visitor"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    ticket = ForeignKey(Ticket, null=False, unique=True, on_delete=OnDelete.cascade)
    days_visited = Integer()
    admissions = Integer()
    first_admitted_at = Timestamptz()


class AttendanceShare(Table, tablename="attendance_share"):
    """Per exhibition: registered and came per ``region`` and ``category``; visitors per
    number of ``days_visited`` ("1", "2", "3+"; registered is 0 there)."""

    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    dimension = Varchar(length=12)
    key = Varchar(length=20)
    registered = Integer()
    visitors = Integer()


class AttendanceRollupState(Table, tablename="attendance_rollup_state"):
    id = Serial(primary_key=True)
    name = Varchar(length=40, unique=True)
    refreshed_through = Timestamptz()
    updated_at = Timestamptz()
