"""Session attendance: visitors' stars and registrations, and the programme's published versions.

A visitor is their ticket. The database itself refuses:

- a star or a registration of a ticket or a session of another exhibition (composite
  foreign keys on ``(id, exhibition)``; tickets gain the unique ``(id, exhibition)`` they
  need), one ticket twice on a session;
- a registered seat with a waitlist position or a waitlisted one without, two waitlisted
  people at one position;
- more registered people than the session's capacity: ``session_places`` counts them, and a
  seat is taken only by ``UPDATE … SET registered = registered + 1 WHERE registered <
  capacity RETURNING``, in the transaction that writes the registration. Concurrent
  registrations queue on that row (PostgreSQL) or the database (SQLite IMMEDIATE); each
  re-reads the count it increments, so 100 at once for 30 places give exactly 30.
- two versions of one number for an exhibition.
"""

ID = "0019_attendance"

SQL = """
CREATE UNIQUE INDEX "ticket_of_exhibition" ON "ticket" ("id", "exhibition");

CREATE TABLE "session_star" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "session" INTEGER NOT NULL,
    "ticket" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "session_star_once" UNIQUE ("session", "ticket"),
    CONSTRAINT "session_star_session" FOREIGN KEY ("session", "exhibition")
        REFERENCES "seminar_session" ("id", "exhibition") ON DELETE CASCADE,
    CONSTRAINT "session_star_ticket" FOREIGN KEY ("ticket", "exhibition")
        REFERENCES "ticket" ("id", "exhibition") ON DELETE CASCADE
);
CREATE INDEX "session_star_by_ticket" ON "session_star" ("ticket");

CREATE TABLE "session_places" (
    "id" {pk},
    "session" INTEGER NOT NULL UNIQUE REFERENCES "seminar_session" ("id") ON DELETE CASCADE,
    "registered" INTEGER NOT NULL DEFAULT 0 CHECK ("registered" >= 0),
    "last_position" INTEGER NOT NULL DEFAULT 0 CHECK ("last_position" >= 0)
);

CREATE TABLE "session_registration" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "session" INTEGER NOT NULL,
    "ticket" INTEGER NOT NULL,
    "status" VARCHAR(10) NOT NULL CHECK ("status" IN ('registered', 'waitlisted')),
    "position" INTEGER CHECK ("position" IS NULL OR "position" >= 1),
    "created_at" TIMESTAMPTZ NOT NULL,
    "promoted_at" TIMESTAMPTZ,
    CONSTRAINT "session_registration_once" UNIQUE ("session", "ticket"),
    CONSTRAINT "session_registration_position_once" UNIQUE ("session", "position"),
    CONSTRAINT "session_registration_position_iff_waitlisted"
        CHECK (("status" = 'waitlisted' AND "position" IS NOT NULL)
            OR ("status" = 'registered' AND "position" IS NULL)),
    CONSTRAINT "session_registration_session" FOREIGN KEY ("session", "exhibition")
        REFERENCES "seminar_session" ("id", "exhibition") ON DELETE CASCADE,
    CONSTRAINT "session_registration_ticket" FOREIGN KEY ("ticket", "exhibition")
        REFERENCES "ticket" ("id", "exhibition") ON DELETE CASCADE
);
CREATE INDEX "session_registration_by_ticket" ON "session_registration" ("ticket");
CREATE INDEX "session_registration_waitlist" ON "session_registration" ("session", "status", "position");

CREATE TABLE "programme_version" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "number" INTEGER NOT NULL CHECK ("number" >= 1),
    "published_at" TIMESTAMPTZ NOT NULL,
    "published_by" INTEGER REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "snapshot" TEXT NOT NULL,
    CONSTRAINT "programme_version_number_once" UNIQUE ("exhibition", "number")
)
"""
