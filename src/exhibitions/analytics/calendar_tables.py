"""Calendar marks (migration m0024): dates that matter to attendance, marked by organizers."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Serial, Time, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.accounts.tables import User
from exhibitions.events.tables import Exhibition


class MarkKind(str, Enum):
    friday_prayer = "friday_prayer"
    ramadan = "ramadan"
    school_holiday = "school_holiday"
    public_holiday = "public_holiday"
    unfavourable = "unfavourable"
    other = "other"


class CalendarMark(Table, tablename="calendar_mark"):
    id = Serial(primary_key=True)
    # NULL: a national mark, shown on every exhibition's calendar.
    exhibition = ForeignKey(Exhibition, null=True, default=None, on_delete=OnDelete.cascade)
    kind = Varchar(length=20, choices=MarkKind)
    starts_on = Date()
    ends_on = Date()
    # 0 Monday … 6 Sunday: the mark recurs on that weekday only, within the range.
    weekday = Integer(null=True, default=None)
    from_time = Time(null=True, default=None)
    to_time = Time(null=True, default=None)
    note = Varchar(length=200, default="")
    created_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
