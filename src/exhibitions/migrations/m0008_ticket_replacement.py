"""Replacing a ticket: the old one is revoked and a new one points back at it.

The one-ticket-per-e-mail rule now counts valid tickets only, so a replacement (or a new
registration after a cancellation) can carry the same e-mail while the cancelled ticket
stays in the record.
"""

ID = "0008_ticket_replacement"

SQL = """
ALTER TABLE "ticket" ADD COLUMN "replaces" INTEGER REFERENCES "ticket" ("id") ON DELETE SET NULL;
CREATE UNIQUE INDEX "ticket_replaced_once" ON "ticket" ("replaces");
DROP INDEX "ticket_one_per_email";
CREATE UNIQUE INDEX "ticket_one_per_email" ON "ticket" ("exhibition", "email")
    WHERE "email" IS NOT NULL AND "group_leader" IS NULL AND "status" = 'valid';
"""
