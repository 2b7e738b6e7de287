"""Reads of organizations."""

from __future__ import annotations

from typing import Any

from exhibitions.exhibitors.tables import Organization, OrganizationMember


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
        pattern = f"%{search.strip()}%"
        # SQLite's LIKE already ignores case (for ASCII); PostgreSQL needs ILIKE.
        insensitive = Organization._meta.db.engine_type == "postgres"
        columns = (Organization.name_ar, Organization.name_latin, Organization.registry_number, Organization.city)
        matches = [column.ilike(pattern) if insensitive else column.like(pattern) for column in columns]
        condition: Any = matches[0]
        for match in matches[1:]:
            condition = condition | match
        where = where & condition
    rows = await (
        Organization.select()
        .where(where)
        .order_by(Organization.name_latin)
        .order_by(Organization.id)
        .limit(limit)
        .offset(offset)
    )
    return rows, int(await Organization.count().where(where))
