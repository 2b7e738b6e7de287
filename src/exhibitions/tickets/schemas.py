from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from exhibitions.tickets.policies import ScanResult
from exhibitions.tickets.tables import CheckpointKind, CheckpointPolicy, TicketStatus, VisitorCategory

Language = Literal["ar", "fr", "en"]


class RegistrationIn(Struct, forbid_unknown_fields=True):
    """A free visitor registration. Give an e-mail, a Moroccan phone number, or both."""

    name: Annotated[str, Meta(min_length=1, max_length=200, description="In Arabic or Latin script")]
    home_region: Annotated[str, Meta(description="MA-01 to MA-12, or 'abroad' with a country", examples=["MA-06"])]
    email: Annotated[str, Meta(max_length=254)] | None = None
    phone: Annotated[str, Meta(max_length=30, description="Moroccan number, e.g. +212 6 12 34 56 78")] | None = None
    country: Annotated[str, Meta(description="ISO 3166 alpha-2 code when home_region is 'abroad'")] | None = None
    category: VisitorCategory = VisitorCategory.general
    language: Language = "fr"
    share_contact: Annotated[bool, Meta(description="Consent to share contact details with exhibitors")] = False


class GroupMemberIn(Struct, forbid_unknown_fields=True):
    """One person of a group: they share the leader's language and region."""

    name: Annotated[str, Meta(max_length=200, description="In Arabic or Latin script")]
    category: Annotated[VisitorCategory | None, Meta(description="Default: the leader's")] = None


class GroupRegistrationIn(Struct, forbid_unknown_fields=True):
    """A leader (registered like any visitor) and the people they bring, at most 200."""

    leader: RegistrationIn
    members: list[GroupMemberIn]


class TicketOut(Struct):
    exhibition: str
    holder_name: str
    category: VisitorCategory
    language: Language
    home_region: str
    country: str | None
    first_day: date
    last_day: date
    status: TicketStatus
    manual_code: str
    code: Annotated[str, Meta(description="The signed QR content (docs/ticket-codes.md)")]
    url: Annotated[str, Meta(description="The ticket page; keep it private")]


class GroupOut(Struct):
    leader: TicketOut
    members: Annotated[list[TicketOut], Meta(description="In the order they were given")]
    pdf_url: Annotated[str, Meta(description="One PDF with the leader's ticket, then each member's")]


class CheckpointIn(Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=100, examples=["Porte principale"])]
    kind: CheckpointKind = CheckpointKind.gate
    policy: CheckpointPolicy = CheckpointPolicy.once_per_day
    capacity: Annotated[int, Meta(gt=0, le=1_000_000)] | None = None


class CheckpointOut(Struct):
    id: int
    name: str
    kind: CheckpointKind
    policy: CheckpointPolicy
    capacity: int | None
    inside: int


class DeviceIn(Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=100, examples=["Gate 1 phone"])]


class DeviceCreated(Struct):
    id: int
    name: str
    token: Annotated[str, Meta(description="Shown once. Revoke with DELETE /api/v1/auth/tokens/{id}")]


class CheckInIn(Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=200, description="The QR content")]
    checkpoint: Annotated[int, Meta(ge=1, le=2_147_483_647)]
    direction: Literal["in", "out"] = "in"
    scanned_at: Annotated[datetime, Meta(tz=True, description="When an offline scan happened")] | None = None
    nonce: (
        Annotated[str, Meta(min_length=1, max_length=64, description="Retries with the same nonce count once")] | None
    ) = None


class CheckInOut(Struct):
    result: ScanResult
    holder_name: str | None
    category: str | None
    admitted_at: datetime | None
    admitted_by: Annotated[str | None, Meta(description="The checkpoint of the earlier admission")]
    inside: Annotated[int | None, Meta(description="People inside the checkpoint after this scan")]


class BundleDay(Struct):
    day: date
    opens_at: str | None
    closes_at: str | None


class BundleKey(Struct):
    exhibition_id: int
    key_id: int
    public_key: Annotated[str, Meta(description="Raw Ed25519 public key, hex")]


class BundleCheckpoint(Struct):
    id: int
    name: str
    kind: CheckpointKind
    policy: CheckpointPolicy
    capacity: int | None


class ScannerBundleOut(Struct):
    exhibition: str
    exhibition_id: int
    time_zone: str
    days: list[BundleDay]
    keys: list[BundleKey]
    revoked: Annotated[list[int], Meta(description="Ticket ids that must be refused")]
    checkpoints: list[BundleCheckpoint]


class RevokedOut(Struct):
    id: int
    status: TicketStatus


class OfflineScanIn(Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=200)]
    checkpoint: Annotated[int, Meta(ge=1, le=2_147_483_647)]
    scanned_at: Annotated[datetime, Meta(tz=True)]
    nonce: Annotated[str, Meta(min_length=1, max_length=64, description="Unique per scan on this device")]
    direction: Literal["in", "out"] = "in"


class CheckInBatchIn(Struct, forbid_unknown_fields=True):
    scans: Annotated[list[OfflineScanIn], Meta(max_length=20_000)]


class OfflineResult(Struct):
    nonce: str
    scanned_at: datetime
    result: ScanResult
    duplicate: Annotated[bool, Meta(description="This nonce was applied before; not counted again")]
    holder_name: str | None


class CheckInBatchOut(Struct):
    results: Annotated[list[OfflineResult], Meta(description="In scanned_at order")]


class EnrolmentOfferIn(Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=100, description="What staff call the phone, e.g. 'Gate A 2'")]


class EnrolmentOfferOut(Struct):
    id: int
    name: str
    enrol_url: Annotated[str, Meta(description="Open (or scan as a QR code) on the phone to enrol it; works once")]
    secret: str
    expires_at: datetime


class EnrolmentIn(Struct, forbid_unknown_fields=True):
    secret: Annotated[str, Meta(min_length=1, max_length=64)]


class EnrolledDeviceOut(Struct):
    id: int
    name: str
    exhibition: str
    token: Annotated[str, Meta(description="The device's bearer token; shown once")]


class DeviceOut(Struct):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    scans: int
    last_scan_at: datetime | None


class LiveCheckpointOut(Struct):
    id: int
    name: str
    kind: CheckpointKind
    capacity: int | None
    inside: int
    admitted_today: int


class QuarterHourOut(Struct):
    starts_at: Annotated[datetime, Meta(description="Local time of the exhibition")]
    admitted: int
    refused: int


class LiveCountsOut(Struct):
    day: date
    admitted_today: Annotated[int, Meta(description="Visitors admitted at a gate today (each counted once)")]
    inside_now: int
    checkpoints: list[LiveCheckpointOut]
    quarters: list[QuarterHourOut]


class VisitorOut(Struct):
    id: int
    holder_name: str
    email: str | None
    phone: str | None
    home_region: str
    country: str | None
    category: VisitorCategory
    language: str
    share_contact: bool
    manual_code: str
    status: TicketStatus
    group_leader: int | None
    replaces: Annotated[int | None, Meta(description="The ticket this one replaced")]
    created_at: datetime
    revoked_at: datetime | None


class VisitorPage(Struct):
    items: list[VisitorOut]
    total: int
    page: int
    per_page: int
