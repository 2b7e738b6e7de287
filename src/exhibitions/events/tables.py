"""Exhibitions (national editions and regional markets), their venues, halls and hours.

Constraints that must hold whatever the code does (dates in order, a regional market
names its region, one exception per day) live in the migration's DDL; these classes
mirror that schema for Piccolo's query builder.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns import (
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class ExhibitionKind(str, Enum):
    national = "national"
    regional = "regional"


class ExhibitionStatus(str, Enum):
    draft = "draft"
    published = "published"
    closed = "closed"


class Venue(Table, tablename="venue"):
    id = Serial(primary_key=True)
    name = Varchar(length=200)
    city = Varchar(length=100)
    address = Text(default="")


class Hall(Table, tablename="hall"):
    id = Serial(primary_key=True)
    venue = ForeignKey(Venue, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=100)
    area_m2 = Integer(null=True, default=None)
    # The plan's size, for the stands drawn on it (migration m0014); unknown until set.
    plan_width_cm = Integer(null=True, default=None)
    plan_depth_cm = Integer(null=True, default=None)


class Exhibition(Table, tablename="exhibition"):
    id = Serial(primary_key=True)
    slug = Varchar(length=80, unique=True)
    kind = Varchar(length=10, choices=ExhibitionKind)
    region = Varchar(length=5, null=True, default=None)
    title_ar = Varchar(length=300)
    title_fr = Varchar(length=300)
    title_en = Varchar(length=300)
    # A venue outlives the editions held there: deleting it must not delete history.
    venue = ForeignKey(Venue, null=False, on_delete=OnDelete.restrict)
    starts_on = Date()
    ends_on = Date()
    time_zone = Varchar(length=64, default="Africa/Casablanca")
    opens_at = Time()
    closes_at = Time()
    status = Varchar(length=10, choices=ExhibitionStatus, default=ExhibitionStatus.draft)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # Anchors of reminder rules (m0022): the stand set-up day and the applications' last day.
    setup_on = Date(null=True, default=None)
    applications_close_on = Date(null=True, default=None)


class OpeningException(Table, tablename="opening_exception"):
    """A day whose hours differ from the exhibition's daily hours; both times empty means closed."""

    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    day = Date()
    opens_at = Time(null=True, default=None)
    closes_at = Time(null=True, default=None)
    note = Varchar(length=200, default="")
