"""What the badges API and pages take and give. Every string is bounded, so that no input
reaches the database unchecked; the roles and sizes are closed lists."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

Id = Annotated[int, Meta(ge=1, le=2_147_483_647)]
FullName = Annotated[str, Meta(min_length=1, max_length=200)]
Short = Annotated[str, Meta(max_length=200)]
Email = Annotated[str, Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Language = Literal["ar", "fr", "en"]
Role = Literal["exhibitor_staff", "speaker", "moderator", "organizer", "staff", "press", "vip"]
Size = Literal["a6", "label"]

ROLES: tuple[str, ...] = ("exhibitor_staff", "speaker", "moderator", "organizer", "staff", "press", "vip")
SIZES: tuple[str, ...] = ("a6", "label")


class HolderIn(Struct, forbid_unknown_fields=True):
    """A badge an organizer enters by hand. An exhibitor staff badge names its organization
    and takes a place of that exhibitor's quota."""

    role: Role
    full_name: FullName
    title: Short = ""
    organization_id: Id | None = None
    organization_label: Short = ""
    email: Email | None = None
    language: Language = "fr"


class StaffBadgeIn(Struct, forbid_unknown_fields=True):
    """A badge an exhibitor requests for one of its staff."""

    full_name: FullName
    title: Short = ""
    email: Email | None = None
    language: Language = "fr"


class BatchIn(Struct, forbid_unknown_fields=True):
    """Which badges to print: one role, one organization, only those in no batch yet, or any
    combination (nothing chosen: every badge)."""

    role: Role | None = None
    organization_id: Id | None = None
    new_only: bool = False
    size: Size = "a6"


class QuotaIn(Struct, forbid_unknown_fields=True):
    """An organizer's figure for one exhibitor; null goes back to the stand-size rule."""

    quota: Annotated[int, Meta(ge=0, le=200)] | None


class HolderOut(Struct):
    id: int
    role: str
    full_name: str
    title: str
    organization_id: int | None
    organization: str
    stand_code: str
    email: str | None
    language: str
    lead_url: str
    created_at: datetime
    batches: int


class HolderPageOut(Struct):
    items: list[HolderOut]
    total: int
    page: int
    per_page: int


class BatchOut(Struct):
    id: int
    status: str
    size: str
    role: str | None
    organization_id: int | None
    new_only: bool
    total: int
    done: int
    attempts: int
    error: str
    page_count: int | None
    created_at: datetime
    finished_at: datetime | None
    download_url: str | None
