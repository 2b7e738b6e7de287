"""/api/v1/organizations/{id}/products: members and organizers manage them; a stranger
finds nothing (404) on every route, and nobody without a token gets in (401)."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
import pytest
from PIL import Image

from exhibitions.exhibitors import photos
from exhibitions.exhibitors.services import MAX_PRODUCTS
from exhibitions.exhibitors.tables import Product, ProductPhoto
from tests.exhibitors.directory_data import HTML_TAIL, SVG, jpeg_with_gps, png_bomb, png_with_alpha, registered
from tests.exhibitors.test_api import _exhibitor


@pytest.fixture
async def member(client: httpx.AsyncClient) -> dict[str, Any]:
    organization_id, headers = await registered(client, 1, name_latin="Coopérative Tifawine")
    return {"headers": headers, "url": f"/api/v1/organizations/{organization_id}/products", "id": organization_id}


async def _add(client: httpx.AsyncClient, member: dict[str, Any], **fields: Any) -> dict[str, Any]:
    response = await client.post(member["url"], json={"name": "Huile d'argan", **fields}, headers=member["headers"])
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _photo_form(data: bytes, name: str = "photo.jpg", media_type: str = "image/jpeg") -> dict[str, Any]:
    return {"photo": (name, data, media_type)}


async def test_a_member_adds_changes_orders_and_removes_products(
    client: httpx.AsyncClient, member: dict[str, Any]
) -> None:
    oil = await _add(client, member, name="  Huile   d'argan  ", description="Pressée à froid.")
    amlou = await _add(client, member, name="أملو باللوز")
    assert (oil["name"], oil["description"], oil["position"], oil["photo_url"]) == (
        "Huile d'argan", "Pressée à froid.", 0, None,
    )  # fmt: skip
    assert amlou["position"] == 1
    assert (await Product.select(Product.search_text).where(Product.id == oil["id"]).first())["search_text"] == (
        "huile d'argan"
    )
    moved = await client.patch(f"{member['url']}/{amlou['id']}", json={"position": 0}, headers=member["headers"])
    assert moved.status_code == 200
    oil_last = await client.patch(f"{member['url']}/{oil['id']}", json={"position": 5}, headers=member["headers"])
    assert oil_last.json()["position"] == 5
    listed = await client.get(member["url"], headers=member["headers"])
    assert [item["name"] for item in listed.json()] == ["أملو باللوز", "Huile d'argan"]
    removed = await client.delete(f"{member['url']}/{oil['id']}", headers=member["headers"])
    assert removed.status_code == 204
    assert [row["name"] for row in await Product.select(Product.name)] == ["أملو باللوز"]
    again = await client.delete(f"{member['url']}/{oil['id']}", headers=member["headers"])
    assert again.status_code == 404


async def test_bad_fields_are_named(client: httpx.AsyncClient, member: dict[str, Any]) -> None:
    blank = await client.post(member["url"], json={"name": "   "}, headers=member["headers"])
    assert blank.status_code == 422
    assert [(e["field"], e["code"]) for e in blank.json()["errors"]] == [("name", "required")]
    long = await client.post(member["url"], json={"name": "Amlou", "description": "x" * 281}, headers=member["headers"])
    assert long.status_code == 422
    assert long.json()["errors"][0]["field"] == "description"
    control = await client.post(member["url"], json={"name": "Am\x00lou"}, headers=member["headers"])
    assert [(e["field"], e["code"]) for e in control.json()["errors"]] == [("name", "control_characters")]
    unknown = await client.post(member["url"], json={"name": "Amlou", "price": 3}, headers=member["headers"])
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "price"
    assert await Product.count() == 0


async def test_every_route_is_404_to_a_stranger_and_401_without_a_token(
    client: httpx.AsyncClient, member: dict[str, Any], organizer: dict[str, Any]
) -> None:
    product = await _add(client, member)
    photo_url = f"{member['url']}/{product['id']}/photo"
    assert (
        await client.put(photo_url, files=_photo_form(jpeg_with_gps()), headers=member["headers"])
    ).status_code == 200
    stranger = await _exhibitor("stranger@example.ma")
    one = f"{member['url']}/{product['id']}"
    routes: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", member["url"], {}),
        ("POST", member["url"], {"json": {"name": "Intrus"}}),
        ("GET", one, {}),
        ("PATCH", one, {"json": {"name": "Intrus"}}),
        ("DELETE", one, {}),
        ("PUT", photo_url, {"files": _photo_form(png_with_alpha())}),
        ("GET", photo_url, {}),
        ("DELETE", photo_url, {}),
    ]
    for method, url, extra in routes:
        assert (await client.request(method, url, headers=stranger, **extra)).status_code == 404, (method, url)
        assert (await client.request(method, url, **extra)).status_code == 401, (method, url)
    # A product id of another organization is 404 under this one, even to its members.
    other_id, other_headers = await registered(client, 2)
    assert (
        await client.get(f"/api/v1/organizations/{other_id}/products/{product['id']}", headers=other_headers)
    ).status_code == 404
    # Nothing changed; organizers manage every organization's products.
    assert [row["name"] for row in await Product.select(Product.name)] == ["Huile d'argan"]
    assert await ProductPhoto.count() == 1
    assert (await client.get(one, headers=organizer["headers"])).status_code == 200
    renamed = await client.patch(one, json={"name": "Huile d'argan bio"}, headers=organizer["headers"])
    assert renamed.json()["name"] == "Huile d'argan bio"


async def test_at_most_30_products_even_when_added_at_once(client: httpx.AsyncClient, member: dict[str, Any]) -> None:
    for number in range(MAX_PRODUCTS - 3):
        await _add(client, member, name=f"Produit {number}")
    answers = await asyncio.gather(
        *(client.post(member["url"], json={"name": f"Extra {n}"}, headers=member["headers"]) for n in range(6))
    )
    assert sorted(answer.status_code for answer in answers) == [201, 201, 201, 409, 409, 409]
    refused = next(answer for answer in answers if answer.status_code == 409)
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("products", "too_many_products")]
    assert await Product.count() == MAX_PRODUCTS


async def test_an_uploaded_photo_is_served_re_encoded_without_exif(
    client: httpx.AsyncClient, member: dict[str, Any]
) -> None:
    product = await _add(client, member)
    url = f"{member['url']}/{product['id']}/photo"
    uploaded = await client.put(url, files=_photo_form(jpeg_with_gps(), "IMG_0001.JPG"), headers=member["headers"])
    assert uploaded.status_code == 200, uploaded.text
    body = uploaded.json()
    assert body["photo_url"].startswith(f"{url}?v=")
    assert body["thumbnail_url"].endswith("&size=thumbnail")
    served = await client.get(body["photo_url"], headers=member["headers"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["cache-control"] == "private, max-age=31536000, immutable"
    image = Image.open(io.BytesIO(served.content))
    assert (image.format, image.size, dict(image.getexif())) == ("JPEG", (480, 640), {})
    thumbnail = await client.get(body["thumbnail_url"], headers=member["headers"])
    assert Image.open(io.BytesIO(thumbnail.content)).size == (240, 320)
    cached = await client.get(url, headers={**member["headers"], "If-None-Match": served.headers["etag"]})
    assert (cached.status_code, cached.content) == (304, b"")
    # A new photo has a new version, so a new URL.
    replaced = await client.put(
        url, files=_photo_form(png_with_alpha(), "x.png", "image/png"), headers=member["headers"]
    )
    assert replaced.json()["photo_url"] != body["photo_url"]
    assert await ProductPhoto.count() == 1
    removed = await client.delete(url, headers=member["headers"])
    assert removed.status_code == 204
    assert (await client.get(url, headers=member["headers"])).status_code == 404
    assert (await client.get(f"{member['url']}/{product['id']}", headers=member["headers"])).json()["photo_url"] is None


@pytest.mark.parametrize(
    ("upload", "status", "code"),
    [
        pytest.param(b"not an image at all, just text\n" * 20, 422, "photo_not_an_image", id="text-named-jpg"),
        pytest.param(SVG, 422, "photo_not_an_image", id="svg"),
        pytest.param(png_bomb(), 422, "photo_too_many_pixels", id="decompression-bomb"),
        pytest.param(b"\xff\xd8\xff" + b"\x00" * photos.MAX_PHOTO_BYTES, 413, "photo_too_large", id="just-over-5-MB"),
        pytest.param(b"\xff\xd8\xff" + b"\x00" * (7 * 1024 * 1024), 413, "photo_too_large", id="over-the-body-limit"),
    ],
)
async def test_what_is_not_a_photo_is_refused_naming_the_field(
    client: httpx.AsyncClient, member: dict[str, Any], upload: bytes, status: int, code: str
) -> None:
    product = await _add(client, member)
    url = f"{member['url']}/{product['id']}/photo"
    response = await client.put(url, files=_photo_form(upload, "photo.jpg", "image/jpeg"), headers=member["headers"])
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("photo", code)]
    assert await ProductPhoto.count() == 0
    missing = await client.put(
        url, files={"picture": ("a.jpg", jpeg_with_gps(), "image/jpeg")}, headers=member["headers"]
    )
    assert [(e["field"], e["code"]) for e in missing.json()["errors"]] == [("photo", "required")]


async def test_a_polyglot_upload_is_served_as_a_clean_jpeg(client: httpx.AsyncClient, member: dict[str, Any]) -> None:
    product = await _add(client, member)
    url = f"{member['url']}/{product['id']}/photo"
    uploaded = await client.put(
        url, files=_photo_form(jpeg_with_gps() + HTML_TAIL, "page.html", "text/html"), headers=member["headers"]
    )
    assert uploaded.status_code == 200
    served = await client.get(url, headers=member["headers"])
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"] == "private, no-cache"  # no version in the URL
    assert b"<script" not in served.content
    assert served.content.endswith(b"\xff\xd9")
