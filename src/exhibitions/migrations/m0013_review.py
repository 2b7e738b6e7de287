"""The assisted review: each exhibition's review settings and quotas, the proposals computed
from them (kept whole, with their published seed and a snapshot of what they were computed
from, so that anyone can re-run and check them), and the waiting list's order.

Shares are stored in basis points (1/10,000 of the places to fill): integers compare the
same on both engines. A quota bounds one group (a region, a sector, a legal form, or the
women-led, whose value is ''), at most once per exhibition. A waiting-list position is
unique per exhibition, so two promotions cannot take the same place.
"""

ID = "0013_review"

SQL = """
CREATE TABLE "review_settings" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL UNIQUE REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "capacity" INTEGER NOT NULL DEFAULT 0 CHECK ("capacity" BETWEEN 0 AND 100000),
    "weights" TEXT NOT NULL DEFAULT '{{}}',
    "updated_at" TIMESTAMPTZ NOT NULL
);

CREATE TABLE "review_quota" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "dimension" VARCHAR(10) NOT NULL CHECK ("dimension" IN ('region', 'sector', 'legal_form', 'women_led')),
    "value" VARCHAR(20) NOT NULL DEFAULT '',
    "min_bp" INTEGER CHECK ("min_bp" IS NULL OR "min_bp" BETWEEN 0 AND 10000),
    "max_bp" INTEGER CHECK ("max_bp" IS NULL OR "max_bp" BETWEEN 0 AND 10000),
    "position" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "review_quota_bounded" CHECK ("min_bp" IS NOT NULL OR "max_bp" IS NOT NULL),
    CONSTRAINT "review_quota_ordered" CHECK ("min_bp" IS NULL OR "max_bp" IS NULL OR "min_bp" <= "max_bp"),
    CONSTRAINT "review_quota_once" UNIQUE ("exhibition", "dimension", "value")
);

CREATE TABLE "review_proposal" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "seed" VARCHAR(100) NOT NULL,
    "capacity" INTEGER NOT NULL,
    "inputs" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "overrides" TEXT NOT NULL DEFAULT '{{}}',
    "created_by" INTEGER REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "applied_by" INTEGER REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "applied_at" TIMESTAMPTZ
);
CREATE INDEX "review_proposal_exhibition" ON "review_proposal" ("exhibition", "id");

CREATE TABLE "review_waitlist" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "application" INTEGER NOT NULL UNIQUE REFERENCES "application" ("id") ON DELETE CASCADE,
    "position" INTEGER NOT NULL CHECK ("position" >= 1),
    "proposal" INTEGER REFERENCES "review_proposal" ("id") ON DELETE SET NULL,
    CONSTRAINT "review_waitlist_position_once" UNIQUE ("exhibition", "position")
);
"""
