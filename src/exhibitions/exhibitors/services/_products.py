"""Products and their photos: members of the organization and organizers add, change and
remove them; to anyone else the organization does not exist (404), as for its other data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio.to_thread
import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotAuthenticated, NotFound
from exhibitions.exhibitors import photos
from exhibitions.exhibitors.product_schemas import ProductCreate, ProductUpdate
from exhibitions.exhibitors.services._organizations import get_organization
from exhibitions.exhibitors.tables import Organization, Product, ProductPhoto
from exhibitions.search import fold
from exhibitions.text import control_character_errors

# Enough for a cooperative's range; keeps a directory page light.
MAX_PRODUCTS = 30
PRODUCT_COLUMNS = (
    Product.id, Product.organization, Product.name, Product.description, Product.position,
    Product.photo_version, Product.created_at, Product.updated_at,
)  # fmt: skip


class ProductLimitReached(Conflict):
    problem = "product-limit"
    title = "This organization has as many products as it may"


@dataclass(frozen=True)
class PhotoFile:
    """Bytes to serve, with what the response headers need."""

    content: bytes
    media_type: str
    version: str


async def _editable(organization_id: int, actor: Actor | None) -> None:
    """The organization, if the actor may change it; NotFound otherwise (even that it exists
    is private), NotAuthenticated for nobody."""
    if actor is None:
        raise NotAuthenticated("log in first")
    await get_organization(organization_id=organization_id, actor=actor)


def _cleaned(values: dict[str, Any]) -> dict[str, Any]:
    """The fields to store, stripped, or InvalidInput naming each bad one."""
    clean = dict(values)
    for name in ("name", "description"):
        if isinstance(clean.get(name), str):
            clean[name] = " ".join(clean[name].split()) if name == "name" else clean[name].strip()
    errors = control_character_errors({name: clean.get(name) for name in ("name", "description")})
    if "name" in clean and not clean["name"]:
        errors.insert(0, FieldError("name", "required", "is required"))
    if errors:
        raise InvalidInput(errors)
    if "name" in clean:
        clean["search_text"] = fold(clean["name"])
    return clean


async def list_products(*, organization_id: int, actor: Actor | None) -> list[dict[str, Any]]:
    await _editable(organization_id, actor)
    return await products_of(organization_id)


async def products_of(organization_id: int) -> list[dict[str, Any]]:
    """An organization's products in their order, without the photos' bytes."""
    return await (  # type: ignore[no-any-return]
        Product.select(*PRODUCT_COLUMNS)
        .where(Product.organization == organization_id)
        .order_by(Product.position)
        .order_by(Product.id)
    )


async def _product(organization_id: int, product_id: int) -> dict[str, Any]:
    row = await (
        Product.select(*PRODUCT_COLUMNS)
        .where((Product.id == product_id) & (Product.organization == organization_id))
        .first()
    )
    if row is None:
        raise NotFound(f"no product {product_id}")
    return row  # type: ignore[no-any-return]


async def get_product(*, organization_id: int, product_id: int, actor: Actor | None) -> dict[str, Any]:
    await _editable(organization_id, actor)
    return await _product(organization_id, product_id)


async def _reencoded(upload: bytes | None) -> photos.Photo | None:
    # Decoding a large photo takes a few hundred milliseconds: off the event loop.
    return None if upload is None else await anyio.to_thread.run_sync(photos.reencode, upload)


async def _store_photo(product_id: int, photo: photos.Photo, now: datetime) -> None:
    """In the caller's transaction: the product's one photo becomes this one."""
    await ProductPhoto.delete().where(ProductPhoto.product == product_id)
    await ProductPhoto.insert(
        ProductPhoto(
            product=product_id,
            version=photo.version,
            media_type=photo.media_type,
            width=photo.width,
            height=photo.height,
            image=photo.image,
            thumbnail=photo.thumbnail,
            created_at=now,
        )
    )


async def create_product(
    *, organization_id: int, data: ProductCreate, actor: Actor | None, now: datetime, photo_upload: bytes | None = None
) -> dict[str, Any]:
    """A new product, with its photo when ``photo_upload`` is given: both or neither."""
    await _editable(organization_id, actor)
    row = _cleaned(msgspec.structs.asdict(data))
    photo = await _reencoded(photo_upload)
    if photo is not None:
        row["photo_version"] = photo.version
    async with write_transaction(Product._meta.db):
        if Product._meta.db.engine_type == "postgres":
            # Two additions at once count one after the other (SQLite's IMMEDIATE
            # transaction already holds the whole database).
            await Organization.raw('SELECT "id" FROM "organization" WHERE "id" = {} FOR UPDATE', organization_id)
        existing = await Product.select(Product.position).where(Product.organization == organization_id)
        if len(existing) >= MAX_PRODUCTS:
            raise ProductLimitReached(
                f"an organization shows at most {MAX_PRODUCTS} products",
                errors=[FieldError("products", "too_many_products", f"at most {MAX_PRODUCTS} products")],
            )
        if row["position"] is None:
            row["position"] = max((item["position"] for item in existing), default=-1) + 1
        created = await Product.insert(
            Product(**row, organization=organization_id, created_at=now, updated_at=now)
        ).returning(*PRODUCT_COLUMNS)
        if photo is not None:
            await _store_photo(created[0]["id"], photo, now)
    return created[0]  # type: ignore[no-any-return]


async def update_product(
    *,
    organization_id: int,
    product_id: int,
    changes: ProductUpdate,
    actor: Actor | None,
    now: datetime,
    photo_upload: bytes | None = None,
) -> dict[str, Any]:
    """Change the fields sent, and the photo when ``photo_upload`` is given: all or nothing."""
    await _editable(organization_id, actor)
    sent = {key: value for key, value in msgspec.structs.asdict(changes).items() if value is not msgspec.UNSET}
    values: dict[Any, Any] = {**_cleaned(sent), "updated_at": now}
    photo = await _reencoded(photo_upload)
    if photo is not None:
        values["photo_version"] = photo.version
    async with write_transaction(Product._meta.db):
        updated = await (
            Product.update(values)
            .where((Product.id == product_id) & (Product.organization == organization_id))
            .returning(*PRODUCT_COLUMNS)
        )
        if not updated:
            raise NotFound(f"no product {product_id}")
        if photo is not None:
            await _store_photo(product_id, photo, now)
    return updated[0]  # type: ignore[no-any-return]


async def delete_product(*, organization_id: int, product_id: int, actor: Actor | None) -> None:
    await _editable(organization_id, actor)
    deleted = await (
        Product.delete()
        .where((Product.id == product_id) & (Product.organization == organization_id))
        .returning(Product.id)
    )
    if not deleted:
        raise NotFound(f"no product {product_id}")


async def set_product_photo(
    *, organization_id: int, product_id: int, upload: bytes, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    """Replace the product's photo with the re-encoded upload (never the upload itself)."""
    await _editable(organization_id, actor)
    await _product(organization_id, product_id)
    return await update_product(
        organization_id=organization_id, product_id=product_id, changes=ProductUpdate(), actor=actor, now=now,
        photo_upload=upload,
    )  # fmt: skip


async def delete_product_photo(
    *, organization_id: int, product_id: int, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    await _editable(organization_id, actor)
    async with write_transaction(Product._meta.db):
        updated = await (
            Product.update({Product.photo_version: None, Product.updated_at: now})
            .where((Product.id == product_id) & (Product.organization == organization_id))
            .returning(*PRODUCT_COLUMNS)
        )
        if not updated:
            raise NotFound(f"no product {product_id}")
        await ProductPhoto.delete().where(ProductPhoto.product == product_id)
    return updated[0]  # type: ignore[no-any-return]


async def photo_file(*, organization_id: int, product_id: int, thumbnail: bool) -> PhotoFile:
    """The stored photo of a product of this organization (callers check who may see it)."""
    column = ProductPhoto.thumbnail if thumbnail else ProductPhoto.image
    row = await (
        ProductPhoto.select(column.as_alias("content"), ProductPhoto.media_type, ProductPhoto.version)
        .where(
            (ProductPhoto.product == product_id)
            & ProductPhoto.product.is_in(Product.select(Product.id).where(Product.organization == organization_id))
        )
        .first()
    )
    if row is None:
        raise NotFound(f"product {product_id} has no photo")
    return PhotoFile(content=bytes(row["content"]), media_type=row["media_type"], version=row["version"])


async def get_product_photo(
    *, organization_id: int, product_id: int, thumbnail: bool, actor: Actor | None
) -> PhotoFile:
    await _editable(organization_id, actor)
    return await photo_file(organization_id=organization_id, product_id=product_id, thumbnail=thumbnail)
