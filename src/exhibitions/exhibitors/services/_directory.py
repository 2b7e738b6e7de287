"""The public directory: what visitors may know of the exhibitors, and nothing more.

Listed are the organizations with an ``approved`` application to a public (published or
closed) exhibition: per exhibition, or across all of them. A draft, submitted, waitlisted,
rejected or withdrawn applicant does not exist here (404). Contacts, identifiers and member
counts are never read out of the query rows: entries are built field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from exhibitions.errors import FieldError, InvalidInput, NotFound
from exhibitions.events.regions import regions_by_code
from exhibitions.exhibitors import directory_queries as queries
from exhibitions.exhibitors.directory_queries import DirectoryFilters
from exhibitions.exhibitors.services._products import PhotoFile, photo_file, products_of
from exhibitions.exhibitors.tables import LegalForm, Sector
from exhibitions.exhibitors.validation import is_women_led
from exhibitions.text import control_character_errors

__all__ = ["DirectoryFilters", "ListedOrganization", "ListedProduct"]


@dataclass(frozen=True)
class ListedProduct:
    id: int
    name: str
    description: str
    photo_url: str | None
    thumbnail_url: str | None


@dataclass(frozen=True)
class ListedOrganization:
    """An exhibitor as visitors see it."""

    id: int
    name_ar: str | None
    name_latin: str | None
    legal_form: str
    region: str
    city: str
    sector: str
    founded_year: int | None
    is_women_led: bool
    products: list[ListedProduct] = field(default_factory=list)
    # Every product's name, in order: what a card of the list shows.
    product_names: list[str] = field(default_factory=list)
    # Where the stand is, once stands are assigned (issue 5); None until then.
    stand: str | None = None
    # The hall's plan with the stand highlighted, once published.
    stand_plan_url: str | None = None

    def region_name(self, language: str) -> str:
        region = regions_by_code().get(self.region)
        return region.name(language) if region else self.region


def photo_url(organization_id: int, product: dict[str, Any], *, thumbnail: bool) -> str | None:
    """The public, versioned URL of a product's photo (cacheable for good)."""
    version = product["photo_version"]
    if version is None:
        return None
    size = "&size=thumbnail" if thumbnail else ""
    return f"/api/v1/exhibitors/{organization_id}/products/{product['id']}/photo?v={version}{size}"


def _listed(
    row: dict[str, Any], products: list[dict[str, Any]] | None = None, names: list[str] | None = None
) -> ListedOrganization:
    return ListedOrganization(
        id=row["id"],
        name_ar=row["name_ar"],
        name_latin=row["name_latin"],
        legal_form=row["legal_form"],
        region=row["region"],
        city=row["city"],
        sector=row["sector"],
        founded_year=row["founded_year"],
        is_women_led=is_women_led(
            declared=row["declared_women_led"], members_total=row["members_total"], members_women=row["members_women"]
        ),
        products=[
            ListedProduct(
                id=product["id"],
                name=product["name"],
                description=product["description"],
                photo_url=photo_url(row["id"], product, thumbnail=False),
                thumbnail_url=photo_url(row["id"], product, thumbnail=True),
            )
            for product in products or []
        ],
        product_names=names if names is not None else [product["name"] for product in products or []],
    )


def check_filters(filters: DirectoryFilters) -> DirectoryFilters:
    """The filters, or InvalidInput naming each one that cannot match anything sensible."""
    errors = control_character_errors({"q": filters.search, "product": filters.product})
    if filters.region and filters.region not in regions_by_code():
        errors.append(FieldError("region", "unknown_region", "must be a region code, MA-01 to MA-12"))
    if filters.sector and filters.sector not in Sector.__members__:
        errors.append(FieldError("sector", "invalid_choice", "must be one of " + ", ".join(Sector.__members__)))
    if filters.legal_form and filters.legal_form not in LegalForm.__members__:
        errors.append(FieldError("legal_form", "invalid_choice", "must be one of " + ", ".join(LegalForm.__members__)))
    if errors:
        raise InvalidInput(errors)
    return filters


async def _exhibition_id(slug: str | None) -> int | None:
    """The public exhibition's id (None: every public exhibition); NotFound for a draft."""
    if slug is None:
        return None
    exhibition_id = await queries.public_exhibition_id(slug)
    if exhibition_id is None:
        raise NotFound(f"no exhibition {slug!r}")
    return exhibition_id


async def list_exhibitors(
    *, slug: str | None, filters: DirectoryFilters, language: str, page: int, per_page: int
) -> tuple[list[ListedOrganization], int]:
    """One page of the exhibitors of ``slug`` (or of every public exhibition), by name in
    the visitor's script."""
    check_filters(filters)
    exhibition_id = await _exhibition_id(slug)
    rows, total = await queries.list_listed(
        exhibition_id=exhibition_id, filters=filters, language=language, limit=per_page, offset=(page - 1) * per_page
    )
    names = await queries.product_names([row["id"] for row in rows])
    return [_listed(row, names=names.get(row["id"], [])) for row in rows], total


async def get_exhibitor(*, slug: str | None, organization_id: int) -> ListedOrganization:
    """One exhibitor with its products; NotFound unless it is listed there."""
    exhibition_id = await _exhibition_id(slug)
    row = await queries.find_listed(exhibition_id=exhibition_id, organization_id=organization_id)
    if row is None:
        raise NotFound(f"no exhibitor {organization_id}")
    listed = _listed(row, await products_of(organization_id))
    if slug is not None and exhibition_id is not None:
        from exhibitions.stands.services import published_stand  # the stands domain imports this one

        stand = await published_stand(exhibition_id, organization_id)
        if stand is not None:
            listed = replace(
                listed,
                stand=f"{stand['code']} · {stand['hall_name']}",
                stand_plan_url=f"/exhibitions/{slug}/halls/{stand['hall']}/plan?highlight={stand['code']}",
            )
    return listed


async def exhibitor_photo(*, organization_id: int, product_id: int, thumbnail: bool) -> PhotoFile:
    """A listed exhibitor's product photo; NotFound for anyone else's."""
    if await queries.find_listed(exhibition_id=None, organization_id=organization_id) is None:
        raise NotFound(f"no exhibitor {organization_id}")
    return await photo_file(organization_id=organization_id, product_id=product_id, thumbnail=thumbnail)


async def public_exhibitions() -> list[dict[str, Any]]:
    return await queries.public_exhibitions()
