"""Anchors for reminder rules (schedules/reminders.toml): the stand set-up day and the
application deadline of an exhibition, both optional dates in its local calendar.

A rule anchored on a date the exhibition does not have simply sends nothing for it. The
CHECKs keep the dates meaningful: the set-up happens on the opening day at the latest, and
applications close before the opening day.
"""

ID = "0022_reminders"

SQL = """
ALTER TABLE "exhibition" ADD COLUMN "setup_on" DATE CHECK ("setup_on" IS NULL OR "setup_on" <= "starts_on");
ALTER TABLE "exhibition" ADD COLUMN "applications_close_on" DATE
    CHECK ("applications_close_on" IS NULL OR "applications_close_on" < "starts_on");
-- What the reminders page and the job read per rule: one exhibition's messages of a rule.
CREATE INDEX "outbox_rule_exhibition" ON "outbox" ("rule", "exhibition", "status")
"""
