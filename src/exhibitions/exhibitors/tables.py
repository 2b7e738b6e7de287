"""Organizations and the users who act for them."""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Boolean, Bytea, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from exhibitions.accounts.tables import User
from exhibitions.events.tables import Exhibition
from exhibitions.exhibitors.workflow import ApplicationStatus


class LegalForm(str, Enum):
    cooperative = "cooperative"
    association = "association"
    mutual = "mutual"
    company = "company"
    public_body = "public_body"


class Sector(str, Enum):
    agriculture = "agriculture"
    handicrafts = "handicrafts"
    fishing = "fishing"
    argan = "argan"
    food_processing = "food_processing"
    textile = "textile"
    services = "services"
    other = "other"


class Organization(Table, tablename="organization"):
    id = Serial(primary_key=True)
    legal_form = Varchar(length=12, choices=LegalForm)
    name_ar = Varchar(length=200, null=True, default=None)
    name_latin = Varchar(length=200, null=True, default=None)
    registry_number = Varchar(length=40)
    ice = Varchar(length=15, null=True, default=None)
    region = Varchar(length=5)
    city = Varchar(length=100)
    sector = Varchar(length=20, choices=Sector)
    founded_year = Integer(null=True, default=None)
    members_total = Integer(default=0)
    members_women = Integer(default=0)
    members_youth = Integer(default=0)
    declared_women_led = Boolean(default=False)
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=20, null=True, default=None)
    # Names and city through exhibitions.search.fold, written with the row; searched with LIKE.
    search_text = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class OrganizationMember(Table, tablename="organization_member"):
    """A user who may act for an organization (edit it, apply for it)."""

    id = Serial(primary_key=True)
    organization = ForeignKey(Organization, null=False, on_delete=OnDelete.cascade)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz()


class StandType(str, Enum):
    standard = "standard"
    corner = "corner"
    island = "island"
    outdoor = "outdoor"


class Application(Table, tablename="application"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.restrict)
    organization = ForeignKey(Organization, null=False, on_delete=OnDelete.cascade)
    status = Varchar(length=12, choices=ApplicationStatus, default=ApplicationStatus.draft)
    stand_type = Varchar(length=10, choices=StandType, default=StandType.standard)
    stand_area_m2 = Integer(default=9)
    preferred_zone = Varchar(length=100, null=True, default=None)
    # JSON list of organization ids the applicant asks to be near.
    near_organizations = Text(default="[]")
    needs_power = Boolean(default=False)
    needs_water = Boolean(default=False)
    needs_accessible = Boolean(default=False)
    accepts_sharing = Boolean(default=False)
    products = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()
    submitted_at = Timestamptz(null=True, default=None)


class ApplicationEvent(Table, tablename="application_event"):
    """One status change: the audit trail an applicant's page explains decisions from."""

    id = Serial(primary_key=True)
    application = ForeignKey(Application, null=False, on_delete=OnDelete.cascade)
    from_status = Varchar(length=12, null=True, default=None)
    to_status = Varchar(length=12)
    actor = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    reason = Text(default="")
    at = Timestamptz()


class Product(Table, tablename="product"):
    """What an organization shows, in the directory and on its stand."""

    id = Serial(primary_key=True)
    organization = ForeignKey(Organization, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=200)
    description = Varchar(length=280, default="")
    position = Integer(default=0)
    # The name through exhibitions.search.fold, written with the row; searched with LIKE.
    search_text = Text(default="")
    # The photo's version (None: no photo), in its URL so that browsers may cache it for good.
    photo_version = Varchar(length=32, null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ProductPhoto(Table, tablename="product_photo"):
    """A product's photo as re-encoded by ``exhibitors.photos``; never the uploaded bytes."""

    id = Serial(primary_key=True)
    product = ForeignKey(Product, null=False, unique=True, on_delete=OnDelete.cascade)
    version = Varchar(length=32)
    media_type = Varchar(length=20)
    width = Integer()
    height = Integer()
    image = Bytea()
    thumbnail = Bytea()
    created_at = Timestamptz()
