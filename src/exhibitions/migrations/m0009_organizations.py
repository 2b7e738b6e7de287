"""Organizations (the exhibitors) and the users who act for them.

A registry number is unique per legal form (each form has its own register: ODCO for
cooperatives, the prefecture for associations ...); an ICE, when given, is unique across
all. Member counts are kept consistent by CHECKs, so no import or form can store more
women than members.
"""

ID = "0009_organizations"

SQL = """
CREATE TABLE "organization" (
    "id" {pk},
    "legal_form" VARCHAR(12) NOT NULL
        CHECK ("legal_form" IN ('cooperative', 'association', 'mutual', 'company', 'public_body')),
    "name_ar" VARCHAR(200),
    "name_latin" VARCHAR(200),
    "registry_number" VARCHAR(40) NOT NULL CHECK ("registry_number" <> ''),
    "ice" VARCHAR(15) UNIQUE CHECK ("ice" IS NULL OR LENGTH("ice") = 15),
    "region" VARCHAR(5) NOT NULL CHECK ("region" IN ({regions})),
    "city" VARCHAR(100) NOT NULL CHECK ("city" <> ''),
    "sector" VARCHAR(20) NOT NULL CHECK ("sector" IN ('agriculture', 'handicrafts', 'fishing', 'argan',
        'food_processing', 'textile', 'services', 'other')),
    "founded_year" INTEGER CHECK ("founded_year" IS NULL OR "founded_year" BETWEEN 1900 AND 2100),
    "members_total" INTEGER NOT NULL DEFAULT 0 CHECK ("members_total" >= 0),
    "members_women" INTEGER NOT NULL DEFAULT 0,
    "members_youth" INTEGER NOT NULL DEFAULT 0,
    "declared_women_led" BOOLEAN NOT NULL DEFAULT FALSE,
    "email" VARCHAR(254) CHECK ("email" IS NULL OR "email" = LOWER("email")),
    "phone" VARCHAR(20),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "organization_named" CHECK (COALESCE("name_ar", '') <> '' OR COALESCE("name_latin", '') <> ''),
    CONSTRAINT "organization_members_add_up" CHECK ("members_women" BETWEEN 0 AND "members_total"
        AND "members_youth" BETWEEN 0 AND "members_total"),
    CONSTRAINT "organization_registry_once" UNIQUE ("legal_form", "registry_number")
);

CREATE TABLE "organization_member" (
    "id" {pk},
    "organization" INTEGER NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "user" INTEGER NOT NULL REFERENCES "app_user" ("id") ON DELETE CASCADE,
    "created_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "organization_member_once" UNIQUE ("organization", "user")
);
CREATE INDEX "organization_member_user" ON "organization_member" ("user");
"""
