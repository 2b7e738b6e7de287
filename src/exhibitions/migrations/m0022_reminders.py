"""Reminder rules (schedules/reminders.toml): their anchors on the exhibition, and SMS rows in
the outbox.

- ``setup_on`` and ``applications_close_on``: the stand set-up day and the last day to apply,
  optional dates in the exhibition's local calendar. A rule anchored on a date the exhibition
  does not have sends nothing for it. The set-up happens on the opening day at the latest;
  applications close before the opening day.
- ``outbox.channel``: 'email' (every row so far) or 'sms'. An SMS row's recipient is a phone
  number in E.164 (+212612345678), so the recipient CHECK now depends on the channel. SQLite
  cannot change a CHECK in place: the table is rebuilt with its rows, as SQLite's documentation
  describes (nothing references the outbox); PostgreSQL swaps the constraint.
"""

ID = "0022_reminders"

SQL = """
ALTER TABLE "exhibition" ADD COLUMN "setup_on" DATE CHECK ("setup_on" IS NULL OR "setup_on" <= "starts_on");
ALTER TABLE "exhibition" ADD COLUMN "applications_close_on" DATE
    CHECK ("applications_close_on" IS NULL OR "applications_close_on" < "starts_on")
"""

_RECIPIENT_FITS_CHANNEL = """CHECK (
        ("channel" = 'email' AND "recipient" = LOWER("recipient") AND "recipient" LIKE '%_@_%')
        OR ("channel" = 'sms' AND "recipient" LIKE '+%' AND LENGTH("recipient") BETWEEN 8 AND 16))"""

_COLUMNS = (
    '"id", "exhibition", "rule", "recipient", "subject_key", "occurrence", "language", "subject_line", "text_body",'
    ' "html_body", "attachment", "status", "attempts", "next_attempt_at", "claimed_at", "sent_at", "last_error",'
    ' "created_at"'
)

SQLITE = [
    f"""CREATE TABLE "outbox_new" (
    "id" INTEGER PRIMARY KEY NOT NULL,
    "exhibition" INTEGER REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "rule" VARCHAR(64) NOT NULL CHECK ("rule" <> ''),
    "channel" VARCHAR(5) NOT NULL DEFAULT 'email' CHECK ("channel" IN ('email', 'sms')),
    "recipient" VARCHAR(254) NOT NULL,
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
    CONSTRAINT "outbox_recipient_fits_channel" {_RECIPIENT_FITS_CHANNEL},
    CONSTRAINT "outbox_rendered_whole" CHECK (("subject_line" IS NULL) = ("text_body" IS NULL)),
    CONSTRAINT "outbox_sending_is_claimed" CHECK ("status" <> 'sending' OR "claimed_at" IS NOT NULL),
    CONSTRAINT "outbox_sent_has_time" CHECK ("status" <> 'sent' OR "sent_at" IS NOT NULL)
)""",
    f'INSERT INTO "outbox_new" ({_COLUMNS}) SELECT {_COLUMNS} FROM "outbox"',  # noqa: S608 - our column list
    'DROP TABLE "outbox"',
    'ALTER TABLE "outbox_new" RENAME TO "outbox"',
    'CREATE INDEX "outbox_due" ON "outbox" ("status", "next_attempt_at")',
    'CREATE INDEX "outbox_exhibition" ON "outbox" ("exhibition")',
    'CREATE INDEX "outbox_rule_exhibition" ON "outbox" ("rule", "exhibition", "status")',
]

POSTGRES = [
    """ALTER TABLE "outbox" ADD COLUMN "channel" VARCHAR(5) NOT NULL DEFAULT 'email'
    CHECK ("channel" IN ('email', 'sms'))""",
    'ALTER TABLE "outbox" DROP CONSTRAINT "outbox_recipient_check"',
    f'ALTER TABLE "outbox" ADD CONSTRAINT "outbox_recipient_fits_channel" {_RECIPIENT_FITS_CHANNEL}',
    'CREATE INDEX "outbox_rule_exhibition" ON "outbox" ("rule", "exhibition", "status")',
]
