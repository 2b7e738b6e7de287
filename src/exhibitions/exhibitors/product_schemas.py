"""What the API takes and gives for products and for the public directory."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from exhibitions.exhibitors.tables import LegalForm, Sector

ProductName = Annotated[str, Meta(min_length=1, max_length=200, examples=["Huile d'argan · زيت أركان"])]
Description = Annotated[str, Meta(max_length=280, description="A short description, any script")]
Position = Annotated[int, Meta(ge=0, le=1000, description="Order among the organization's products")]


class ProductCreate(Struct, forbid_unknown_fields=True):
    name: ProductName
    description: Description = ""
    position: Position | None = None


class ProductUpdate(Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields sent change."""

    name: ProductName | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    position: Position | UnsetType = UNSET


class ProductOut(Struct):
    id: int
    organization: int
    name: str
    description: str
    position: int
    photo_url: Annotated[str | None, Meta(description="The photo (at most 1600 px), versioned: cache it")]
    thumbnail_url: Annotated[str | None, Meta(description="A 320 px thumbnail, versioned")]
    created_at: datetime
    updated_at: datetime


class DirectoryProduct(Struct):
    id: int
    name: str
    description: str
    photo_url: str | None
    thumbnail_url: str | None


class DirectoryEntry(Struct):
    """What a visitor may know of an exhibitor: never contacts, identifiers or counts."""

    id: int
    name_ar: str | None
    name_latin: str | None
    legal_form: LegalForm
    region: Annotated[str, Meta(examples=["MA-09"], description="Region code; GET /api/v1/regions names it")]
    city: str
    sector: Sector
    is_women_led: bool
    url: str
    product_names: Annotated[list[str], Meta(description="Its products' names, in its order")]


class DirectoryPage(Struct):
    items: list[DirectoryEntry]
    total: int
    page: int
    per_page: int


class DirectoryExhibitor(Struct):
    id: int
    name_ar: str | None
    name_latin: str | None
    legal_form: LegalForm
    region: str
    city: str
    sector: Sector
    is_women_led: bool
    url: str
    product_names: list[str]
    founded_year: int | None
    products: list[DirectoryProduct]
    stand: Annotated[str | None, Meta(description="Where the stand is; null until stands are assigned")]
