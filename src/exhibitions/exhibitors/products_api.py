"""An organization's products over the API: its members and organizers manage them."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.exhibitors import services
from exhibitions.exhibitors.product_schemas import ProductCreate, ProductOut, ProductUpdate
from exhibitions.exhibitors.uploads import PHOTO_BODY_LIMIT, photo_response, read_photo

ObjectId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
PhotoSize = Annotated[str, QueryParameter(pattern="^(full|thumbnail)$", description="full (1600 px) or thumbnail")]


def product_out(row: dict[str, Any]) -> ProductOut:
    base = f"/api/v1/organizations/{row['organization']}/products/{row['id']}/photo?v={row['photo_version']}"
    has_photo = row["photo_version"] is not None
    return ProductOut(
        id=row["id"],
        organization=row["organization"],
        name=row["name"],
        description=row["description"],
        position=row["position"],
        photo_url=base if has_photo else None,
        thumbnail_url=f"{base}&size=thumbnail" if has_photo else None,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class ProductApiController(Controller):
    path = "/api/v1/organizations/{organization_id:int}/products"
    tags = ["products"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @get("/", summary="The organization's products, in order (its members and organizers only)")
    async def list_products(self, request: Request[Any, Any, Any], organization_id: ObjectId) -> list[ProductOut]:
        rows = await services.list_products(organization_id=organization_id, actor=current_actor(request))
        return [product_out(row) for row in rows]

    @post("/", summary=f"Add a product (at most {services.MAX_PRODUCTS} per organization)")
    async def create(
        self, request: Request[Any, Any, Any], organization_id: ObjectId, data: JSONBody[ProductCreate]
    ) -> Response[ProductOut]:
        row = await services.create_product(
            organization_id=organization_id, data=data, actor=current_actor(request), now=utcnow()
        )
        return Response(product_out(row), status_code=201)

    @get("/{product_id:int}", summary="One product")
    async def get_product(
        self, request: Request[Any, Any, Any], organization_id: ObjectId, product_id: ObjectId
    ) -> ProductOut:
        row = await services.get_product(
            organization_id=organization_id, product_id=product_id, actor=current_actor(request)
        )
        return product_out(row)

    @patch("/{product_id:int}", summary="Change a product; only the fields sent change")
    async def update(
        self,
        request: Request[Any, Any, Any],
        organization_id: ObjectId,
        product_id: ObjectId,
        data: JSONBody[ProductUpdate],
    ) -> ProductOut:
        row = await services.update_product(
            organization_id=organization_id, product_id=product_id, changes=data, actor=current_actor(request),
            now=utcnow(),
        )  # fmt: skip
        return product_out(row)

    @delete("/{product_id:int}", summary="Remove a product and its photo")
    async def remove(self, request: Request[Any, Any, Any], organization_id: ObjectId, product_id: ObjectId) -> None:
        await services.delete_product(
            organization_id=organization_id, product_id=product_id, actor=current_actor(request)
        )

    @put(
        "/{product_id:int}/photo",
        summary="Upload the product's photo: multipart field `photo`, JPEG, PNG or WebP, at most 5 MB. "
        "It is checked and re-encoded as JPEG (at most 1600 px, a 320 px thumbnail, no metadata).",
        request_max_body_size=PHOTO_BODY_LIMIT,
    )
    async def upload_photo(
        self, request: Request[Any, Any, Any], organization_id: ObjectId, product_id: ObjectId
    ) -> ProductOut:
        actor = current_actor(request)
        # Who may is checked before the body is read: a stranger's upload is not even parsed.
        await services.get_product(organization_id=organization_id, product_id=product_id, actor=actor)
        row = await services.set_product_photo(
            organization_id=organization_id, product_id=product_id, upload=await read_photo(request), actor=actor,
            now=utcnow(),
        )  # fmt: skip
        return product_out(row)

    @delete("/{product_id:int}/photo", summary="Remove the product's photo")
    async def remove_photo(
        self, request: Request[Any, Any, Any], organization_id: ObjectId, product_id: ObjectId
    ) -> None:
        await services.delete_product_photo(
            organization_id=organization_id, product_id=product_id, actor=current_actor(request), now=utcnow()
        )

    @get("/{product_id:int}/photo", summary="The product's photo (JPEG), or its thumbnail")
    async def photo(
        self,
        request: Request[Any, Any, Any],
        organization_id: ObjectId,
        product_id: ObjectId,
        size: PhotoSize = "full",
    ) -> Response[bytes]:
        photo = await services.get_product_photo(
            organization_id=organization_id, product_id=product_id, thumbnail=size == "thumbnail",
            actor=current_actor(request),
        )  # fmt: skip
        return photo_response(request, photo, public=False)
