"""Accounts and exhibitions: venues, halls, exhibitions, opening exceptions, users, roles, tokens.

The rules that must hold under any code path are constraints here, not Python checks.
"""

ID = "0001_initial"

SQL = """
CREATE TABLE "venue" (
    "id" {pk},
    "name" VARCHAR(200) NOT NULL CHECK ("name" <> ''),
    "city" VARCHAR(100) NOT NULL CHECK ("city" <> ''),
    "address" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "venue_name_city_key" UNIQUE ("name", "city")
);

CREATE TABLE "hall" (
    "id" {pk},
    "venue" INTEGER NOT NULL REFERENCES "venue" ("id") ON DELETE CASCADE,
    "name" VARCHAR(100) NOT NULL CHECK ("name" <> ''),
    "area_m2" INTEGER CHECK ("area_m2" IS NULL OR "area_m2" > 0),
    CONSTRAINT "hall_venue_name_key" UNIQUE ("venue", "name")
);

CREATE TABLE "exhibition" (
    "id" {pk},
    "slug" VARCHAR(80) NOT NULL UNIQUE CHECK ("slug" <> ''),
    "kind" VARCHAR(10) NOT NULL CHECK ("kind" IN ('national', 'regional')),
    "region" VARCHAR(5) CHECK ("region" IN ({regions})),
    "title_ar" VARCHAR(300) NOT NULL CHECK ("title_ar" <> ''),
    "title_fr" VARCHAR(300) NOT NULL CHECK ("title_fr" <> ''),
    "title_en" VARCHAR(300) NOT NULL CHECK ("title_en" <> ''),
    "venue" INTEGER NOT NULL REFERENCES "venue" ("id") ON DELETE RESTRICT,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "time_zone" VARCHAR(64) NOT NULL DEFAULT 'Africa/Casablanca',
    "opens_at" TIME NOT NULL,
    "closes_at" TIME NOT NULL,
    "status" VARCHAR(10) NOT NULL DEFAULT 'draft' CHECK ("status" IN ('draft', 'published', 'closed')),
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "exhibition_dates_in_order" CHECK ("ends_on" >= "starts_on"),
    CONSTRAINT "exhibition_hours_in_order" CHECK ("closes_at" > "opens_at"),
    CONSTRAINT "exhibition_regional_has_region" CHECK ("kind" <> 'regional' OR "region" IS NOT NULL)
);
CREATE INDEX "exhibition_status_starts_on" ON "exhibition" ("status", "starts_on");

CREATE TABLE "opening_exception" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "day" DATE NOT NULL,
    "opens_at" TIME,
    "closes_at" TIME,
    "note" VARCHAR(200) NOT NULL DEFAULT '',
    CONSTRAINT "opening_exception_one_per_day" UNIQUE ("exhibition", "day"),
    CONSTRAINT "opening_exception_closed_or_in_order" CHECK (
        ("opens_at" IS NULL AND "closes_at" IS NULL)
        OR ("opens_at" IS NOT NULL AND "closes_at" IS NOT NULL AND "closes_at" > "opens_at")
    )
);

CREATE TABLE "app_user" (
    "id" {pk},
    "email" VARCHAR(254) NOT NULL UNIQUE CHECK ("email" = LOWER("email") AND "email" LIKE '%_@_%'),
    "password_hash" TEXT NOT NULL,
    "display_name" VARCHAR(200) NOT NULL DEFAULT '',
    "preferred_language" VARCHAR(2) NOT NULL DEFAULT 'fr' CHECK ("preferred_language" IN ('ar', 'fr', 'en')),
    "is_active" BOOLEAN NOT NULL DEFAULT TRUE,
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login_at" TIMESTAMPTZ
);

CREATE TABLE "role_grant" (
    "id" {pk},
    "user" INTEGER NOT NULL REFERENCES "app_user" ("id") ON DELETE CASCADE,
    "exhibition" INTEGER REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "role" VARCHAR(20) NOT NULL CHECK ("role" IN ('organizer', 'reviewer', 'gate_staff')),
    "granted_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- NULL exhibition means "every exhibition"; COALESCE makes such grants unique too.
CREATE UNIQUE INDEX "role_grant_once" ON "role_grant" ("user", COALESCE("exhibition", 0), "role");

CREATE TABLE "access_token" (
    "id" {pk},
    "user" INTEGER NOT NULL REFERENCES "app_user" ("id") ON DELETE CASCADE,
    "kind" VARCHAR(10) NOT NULL CHECK ("kind" IN ('session', 'personal', 'device')),
    "name" VARCHAR(100) NOT NULL DEFAULT '',
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ,
    "last_used_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ
);
CREATE INDEX "access_token_user" ON "access_token" ("user", "kind");
"""
