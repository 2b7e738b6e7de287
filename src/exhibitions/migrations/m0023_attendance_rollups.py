"""Attendance analytics: indexes on the scan log and the rollups a scheduled job maintains.

The scan log (``scan``) is the attendance record: every admission (``result = 'admitted'``)
and every exit (``'exited'``) with its instant in UTC. Counting it afresh for every chart
costs a second and more at a million scans, so ``refresh_attendance_rollups`` keeps:

- ``attendance_hour``: per exhibition, checkpoint, local day and local hour, the
  admissions, the exits and the distinct tickets admitted. ``checkpoint = 0`` is every gate
  of the exhibition together (distinct tickets are not additive over gates, so that row is
  counted, not summed); no foreign key on it for that reason. Rows are derived and
  rebuilt per day, so a deleted checkpoint's rows go at the next rebuild.
- ``attendance_day``: the same per local day.
- ``attendance_step``: every gate together, per local day and 5-minute step: admissions
  and exits, for the "inside over time" curve.
- ``attendance_visitor``: per ticket that came through a gate, on how many local days and
  how many times.
- ``attendance_share``: per exhibition, the registered and the came per home region, per
  category, and the visitors per number of days visited: no-shows, shares and repeat visits
  read a few rows instead of grouping hundreds of thousands of tickets.
- ``attendance_rollup_state``: how far the job has read the log (by ``received_at``, so an
  offline batch synced late is counted too).

Local days and hours follow the exhibition's time zone (Morocco leaves UTC+1 for Ramadan):
the job computes them in SQL from offsets that zoneinfo gives for the exhibition's dates.
"""

ID = "0023_attendance_rollups"

SQL = """
CREATE INDEX "scan_received" ON "scan" ("received_at");
-- Admissions and exits only, with every column the counts read: a day's live figures and a
-- rollup rebuild read this index alone (refused scans never enter it). Queries repeat its
-- WHERE term literally, so that SQLite sees they may use it.
CREATE INDEX "scan_moves" ON "scan" ("exhibition", "scanned_at", "checkpoint", "result", "ticket")
    WHERE "result" IN ('admitted', 'exited');
-- A ticket's admissions, everything the count of its days reads (the rollup job recounts
-- the visitors of every day it rebuilds).
CREATE INDEX "scan_ticket_admitted" ON "scan" ("ticket", "scanned_at", "checkpoint", "exhibition")
    WHERE "result" = 'admitted';

CREATE TABLE "attendance_hour" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "checkpoint" INTEGER NOT NULL CHECK ("checkpoint" >= 0),
    "day" DATE NOT NULL,
    "hour" INTEGER NOT NULL CHECK ("hour" BETWEEN 0 AND 23),
    "admissions" INTEGER NOT NULL CHECK ("admissions" >= 0),
    "exits" INTEGER NOT NULL CHECK ("exits" >= 0),
    "visitors" INTEGER NOT NULL CHECK ("visitors" >= 0 AND "visitors" <= "admissions"),
    CONSTRAINT "attendance_hour_once" UNIQUE ("exhibition", "checkpoint", "day", "hour")
);

CREATE TABLE "attendance_day" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "checkpoint" INTEGER NOT NULL CHECK ("checkpoint" >= 0),
    "day" DATE NOT NULL,
    "admissions" INTEGER NOT NULL CHECK ("admissions" >= 0),
    "exits" INTEGER NOT NULL CHECK ("exits" >= 0),
    "visitors" INTEGER NOT NULL CHECK ("visitors" >= 0 AND "visitors" <= "admissions"),
    CONSTRAINT "attendance_day_once" UNIQUE ("exhibition", "checkpoint", "day")
);

CREATE TABLE "attendance_step" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "day" DATE NOT NULL,
    "minute" INTEGER NOT NULL CHECK ("minute" BETWEEN 0 AND 1435 AND "minute" % 5 = 0),
    "admissions" INTEGER NOT NULL CHECK ("admissions" >= 0),
    "exits" INTEGER NOT NULL CHECK ("exits" >= 0),
    CONSTRAINT "attendance_step_once" UNIQUE ("exhibition", "day", "minute")
);

CREATE TABLE "attendance_visitor" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "ticket" INTEGER NOT NULL UNIQUE REFERENCES "ticket" ("id") ON DELETE CASCADE,
    "days_visited" INTEGER NOT NULL CHECK ("days_visited" >= 1),
    "admissions" INTEGER NOT NULL CHECK ("admissions" >= "days_visited"),
    "first_admitted_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "attendance_visitor_exhibition" ON "attendance_visitor" ("exhibition", "days_visited");

CREATE TABLE "attendance_share" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "dimension" VARCHAR(12) NOT NULL CHECK ("dimension" IN ('region', 'category', 'days_visited')),
    "key" VARCHAR(20) NOT NULL,
    "registered" INTEGER NOT NULL CHECK ("registered" >= 0),
    "visitors" INTEGER NOT NULL CHECK ("visitors" >= 0),
    CONSTRAINT "attendance_share_once" UNIQUE ("exhibition", "dimension", "key")
);
-- Registrations made or cancelled since the job's last run.
CREATE INDEX "ticket_created" ON "ticket" ("created_at");
CREATE INDEX "ticket_revoked" ON "ticket" ("revoked_at") WHERE "revoked_at" IS NOT NULL;

CREATE TABLE "attendance_rollup_state" (
    "id" {pk},
    "name" VARCHAR(40) NOT NULL UNIQUE,
    "refreshed_through" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
)
"""
