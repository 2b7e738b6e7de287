"""What the API takes and gives for organizations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from exhibitions.exhibitors.tables import LegalForm, Sector, StandType
from exhibitions.exhibitors.workflow import ApplicationStatus

Count = Annotated[int, Meta(ge=0, le=1_000_000)]
Year = Annotated[int, Meta(ge=1900, le=2100)]


class OrganizationCreate(Struct, forbid_unknown_fields=True):
    legal_form: LegalForm
    registry_number: Annotated[str, Meta(min_length=1, max_length=40, examples=["12345"])]
    region: Annotated[str, Meta(examples=["MA-09"], description="Region code, MA-01 to MA-12")]
    city: Annotated[str, Meta(min_length=1, max_length=100)]
    sector: Sector
    name_ar: Annotated[str, Meta(max_length=200)] | None = None
    name_latin: Annotated[str, Meta(max_length=200)] | None = None
    ice: Annotated[str | None, Meta(description="Identifiant Commun de l'Entreprise, 15 digits")] = None
    founded_year: Year | None = None
    members_total: Count = 0
    members_women: Count = 0
    members_youth: Annotated[int, Meta(ge=0, le=1_000_000, description="Members under 35")] = 0
    declared_women_led: bool = False
    email: Annotated[str, Meta(max_length=254)] | None = None
    phone: Annotated[str, Meta(max_length=30)] | None = None


class OrganizationUpdate(Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields sent change; ``null`` clears an optional field."""

    legal_form: LegalForm | UnsetType = UNSET
    registry_number: Annotated[str, Meta(min_length=1, max_length=40)] | UnsetType = UNSET
    region: str | UnsetType = UNSET
    city: Annotated[str, Meta(min_length=1, max_length=100)] | UnsetType = UNSET
    sector: Sector | UnsetType = UNSET
    name_ar: Annotated[str, Meta(max_length=200)] | UnsetType | None = UNSET
    name_latin: Annotated[str, Meta(max_length=200)] | UnsetType | None = UNSET
    ice: str | UnsetType | None = UNSET
    founded_year: Year | UnsetType | None = UNSET
    members_total: Count | UnsetType = UNSET
    members_women: Count | UnsetType = UNSET
    members_youth: Count | UnsetType = UNSET
    declared_women_led: bool | UnsetType = UNSET
    email: Annotated[str, Meta(max_length=254)] | UnsetType | None = UNSET
    phone: Annotated[str, Meta(max_length=30)] | UnsetType | None = UNSET


class OrganizationOut(Struct):
    id: int
    legal_form: LegalForm
    name_ar: str | None
    name_latin: str | None
    registry_number: str
    ice: str | None
    region: str
    city: str
    sector: Sector
    founded_year: int | None
    members_total: int
    members_women: int
    members_youth: int
    declared_women_led: bool
    is_women_led: Annotated[bool, Meta(description="Declared, or women are over half the members")]
    email: str | None
    phone: str | None
    created_at: datetime
    updated_at: datetime


class OrganizationPage(Struct):
    items: list[OrganizationOut]
    total: int
    page: int
    per_page: int


class ApplicationCreate(Struct, forbid_unknown_fields=True):
    organization: Annotated[int, Meta(ge=1, le=2_147_483_647)]
    stand_type: StandType = StandType.standard
    stand_area_m2: Annotated[int, Meta(ge=4, le=400)] = 9
    preferred_zone: Annotated[str, Meta(max_length=100)] | None = None
    near_organizations: Annotated[list[Annotated[int, Meta(ge=1, le=2_147_483_647)]], Meta(max_length=5)] = []
    needs_power: bool = False
    needs_water: bool = False
    needs_accessible: bool = False
    accepts_sharing: bool = False
    products: Annotated[str, Meta(max_length=2000)] = ""


class ApplicationUpdate(Struct, forbid_unknown_fields=True, omit_defaults=True):
    stand_type: StandType | UnsetType = UNSET
    stand_area_m2: Annotated[int, Meta(ge=4, le=400)] | UnsetType = UNSET
    preferred_zone: Annotated[str, Meta(max_length=100)] | UnsetType | None = UNSET
    near_organizations: (
        Annotated[list[Annotated[int, Meta(ge=1, le=2_147_483_647)]], Meta(max_length=5)] | UnsetType
    ) = UNSET
    needs_power: bool | UnsetType = UNSET
    needs_water: bool | UnsetType = UNSET
    needs_accessible: bool | UnsetType = UNSET
    accepts_sharing: bool | UnsetType = UNSET
    products: Annotated[str, Meta(max_length=2000)] | UnsetType = UNSET


class TransitionIn(Struct, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(max_length=2000)] = ""


class DecisionIn(Struct, forbid_unknown_fields=True):
    status: Annotated[ApplicationStatus, Meta(description="approved, waitlisted or rejected")]
    reason: Annotated[str, Meta(max_length=2000, description="Shown to the applicant")] = ""


class ApplicationEventOut(Struct):
    from_status: ApplicationStatus | None
    to_status: ApplicationStatus
    by: Annotated[str, Meta(description="applicant or organizer")]
    reason: str
    at: datetime


class ApplicationOut(Struct):
    id: int
    exhibition: str
    organization: int
    status: ApplicationStatus
    stand_type: StandType
    stand_area_m2: int
    preferred_zone: str | None
    near_organizations: list[int]
    needs_power: bool
    needs_water: bool
    needs_accessible: bool
    accepts_sharing: bool
    products: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    history: list[ApplicationEventOut]
