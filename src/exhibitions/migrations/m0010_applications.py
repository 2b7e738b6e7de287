"""Applications of organizations to exhibitions, and the trail of every status change.

One application per organization and exhibition. A status changes by compare-and-set
(UPDATE ... WHERE status = the status seen), so two decisions at once cannot both apply;
each change writes its event (who, when, from, to, why) in the same transaction.
"""

ID = "0010_applications"

SQL = """
CREATE TABLE "application" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE RESTRICT,
    "organization" INTEGER NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "status" VARCHAR(12) NOT NULL DEFAULT 'draft'
        CHECK ("status" IN ('draft', 'submitted', 'approved', 'waitlisted', 'rejected', 'withdrawn')),
    "stand_type" VARCHAR(10) NOT NULL DEFAULT 'standard'
        CHECK ("stand_type" IN ('standard', 'corner', 'island', 'outdoor')),
    "stand_area_m2" INTEGER NOT NULL DEFAULT 9 CHECK ("stand_area_m2" BETWEEN 4 AND 400),
    "preferred_zone" VARCHAR(100),
    "near_organizations" TEXT NOT NULL DEFAULT '[]',
    "needs_power" BOOLEAN NOT NULL DEFAULT FALSE,
    "needs_water" BOOLEAN NOT NULL DEFAULT FALSE,
    "needs_accessible" BOOLEAN NOT NULL DEFAULT FALSE,
    "accepts_sharing" BOOLEAN NOT NULL DEFAULT FALSE,
    "products" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "submitted_at" TIMESTAMPTZ,
    CONSTRAINT "application_once" UNIQUE ("exhibition", "organization")
);
CREATE INDEX "application_status" ON "application" ("exhibition", "status");

CREATE TABLE "application_event" (
    "id" {pk},
    "application" INTEGER NOT NULL REFERENCES "application" ("id") ON DELETE CASCADE,
    "from_status" VARCHAR(12),
    "to_status" VARCHAR(12) NOT NULL,
    "actor" INTEGER REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "application_event_application" ON "application_event" ("application", "at");
"""
