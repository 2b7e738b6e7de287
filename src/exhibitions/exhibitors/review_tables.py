"""The assisted review's tables (m0013): settings and quotas per exhibition, the proposals
computed from them, and the waiting list's order."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.accounts.tables import User
from exhibitions.events.tables import Exhibition
from exhibitions.exhibitors.tables import Application


class ReviewSettings(Table, tablename="review_settings"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, unique=True, on_delete=OnDelete.cascade)
    capacity = Integer(default=0)  # stands to fill
    weights = Text(default="{}")  # JSON: criterion → points
    updated_at = Timestamptz()


class ReviewQuota(Table, tablename="review_quota"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    dimension = Varchar(length=10)
    value = Varchar(length=20, default="")
    min_bp = Integer(null=True, default=None)  # basis points of the places to fill
    max_bp = Integer(null=True, default=None)
    position = Integer(default=0)  # the organizer's order


class ReviewProposal(Table, tablename="review_proposal"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    seed = Varchar(length=100)
    capacity = Integer()
    inputs = Text()  # JSON snapshot: applicants' facts and statuses, quotas, weights
    result = Text()  # JSON: decisions, quota results
    overrides = Text(default="{}")  # JSON: application id → outcome, kept by the page until applied
    created_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    applied_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    applied_at = Timestamptz(null=True, default=None)


class ReviewWaitlist(Table, tablename="review_waitlist"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    application = ForeignKey(Application, null=False, unique=True, on_delete=OnDelete.cascade)
    position = Integer()
    proposal = ForeignKey(ReviewProposal, null=True, default=None, on_delete=OnDelete.set_null)
