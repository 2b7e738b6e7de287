"""Checkpoints, scanner devices, admissions and the scan log.

Each checkpoint policy becomes one unique key: an admission claims a *slot* for a ticket in
a *scope* ('day:2027-05-07' once per day, 'once' once ever, 'inside' until the exit scan
frees it, a fresh 'scan:…' every time for unlimited), so the database, not the code,
refuses the second admission of two racing scanners. All the gates of an exhibition share
one scope ('gates'): a day pass enters once a day, by whichever gate; a hall or a seminar
room is its own scope ('checkpoint:<id>'). Occupancy is a counter whose
CHECK constraint keeps it between 0 and the capacity.
"""

ID = "0003_checkins"

SQL = """
ALTER TABLE "access_token" ADD COLUMN "exhibition" INTEGER REFERENCES "exhibition" ("id") ON DELETE CASCADE;

CREATE TABLE "checkpoint" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "name" VARCHAR(100) NOT NULL CHECK ("name" <> ''),
    "kind" VARCHAR(10) NOT NULL DEFAULT 'gate' CHECK ("kind" IN ('gate', 'hall', 'room')),
    "policy" VARCHAR(20) NOT NULL DEFAULT 'once_per_day'
        CHECK ("policy" IN ('once_per_day', 'once', 'reentry_after_exit', 'unlimited')),
    "capacity" INTEGER CHECK ("capacity" IS NULL OR "capacity" > 0),
    "inside" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "checkpoint_name_once" UNIQUE ("exhibition", "name"),
    CONSTRAINT "checkpoint_inside_in_range" CHECK ("inside" >= 0 AND ("capacity" IS NULL OR "inside" <= "capacity"))
);

CREATE TABLE "admission" (
    "id" {pk},
    "ticket" INTEGER NOT NULL REFERENCES "ticket" ("id") ON DELETE CASCADE,
    "checkpoint" INTEGER NOT NULL REFERENCES "checkpoint" ("id") ON DELETE CASCADE,
    "scope" VARCHAR(24) NOT NULL,
    "slot" VARCHAR(48) NOT NULL,
    "admitted_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "admission_once_per_slot" UNIQUE ("ticket", "scope", "slot")
);

CREATE TABLE "scan" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "device" INTEGER REFERENCES "access_token" ("id") ON DELETE SET NULL,
    "checkpoint" INTEGER REFERENCES "checkpoint" ("id") ON DELETE SET NULL,
    "ticket" INTEGER REFERENCES "ticket" ("id") ON DELETE SET NULL,
    "direction" VARCHAR(3) NOT NULL CHECK ("direction" IN ('in', 'out')),
    "result" VARCHAR(20) NOT NULL,
    "nonce" VARCHAR(64),
    "scanned_at" TIMESTAMPTZ NOT NULL,
    "received_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "scan_nonce_once" UNIQUE ("device", "nonce")
);
CREATE INDEX "scan_checkpoint_time" ON "scan" ("checkpoint", "scanned_at");
"""
