from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from msgspec import Meta, Struct

from exhibitions.tickets.tables import TicketStatus, VisitorCategory

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
