"""Visitor tickets and their per-exhibition signing keys.

One ticket per e-mail and exhibition for individual registrations (a partial unique
index: group members may share a leader's e-mail or have none), so a repeated
registration finds its ticket instead of making a second one.
"""

ID = "0002_tickets"

SQL = """
CREATE TABLE "signing_key" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "key_id" INTEGER NOT NULL CHECK ("key_id" BETWEEN 0 AND 255),
    "public_key" VARCHAR(64) NOT NULL,
    "private_key_sealed" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ,
    CONSTRAINT "signing_key_once" UNIQUE ("exhibition", "key_id")
);

CREATE TABLE "ticket" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE RESTRICT,
    "access_token" VARCHAR(64) NOT NULL UNIQUE,
    "manual_code" VARCHAR(12) NOT NULL,
    "holder_name" VARCHAR(200) NOT NULL CHECK ("holder_name" <> ''),
    "email" VARCHAR(254) CHECK ("email" IS NULL OR "email" = LOWER("email")),
    "phone" VARCHAR(20),
    "home_region" VARCHAR(6) NOT NULL CHECK ("home_region" IN ({regions}, 'abroad')),
    "country" VARCHAR(2),
    "category" VARCHAR(20) NOT NULL
        CHECK ("category" IN ('general', 'professional', 'student', 'press', 'institutional')),
    "language" VARCHAR(2) NOT NULL CHECK ("language" IN ('ar', 'fr', 'en')),
    "share_contact" BOOLEAN NOT NULL DEFAULT FALSE,
    "first_day" DATE NOT NULL,
    "day_count" INTEGER NOT NULL CHECK ("day_count" BETWEEN 1 AND 255),
    "key_id" INTEGER NOT NULL,
    "status" VARCHAR(10) NOT NULL DEFAULT 'valid' CHECK ("status" IN ('valid', 'revoked')),
    "group_leader" INTEGER REFERENCES "ticket" ("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ,
    CONSTRAINT "ticket_manual_code_once" UNIQUE ("exhibition", "manual_code"),
    CONSTRAINT "ticket_reachable" CHECK ("email" IS NOT NULL OR "phone" IS NOT NULL OR "group_leader" IS NOT NULL),
    CONSTRAINT "ticket_abroad_has_country" CHECK (("home_region" = 'abroad') = ("country" IS NOT NULL))
);
CREATE UNIQUE INDEX "ticket_one_per_email" ON "ticket" ("exhibition", "email")
    WHERE "email" IS NOT NULL AND "group_leader" IS NULL;
CREATE INDEX "ticket_group" ON "ticket" ("group_leader");
"""
