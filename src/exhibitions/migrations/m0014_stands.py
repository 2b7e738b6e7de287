"""Stands on the halls' plans, and which approved application holds each seat of a stand.

Lengths are integer centimetres: both engines compare integers exactly (SQLite has no
decimal), and a plan never needs finer than a centimetre. The database itself refuses:

- two stands of an exhibition whose rectangles overlap in a hall (PostgreSQL: an exclusion
  constraint on boxes shrunk by half a centimetre on every side, so that stands sharing an
  edge are allowed; SQLite: triggers comparing half-open rectangles);
- one application on two stands (``application`` is unique), two exhibitors on one seat
  (unique stand and seat), a seat beyond the stand's capacity, an assignment of an
  application that is not approved or not of the stand's exhibition (triggers);
- lowering a stand's capacity under the seats taken.

Two organizers assigning the last seat of a stand at once: the unique (stand, seat) lets
one INSERT through; the other is refused.
"""

ID = "0014_stands"

SQL = """
ALTER TABLE "hall" ADD COLUMN "plan_width_cm" INTEGER
    CHECK ("plan_width_cm" IS NULL OR "plan_width_cm" BETWEEN 1 AND 10000000);
ALTER TABLE "hall" ADD COLUMN "plan_depth_cm" INTEGER
    CHECK ("plan_depth_cm" IS NULL OR "plan_depth_cm" BETWEEN 1 AND 10000000);

CREATE TABLE "stand" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "hall" INTEGER NOT NULL REFERENCES "hall" ("id") ON DELETE RESTRICT,
    "code" VARCHAR(20) NOT NULL CHECK ("code" <> ''),
    "x_cm" INTEGER NOT NULL CHECK ("x_cm" BETWEEN 0 AND 10000000),
    "y_cm" INTEGER NOT NULL CHECK ("y_cm" BETWEEN 0 AND 10000000),
    "width_cm" INTEGER NOT NULL CHECK ("width_cm" BETWEEN 1 AND 10000000),
    "depth_cm" INTEGER NOT NULL CHECK ("depth_cm" BETWEEN 1 AND 10000000),
    "stand_type" VARCHAR(10) NOT NULL DEFAULT 'standard'
        CHECK ("stand_type" IN ('standard', 'corner', 'island', 'outdoor')),
    "zone" VARCHAR(100),
    "has_power" BOOLEAN NOT NULL DEFAULT FALSE,
    "has_water" BOOLEAN NOT NULL DEFAULT FALSE,
    "accessible" BOOLEAN NOT NULL DEFAULT FALSE,
    "capacity" INTEGER NOT NULL DEFAULT 1 CHECK ("capacity" IN (1, 2)),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "stand_code_once" UNIQUE ("exhibition", "code")
);
CREATE INDEX "stand_hall" ON "stand" ("exhibition", "hall", "x_cm");

CREATE TABLE "stand_assignment" (
    "id" {pk},
    "stand" INTEGER NOT NULL REFERENCES "stand" ("id") ON DELETE CASCADE,
    "application" INTEGER NOT NULL REFERENCES "application" ("id") ON DELETE CASCADE,
    "seat" INTEGER NOT NULL DEFAULT 1 CHECK ("seat" IN (1, 2)),
    "locked" BOOLEAN NOT NULL DEFAULT FALSE,
    "source" VARCHAR(10) NOT NULL DEFAULT 'manual' CHECK ("source" IN ('manual', 'proposal')),
    "assigned_by" INTEGER REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "assigned_at" TIMESTAMPTZ NOT NULL,
    "published_at" TIMESTAMPTZ,
    CONSTRAINT "stand_assignment_application_once" UNIQUE ("application"),
    CONSTRAINT "stand_assignment_seat_once" UNIQUE ("stand", "seat")
)
"""

_OVERLAPS = """
    s.exhibition = NEW.exhibition AND s.hall = NEW.hall
    AND s.x_cm < NEW.x_cm + NEW.width_cm AND NEW.x_cm < s.x_cm + s.width_cm
    AND s.y_cm < NEW.y_cm + NEW.depth_cm AND NEW.y_cm < s.y_cm + s.depth_cm"""

_ASSIGNABLE = """
    NEW.seat > (SELECT capacity FROM stand WHERE id = NEW.stand)"""

_NOT_APPROVED = """
    NOT EXISTS (SELECT 1 FROM application a JOIN stand s ON s.exhibition = a.exhibition
                WHERE a.id = NEW.application AND s.id = NEW.stand AND a.status = 'approved')"""

# The f-strings below join constant SQL fragments of this module: no input reaches them.
SQLITE = [
    f"""CREATE TRIGGER "stand_no_overlap_insert" BEFORE INSERT ON "stand"
WHEN EXISTS (SELECT 1 FROM stand s WHERE {_OVERLAPS})
BEGIN SELECT RAISE(ABORT, 'stand_overlap'); END""",  # noqa: S608
    f"""CREATE TRIGGER "stand_no_overlap_update"
BEFORE UPDATE OF exhibition, hall, x_cm, y_cm, width_cm, depth_cm ON "stand"
WHEN EXISTS (SELECT 1 FROM stand s WHERE s.id <> NEW.id AND {_OVERLAPS})
BEGIN SELECT RAISE(ABORT, 'stand_overlap'); END""",  # noqa: S608
    """CREATE TRIGGER "stand_capacity_kept" BEFORE UPDATE OF capacity ON "stand"
WHEN EXISTS (SELECT 1 FROM stand_assignment WHERE stand = NEW.id AND seat > NEW.capacity)
BEGIN SELECT RAISE(ABORT, 'stand_capacity'); END""",
    *[
        f"""CREATE TRIGGER "stand_assignment_{name}_{event}" BEFORE {statement} ON "stand_assignment"
WHEN {condition}
BEGIN SELECT RAISE(ABORT, '{message}'); END"""
        for event, statement in (("insert", "INSERT"), ("update", "UPDATE OF stand, application, seat"))
        for name, condition, message in (
            ("capacity", _ASSIGNABLE, "stand_capacity"),
            ("approved", _NOT_APPROVED, "application_not_approved"),
        )
    ],
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    # Boxes are closed: shrunk by half a centimetre, two stands sharing an edge do not touch.
    """ALTER TABLE "stand" ADD CONSTRAINT "stand_no_overlap" EXCLUDE USING gist (
    exhibition WITH =, hall WITH =,
    box(point((x_cm + 0.5)::float8, (y_cm + 0.5)::float8),
        point((x_cm + width_cm - 0.5)::float8, (y_cm + depth_cm - 0.5)::float8)) WITH &&)""",
    """CREATE OR REPLACE FUNCTION stand_capacity_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM stand_assignment WHERE stand = NEW.id AND seat > NEW.capacity) THEN
        RAISE EXCEPTION 'stand_capacity' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$""",
    """CREATE TRIGGER stand_capacity_kept BEFORE UPDATE OF capacity ON stand
FOR EACH ROW EXECUTE FUNCTION stand_capacity_kept()""",
    # FOR SHARE: a capacity being lowered at the same moment waits for this assignment.
    """CREATE OR REPLACE FUNCTION stand_assignment_allowed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seat > (SELECT capacity FROM stand WHERE id = NEW.stand FOR SHARE) THEN
        RAISE EXCEPTION 'stand_capacity' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM application a JOIN stand s ON s.exhibition = a.exhibition
                   WHERE a.id = NEW.application AND s.id = NEW.stand AND a.status = 'approved') THEN
        RAISE EXCEPTION 'application_not_approved' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$""",
    """CREATE TRIGGER stand_assignment_allowed BEFORE INSERT OR UPDATE OF stand, application, seat
ON stand_assignment FOR EACH ROW EXECUTE FUNCTION stand_assignment_allowed()""",
]
