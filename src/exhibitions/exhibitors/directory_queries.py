"""Reads of the public directory: organizations with an approved application, and only
the columns a visitor may see (plus the two counts ``is_women_led`` is derived from,
which never leave the service)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from piccolo.query import OrderByRaw

from exhibitions.events.schemas import SLUG_PATTERN
from exhibitions.events.tables import Exhibition, ExhibitionStatus
from exhibitions.exhibitors.tables import Application, Organization, Product
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.search import folded_contains

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


def _conditions(exhibition_id: int | None, filters: DirectoryFilters) -> Any:
    where = _listed(exhibition_id)
    if filters.search and (names := folded_contains(Organization.search_text, filters.search)) is not None:
        where = where & names
    if filters.product and (products := folded_contains(Product.search_text, filters.product)) is not None:
        where = where & Organization.id.is_in(Product.select(Product.organization).where(products))
    for column, value in (
        (Organization.region, filters.region),
        (Organization.sector, filters.sector),
        (Organization.legal_form, filters.legal_form),
    ):
        if value:
            where = where & (column == value)
    return where


def _name_order(language: str) -> OrderByRaw:
    # The name in the visitor's script first; ids keep pages stable between equal names.
    first, second = ("name_ar", "name_latin") if language == "ar" else ("name_latin", "name_ar")
    return OrderByRaw(f'COALESCE("{first}", "{second}")')


async def list_listed(
    *, exhibition_id: int | None, filters: DirectoryFilters, language: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    where = _conditions(exhibition_id, filters)
    rows = await (
        Organization.select(*LISTED_COLUMNS)
        .where(where)
        .order_by(_name_order(language))
        .order_by(Organization.id)
        .limit(limit)
        .offset(offset)
    )
    return rows, int(await Organization.count().where(where))


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
