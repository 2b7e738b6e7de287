"""Reads of organizations."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from exhibitions.exhibitors.tables import Application, Organization, OrganizationMember
from exhibitions.search import contains_any, folded_contains


async def find_organization(organization_id: int) -> dict[str, Any] | None:
    return await Organization.select().where(Organization.id == organization_id).first()  # type: ignore[no-any-return]


async def is_member(organization_id: int, user_id: int) -> bool:
    return bool(
        await OrganizationMember.exists().where(
            (OrganizationMember.organization == organization_id) & (OrganizationMember.user == user_id)
        )
    )


async def exhibitions_applied_to(organization_id: int) -> set[int]:
    """The exhibitions the organization has sent an application to (a draft is its own)."""
    rows = await Application.select(Application.exhibition).where(
        (Application.organization == organization_id) & (Application.status != "draft")
    )
    return {int(row["exhibition"]) for row in rows}


async def list_organizations(
    *, member_of: int | None, search: str | None, limit: int, offset: int, applied_to: Collection[int] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Organizations by name; ``member_of`` keeps only a user's own, and with ``applied_to``
    also those with an application to one of these exhibitions."""
    where: Any = Organization.id > 0
    if member_of is not None:
        mine: Any = Organization.id.is_in(
            OrganizationMember.select(OrganizationMember.organization).where(OrganizationMember.user == member_of)
        )
        if applied_to:
            mine = mine | Organization.id.is_in(
                Application.select(Application.organization).where(
                    Application.exhibition.is_in(list(applied_to)) & (Application.status != "draft")
                )
            )
        where = where & mine
    if search and search.strip():
        # Names and city folded (accents, case, Arabic diacritics); the registry number as typed.
        condition = folded_contains(Organization.search_text, search)
        registry = contains_any((Organization.registry_number,), search)
        where = where & (registry if condition is None else condition | registry)
    rows = await (
        Organization.select()
        .where(where)
        .order_by(Organization.name_latin)
        .order_by(Organization.id)
        .limit(limit)
        .offset(offset)
    )
    return rows, int(await Organization.count().where(where))
