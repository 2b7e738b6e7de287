"""Seminars: rooms, tracks, people and their availability, sessions and who takes part.

The database itself refuses:

- a session that ends before it starts, a title or a name missing in every language or
  script, a type, role, response or status outside its set, a capacity under one;
- a session in a room or a track of another exhibition, and a person of another exhibition
  in a session: each reference carries the exhibition (composite foreign keys on
  ``(id, exhibition)``), so no code path can cross exhibitions;
- one person twice in a session (unique session and person), two rooms of one name in an
  exhibition, one guid for two sessions.

Each room is a tickets checkpoint of kind ``room`` (the door staff scan it; its capacity is
the room's), created in the same transaction as the room. References inside an exhibition
are NO ACTION (checked at the end of the statement) rather than RESTRICT, so that deleting
an exhibition cascades through rooms and sessions in any order.

Times are stored in UTC; on SQLite they are ISO text in one format, so comparing them as
text (the CHECKs) orders them as instants.
"""

ID = "0017_seminars"

SQL = """
CREATE TABLE "seminar_room" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "name" VARCHAR(100) NOT NULL CHECK ("name" <> ''),
    "building" VARCHAR(100) NOT NULL DEFAULT '',
    "capacity" INTEGER NOT NULL CHECK ("capacity" BETWEEN 1 AND 100000),
    "checkpoint" INTEGER NOT NULL UNIQUE REFERENCES "checkpoint" ("id"),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "seminar_room_name_once" UNIQUE ("exhibition", "name"),
    CONSTRAINT "seminar_room_of_exhibition" UNIQUE ("id", "exhibition")
);

CREATE TABLE "seminar_track" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "code" VARCHAR(40) NOT NULL CHECK ("code" <> ''),
    "name_ar" VARCHAR(200) NOT NULL DEFAULT '',
    "name_fr" VARCHAR(200) NOT NULL DEFAULT '',
    "name_en" VARCHAR(200) NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0 CHECK ("position" BETWEEN 0 AND 10000),
    CONSTRAINT "seminar_track_named" CHECK ("name_ar" <> '' OR "name_fr" <> '' OR "name_en" <> ''),
    CONSTRAINT "seminar_track_code_once" UNIQUE ("exhibition", "code"),
    CONSTRAINT "seminar_track_of_exhibition" UNIQUE ("id", "exhibition")
);

CREATE TABLE "seminar_person" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "name_ar" VARCHAR(200) NOT NULL DEFAULT '',
    "name_latin" VARCHAR(200) NOT NULL DEFAULT '',
    "affiliation" VARCHAR(300) NOT NULL DEFAULT '',
    "country" VARCHAR(2) CHECK ("country" IS NULL OR LENGTH("country") = 2),
    "bio_ar" TEXT NOT NULL DEFAULT '',
    "bio_fr" TEXT NOT NULL DEFAULT '',
    "bio_en" TEXT NOT NULL DEFAULT '',
    "email" VARCHAR(254),
    "phone" VARCHAR(30),
    "language" VARCHAR(2) NOT NULL DEFAULT 'fr' CHECK ("language" IN ('ar', 'fr', 'en')),
    "user" INTEGER REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "seminar_person_named" CHECK ("name_ar" <> '' OR "name_latin" <> ''),
    CONSTRAINT "seminar_person_of_exhibition" UNIQUE ("id", "exhibition")
);

CREATE TABLE "person_availability" (
    "id" {pk},
    "person" INTEGER NOT NULL REFERENCES "seminar_person" ("id") ON DELETE CASCADE,
    "starts_at" TIMESTAMPTZ NOT NULL,
    "ends_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "person_availability_in_order" CHECK ("ends_at" > "starts_at")
);
CREATE INDEX "person_availability_person" ON "person_availability" ("person", "starts_at");

CREATE TABLE "seminar_session" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "guid" VARCHAR(36) NOT NULL,
    "title_ar" VARCHAR(300) NOT NULL DEFAULT '',
    "title_fr" VARCHAR(300) NOT NULL DEFAULT '',
    "title_en" VARCHAR(300) NOT NULL DEFAULT '',
    "abstract_ar" TEXT NOT NULL DEFAULT '',
    "abstract_fr" TEXT NOT NULL DEFAULT '',
    "abstract_en" TEXT NOT NULL DEFAULT '',
    "session_type" VARCHAR(12) NOT NULL CHECK ("session_type" IN ('keynote', 'panel', 'workshop', 'round_table')),
    "track" INTEGER NOT NULL,
    "room" INTEGER,
    "starts_at" TIMESTAMPTZ NOT NULL,
    "ends_at" TIMESTAMPTZ NOT NULL,
    "languages" VARCHAR(20) NOT NULL DEFAULT 'fr' CHECK ("languages" <> ''),
    "interpretation" BOOLEAN NOT NULL DEFAULT FALSE,
    "needs_registration" BOOLEAN NOT NULL DEFAULT FALSE,
    "capacity" INTEGER CHECK ("capacity" IS NULL OR "capacity" BETWEEN 1 AND 100000),
    "status" VARCHAR(10) NOT NULL DEFAULT 'draft' CHECK ("status" IN ('draft', 'scheduled', 'cancelled')),
    "sequence" INTEGER NOT NULL DEFAULT 0 CHECK ("sequence" >= 0),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "seminar_session_guid_once" UNIQUE ("guid"),
    CONSTRAINT "seminar_session_in_order" CHECK ("ends_at" > "starts_at"),
    CONSTRAINT "seminar_session_titled" CHECK ("title_ar" <> '' OR "title_fr" <> '' OR "title_en" <> ''),
    CONSTRAINT "seminar_session_of_exhibition" UNIQUE ("id", "exhibition"),
    CONSTRAINT "seminar_session_track" FOREIGN KEY ("track", "exhibition")
        REFERENCES "seminar_track" ("id", "exhibition"),
    CONSTRAINT "seminar_session_room" FOREIGN KEY ("room", "exhibition")
        REFERENCES "seminar_room" ("id", "exhibition")
);
CREATE INDEX "seminar_session_time" ON "seminar_session" ("exhibition", "starts_at");
CREATE INDEX "seminar_session_room_time" ON "seminar_session" ("room", "starts_at");

CREATE TABLE "session_person" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "session" INTEGER NOT NULL,
    "person" INTEGER NOT NULL,
    "role" VARCHAR(12) NOT NULL CHECK ("role" IN ('speaker', 'moderator', 'rapporteur', 'discussant')),
    "position" INTEGER NOT NULL DEFAULT 0 CHECK ("position" BETWEEN 0 AND 1000),
    "response" VARCHAR(24) NOT NULL DEFAULT 'invited'
        CHECK ("response" IN ('invited', 'confirmed', 'declined', 'reschedule_requested')),
    "response_message" TEXT NOT NULL DEFAULT '',
    "responded_at" TIMESTAMPTZ,
    CONSTRAINT "session_person_once" UNIQUE ("session", "person"),
    CONSTRAINT "session_person_session" FOREIGN KEY ("session", "exhibition")
        REFERENCES "seminar_session" ("id", "exhibition") ON DELETE CASCADE,
    CONSTRAINT "session_person_person" FOREIGN KEY ("person", "exhibition")
        REFERENCES "seminar_person" ("id", "exhibition")
);
CREATE INDEX "session_person_by_person" ON "session_person" ("person");

CREATE TABLE "programme_settings" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL UNIQUE REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "travel_gap_minutes" INTEGER NOT NULL DEFAULT 15 CHECK ("travel_gap_minutes" BETWEEN 0 AND 240),
    "severities" TEXT NOT NULL DEFAULT '{{}}',
    "updated_at" TIMESTAMPTZ NOT NULL
)
"""
