"""Reads of organizations."""

from __future__ import annotations

from typing import Any

from exhibitions.exhibitors.tables import Organization, OrganizationMember
from exhibitions.search import contains_any, folded_contains


async def find_organization(organization_id: int) -> dict[str, Any] | None:
    return await Organization.select().where(Organization.id == organization_id).first()  # type: ignore[no-any-return]


async def is_member(organization_id: int, user_id: int) -> bool:
    return bool(
        await OrganizationMember.exists().where(
            (OrganizationMember.organization == organization_id) & (OrganizationMember.user == user_id)
        )
    )


async def list_organizations(
    *, member_of: int | None, search: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Organizations by name; ``member_of`` keeps only a user's own."""
    where: Any = Organization.id > 0
    if member_of is not None:
        where = where & Organization.id.is_in(
            OrganizationMember.select(OrganizationMember.organization).where(OrganizationMember.user == member_of)
        )
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
