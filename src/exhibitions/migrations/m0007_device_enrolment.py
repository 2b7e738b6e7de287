"""Scanner devices enrolled by scanning a QR code on the organizer's screen, and the index
the live counts read.

The QR carries a one-time enrolment secret, never a device token: a photo of the screen
is worth nothing once the device has enrolled or ten minutes have passed. Exchanging the
secret is one UPDATE ... WHERE used_at IS NULL AND expires_at > now RETURNING, so two
phones scanning the same QR get one device between them.
"""

ID = "0007_device_enrolment"

SQL = """
CREATE TABLE "device_enrolment" (
    "id" {pk},
    "exhibition" INTEGER NOT NULL REFERENCES "exhibition" ("id") ON DELETE CASCADE,
    "name" VARCHAR(100) NOT NULL CHECK ("name" <> ''),
    "secret_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_by" INTEGER NOT NULL REFERENCES "app_user" ("id") ON DELETE CASCADE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "used_at" TIMESTAMPTZ,
    "device" INTEGER REFERENCES "access_token" ("id") ON DELETE SET NULL,
    CONSTRAINT "device_enrolment_device_when_used" CHECK ("device" IS NULL OR "used_at" IS NOT NULL)
);

CREATE INDEX "scan_exhibition_time" ON "scan" ("exhibition", "scanned_at");
"""
