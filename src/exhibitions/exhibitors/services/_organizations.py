"""Organizations: create, read, change. The one way in for pages, API, import and CLI."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.services import normalize_email
from exhibitions.db import write_transaction
from exhibitions.errors import DuplicateValue, FieldError, InvalidInput, NotFound, PermissionDenied
from exhibitions.exhibitors import queries
from exhibitions.exhibitors.permissions import can_edit_organization, can_manage_organizations, organized_exhibitions
from exhibitions.exhibitors.schemas import OrganizationCreate, OrganizationUpdate
from exhibitions.exhibitors.tables import Organization, OrganizationMember
from exhibitions.exhibitors.validation import organization_errors
from exhibitions.search import fold

_DUPLICATES = {
    "registry": FieldError("registry_number", "duplicate", "another organization of this form has this number"),
    "ice": FieldError("ice", "duplicate", "another organization has this ICE"),
}


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The row to store, or InvalidInput naming every bad field."""
    errors, clean = organization_errors(
        name_ar=values.get("name_ar"), name_latin=values.get("name_latin"),
        registry_number=values["registry_number"], ice=values.get("ice"), region=values["region"],
        city=values["city"], members_total=values["members_total"], members_women=values["members_women"],
        members_youth=values["members_youth"], phone=values.get("phone"),
    )  # fmt: skip
    email = values.get("email")
    if email is not None and email.strip():
        try:
            email = normalize_email(email)
        except InvalidInput as exc:
            errors.extend(exc.errors)
    else:
        email = None
    if errors:
        raise InvalidInput(errors)
    row = {
        **values,
        "legal_form": values["legal_form"].value if hasattr(values["legal_form"], "value") else values["legal_form"],
        "sector": values["sector"].value if hasattr(values["sector"], "value") else values["sector"],
        "name_ar": (values.get("name_ar") or "").strip() or None,
        "name_latin": (values.get("name_latin") or "").strip() or None,
        "city": values["city"].strip(),
        "registry_number": clean.registry_number,
        "ice": clean.ice,
        "phone": clean.phone,
        "email": email,
    }
    row["search_text"] = fold(" ".join(row[key] or "" for key in ("name_ar", "name_latin", "city")))
    return row


async def _duplicate_errors(row: dict[str, Any], *, except_id: int | None = None) -> list[FieldError]:
    """Named errors for the unique keys this row would break (checked again by the database)."""
    errors = []
    same_registry = Organization.select(Organization.id).where(
        (Organization.legal_form == row["legal_form"]) & (Organization.registry_number == row["registry_number"])
    )
    for found in await same_registry:
        if found["id"] != except_id:
            errors.append(_DUPLICATES["registry"])
    if row["ice"]:
        for found in await Organization.select(Organization.id).where(Organization.ice == row["ice"]):
            if found["id"] != except_id:
                errors.append(_DUPLICATES["ice"])
    return errors


async def create_organization(*, data: OrganizationCreate, actor: Actor | None, now: datetime) -> dict[str, Any]:
    """A new organization; the exhibitor who creates it becomes its first member."""
    if actor is None or actor.device_exhibition_id is not None:
        raise PermissionDenied("sign in to register an organization")
    row = _clean(msgspec.structs.asdict(data))
    async with write_transaction(Organization._meta.db):
        # ON CONFLICT without a target covers both unique keys (registry per form, ICE).
        created = await (
            Organization.insert(Organization(**row, created_at=now, updated_at=now))
            .on_conflict(action="DO NOTHING")
            .returning(*Organization.all_columns())
        )
        if not created:
            raise DuplicateValue("this organization is registered already", errors=await _duplicate_errors(row))
        if not can_manage_organizations(actor):
            await OrganizationMember.insert(
                OrganizationMember(organization=created[0]["id"], user=actor.user_id, created_at=now)
            )
    return created[0]  # type: ignore[no-any-return]


async def get_organization(*, organization_id: int, actor: Actor | None) -> dict[str, Any]:
    """An organization, for its members and organizers; to anyone else it does not exist
    (its contacts and drafts are private)."""
    row = await queries.find_organization(organization_id)
    member = actor is not None and row is not None and await queries.is_member(organization_id, actor.user_id)
    applied_to = await queries.exhibitions_applied_to(organization_id) if organized_exhibitions(actor) else set()
    if row is None or not can_edit_organization(actor, is_member=member, applied_to=applied_to):
        raise NotFound(f"no organization {organization_id}")
    return row


async def update_organization(
    *, organization_id: int, changes: OrganizationUpdate, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    current = await get_organization(organization_id=organization_id, actor=actor)
    sent = {key: value for key, value in msgspec.structs.asdict(changes).items() if value is not msgspec.UNSET}
    ignored = ("id", "created_at", "updated_at", "search_text")
    kept = {key: value for key, value in {**current, **sent}.items() if key not in ignored}
    row: dict[Any, Any] = {**_clean(kept), "updated_at": now}
    try:
        await Organization.update(row).where(Organization.id == organization_id)
    except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
        # The unique keys refused it: say which, in the caller's terms.
        raise DuplicateValue(
            "this organization is registered already", errors=await _duplicate_errors(row, except_id=organization_id)
        ) from None
    return await get_organization(organization_id=organization_id, actor=actor)


async def list_organizations(
    *, actor: Actor | None, search: str | None, page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """Every organization for the registry's keepers; for an exhibition's organizers, those that
    applied to it (and their own); an exhibitor's own otherwise."""
    if actor is None or actor.device_exhibition_id is not None:
        raise PermissionDenied("sign in to see organizations")
    if can_manage_organizations(actor):
        member_of, applied_to = None, None
    else:
        member_of, applied_to = actor.user_id, organized_exhibitions(actor) or None
    return await queries.list_organizations(
        member_of=member_of, applied_to=applied_to, search=search, limit=per_page, offset=(page - 1) * per_page
    )
