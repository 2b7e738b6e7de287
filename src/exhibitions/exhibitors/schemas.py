"""What the API takes and gives for organizations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from exhibitions.exhibitors.tables import LegalForm, Sector

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
