"""The public directory's API: only approved exhibitors, only what visitors may know,
searched with accents, case and hamza folded, filtered and paginated."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionUpdate
from exhibitions.events.tables import ExhibitionStatus
from tests.conftest import NOW
from tests.exhibitors.directory_data import at_stage, jpeg_with_gps
from tests.exhibitors.test_api import _exhibitor
from tests.factories import exhibition_create

DIRECTORY = "/api/v1/exhibitions/sess-2027/exhibitors"
ENTRY_KEYS = {
    "id", "name_ar", "name_latin", "legal_form", "region", "city", "sector", "is_women_led", "url", "product_names",
}  # fmt: skip
PRIVATE_VALUES = ("@coop.ma", "0528841234", "+212", "/2015", "001561191000066")


@pytest.fixture
async def listed(client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int) -> dict[str, Any]:
    """Four approved exhibitors, and one organization at every other stage (one member for all)."""
    member = await _exhibitor("member@coop.ma")
    approved = {
        "argan": await at_stage(
            client,
            organizer,
            1,
            "approved",
            member,
            name_ar="تعاونية أركان الخير",
            name_latin="Coopérative Argan Al Khair",
            ice="001561191000066",
            members_total=40,
            members_women=35,
        ),
        "tifawine": await at_stage(
            client,
            organizer,
            2,
            "approved",
            member,
            name_ar="جمعية إيمي",
            name_latin="Association Tifawine",
            legal_form="association",
            region="MA-08",
            city="Ouarzazate",
            sector="handicrafts",
        ),
        "safran": await at_stage(
            client,
            organizer,
            3,
            "approved",
            member,
            name_latin="Mutuelle du Safran",
            legal_form="mutual",
            region="MA-08",
            city="Taliouine",
            sector="agriculture",
            declared_women_led=True,
        ),
        "ocean": await at_stage(
            client,
            organizer,
            4,
            "approved",
            member,
            name_ar="تعاونية المحيط للصيد",
            name_latin=None,
            sector="fishing",
            region="MA-01",
            city="Larache",
        ),
    }
    hidden = {
        stage: await at_stage(client, organizer, 10 + index, stage, member, name_latin=f"Hidden {stage} cooperative")
        for index, stage in enumerate(("none", "draft", "submitted", "waitlisted", "rejected", "withdrawn"))
    }
    argan_id, argan_headers = approved["argan"]
    for name in ("Huile d'argan cosmétique", "Amlou aux amandes"):
        product = await client.post(
            f"/api/v1/organizations/{argan_id}/products", json={"name": name, "description": "Pressée à froid"},
            headers=argan_headers,
        )  # fmt: skip
        assert product.status_code == 201
    tifawine_id, tifawine_headers = approved["tifawine"]
    await client.post(
        f"/api/v1/organizations/{tifawine_id}/products", json={"name": "زربية أمازيغية"}, headers=tifawine_headers
    )
    hidden_id, hidden_headers = hidden["submitted"]
    await client.post(
        f"/api/v1/organizations/{hidden_id}/products", json={"name": "Huile d'argan"}, headers=hidden_headers
    )
    return {
        "approved": {key: value[0] for key, value in approved.items()},
        "hidden": {k: v[0] for k, v in hidden.items()},
    }


async def _names(client: httpx.AsyncClient, url: str = DIRECTORY, **params: Any) -> list[str]:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    return [item["name_latin"] or item["name_ar"] for item in response.json()["items"]]


async def test_only_approved_exhibitors_are_listed_and_only_public_fields(
    client: httpx.AsyncClient, listed: dict[str, Any]
) -> None:
    response = await client.get(DIRECTORY)
    body = response.json()
    assert (body["total"], body["page"], body["per_page"]) == (4, 1, 20)
    assert [item["name_latin"] or item["name_ar"] for item in body["items"]] == [
        "Association Tifawine", "Coopérative Argan Al Khair", "Mutuelle du Safran", "تعاونية المحيط للصيد",
    ]  # fmt: skip
    assert all(set(item) == ENTRY_KEYS for item in body["items"])
    argan = body["items"][1]
    assert argan == {
        "id": listed["approved"]["argan"], "name_ar": "تعاونية أركان الخير", "name_latin": "Coopérative Argan Al Khair",
        "legal_form": "cooperative", "region": "MA-09", "city": "Taroudant", "sector": "argan", "is_women_led": True,
        "url": f"/exhibitions/sess-2027/exhibitors/{listed['approved']['argan']}",
        "product_names": ["Huile d'argan cosmétique", "Amlou aux amandes"],
    }  # fmt: skip
    assert [item["is_women_led"] for item in body["items"]] == [False, True, True, False]
    assert not any(value in response.text for value in PRIVATE_VALUES)
    assert "Hidden" not in response.text
    # Arabic visitors see Arabic names first.
    assert (await _names(client, lang="ar"))[0] == "Mutuelle du Safran"  # no Arabic name: its Latin one sorts


async def test_an_exhibitor_page_has_its_products_and_no_private_field(
    client: httpx.AsyncClient, listed: dict[str, Any]
) -> None:
    argan = listed["approved"]["argan"]
    response = await client.get(f"{DIRECTORY}/{argan}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ENTRY_KEYS | {"founded_year", "products", "stand"}
    assert body["stand"] is None
    assert [(p["name"], p["description"], p["photo_url"]) for p in body["products"]] == [
        ("Huile d'argan cosmétique", "Pressée à froid", None), ("Amlou aux amandes", "Pressée à froid", None),
    ]  # fmt: skip
    assert not any(value in response.text for value in PRIVATE_VALUES)
    assert (await client.get(f"/api/v1/exhibitors/{argan}")).json()["url"] == f"/exhibitors/{argan}"


async def test_organizations_not_approved_do_not_exist_here(client: httpx.AsyncClient, listed: dict[str, Any]) -> None:
    for stage, organization_id in listed["hidden"].items():
        assert (await client.get(f"{DIRECTORY}/{organization_id}")).status_code == 404, stage
        assert (await client.get(f"/api/v1/exhibitors/{organization_id}")).status_code == 404, stage
    assert await _names(client, product="argan") == ["Coopérative Argan Al Khair"]
    assert await _names(client, q="hidden") == []
    assert (await client.get("/api/v1/exhibitors", params={"q": "hidden"})).json()["total"] == 0


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "cooperative argan"}, ["Coopérative Argan Al Khair"]),
        ({"q": "COOPÉRATIVE"}, ["Coopérative Argan Al Khair"]),
        ({"q": "khair coop"}, ["Coopérative Argan Al Khair"]),
        ({"q": "اركان"}, ["Coopérative Argan Al Khair"]),  # without hamza finds أركان
        ({"q": "إيمي"}, ["Association Tifawine"]),  # with hamza finds it too
        ({"q": "ايمي"}, ["Association Tifawine"]),
        ({"q": "تعاونيّة"}, ["Coopérative Argan Al Khair", "تعاونية المحيط للصيد"]),  # shadda ignored
        ({"q": "taliouine"}, ["Mutuelle du Safran"]),  # the city too
        ({"q": "100%"}, []),
        ({"product": "HUILE D'ARGAN COSMETIQUE"}, ["Coopérative Argan Al Khair"]),
        ({"product": "امازيغية"}, ["Association Tifawine"]),
        ({"region": "MA-08"}, ["Association Tifawine", "Mutuelle du Safran"]),
        ({"region": "MA-08", "sector": "agriculture"}, ["Mutuelle du Safran"]),
        ({"legal_form": "association"}, ["Association Tifawine"]),
        ({"sector": "fishing"}, ["تعاونية المحيط للصيد"]),
        ({"q": "coop", "region": "MA-01"}, []),
    ],
)
async def test_search_and_filters(
    client: httpx.AsyncClient, listed: dict[str, Any], params: dict[str, str], expected: list[str]
) -> None:
    assert await _names(client, **params) == expected


async def test_pages(client: httpx.AsyncClient, listed: dict[str, Any]) -> None:
    first = (await client.get(DIRECTORY, params={"per_page": 3})).json()
    second = (await client.get(DIRECTORY, params={"per_page": 3, "page": 2})).json()
    assert [len(first["items"]), len(second["items"]), first["total"], second["total"]] == [3, 1, 4, 4]
    assert second["items"][0]["name_ar"] == "تعاونية المحيط للصيد"
    assert (await client.get(DIRECTORY, params={"page": 3, "per_page": 3})).json()["items"] == []


async def test_bad_filters_are_named(client: httpx.AsyncClient, listed: dict[str, Any]) -> None:
    for params, field in (
        ({"region": "MA-13"}, "region"), ({"sector": "mining"}, "sector"), ({"legal_form": "gang"}, "legal_form"),
        ({"page": "0"}, "page"), ({"q": "x" * 101}, "q"), ({"q": "a\x01b"}, "q"),
    ):  # fmt: skip
        response = await client.get(DIRECTORY, params=params)
        assert response.status_code in (400, 422), (params, response.text)
        assert field in {error["field"] for error in response.json()["errors"]}, (params, response.text)


async def test_a_draft_exhibition_has_no_directory(
    client: httpx.AsyncClient, listed: dict[str, Any], organizer: dict[str, Any]
) -> None:
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    await event_services.create_exhibition(data=exhibition_create(slug="sess-2028"), actor=actor, now=NOW)
    assert (await client.get("/api/v1/exhibitions/sess-2028/exhibitors")).status_code == 404
    assert (await client.get("/api/v1/exhibitions/no-such/exhibitors")).status_code == 404
    assert (await client.get("/api/v1/exhibitions/bad%00slug/exhibitors")).status_code == 404
    # Across exhibitions: the approved ones of the public exhibition.
    assert (await client.get("/api/v1/exhibitors")).json()["total"] == 4
    await event_services.update_exhibition(
        slug="sess-2027", changes=ExhibitionUpdate(status=ExhibitionStatus.closed), actor=actor, now=NOW
    )
    assert (await client.get(DIRECTORY)).json()["total"] == 4  # a past exhibition keeps its directory


async def test_photos_of_listed_exhibitors_are_public_and_cached(
    client: httpx.AsyncClient, listed: dict[str, Any], organizer: dict[str, Any]
) -> None:
    argan = listed["approved"]["argan"]
    products = (await client.get(f"/api/v1/organizations/{argan}/products", headers=organizer["headers"])).json()
    upload = await client.put(
        f"/api/v1/organizations/{argan}/products/{products[0]['id']}/photo",
        files={"photo": ("p.jpg", jpeg_with_gps(), "image/jpeg")}, headers=organizer["headers"],
    )  # fmt: skip
    assert upload.status_code == 200
    product = (await client.get(f"{DIRECTORY}/{argan}")).json()["products"][0]
    photo = await client.get(product["thumbnail_url"])
    assert (photo.status_code, photo.headers["content-type"]) == (200, "image/jpeg")
    assert photo.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert photo.headers["x-content-type-options"] == "nosniff"
    hidden = listed["hidden"]["submitted"]
    hidden_products = (
        await client.get(f"/api/v1/organizations/{hidden}/products", headers=organizer["headers"])
    ).json()
    await client.put(
        f"/api/v1/organizations/{hidden}/products/{hidden_products[0]['id']}/photo",
        files={"photo": ("p.jpg", jpeg_with_gps(), "image/jpeg")}, headers=organizer["headers"],
    )  # fmt: skip
    assert (
        await client.get(f"/api/v1/exhibitors/{hidden}/products/{hidden_products[0]['id']}/photo")
    ).status_code == 404
    # A listed exhibitor's id with another organization's product: nothing.
    assert (
        await client.get(f"/api/v1/exhibitors/{argan}/products/{hidden_products[0]['id']}/photo")
    ).status_code == 404


async def test_the_demo_shows_a_directory_at_the_national_exhibition(client: httpx.AsyncClient) -> None:
    from exhibitions.demo import load_demo

    result = await load_demo(now=NOW)
    await load_demo(now=NOW)  # twice changes nothing
    body = (await client.get(f"/api/v1/exhibitions/{result.slugs[0]}/exhibitors")).json()
    assert body["total"] == 7
    assert sum(item["is_women_led"] for item in body["items"]) == 4
    assert len({item["region"] for item in body["items"]}) == 6
    argan = next(item for item in body["items"] if item["sector"] == "argan")
    products = (await client.get(f"/api/v1/exhibitions/{result.slugs[0]}/exhibitors/{argan['id']}")).json()["products"]
    assert [product["name"] for product in products] == ["Huile d'argan cosmétique", "أملو باللوز"]
    assert (await client.get(products[0]["thumbnail_url"])).headers["content-type"] == "image/jpeg"
