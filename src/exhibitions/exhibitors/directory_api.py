"""The public directory over the API: anyone may read it, no token needed. It says only
what a visitor may know: names, form, region, city, sector, products; never contacts,
identifiers or member counts, and nothing of organizations not approved."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, PathParameter, QueryParameter

from exhibitions.accounts.guards import MAX_ID, MAX_PAGE
from exhibitions.exhibitors import services
from exhibitions.exhibitors.product_schemas import DirectoryEntry, DirectoryExhibitor, DirectoryPage, DirectoryProduct
from exhibitions.exhibitors.services import DirectoryFilters, ListedOrganization
from exhibitions.exhibitors.tables import LegalForm, Sector
from exhibitions.exhibitors.uploads import photo_response

ObjectId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


def exhibitor_url(slug: str | None, organization_id: int) -> str:
    return f"/exhibitions/{slug}/exhibitors/{organization_id}" if slug else f"/exhibitors/{organization_id}"


def entry_out(item: ListedOrganization, slug: str | None) -> DirectoryEntry:
    return DirectoryEntry(
        id=item.id, name_ar=item.name_ar, name_latin=item.name_latin, legal_form=LegalForm(item.legal_form),
        region=item.region, city=item.city, sector=Sector(item.sector), is_women_led=item.is_women_led,
        url=exhibitor_url(slug, item.id), product_names=item.product_names,
    )  # fmt: skip


def exhibitor_out(item: ListedOrganization, slug: str | None) -> DirectoryExhibitor:
    products = [
        DirectoryProduct(
            id=product.id,
            name=product.name,
            description=product.description,
            photo_url=product.photo_url,
            thumbnail_url=product.thumbnail_url,
        )
        for product in item.products
    ]
    entry = entry_out(item, slug)
    return DirectoryExhibitor(
        **{name: getattr(entry, name) for name in DirectoryEntry.__struct_fields__},
        founded_year=item.founded_year,
        products=products,
        stand=item.stand,
    )


async def _page(
    slug: str | None, q: str | None, region: str | None, sector: Sector | None, legal_form: LegalForm | None,
    product: str | None, lang: str, page: int, per_page: int,
) -> DirectoryPage:  # fmt: skip
    filters = DirectoryFilters(
        search=q, region=region, sector=sector.value if sector else None,
        legal_form=legal_form.value if legal_form else None, product=product,
    )  # fmt: skip
    items, total = await services.list_exhibitors(
        slug=slug, filters=filters, language=lang, page=page, per_page=per_page
    )
    return DirectoryPage(items=[entry_out(item, slug) for item in items], total=total, page=page, per_page=per_page)


class DirectoryApiController(Controller):
    tags = ["directory"]

    @get(
        "/api/v1/exhibitions/{slug:str}/exhibitors",
        summary="The exhibitors of a public exhibition: search by name (Arabic or Latin, accents and case "
        "ignored), filter by region, sector, legal form and product; sorted by name",
    )
    async def list_for_exhibition(
        self,
        slug: FromPath[str],
        q: Annotated[str | None, QueryParameter(max_length=100, description="Name or city, any script")] = None,
        region: Annotated[str | None, QueryParameter(max_length=5)] = None,
        sector: Annotated[Sector | None, QueryParameter()] = None,
        legal_form: Annotated[LegalForm | None, QueryParameter()] = None,
        product: Annotated[str | None, QueryParameter(max_length=100, description="A product name")] = None,
        lang: Annotated[Literal["ar", "fr", "en"], QueryParameter(description="Sort by the Arabic name for ar")] = "fr",
        page: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> DirectoryPage:
        return await _page(slug, q, region, sector, legal_form, product, lang, page, per_page)

    @get("/api/v1/exhibitions/{slug:str}/exhibitors/{organization_id:int}", summary="One exhibitor, with its products")
    async def get_for_exhibition(self, slug: FromPath[str], organization_id: ObjectId) -> DirectoryExhibitor:
        return exhibitor_out(await services.get_exhibitor(slug=slug, organization_id=organization_id), slug)

    @get("/api/v1/exhibitors", summary="The exhibitors of every public exhibition (same search as per exhibition)")
    async def list_all(
        self,
        q: Annotated[str | None, QueryParameter(max_length=100, description="Name or city, any script")] = None,
        region: Annotated[str | None, QueryParameter(max_length=5)] = None,
        sector: Annotated[Sector | None, QueryParameter()] = None,
        legal_form: Annotated[LegalForm | None, QueryParameter()] = None,
        product: Annotated[str | None, QueryParameter(max_length=100, description="A product name")] = None,
        lang: Annotated[Literal["ar", "fr", "en"], QueryParameter(description="Sort by the Arabic name for ar")] = "fr",
        page: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> DirectoryPage:
        return await _page(None, q, region, sector, legal_form, product, lang, page, per_page)

    @get("/api/v1/exhibitors/{organization_id:int}", summary="One exhibitor of a public exhibition")
    async def get_any(self, organization_id: ObjectId) -> DirectoryExhibitor:
        return exhibitor_out(await services.get_exhibitor(slug=None, organization_id=organization_id), None)

    @get(
        "/api/v1/exhibitors/{organization_id:int}/products/{product_id:int}/photo",
        summary="A listed exhibitor's product photo (JPEG); cache it for good when `v` is its version",
    )
    async def photo(
        self,
        request: Request[Any, Any, Any],
        organization_id: ObjectId,
        product_id: ObjectId,
        size: Annotated[str, QueryParameter(pattern="^(full|thumbnail)$")] = "full",
    ) -> Response[bytes]:
        photo = await services.exhibitor_photo(
            organization_id=organization_id, product_id=product_id, thumbnail=size == "thumbnail"
        )
        return photo_response(request, photo, public=True)
