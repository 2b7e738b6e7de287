"""Speaker links: each person's link version, invitation and nudges (seminars, issue 6).

A signed link (seminars/links.py) carries the version it was issued under; bumping
``version`` revokes every earlier link of the person at once. The invitation and the nudges
are counted here so that the nudge rule knows when the last one left; the outbox's unique
key, not these counters, is what makes each message leave once.

The row belongs to the person (composite key on ``(person, exhibition)``, so it cannot
point into another exhibition) and goes with them.
"""

ID = "0018_speaker_links"

SQL = """
CREATE TABLE "speaker_link" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "person" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1 CHECK ("version" BETWEEN 1 AND 65535),
    "invited_at" TIMESTAMPTZ,
    "nudges_sent" INTEGER NOT NULL DEFAULT 0 CHECK ("nudges_sent" BETWEEN 0 AND 100),
    "last_nudged_at" TIMESTAMPTZ,
    "updated_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "speaker_link_once" UNIQUE ("person"),
    CONSTRAINT "speaker_link_person" FOREIGN KEY ("person", "exhibition")
        REFERENCES "seminar_person" ("id", "exhibition") ON DELETE CASCADE
)
"""
