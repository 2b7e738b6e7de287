"""Calendar marks: dates an organizer marks as mattering to attendance.

A mark belongs to one exhibition, or (``exhibition`` NULL) to every exhibition: a national
mark such as Ramadan or the school holidays, set once by an organizer of every exhibition.
It covers ``starts_on`` to ``ends_on``; ``weekday`` (0 Monday … 6 Sunday) makes it recur on
that weekday only within the range (Friday prayer every Friday), and ``from_time`` /
``to_time`` narrow it to part of the day (12:30-14:00), in the exhibition's local time.

The database refuses a range in the wrong order, half a time window, an unknown kind, an
empty ``other`` mark, and the same mark twice (a unique expression index, so a demo run twice
or two clicks at once add one row).
"""

ID = "0024_calendar_marks"

SQL = """
CREATE TABLE "calendar_mark" (
    "id" {pk},
    "exhibition" INTEGER REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "kind" VARCHAR(20) NOT NULL
        CHECK ("kind" IN ('friday_prayer', 'ramadan', 'school_holiday', 'public_holiday', 'unfavourable', 'other')),
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "weekday" INTEGER CHECK ("weekday" IS NULL OR "weekday" BETWEEN 0 AND 6),
    "from_time" TIME,
    "to_time" TIME,
    "note" VARCHAR(200) NOT NULL DEFAULT '',
    "created_by" INTEGER REFERENCES "app_user" ("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "calendar_mark_dates_in_order" CHECK ("starts_on" <= "ends_on"),
    CONSTRAINT "calendar_mark_window_whole" CHECK (("from_time" IS NULL) = ("to_time" IS NULL)),
    CONSTRAINT "calendar_mark_window_in_order" CHECK ("from_time" IS NULL OR "from_time" < "to_time"),
    CONSTRAINT "calendar_mark_other_has_note" CHECK ("kind" <> 'other' OR "note" <> '')
);
CREATE UNIQUE INDEX "calendar_mark_once" ON "calendar_mark"
    (COALESCE("exhibition", 0), "kind", "starts_on", "ends_on", COALESCE("weekday", -1));
CREATE INDEX "calendar_mark_by_dates" ON "calendar_mark" ("starts_on", "ends_on");
"""
