"""Pages of the public directory (visitors find the exhibitors) and of a member's products
(the exhibitor portal links to them)."""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_ID, MAX_PAGE, current_actor
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput
from exhibitions.events import services as event_services
from exhibitions.events.regions import all_regions
from exhibitions.exhibitors import services
from exhibitions.exhibitors.labels import LEGAL_FORM_LABELS, SECTOR_LABELS
from exhibitions.exhibitors.product_schemas import ProductCreate, ProductUpdate
from exhibitions.exhibitors.uploads import PAGE_PHOTO_BODY_LIMIT, photo_response, read_photo
from exhibitions.web.context import page, translator_for
from exhibitions.web.forms import errors_by_field, parse_form
from exhibitions.web.i18n import N_, Translator

EXHIBITORS_PER_PAGE = 24
ObjectId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Text = Annotated[str | None, QueryParameter(max_length=100)]
Choice = Annotated[str | None, QueryParameter(max_length=20)]

PHOTO_MESSAGES = {
    "photo_too_large": N_("The photo is too large: at most 5 MB."),
    "photo_too_many_pixels": N_("The photo has too many pixels: at most 50 megapixels."),
    "photo_not_an_image": N_("Send a photo in JPEG, PNG or WebP format."),
    "photo_damaged": N_("The photo could not be read; it may be damaged."),
    "photo_empty": N_("The file is empty."),
    "too_many_products": N_("An organization shows at most 30 products."),
}


def _labels(translator: Translator) -> dict[str, Any]:
    return {
        "sector_labels": {key: translator.gettext(label) for key, label in SECTOR_LABELS.items()},
        "legal_form_labels": {key: translator.gettext(label) for key, label in LEGAL_FORM_LABELS.items()},
        "regions": all_regions(),
    }


def _messages(errors: list[FieldError], translator: Translator) -> dict[str, str]:
    messages = errors_by_field([error for error in errors if error.code not in PHOTO_MESSAGES], translator)
    for error in errors:
        if error.code in PHOTO_MESSAGES:
            messages.setdefault(error.field, translator.gettext(PHOTO_MESSAGES[error.code]))
    return messages


class DirectoryPagesController(Controller):
    """What visitors see; anyone may, without an account."""

    include_in_schema = False

    async def _list(
        self, request: Request[Any, Any, Any], slug: str | None, filters: services.DirectoryFilters, page_number: int
    ) -> Template:
        translator = translator_for(request)
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=None) if slug else None
        items, total = await services.list_exhibitors(
            slug=slug, filters=filters, language=translator.language, page=page_number, per_page=EXHIBITORS_PER_PAGE
        )
        chosen = {
            "q": filters.search, "region": filters.region, "sector": filters.sector,
            "legal_form": filters.legal_form, "product": filters.product,
        }  # fmt: skip
        query = urlencode({key: value for key, value in chosen.items() if value})
        pagination = {
            "page": page_number,
            "pages": max(1, math.ceil(total / EXHIBITORS_PER_PAGE)),
            "total": total,
            "query": f"{query}&" if query else "",
        }
        base = f"/exhibitions/{slug}/exhibitors" if slug else "/exhibitors"
        template = (
            "exhibitors/directory/results.html"
            if request.headers.get("hx-request")
            else "exhibitors/directory/list.html"
        )
        return page(
            request, template, exhibition=exhibition, exhibitors=items, filters=chosen, pagination=pagination,
            base=base, filtered=bool(query), **_labels(translator),
        )  # fmt: skip

    @get("/exhibitions/{slug:str}/exhibitors")
    async def exhibition_directory(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        q: Text = None,
        region: Choice = None,
        sector: Choice = None,
        legal_form: Choice = None,
        product: Text = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=MAX_PAGE)] = 1,
    ) -> Template:
        filters = services.DirectoryFilters(q, region or None, sector or None, legal_form or None, product)
        return await self._list(request, slug, filters, page_number)

    @get("/exhibitors")
    async def directory(
        self,
        request: Request[Any, Any, Any],
        q: Text = None,
        region: Choice = None,
        sector: Choice = None,
        legal_form: Choice = None,
        product: Text = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=MAX_PAGE)] = 1,
    ) -> Template:
        filters = services.DirectoryFilters(q, region or None, sector or None, legal_form or None, product)
        return await self._list(request, None, filters, page_number)

    async def _exhibitor(self, request: Request[Any, Any, Any], slug: str | None, organization_id: int) -> Template:
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=None) if slug else None
        exhibitor = await services.get_exhibitor(slug=slug, organization_id=organization_id)
        return page(
            request, "exhibitors/directory/exhibitor.html", exhibition=exhibition, exhibitor=exhibitor,
            base=f"/exhibitions/{slug}/exhibitors" if slug else "/exhibitors", **_labels(translator_for(request)),
        )  # fmt: skip

    @get("/exhibitions/{slug:str}/exhibitors/{organization_id:int}")
    async def exhibition_exhibitor(
        self, request: Request[Any, Any, Any], slug: FromPath[str], organization_id: ObjectId
    ) -> Template:
        return await self._exhibitor(request, slug, organization_id)

    @get("/exhibitors/{organization_id:int}")
    async def exhibitor(self, request: Request[Any, Any, Any], organization_id: ObjectId) -> Template:
        return await self._exhibitor(request, None, organization_id)


PRODUCTS_PATH = "/portal/organizations/{organization_id:int}/products"


class ProductPagesController(Controller):
    """A member's products: list, add (with a photo), change, remove. The anonymous are sent
    to log in; anyone but the organization's members and organizers gets a 404."""

    path = PRODUCTS_PATH
    include_in_schema = False

    async def _products_page(
        self,
        request: Request[Any, Any, Any],
        organization_id: int,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        editing: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        actor = current_actor(request)
        # Products first: their service sends the anonymous to log in, strangers to a 404.
        products = await services.list_products(organization_id=organization_id, actor=actor)
        organization = await services.get_organization(organization_id=organization_id, actor=actor)
        return page(
            request, "exhibitors/directory/products.html", status_code=status_code, organization=organization,
            products=products, values=values or {}, errors=errors or {}, editing=editing,
            max_products=services.MAX_PRODUCTS, base=f"/portal/organizations/{organization_id}/products",
        )  # fmt: skip

    @get("/")
    async def products(self, request: Request[Any, Any, Any], organization_id: ObjectId) -> Template:
        return await self._products_page(request, organization_id)

    async def _save(
        self, request: Request[Any, Any, Any], organization_id: int, product_id: int | None
    ) -> Template | Redirect:
        actor = current_actor(request)
        translator = translator_for(request)
        # Who may is checked before the photo is read.
        editing = None
        if product_id is None:
            await services.list_products(organization_id=organization_id, actor=actor)
        else:
            editing = await services.get_product(organization_id=organization_id, product_id=product_id, actor=actor)
        form = await request.form()
        errors: list[FieldError] = []
        photo = None
        if getattr(form.get("photo"), "filename", ""):  # a file input left empty sends no file name
            try:
                photo = await read_photo(request)
            except InvalidInput as exc:
                errors = list(exc.errors)
        values = {key: value for key, value in form.items() if key in ("name", "description")}
        parsed, form_errors = parse_form(ProductCreate, values)
        errors = form_errors + errors
        if parsed is not None and not errors:
            now = utcnow()
            try:
                if product_id is None:
                    await services.create_product(
                        organization_id=organization_id, data=parsed, actor=actor, now=now, photo_upload=photo
                    )
                else:
                    changes = ProductUpdate(name=parsed.name, description=parsed.description)
                    await services.update_product(
                        organization_id=organization_id, product_id=product_id, changes=changes, actor=actor, now=now,
                        photo_upload=photo,
                    )  # fmt: skip
                return Redirect(path=f"/portal/organizations/{organization_id}/products")
            except InvalidInput as exc:
                errors = exc.errors
            except Conflict as exc:
                errors = exc.errors or [FieldError("form", "conflict", exc.detail)]
        return await self._products_page(
            request, organization_id, values=values, errors=_messages(errors, translator), editing=editing,
            status_code=422,
        )  # fmt: skip

    @post("/", request_max_body_size=PAGE_PHOTO_BODY_LIMIT)
    async def add(self, request: Request[Any, Any, Any], organization_id: ObjectId) -> Template | Redirect:
        return await self._save(request, organization_id, None)

    @get("/{product_id:int}/edit")
    async def edit(self, request: Request[Any, Any, Any], organization_id: ObjectId, product_id: ObjectId) -> Template:
        product = await services.get_product(
            organization_id=organization_id, product_id=product_id, actor=current_actor(request)
        )
        values = {"name": product["name"], "description": product["description"]}
        return await self._products_page(request, organization_id, values=values, editing=product)

    @post("/{product_id:int}", request_max_body_size=PAGE_PHOTO_BODY_LIMIT)
    async def change(
        self, request: Request[Any, Any, Any], organization_id: ObjectId, product_id: ObjectId
    ) -> Template | Redirect:
        return await self._save(request, organization_id, product_id)

    @post("/{product_id:int}/delete")
    async def remove(
        self, request: Request[Any, Any, Any], organization_id: ObjectId, product_id: ObjectId
    ) -> Redirect:
        await services.delete_product(
            organization_id=organization_id, product_id=product_id, actor=current_actor(request)
        )
        return Redirect(path=f"/portal/organizations/{organization_id}/products")

    @get("/{product_id:int}/photo")
    async def photo(
        self,
        request: Request[Any, Any, Any],
        organization_id: ObjectId,
        product_id: ObjectId,
        size: Annotated[str, QueryParameter(pattern="^(full|thumbnail)$")] = "full",
    ) -> Response[bytes]:
        photo = await services.get_product_photo(
            organization_id=organization_id, product_id=product_id, thumbnail=size == "thumbnail",
            actor=current_actor(request),
        )  # fmt: skip
        return photo_response(request, photo, public=False)
