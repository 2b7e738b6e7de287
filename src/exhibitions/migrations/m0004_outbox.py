"""The notifications outbox: every e-mail the system sends is first a row here.

The unique key (rule, recipient, subject_key, occurrence) is what makes sending safe to
repeat: a rule evaluated twice, two schedulers or a restart insert the same key, and
``ON CONFLICT DO NOTHING`` keeps one row. Delivery moves a row pending -> sending (claimed)
-> sent, or back to pending with a later ``next_attempt_at``, or to failed after the last
attempt; the CHECKs keep each status's timestamps present.
"""

ID = "0004_outbox"

SQL = """
CREATE TABLE "outbox" (
    "id" {pk},
    "exhibition" INTEGER REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "rule" VARCHAR(64) NOT NULL CHECK ("rule" <> ''),
    "recipient" VARCHAR(254) NOT NULL CHECK ("recipient" = LOWER("recipient") AND "recipient" LIKE '%_@_%'),
    "subject_key" VARCHAR(100) NOT NULL CHECK ("subject_key" <> ''),
    "occurrence" VARCHAR(64) NOT NULL DEFAULT '',
    "language" VARCHAR(2) NOT NULL CHECK ("language" IN ('ar', 'fr', 'en')),
    "subject_line" VARCHAR(300),
    "text_body" TEXT,
    "html_body" TEXT,
    "attachment" VARCHAR(100),
    "status" VARCHAR(10) NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'sending', 'sent', 'failed')),
    "attempts" INTEGER NOT NULL DEFAULT 0 CHECK ("attempts" >= 0),
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "claimed_at" TIMESTAMPTZ,
    "sent_at" TIMESTAMPTZ,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "outbox_once" UNIQUE ("rule", "recipient", "subject_key", "occurrence"),
    CONSTRAINT "outbox_rendered_whole" CHECK (("subject_line" IS NULL) = ("text_body" IS NULL)),
    CONSTRAINT "outbox_sending_is_claimed" CHECK ("status" <> 'sending' OR "claimed_at" IS NOT NULL),
    CONSTRAINT "outbox_sent_has_time" CHECK ("status" <> 'sent' OR "sent_at" IS NOT NULL)
);
-- What delivery reads on every tick: the due rows, oldest first.
CREATE INDEX "outbox_due" ON "outbox" ("status", "next_attempt_at");
CREATE INDEX "outbox_exhibition" ON "outbox" ("exhibition");
"""
