"""Stands on a hall's plan and their assignments to approved applications.

The rules that must hold whatever the code does (no overlap in a hall, one stand per
application, no seat beyond a stand's capacity, only approved applications) live in
migration m0014's DDL; these classes mirror that schema for Piccolo's query builder.
Lengths are integer centimetres.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.accounts.tables import User
from exhibitions.events.tables import Exhibition, Hall
from exhibitions.exhibitors.tables import Application


class StandType(str, Enum):
    standard = "standard"
    corner = "corner"
    island = "island"
    outdoor = "outdoor"


class AssignmentSource(str, Enum):
    manual = "manual"
    proposal = "proposal"


class Stand(Table, tablename="stand"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    hall = ForeignKey(Hall, null=False, on_delete=OnDelete.restrict)
    code = Varchar(length=20)
    x_cm = Integer()
    y_cm = Integer()
    width_cm = Integer()
    depth_cm = Integer()
    stand_type = Varchar(length=10, choices=StandType, default=StandType.standard)
    zone = Varchar(length=100, null=True, default=None)
    has_power = Boolean(default=False)
    has_water = Boolean(default=False)
    accessible = Boolean(default=False)
    capacity = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class StandAssignment(Table, tablename="stand_assignment"):
    id = Serial(primary_key=True)
    stand = ForeignKey(Stand, null=False, on_delete=OnDelete.cascade)
    application = ForeignKey(Application, null=False, on_delete=OnDelete.cascade, unique=True)
    seat = Integer(default=1)
    locked = Boolean(default=False)
    source = Varchar(length=10, choices=AssignmentSource, default=AssignmentSource.manual)
    assigned_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    assigned_at = Timestamptz()
    published_at = Timestamptz(null=True, default=None)
    # JSON {"notes": [...], "near": [...]}: why the allocator chose this stand (m0016).
    reason = Text(null=True, default=None)


class AllocationProposal(Table, tablename="allocation_proposal"):
    """A draft of the allocator (migration m0015): rules and result as JSON."""

    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    status = Varchar(length=10, default="draft")
    rules = Text()
    result = Text()
    fingerprint = Varchar(length=64)
    created_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    accepted_applications = Text(default="[]")  # JSON list, grows with each partial acceptance (m0016)


class AllocationRules(Table, tablename="allocation_rules"):
    """The organizers' rules for the allocator, one row per exhibition (migration m0016).
    Integers in centimetres, milliseconds and hundredths; no row means the defaults."""

    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade, unique=True)
    preference = Integer()
    fairness = Integer()
    sector_clustering = Integer()
    region = Integer()
    region_mode = Varchar(length=10)
    near = Integer()
    keep_apart = Integer()
    change = Integer()
    unplaced = Integer()
    neighbour_gap_cm = Integer()
    max_area_percent = Integer()
    time_limit_ms = Integer()
    updated_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()
