"""Organizations and an exhibition's applications as CSV or XLSX, for organizers.

Headers are in English; the organization columns carry the headers the import reads, so
an export imported back changes nothing. Every text cell is neutralized
(``exhibitions.spreadsheets``): a name like ``=cmd|...`` stays text in any spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.errors import NotFound, PermissionDenied
from exhibitions.events import queries as event_queries
from exhibitions.events.permissions import can_manage_exhibition
from exhibitions.exhibitors.importing import COLUMNS, export_header
from exhibitions.exhibitors.permissions import can_manage_organizations
from exhibitions.exhibitors.tables import Application, Organization
from exhibitions.exhibitors.validation import is_women_led
from exhibitions.spreadsheets import csv_bytes, xlsx_bytes


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv",  # Litestar adds "; charset=utf-8"
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Export:
    content: bytes
    media_type: str
    filename: str


ORGANIZATION_FIELDS = tuple(COLUMNS)
ORGANIZATION_HEADERS = (
    "ID", *(export_header(name) for name in ORGANIZATION_FIELDS), "Is women-led (derived)", "Created at", "Updated at",
)  # fmt: skip

APPLICATION_COLUMNS = (
    ("Application ID", "id"), ("Organization ID", "organization"), ("Name (Arabic)", "name_ar"),
    ("Name (Latin)", "name_latin"), ("Legal form", "legal_form"), ("Registry number", "registry_number"),
    ("ICE", "ice"), ("Region", "region"), ("Sector", "sector"), ("Is women-led (derived)", "is_women_led"),
    ("Status", "status"), ("Stand type", "stand_type"), ("Stand area (m²)", "stand_area_m2"),
    ("Preferred zone", "preferred_zone"), ("Near organizations", "near_organizations"),
    ("Needs power", "needs_power"), ("Needs water", "needs_water"), ("Needs accessibility", "needs_accessible"),
    ("Accepts sharing", "accepts_sharing"), ("Products", "products"), ("Created at", "created_at"),
    ("Submitted at", "submitted_at"), ("Updated at", "updated_at"),
)  # fmt: skip
_BOOLEANS = ("needs_power", "needs_water", "needs_accessible", "accepts_sharing", "is_women_led")


def _women_led(row: dict[str, Any]) -> bool:
    return is_women_led(
        declared=bool(row["declared_women_led"]), members_total=row["members_total"],
        members_women=row["members_women"],
    )  # fmt: skip


def _render(headers: tuple[str, ...], rows: list[list[Any]], fmt: ExportFormat, name: str, title: str) -> Export:
    content = xlsx_bytes(headers, rows, title=title) if fmt is ExportFormat.xlsx else csv_bytes(headers, rows)
    return Export(content=content, media_type=MEDIA_TYPES[fmt], filename=f"{name}.{fmt.value}")


async def export_organizations(*, actor: Actor | None, fmt: ExportFormat) -> Export:
    """Every organization of the registry (organizers only)."""
    if not can_manage_organizations(actor):
        raise PermissionDenied("only organizers export the registry")
    rows = [
        [row["id"], *(row[name] for name in ORGANIZATION_FIELDS), _women_led(row), row["created_at"], row["updated_at"]]
        for row in await Organization.select().order_by(Organization.id)
    ]
    return _render(ORGANIZATION_HEADERS, rows, fmt, "organizations", "Organizations")


async def export_applications(*, slug: str, actor: Actor | None, fmt: ExportFormat) -> Export:
    """Every application to the exhibition, with its organization (its organizers only)."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    if not can_manage_exhibition(actor, exhibition["id"]):
        raise PermissionDenied("only this exhibition's organizers may export its applications")
    found = await Application.raw(
        "SELECT a.*, o.name_ar, o.name_latin, o.legal_form, o.registry_number, o.ice, o.region, o.sector,"
        " o.declared_women_led, o.members_total, o.members_women"
        " FROM application a JOIN organization o ON o.id = a.organization WHERE a.exhibition = {} ORDER BY a.id",
        exhibition["id"],
    )
    rows = []
    for row in found:
        row = {**row, "is_women_led": _women_led(row)}
        rows.append([bool(row[key]) if key in _BOOLEANS else row[key] for _, key in APPLICATION_COLUMNS])
    headers = tuple(header for header, _ in APPLICATION_COLUMNS)
    return _render(headers, rows, fmt, f"{slug}-applications", "Applications")
