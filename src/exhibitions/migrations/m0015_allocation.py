"""Allocation proposals: the allocator's drafts, kept until the organizers accept them.

A proposal stores its rules and its result as JSON (read back whole, never queried by
field) and a fingerprint of the stands and locks it was computed from: accepting compares
it with the fingerprint of the moment, so a proposal computed before a stand or a lock
changed is refused instead of undoing the change. ``status`` moves from ``draft`` to
``accepted`` by a compare-and-set UPDATE: one proposal is accepted once.
"""

ID = "0015_allocation"

SQL = """
CREATE TABLE "allocation_proposal" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "status" VARCHAR(10) NOT NULL DEFAULT 'draft' CHECK ("status" IN ('draft', 'accepted')),
    "rules" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "created_by" INTEGER REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "accepted_at" TIMESTAMPTZ
);
CREATE INDEX "allocation_proposal_exhibition" ON "allocation_proposal" ("exhibition", "id")
"""
