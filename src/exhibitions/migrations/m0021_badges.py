"""Badges: who gets one (``badge_holder``), how many staff badges an exhibitor may still
request (``badge_quota``), and the print runs (``badge_batch`` and its frozen list of holders,
``badge_batch_item``).

What the database guarantees whatever the code does:

- a holder's role is one of the seven badge roles, the name is not empty, the language is one
  we speak; an exhibitor staff badge names its organization;
- the lead-capture id is 22 characters of ``secrets.token_urlsafe(16)`` (128 random bits),
  unique: it says nothing about the person and is never the visitor's entry code;
- one holder per (exhibition, role, source key): syncing speakers or organizers twice, or at
  once, adds nobody twice (the key is ``person:<id>`` / ``user:<id>``; NULL for hand-entered ones);
- an exhibitor never holds more staff badges than its quota: ``badge_quota.used`` is taken by
  ``UPDATE … SET used = used + 1 WHERE used < COALESCE(override, base) RETURNING`` in the
  transaction that inserts the holder, and never goes below zero;
- a batch's status is one of four, ``done`` never exceeds ``total``, a finished batch has its
  file; its holders are frozen when it is created (``badge_batch_item``), so a retry renders
  the same badges, and "new since the last batch" means "in no batch yet".
"""

ID = "0021_badges"

SQL = """
CREATE TABLE "badge_holder" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "role" VARCHAR(16) NOT NULL CHECK ("role" IN
        ('exhibitor_staff', 'speaker', 'moderator', 'organizer', 'staff', 'press', 'vip')),
    "full_name" VARCHAR(200) NOT NULL CHECK (TRIM("full_name") <> ''),
    "title" VARCHAR(200) NOT NULL DEFAULT '',
    "organization" INTEGER NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "organization_label" VARCHAR(200) NOT NULL DEFAULT '',
    "email" VARCHAR(254) NULL CHECK ("email" IS NULL OR "email" = LOWER("email")),
    "language" VARCHAR(2) NOT NULL DEFAULT 'fr' CHECK ("language" IN ('ar', 'fr', 'en')),
    "lead_id" VARCHAR(22) NOT NULL CHECK (LENGTH("lead_id") = 22),
    "source_key" VARCHAR(40) NULL,
    "requested_by" INTEGER NULL REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "badge_holder_lead_once" UNIQUE ("lead_id"),
    CONSTRAINT "badge_holder_source_once" UNIQUE ("exhibition", "role", "source_key"),
    CONSTRAINT "badge_holder_staff_organization" CHECK
        ("role" <> 'exhibitor_staff' OR "organization" IS NOT NULL)
);

CREATE INDEX "badge_holder_by_exhibition" ON "badge_holder" ("exhibition", "role", "organization");

CREATE TABLE "badge_quota" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "organization" INTEGER NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "base" INTEGER NOT NULL CHECK ("base" >= 0),
    "override" INTEGER NULL CHECK ("override" IS NULL OR ("override" >= 0 AND "override" <= 200)),
    "used" INTEGER NOT NULL DEFAULT 0 CHECK ("used" >= 0),
    CONSTRAINT "badge_quota_once" UNIQUE ("exhibition", "organization")
);

CREATE TABLE "badge_batch" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "criteria" TEXT NOT NULL CHECK ("criteria" <> ''),
    "size" VARCHAR(5) NOT NULL CHECK ("size" IN ('a6', 'label')),
    "status" VARCHAR(7) NOT NULL DEFAULT 'queued' CHECK ("status" IN ('queued', 'running', 'done', 'failed')),
    "total" INTEGER NOT NULL CHECK ("total" >= 0),
    "done" INTEGER NOT NULL DEFAULT 0 CHECK ("done" >= 0 AND "done" <= "total"),
    "error" TEXT NOT NULL DEFAULT '',
    "attempts" INTEGER NOT NULL DEFAULT 0 CHECK ("attempts" >= 0),
    "claimed_at" TIMESTAMPTZ NULL,
    "heartbeat_at" TIMESTAMPTZ NULL,
    "file_path" VARCHAR(300) NULL,
    "page_count" INTEGER NULL CHECK ("page_count" IS NULL OR "page_count" >= 0),
    "created_by" INTEGER NULL REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "finished_at" TIMESTAMPTZ NULL,
    CONSTRAINT "badge_batch_done_has_file" CHECK ("status" <> 'done' OR "file_path" IS NOT NULL)
);

CREATE INDEX "badge_batch_by_status" ON "badge_batch" ("status", "created_at");

CREATE TABLE "badge_batch_item" (
    "id" {pk},
    "batch" INTEGER NOT NULL REFERENCES "badge_batch" ("id") ON DELETE CASCADE,
    "holder" INTEGER NOT NULL REFERENCES "badge_holder" ("id") ON DELETE CASCADE,
    "position" INTEGER NOT NULL CHECK ("position" >= 0),
    CONSTRAINT "badge_batch_item_once" UNIQUE ("batch", "holder")
);

CREATE INDEX "badge_batch_item_by_holder" ON "badge_batch_item" ("holder")
"""
