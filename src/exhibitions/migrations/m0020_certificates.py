"""Seminar attendance certificates: one row per certificate issued, found by its random code.

A certificate lists the sessions its ticket was scanned into; the same ticket and the same
sessions give the same certificate (unique ticket and digest of the sorted session ids), so
downloading it again, or twice at once, issues nothing new. More sessions attended later
make a new certificate, and the earlier one still verifies with what it said.

``sessions`` is a JSON snapshot of what the certificate lists (titles in every language, times,
room), so the verification page shows what was printed even if the programme changes later.
The code is 24 characters of ``secrets.token_urlsafe`` (144 random bits): it cannot be guessed,
and an unknown code is a forged certificate.
"""

ID = "0020_certificates"

SQL = """
CREATE TABLE "seminar_certificate" (
    "id" {pk},
    "ticket" INTEGER NOT NULL REFERENCES "ticket" ("id") ON DELETE CASCADE,
    "code" VARCHAR(24) NOT NULL CHECK (LENGTH("code") = 24),
    "sessions_digest" VARCHAR(64) NOT NULL CHECK (LENGTH("sessions_digest") = 64),
    "holder_name" VARCHAR(200) NOT NULL CHECK ("holder_name" <> ''),
    "sessions" TEXT NOT NULL CHECK ("sessions" <> ''),
    "issued_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "seminar_certificate_code_once" UNIQUE ("code"),
    CONSTRAINT "seminar_certificate_once" UNIQUE ("ticket", "sessions_digest")
)
"""
