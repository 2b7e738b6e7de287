"""Allocation rules per exhibition, proposals accepted piece by piece, and the allocator's
reason kept with the stand it gave.

``allocation_rules`` holds one row per exhibition: the weights the organizers chose and the
few other rules of ``stands.allocation.Rules`` that are theirs to set. Lengths, durations and
ratios are integers (centimetres, milliseconds, hundredths) so that a value reads back as it
was written on both engines; every one is bounded by a CHECK. No row means the defaults.

``allocation_proposal.accepted_applications`` lists (JSON) the applications whose stands were
accepted so far: a proposal may be accepted in parts, and is ``accepted`` once every part is.

``stand_assignment.reason`` keeps the allocator's note codes (and the names of the
neighbours asked for) of an assignment that came from a proposal, so that the e-mail can
say why in each reader's language; a move by hand writes a new row without it.
"""

ID = "0016_allocation_rules"

SQL = """
CREATE TABLE "allocation_rules" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL UNIQUE REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "preference" INTEGER NOT NULL CHECK ("preference" BETWEEN 0 AND 100000),
    "fairness" INTEGER NOT NULL CHECK ("fairness" BETWEEN 0 AND 100000),
    "sector_clustering" INTEGER NOT NULL CHECK ("sector_clustering" BETWEEN 0 AND 100000),
    "region" INTEGER NOT NULL CHECK ("region" BETWEEN 0 AND 100000),
    "region_mode" VARCHAR(10) NOT NULL CHECK ("region_mode" IN ('spread', 'cluster')),
    "near" INTEGER NOT NULL CHECK ("near" BETWEEN 0 AND 100000),
    "keep_apart" INTEGER NOT NULL CHECK ("keep_apart" BETWEEN 0 AND 100000),
    "change" INTEGER NOT NULL CHECK ("change" BETWEEN 0 AND 100000),
    "unplaced" INTEGER NOT NULL CHECK ("unplaced" BETWEEN 0 AND 100000),
    "neighbour_gap_cm" INTEGER NOT NULL CHECK ("neighbour_gap_cm" BETWEEN 0 AND 1000),
    "max_area_percent" INTEGER NOT NULL CHECK ("max_area_percent" BETWEEN 100 AND 1000),
    "time_limit_ms" INTEGER NOT NULL CHECK ("time_limit_ms" BETWEEN 100 AND 30000),
    "updated_by" INTEGER REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
ALTER TABLE "allocation_proposal" ADD COLUMN "accepted_applications" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "stand_assignment" ADD COLUMN "reason" TEXT
"""
