"""Products an organization shows, their photos, and the indexes of the public directory.

A product's name and description are free text in any script; ``search_text`` holds the
name folded (``exhibitions.search.fold``) so that the directory finds "huile d'argan" from
"HUILE D ARGAN" on both engines. The 30-products limit is checked in the write
transaction that inserts, with the organization's row locked on PostgreSQL (SQLite's
IMMEDIATE transaction holds the whole database), so two uploads at once cannot pass it.

Photos live in their own table, as BYTEA (SQLite keeps the bytes as they are under that
declared type), re-encoded by ``exhibitors.photos``: a listing never reads them, and a
database backup holds the whole directory, pictures included.

The directory lists organizations with an approved application: the index on
application (exhibition, status, organization) answers that without reading the table.
"""

ID = "0012_products"

SQL = """
CREATE TABLE "product" (
    "id" {pk},
    "organization" INTEGER NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "name" VARCHAR(200) NOT NULL CHECK (length(trim("name")) > 0),
    "description" VARCHAR(280) NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0 CHECK ("position" >= 0),
    "search_text" TEXT NOT NULL DEFAULT '',
    "photo_version" VARCHAR(32),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "product_organization" ON "product" ("organization", "position", "id");

CREATE TABLE "product_photo" (
    "id" {pk},
    "product" INTEGER NOT NULL UNIQUE REFERENCES "product" ("id") ON DELETE CASCADE,
    "version" VARCHAR(32) NOT NULL,
    "media_type" VARCHAR(20) NOT NULL CHECK ("media_type" IN ('image/jpeg')),
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "image" BYTEA NOT NULL,
    "thumbnail" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);

CREATE INDEX "application_listed" ON "application" ("exhibition", "status", "organization");
"""
