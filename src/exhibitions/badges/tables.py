"""Badge holders, exhibitors' staff quotas and print batches. Migration m0021 holds the
constraints (roles, the unique lead id, the quota counter's bounds); these classes mirror it
for Piccolo's query builder."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.accounts.tables import User
from exhibitions.events.tables import Exhibition
from exhibitions.exhibitors.tables import Organization


class HolderRole(str, Enum):
    exhibitor_staff = "exhibitor_staff"
    speaker = "speaker"
    moderator = "moderator"
    organizer = "organizer"
    staff = "staff"
    press = "press"
    vip = "vip"


class BatchStatus(str, Enum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class BadgeHolder(Table, tablename="badge_holder"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    role = Varchar(length=16, choices=HolderRole)
    full_name = Varchar(length=200)
    title = Varchar(length=200, default="")
    organization = ForeignKey(Organization, null=True, default=None, on_delete=OnDelete.cascade)
    # The organization as printed when there is no organization row (press, VIP, a speaker's
    # affiliation); an exhibitor's badge prints the organization's own name.
    organization_label = Varchar(length=200, default="")
    email = Varchar(length=254, null=True, default=None)
    language = Varchar(length=2, default="fr")
    # 128 random bits, the lead-capture QR's only content besides our URL.
    lead_id = Varchar(length=22, unique=True)
    # ``person:<id>`` or ``user:<id>`` for holders synced from seminars or accounts.
    source_key = Varchar(length=40, null=True, default=None)
    requested_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class BadgeQuota(Table, tablename="badge_quota"):
    """How many staff badges an exhibitor holds (``used``) and may hold (override or base)."""

    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    organization = ForeignKey(Organization, null=False, on_delete=OnDelete.cascade)
    base = Integer()
    override = Integer(null=True, default=None)
    used = Integer(default=0)


class BadgeBatch(Table, tablename="badge_batch"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    criteria = Text()  # JSON: {"role": ..., "organization": ..., "new": ...}
    size = Varchar(length=5)
    status = Varchar(length=7, choices=BatchStatus, default=BatchStatus.queued)
    total = Integer()
    done = Integer(default=0)
    error = Text(default="")
    attempts = Integer(default=0)
    claimed_at = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None)
    file_path = Varchar(length=300, null=True, default=None)  # relative to the badges directory
    page_count = Integer(null=True, default=None)
    created_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)


class BadgeBatchItem(Table, tablename="badge_batch_item"):
    id = Serial(primary_key=True)
    batch = ForeignKey(BadgeBatch, null=False, on_delete=OnDelete.cascade)
    holder = ForeignKey(BadgeHolder, null=False, on_delete=OnDelete.cascade)
    position = Integer()
