"""The directory's pages in Arabic (right to left), French and English, its live search,
and a member's product page with a photo upload."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pytest
from PIL import Image

from exhibitions.exhibitors.tables import Product, ProductPhoto
from tests.exhibitors.directory_data import at_stage, jpeg_with_gps, registered
from tests.exhibitors.test_api import _exhibitor
from tests.factories import csrf_token

PAGE = "/exhibitions/sess-2027/exhibitors"


@pytest.fixture
async def listed(client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int) -> dict[str, int]:
    member = await _exhibitor("member@coop.ma")
    argan, _ = await at_stage(
        client, organizer, 1, "approved", member, name_ar="تعاونية أركان الخير",
        name_latin="Coopérative Argan Al Khair", members_total=40, members_women=35,
    )  # fmt: skip
    await client.post(
        f"/api/v1/organizations/{argan}/products",
        json={"name": "Amlou", "description": "Amandes et argan"},
        headers=member,
    )
    safran, _ = await at_stage(
        client, organizer, 2, "approved", member, name_latin="Mutuelle du Safran", legal_form="mutual",
        region="MA-08", city="Taliouine", sector="agriculture",
    )  # fmt: skip
    rejected, _ = await at_stage(client, organizer, 3, "rejected", member, name_latin="Rejected Weavers")
    draft, _ = await at_stage(client, organizer, 4, "draft", member, name_latin="Draft Potters")
    return {"argan": argan, "safran": safran, "rejected": rejected, "draft": draft}


@pytest.mark.parametrize(
    ("lang", "direction", "labels"),
    [
        ("ar", "rtl", ["العارضون", "تعاونية", "أركان", "سوس - ماسة", "تقودها نساء"]),
        ("fr", "ltr", ["Exposants", "Coopérative", "Argan", "Souss-Massa", "Dirigée par des femmes"]),
        ("en", "ltr", ["Exhibitors", "Cooperative", "Argan", "Souss-Massa", "Women-led"]),
    ],
)
async def test_the_list_in_three_languages(
    client: httpx.AsyncClient, listed: dict[str, int], lang: str, direction: str, labels: list[str]
) -> None:
    response = await client.get(PAGE, params={"lang": lang})
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}" dir="{direction}">' in html
    for label in labels:
        assert label in html, label
    assert "Coopérative Argan Al Khair" in html
    assert "Mutuelle du Safran" in html
    assert "Rejected Weavers" not in html
    assert "Draft Potters" not in html
    assert "@coop.ma" not in html
    assert "0528841234" not in html
    assert "/2015" not in html


async def test_live_search_answers_the_results_alone_and_keeps_filters_across_pages(
    client: httpx.AsyncClient, listed: dict[str, int]
) -> None:
    partial = await client.get(PAGE, params={"q": "COOPERATIVE", "lang": "en"}, headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<section id="exhibitor-results"')
    assert "Coopérative Argan Al Khair" in partial.text
    assert "Mutuelle du Safran" not in partial.text
    by_product = await client.get(PAGE, params={"product": "amlou", "lang": "en"})
    assert "Coopérative Argan Al Khair" in by_product.text
    assert "Mutuelle du Safran" not in by_product.text
    filtered = await client.get(PAGE, params={"region": "MA-08", "sector": "agriculture", "lang": "fr"})
    assert "Mutuelle du Safran" in filtered.text
    assert "Coopérative Argan" not in filtered.text
    assert re.search(r'<option value="MA-08" selected>', filtered.text)
    nothing = await client.get(PAGE, params={"q": "zzz", "lang": "en"})
    assert "No exhibitor matches your search." in nothing.text
    # Without JavaScript the form is a plain GET; pages keep the filters.
    from exhibitions.exhibitors import directory_pages

    directory_pages.EXHIBITORS_PER_PAGE, saved = 1, directory_pages.EXHIBITORS_PER_PAGE
    try:
        paged = await client.get(PAGE, params={"q": "a", "sector": "argan", "lang": "en"})
        assert "Page 1 of 1" not in paged.text
        everyone = await client.get(PAGE, params={"q": "a", "lang": "en"})
        assert 'href="?q=a&amp;page=2"' in everyone.text
        assert "Page 1 of 2" in everyone.text
    finally:
        directory_pages.EXHIBITORS_PER_PAGE = saved


async def test_an_exhibitor_page(client: httpx.AsyncClient, listed: dict[str, int]) -> None:
    response = await client.get(f"{PAGE}/{listed['argan']}", params={"lang": "ar"})
    assert response.status_code == 200
    html = response.text
    assert 'dir="rtl"' in html
    assert '<bdi dir="rtl" lang="ar">تعاونية أركان الخير</bdi>' in html
    for text in ("Amlou", "Amandes et argan", "سوس - ماسة", "تعاونية", "تقودها نساء", "سيُعلن عن مكان الرواق لاحقا"):
        assert text in html, text
    assert "@coop.ma" not in html
    assert "0528841234" not in html
    assert "/2015" not in html
    assert ">40<" not in html
    english = await client.get(f"{PAGE}/{listed['argan']}", params={"lang": "en"})
    assert "Stand location to be announced" in english.text
    for hidden in ("rejected", "draft"):
        assert (await client.get(f"{PAGE}/{listed[hidden]}")).status_code == 404
        assert (await client.get(f"/exhibitors/{listed[hidden]}")).status_code == 404
    everywhere = await client.get("/exhibitors", params={"lang": "fr"})
    assert f'href="/exhibitors/{listed["argan"]}"' in everywhere.text


async def _log_in(client: httpx.AsyncClient, email: str) -> None:
    form = await client.get("/login")
    response = await client.post(
        "/login",
        data={"email": email, "password": "exhibitor-password-1", "next": "/", "_csrf_token": csrf_token(form.text)},
    )
    assert response.status_code == 302, response.text


async def test_a_member_manages_products_with_a_photo_on_the_portal_page(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    organization_id, _ = await registered(client, 1)
    url = f"/portal/organizations/{organization_id}/products"
    anonymous = await client.get(url)
    assert (anonymous.status_code, anonymous.headers["location"]) == (302, f"/login?next={url}")
    await _log_in(client, "member1@coop.ma")
    form = await client.get(url, params={"lang": "fr"})
    assert form.status_code == 200
    assert "Ajouter un produit" in form.text
    token = csrf_token(form.text)
    bad = await client.post(
        f"{url}/", data={"name": "Amlou", "_csrf_token": token}, files={"photo": ("x.jpg", b"<svg/>", "image/jpeg")}
    )
    assert bad.status_code == 422
    assert "Envoyez une photo au format JPEG, PNG ou WebP." in bad.text
    heavy = await client.post(
        f"{url}/", data={"name": "Amlou", "_csrf_token": token},
        files={"photo": ("big.jpg", b"\xff\xd8" + b"\x00" * (6 * 1024 * 1024), "image/jpeg")},
    )  # fmt: skip
    assert heavy.status_code == 422
    assert "La photo est trop lourde : 5 Mo au plus." in heavy.text
    assert 'value="Amlou"' in heavy.text  # what was typed is kept
    assert await Product.count() == 0
    added = await client.post(
        f"{url}/", data={"name": "Amlou", "description": "Amandes", "_csrf_token": token},
        files={"photo": ("IMG.JPG", jpeg_with_gps(), "image/jpeg")},
    )  # fmt: skip
    assert (added.status_code, added.headers["location"]) == (302, url)
    product = await Product.select().first()
    assert (product["name"], product["description"]) == ("Amlou", "Amandes")
    listing = await client.get(url)
    thumbnail = re.search(r'<img src="([^"]+)"', listing.text)
    assert thumbnail
    photo = await client.get(thumbnail[1].replace("&amp;", "&"))
    assert Image.open(io.BytesIO(photo.content)).size == (240, 320)
    edit = await client.get(f"{url}/{product['id']}/edit")
    assert 'value="Amlou"' in edit.text
    changed = await client.post(
        f"{url}/{product['id']}",
        data={"name": "Amlou beldi", "description": "", "_csrf_token": token},
        files={"photo": ("", b"", "application/octet-stream")},
    )
    assert changed.status_code == 302, changed.text
    assert (await Product.select(Product.name).first())["name"] == "Amlou beldi"
    assert await ProductPhoto.count() == 1  # no new file: the photo stays
    removed = await client.post(f"{url}/{product['id']}/delete", data={"_csrf_token": token})
    assert removed.status_code == 302
    assert await Product.count() == 0
    # Another member finds nothing there.
    client.cookies.clear()
    await _exhibitor("stranger@example.ma")
    await _log_in(client, "stranger@example.ma")
    assert (await client.get(url)).status_code == 404


async def test_every_products_page_is_404_to_a_stranger_and_asks_the_anonymous_to_log_in(
    client: httpx.AsyncClient,
) -> None:
    organization_id, member = await registered(client, 1)
    product = (
        await client.post(f"/api/v1/organizations/{organization_id}/products", json={"name": "Amlou"}, headers=member)
    ).json()
    await client.put(
        f"/api/v1/organizations/{organization_id}/products/{product['id']}/photo",
        files={"photo": ("p.jpg", jpeg_with_gps(), "image/jpeg")}, headers=member,
    )  # fmt: skip
    url = f"/portal/organizations/{organization_id}/products"
    token = csrf_token((await client.get("/login")).text)
    form = {"name": "Intrus", "_csrf_token": token}
    routes: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", f"{url}/", {}),
        ("POST", f"{url}/", {"data": form, "files": {"photo": ("p.jpg", jpeg_with_gps(), "image/jpeg")}}),
        ("GET", f"{url}/{product['id']}/edit", {}),
        ("POST", f"{url}/{product['id']}", {"data": form}),
        ("POST", f"{url}/{product['id']}/delete", {"data": {"_csrf_token": token}}),
        ("GET", f"{url}/{product['id']}/photo", {}),
    ]
    for method, route, extra in routes:
        anonymous = await client.request(method, route, **extra)
        assert (anonymous.status_code, anonymous.headers["location"].split("?")[0]) == (302, "/login"), route
    await _exhibitor("stranger@example.ma")
    await _log_in(client, "stranger@example.ma")
    for method, route, extra in routes:
        assert (await client.request(method, route, **extra)).status_code == 404, (method, route)
    assert [row["name"] for row in await Product.select(Product.name)] == ["Amlou"]
    assert await ProductPhoto.count() == 1


async def test_the_31st_product_is_refused_on_the_page_in_the_members_language(client: httpx.AsyncClient) -> None:
    organization_id, member = await registered(client, 1)
    for number in range(30):
        created = await client.post(
            f"/api/v1/organizations/{organization_id}/products", json={"name": f"Produit {number}"}, headers=member
        )
        assert created.status_code == 201
    await _log_in(client, "member1@coop.ma")
    url = f"/portal/organizations/{organization_id}/products"
    token = csrf_token((await client.get(url, params={"lang": "ar"})).text)
    refused = await client.post(f"{url}/", data={"name": "Amlou", "_csrf_token": token})
    assert refused.status_code == 422
    assert 'dir="rtl"' in refused.text
    assert "تعرض الهيئة 30 منتجا على الأكثر." in refused.text
    assert await Product.count() == 30
