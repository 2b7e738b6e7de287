"""A full index on ``scan.ticket``.

``scan.ticket`` is a foreign key with ``ON DELETE SET NULL``: deleting or replacing a ticket
makes the database find that ticket's scans. The only index led by ``ticket`` was partial
(admissions only, m0023), so every ticket deleted read the whole scan log: emptying an
edition of 56,000 tickets over a million scans took minutes on PostgreSQL.
"""

ID = "0025_scan_ticket_index"

SQL = """
CREATE INDEX "scan_ticket" ON "scan" ("ticket");
"""
