"""Reads of the public directory: organizations with an approved application, and only
the columns a visitor may see (plus the two counts ``is_women_led`` is derived from,
which never leave the service)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from exhibitions.events.schemas import SLUG_PATTERN
from exhibitions.events.tables import Exhibition, ExhibitionStatus
from exhibitions.exhibitors.tables import Application, Organization
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.search import folded_words

_SLUG = re.compile(SLUG_PATTERN)
# Past exhibitions stay public, and so do the exhibitors they had.
PUBLIC_STATUSES = (ExhibitionStatus.published.value, ExhibitionStatus.closed.value)

LISTED_COLUMNS = (
    Organization.id, Organization.name_ar, Organization.name_latin, Organization.legal_form, Organization.region,
    Organization.city, Organization.sector, Organization.founded_year, Organization.declared_women_led,
    Organization.members_total, Organization.members_women,
)  # fmt: skip


@dataclass(frozen=True)
class DirectoryFilters:
    search: str | None = None
    region: str | None = None
    sector: str | None = None
    legal_form: str | None = None
    product: str | None = None


def _listed(exhibition_id: int | None) -> Any:
    """Organizations approved at this exhibition, or at any public one when None."""
    approved = Application.status == ApplicationStatus.approved.value
    if exhibition_id is not None:
        where = approved & (Application.exhibition == exhibition_id)
    else:
        public = Exhibition.select(Exhibition.id).where(Exhibition.status.is_in(list(PUBLIC_STATUSES)))
        where = approved & Application.exhibition.is_in(public)
    return Organization.id.is_in(Application.select(Application.organization).where(where))


# The search is the directory's hot path: one hand-written query gives the page and the
# total (COUNT(*) OVER ()), so the matching rows are found once, not twice, and Piccolo's
# query builder (a third of the time of such a request) is skipped.
_LISTED_SQL = """
SELECT o.id, o.name_ar, o.name_latin, o.legal_form, o.region, o.city, o.sector, o.founded_year,
       o.declared_women_led, o.members_total, o.members_women, COUNT(*) OVER () AS total
FROM organization o
WHERE {where}
ORDER BY COALESCE(o.{first_name}, o.{second_name}), o.id
LIMIT {{}} OFFSET {{}}
"""
_APPROVED_AT = "o.id IN (SELECT a.organization FROM application a WHERE a.status = 'approved' AND a.exhibition = {})"
_APPROVED_ANYWHERE = (
    "o.id IN (SELECT a.organization FROM application a WHERE a.status = 'approved' AND a.exhibition IN"
    " (SELECT e.id FROM exhibition e WHERE e.status IN ('published', 'closed')))"
)
_PRODUCT_WORDS = "o.id IN (SELECT p.organization FROM product p WHERE {words})"


def _conditions(exhibition_id: int | None, filters: DirectoryFilters) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``o`` (the organization) with ``{}`` placeholders, and their values."""
    conditions = [_APPROVED_ANYWHERE if exhibition_id is None else _APPROVED_AT]
    values: list[Any] = []
    if exhibition_id is not None:
        values.append(exhibition_id)
    for word in folded_words(filters.search or ""):
        conditions.append("o.search_text LIKE {}")
        values.append(f"%{word}%")
    product_words = folded_words(filters.product or "")
    if product_words:
        conditions.append(_PRODUCT_WORDS.format(words=" AND ".join(["p.search_text LIKE {}"] * len(product_words))))
        values.extend(f"%{word}%" for word in product_words)
    for column, value in (("region", filters.region), ("sector", filters.sector), ("legal_form", filters.legal_form)):
        if value:
            conditions.append(f"o.{column} = {{}}")
            values.append(value)
    return conditions, values


async def list_listed(
    *, exhibition_id: int | None, filters: DirectoryFilters, language: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of listed organizations by name (in the visitor's script first), and the total."""
    conditions, values = _conditions(exhibition_id, filters)
    first, second = ("name_ar", "name_latin") if language == "ar" else ("name_latin", "name_ar")
    sql = _LISTED_SQL.format(where=" AND ".join(conditions), first_name=first, second_name=second)
    rows = await Organization.raw(sql, *values, limit, offset)
    if rows:
        return rows, int(rows[0]["total"])
    if offset == 0:
        return [], 0
    # Past the last page: the total still says how many there are.
    count = await Organization.raw(
        f"SELECT COUNT(*) AS total FROM organization o WHERE {' AND '.join(conditions)}",  # noqa: S608 - placeholders only
        *values,
    )
    return [], int(count[0]["total"])


async def product_names(organization_ids: Collection[int]) -> dict[int, list[str]]:
    """Each organization's product names, in their order (for the cards of one page)."""
    if not organization_ids:
        return {}
    placeholders = ", ".join(["{}"] * len(organization_ids))
    rows = await Organization.raw(
        f"SELECT organization, name FROM product WHERE organization IN ({placeholders})"  # noqa: S608 - placeholders only
        " ORDER BY organization, position, id",
        *organization_ids,
    )
    names: dict[int, list[str]] = {}
    for row in rows:
        names.setdefault(row["organization"], []).append(row["name"])
    return names


async def find_listed(*, exhibition_id: int | None, organization_id: int) -> dict[str, Any] | None:
    return await (  # type: ignore[no-any-return]
        Organization.select(*LISTED_COLUMNS)
        .where(_listed(exhibition_id) & (Organization.id == organization_id))
        .first()
    )


async def public_exhibition_id(slug: str) -> int | None:
    if not _SLUG.fullmatch(slug):
        return None  # cannot exist; and PostgreSQL would refuse some characters outright
    row = await (
        Exhibition.select(Exhibition.id)
        .where((Exhibition.slug == slug) & Exhibition.status.is_in(list(PUBLIC_STATUSES)))
        .first()
    )
    return None if row is None else int(row["id"])


async def public_exhibitions(ids: Collection[int] | None = None) -> list[dict[str, Any]]:
    """Public exhibitions (newest first), for the global directory's exhibition filter."""
    where: Any = Exhibition.status.is_in(list(PUBLIC_STATUSES))
    if ids is not None:
        where = where & Exhibition.id.is_in(list(ids) or [0])
    return await (  # type: ignore[no-any-return]
        Exhibition.select(Exhibition.id, Exhibition.slug, Exhibition.title_ar, Exhibition.title_fr, Exhibition.title_en)
        .where(where)
        .order_by(Exhibition.starts_on, ascending=False)
    )
