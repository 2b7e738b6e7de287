"""The exhibitions API, including every kind of bad input on every write route."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from exhibitions.accounts import services as account_services
from exhibitions.accounts.tables import TokenKind
from exhibitions.events.tables import Exhibition, OpeningException, Venue
from tests.conftest import NOW
from tests.factories import exhibition_payload

PROBLEM = "application/problem+json"


async def _create(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> httpx.Response:
    return await client.post("/api/v1/exhibitions", json=exhibition_payload(**overrides), headers=headers)


async def _publish(client: httpx.AsyncClient, headers: dict[str, str], slug: str) -> None:
    response = await client.patch(f"/api/v1/exhibitions/{slug}", json={"status": "published"}, headers=headers)
    assert response.status_code == 200, response.text


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def test_create_returns_the_exhibition_with_its_days_and_halls(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    response = await _create(
        client,
        organizer["headers"],
        starts_on="2027-05-07",
        ends_on="2027-05-09",
        opening_exceptions=[
            {"day": "2027-05-07", "opens_at": "14:30:00", "closes_at": "20:00:00", "note": "Friday prayer"}
        ],
        halls=[{"name": "Hall A", "area_m2": 6000}, {"name": "Hall B"}],
    )
    assert response.status_code == 201
    assert response.headers["location"] == "/api/v1/exhibitions/sess-2027"
    body = response.json()
    hall_ids = [hall["id"] for hall in body["venue"]["halls"]]
    assert body == {
        "slug": "sess-2027",
        "kind": "national",
        "region": None,
        "title": {
            "ar": "المعرض الوطني للاقتصاد الاجتماعي والتضامني",
            "fr": "Salon national de l'économie sociale et solidaire",
            "en": "National Exhibition of the Social and Solidarity Economy",
        },
        "venue": {
            "name": "Parc des expositions OLM Souissi",
            "city": "Rabat",
            "address": "",
            "halls": [
                {"id": hall_ids[0], "name": "Hall A", "area_m2": 6000},
                {"id": hall_ids[1], "name": "Hall B", "area_m2": None},
            ],
        },
        "starts_on": "2027-05-07",
        "ends_on": "2027-05-09",
        "time_zone": "Africa/Casablanca",
        "opens_at": "10:00:00",
        "closes_at": "20:00:00",
        "status": "draft",
        "days": [
            {
                "day": "2027-05-07",
                "opens_at": "14:30:00",
                "closes_at": "20:00:00",
                "closed": False,
                "note": "Friday prayer",
            },
            {"day": "2027-05-08", "opens_at": "10:00:00", "closes_at": "20:00:00", "closed": False, "note": ""},
            {"day": "2027-05-09", "opens_at": "10:00:00", "closes_at": "20:00:00", "closed": False, "note": ""},
        ],
        "url": "http://testserver/exhibitions/sess-2027",
        "setup_on": None,
        "applications_close_on": None,
    }


async def test_regional_market_carries_its_region(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    response = await _create(
        client, organizer["headers"], slug="oriental-2027", kind="regional", region="MA-02", city="Oujda"
    )
    assert response.status_code == 201
    assert response.json()["region"] == {
        "code": "MA-02",
        "number": 2,
        "name": {"ar": "الشرق", "fr": "L'Oriental", "en": "Oriental"},
        "capital": "Oujda",
    }


async def test_drafts_are_hidden_until_published(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    await _create(client, organizer["headers"])
    assert (await client.get("/api/v1/exhibitions")).json() == {"items": [], "total": 0, "page": 1, "per_page": 20}
    _problem(await client.get("/api/v1/exhibitions/sess-2027"), 404)
    with_drafts = await client.get("/api/v1/exhibitions?include_drafts=true", headers=organizer["headers"])
    assert [item["slug"] for item in with_drafts.json()["items"]] == ["sess-2027"]
    await _publish(client, organizer["headers"], "sess-2027")
    public = (await client.get("/api/v1/exhibitions")).json()
    assert [(item["slug"], item["status"]) for item in public["items"]] == [("sess-2027", "published")]
    assert (await client.get("/api/v1/exhibitions/sess-2027")).status_code == 200


async def test_list_filters_searches_and_paginates(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    specs = [
        ("national-2027", "national", None, "Rabat", "2027-05-07"),
        ("oriental-2027", "regional", "MA-02", "Oujda", "2027-04-01"),
        ("souss-2027", "regional", "MA-09", "Agadir", "2027-06-01"),
    ]
    for slug, kind, region, city, starts in specs:
        response = await _create(
            client,
            organizer["headers"],
            slug=slug,
            kind=kind,
            region=region,
            city=city,
            starts_on=starts,
            ends_on=starts,
        )
        assert response.status_code == 201
        await _publish(client, organizer["headers"], slug)

    async def slugs(query: str) -> list[str]:
        response = await client.get(f"/api/v1/exhibitions{query}")
        assert response.status_code == 200
        return [item["slug"] for item in response.json()["items"]]

    assert await slugs("") == ["oriental-2027", "national-2027", "souss-2027"]  # soonest first
    assert await slugs("?kind=regional") == ["oriental-2027", "souss-2027"]
    assert await slugs("?region=MA-09") == ["souss-2027"]
    assert await slugs("?q=oujda") == ["oriental-2027"]
    assert await slugs("?per_page=2&page=2") == ["souss-2027"]
    page = (await client.get("/api/v1/exhibitions?per_page=2")).json()
    assert (page["total"], page["page"], page["per_page"]) == (3, 1, 2)


async def test_patch_changes_only_what_is_sent(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    await _create(client, organizer["headers"], venue_address="Souissi")
    response = await client.patch(
        "/api/v1/exhibitions/sess-2027",
        json={"title_en": "SSE Expo 2027", "closes_at": "21:00:00", "opening_exceptions": [{"day": "2027-05-10"}]},
        headers=organizer["headers"],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["title"]["en"] == "SSE Expo 2027"
    assert body["title"]["fr"] == "Salon national de l'économie sociale et solidaire"
    assert (body["opens_at"], body["closes_at"]) == ("10:00:00", "21:00:00")
    assert body["venue"]["address"] == "Souissi"
    closed = [day["day"] for day in body["days"] if day["closed"]]
    assert closed == ["2027-05-10"]


async def test_moving_to_another_venue_keeps_the_old_one(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    await _create(client, organizer["headers"])
    response = await client.patch(
        "/api/v1/exhibitions/sess-2027",
        json={"venue_name": "Palais des congrès", "city": "Marrakech"},
        headers=organizer["headers"],
    )
    assert response.status_code == 200
    assert (response.json()["venue"]["name"], response.json()["venue"]["city"]) == ("Palais des congrès", "Marrakech")
    assert await Venue.count() == 2


async def test_status_moves_forward_only(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    await _create(client, organizer["headers"])
    closing_a_draft = await client.patch(
        "/api/v1/exhibitions/sess-2027", json={"status": "closed"}, headers=organizer["headers"]
    )
    body = _problem(closing_a_draft, 409)
    assert body["type"] == "urn:exhibitions:problem:invalid-transition"
    assert body["errors"] == [
        {"field": "status", "code": "invalid_transition", "reason": "cannot go from draft to closed"}
    ]
    await _publish(client, organizer["headers"], "sess-2027")
    back_to_draft = await client.patch(
        "/api/v1/exhibitions/sess-2027", json={"status": "draft"}, headers=organizer["headers"]
    )
    _problem(back_to_draft, 409)
    closed = await client.patch(
        "/api/v1/exhibitions/sess-2027", json={"status": "closed"}, headers=organizer["headers"]
    )
    assert closed.json()["status"] == "closed"


async def test_writes_need_a_token_and_the_organizer_role(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    assert _problem(await _create(client, {}), 401)["detail"] == "log in first"
    user_id = await account_services.create_user(email="visitor@example.ma", password="a-long-password", now=NOW)
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    visitor = {"Authorization": f"Bearer {token}"}
    assert _problem(await _create(client, visitor), 403)["detail"] == "only organizers may create exhibitions"
    await _create(client, organizer["headers"])
    await _publish(client, organizer["headers"], "sess-2027")
    refused = await client.patch("/api/v1/exhibitions/sess-2027", json={"title_en": "Mine"}, headers=visitor)
    assert _problem(refused, 403)["detail"] == "only this exhibition's organizers may change it"
    assert await Exhibition.count() == 1


# Every kind of bad input: the answer is a 4xx problem naming the field, and nothing is written.

BAD_CREATES: list[tuple[str, Any, int, list[dict[str, str]]]] = [
    (
        "missing-field",
        {k: v for k, v in exhibition_payload().items() if k != "title_fr"},
        422,
        [{"field": "title_fr", "code": "required", "reason": "is required"}],
    ),
    (
        "wrong-type",
        exhibition_payload(title_ar=12),
        422,
        [{"field": "title_ar", "code": "invalid", "reason": "Expected `str`, got `int`"}],
    ),
    (
        "bad-date",
        exhibition_payload(starts_on="07/05/2027"),
        422,
        [{"field": "starts_on", "code": "invalid", "reason": "Invalid RFC3339 encoded date"}],
    ),
    (
        "bad-enum",
        exhibition_payload(kind="fair"),
        422,
        [{"field": "kind", "code": "invalid", "reason": "Invalid enum value 'fair'"}],
    ),
    (
        "bad-slug",
        exhibition_payload(slug="Salon 2027!"),
        422,
        [{"field": "slug", "code": "invalid", "reason": "Expected `str` matching regex '^[a-z0-9]+(?:-[a-z0-9]+)*$'"}],
    ),
    (
        "unknown-field",
        exhibition_payload(colour="green"),
        422,
        [{"field": "colour", "code": "unknown_field", "reason": "is not a known field"}],
    ),
    (
        "nested-wrong-type",
        exhibition_payload(halls=[{"name": "A", "area_m2": -5}]),
        422,
        [{"field": "halls[0].area_m2", "code": "invalid", "reason": "Expected `int` >= 1"}],
    ),
    ("not-an-object", [1, 2], 422, [{"field": "body", "code": "invalid", "reason": "Expected `object`, got `array`"}]),
    (
        "unknown-region",
        exhibition_payload(kind="regional", region="MA-13"),
        422,
        [{"field": "region", "code": "unknown_region", "reason": "'MA-13' is not a region code (MA-01 to MA-12)"}],
    ),
    (
        "regional-without-region",
        exhibition_payload(kind="regional"),
        422,
        [{"field": "region", "code": "region_required", "reason": "a regional market must name its region"}],
    ),
    (
        "ends-before-start",
        exhibition_payload(starts_on="2027-05-07", ends_on="2027-05-01"),
        422,
        [{"field": "ends_on", "code": "ends_before_start", "reason": "must be on or after starts_on"}],
    ),
    (
        "closes-before-opening",
        exhibition_payload(opens_at="18:00:00", closes_at="09:00:00"),
        422,
        [{"field": "closes_at", "code": "closes_before_opening", "reason": "must be after opens_at"}],
    ),
    (
        "unknown-time-zone",
        exhibition_payload(time_zone="Africa/Atlantis"),
        422,
        [{"field": "time_zone", "code": "unknown_time_zone", "reason": "'Africa/Atlantis' is not an IANA time zone"}],
    ),
    (
        "blank-title",
        exhibition_payload(title_ar="   "),
        422,
        [{"field": "title_ar", "code": "required", "reason": "must not be blank"}],
    ),
]


@pytest.mark.parametrize(("case", "payload", "status", "errors"), BAD_CREATES, ids=[case[0] for case in BAD_CREATES])
async def test_bad_create_is_a_problem_naming_the_field(
    client: httpx.AsyncClient,
    organizer: dict[str, Any],
    case: str,
    payload: Any,
    status: int,
    errors: list[dict[str, str]],
) -> None:
    response = await client.post("/api/v1/exhibitions", json=payload, headers=organizer["headers"])
    body = _problem(response, status)
    assert body["errors"] == errors
    assert body["type"] == "urn:exhibitions:problem:invalid-input"
    assert body["instance"] == "/api/v1/exhibitions"
    assert await Exhibition.count() == 0
    assert await Venue.count() == 0


async def test_malformed_json_is_a_400_problem(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    for path, method in (
        ("/api/v1/exhibitions", "POST"),
        ("/api/v1/exhibitions/sess-2027", "PATCH"),
        ("/api/v1/auth/tokens", "POST"),
    ):
        response = await client.request(
            method, path, content=b'{"slug": "x",', headers={**organizer["headers"], "content-type": "application/json"}
        )
        body = _problem(response, 400)
        assert body["type"] == "urn:exhibitions:problem:malformed-body", (path, body)
        assert [error["field"] for error in body["errors"]] == ["body"]
        assert body["errors"][0]["code"] == "malformed_json"


async def test_duplicate_slug_is_a_409_and_writes_nothing(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    assert (await _create(client, organizer["headers"])).status_code == 201
    response = await _create(client, organizer["headers"], venue_name="Another venue", city="Fès")
    body = _problem(response, 409)
    assert body["type"] == "urn:exhibitions:problem:duplicate-value"
    assert body["errors"] == [{"field": "slug", "code": "duplicate", "reason": "is already used by another exhibition"}]
    assert await Exhibition.count() == 1
    assert await Venue.count() == 1  # the second venue was rolled back with the exhibition


BAD_PATCHES: list[tuple[str, Any, int, list[dict[str, str]]]] = [
    (
        "wrong-type",
        {"starts_on": 5},
        422,
        [{"field": "starts_on", "code": "invalid", "reason": "Expected `date`, got `int`"}],
    ),
    (
        "unknown-region",
        {"region": "MA-00"},
        422,
        [{"field": "region", "code": "unknown_region", "reason": "'MA-00' is not a region code (MA-01 to MA-12)"}],
    ),
    (
        "ends-before-start",
        {"ends_on": "2027-05-01"},
        422,
        [
            {"field": "ends_on", "code": "ends_before_start", "reason": "must be on or after starts_on"},
            {
                "field": "opening_exceptions[0].day",
                "code": "outside_dates",
                "reason": "must fall between starts_on and ends_on",
            },
        ],
    ),
    (
        "exception-outside-dates",
        {"opening_exceptions": [{"day": "2027-01-01"}]},
        422,
        [
            {
                "field": "opening_exceptions[0].day",
                "code": "outside_dates",
                "reason": "must fall between starts_on and ends_on",
            }
        ],
    ),
    (
        "unknown-field",
        {"slug": "renamed"},
        422,
        [{"field": "slug", "code": "unknown_field", "reason": "is not a known field"}],
    ),
    (
        "bad-status",
        {"status": "archived"},
        422,
        [{"field": "status", "code": "invalid", "reason": "Invalid enum value 'archived'"}],
    ),
]


@pytest.mark.parametrize(("case", "payload", "status", "errors"), BAD_PATCHES, ids=[case[0] for case in BAD_PATCHES])
async def test_bad_patch_is_a_problem_and_changes_nothing(
    client: httpx.AsyncClient,
    organizer: dict[str, Any],
    case: str,
    payload: Any,
    status: int,
    errors: list[dict[str, str]],
) -> None:
    await _create(client, organizer["headers"], opening_exceptions=[{"day": "2027-05-08"}])
    before = (
        await client.get("/api/v1/exhibitions/sess-2027?include_drafts=true", headers=organizer["headers"])
    ).json()
    response = await client.patch("/api/v1/exhibitions/sess-2027", json=payload, headers=organizer["headers"])
    assert _problem(response, status)["errors"] == errors
    after = (await client.get("/api/v1/exhibitions/sess-2027", headers=organizer["headers"])).json()
    assert after == before
    assert await OpeningException.count() == 1


async def test_patch_of_a_missing_exhibition_is_404(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    response = await client.patch("/api/v1/exhibitions/nowhere", json={"title_en": "x"}, headers=organizer["headers"])
    assert _problem(response, 404)["detail"] == "no exhibition 'nowhere'"


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("?page=0", [{"field": "page", "code": "invalid", "reason": "Expected `int` >= 1"}]),
        ("?per_page=500", [{"field": "per_page", "code": "invalid", "reason": "Expected `int` <= 100"}]),
        ("?kind=fair", [{"field": "kind", "code": "invalid", "reason": "Invalid enum value 'fair'"}]),
        (
            "?region=MA-99",
            [{"field": "region", "code": "unknown_region", "reason": "'MA-99' is not a region code (MA-01 to MA-12)"}],
        ),
    ],
)
async def test_bad_list_queries_are_named(client: httpx.AsyncClient, query: str, errors: list[dict[str, str]]) -> None:
    assert _problem(await client.get(f"/api/v1/exhibitions{query}"), 422)["errors"] == errors


async def test_regions_are_the_twelve_of_morocco(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/regions")
    assert response.status_code == 200
    regions = response.json()
    assert [region["code"] for region in regions] == [f"MA-{n:02d}" for n in range(1, 13)]
    assert regions[5] == {
        "code": "MA-06",
        "number": 6,
        "name": {"ar": "الدار البيضاء - سطات", "fr": "Casablanca-Settat", "en": "Casablanca-Settat"},
        "capital": "Casablanca",
    }


async def test_unknown_routes_and_wrong_methods(client: httpx.AsyncClient) -> None:
    assert _problem(await client.get("/api/v1/nothing-here"), 404)["type"] == "urn:exhibitions:problem:not-found"
    wrong = await client.delete("/api/v1/exhibitions")
    assert _problem(wrong, 405)["type"] == "urn:exhibitions:problem:method-not-allowed"
    assert set(wrong.headers["allow"].split(", ")) == {"GET", "POST", "OPTIONS"}


async def test_control_characters_are_refused_by_name(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    response = await _create(client, organizer["headers"], title_fr="Salon\x00", halls=[{"name": "Hall\x07A"}])
    assert _problem(response, 422)["errors"] == [
        {"field": "title_fr", "code": "control_characters", "reason": "must not contain control characters"},
        {"field": "halls[0].name", "code": "control_characters", "reason": "must not contain control characters"},
    ]
    search = await client.get("/api/v1/exhibitions", params={"q": "Rab\x00at"})
    assert _problem(search, 422)["errors"] == [
        {"field": "q", "code": "control_characters", "reason": "must not contain control characters"}
    ]
    assert await Exhibition.count() == 0


async def test_numbers_beyond_the_databases_range_are_422(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    huge_id = await client.delete("/api/v1/auth/tokens/463842410455488", headers=organizer["headers"])
    assert _problem(huge_id, 422)["errors"] == [
        {"field": "token_id", "code": "invalid", "reason": "Expected `int` <= 2147483647"}
    ]
    deep_page = await client.get("/api/v1/exhibitions?page=8343559231809787904")
    assert _problem(deep_page, 422)["errors"] == [
        {"field": "page", "code": "invalid", "reason": "Expected `int` <= 100000"}
    ]


async def test_a_slug_no_exhibition_can_have_is_404(client: httpx.AsyncClient) -> None:
    for slug in ("a%00b", "%C2%B5", "UPPER", "x" * 300):
        assert (
            _problem(await client.get(f"/api/v1/exhibitions/{slug}"), 404)["type"]
            == "urn:exhibitions:problem:not-found"
        )


async def test_concurrent_edits_of_different_fields_are_all_kept(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    await _create(client, organizer["headers"])
    changes = [
        {"title_en": "SSE Expo"},
        {"closes_at": "21:00:00"},
        {"venue_address": "Souissi"},
        {"title_fr": "Salon ESS"},
    ]
    responses = await asyncio.gather(
        *(
            client.patch("/api/v1/exhibitions/sess-2027", json=change, headers=organizer["headers"])
            for change in changes
        )
    )
    assert [response.status_code for response in responses] == [200, 200, 200, 200]
    final = (await client.get("/api/v1/exhibitions/sess-2027", headers=organizer["headers"])).json()
    assert (final["title"]["en"], final["title"]["fr"], final["closes_at"], final["venue"]["address"]) == (
        "SSE Expo",
        "Salon ESS",
        "21:00:00",
        "Souissi",
    )


async def test_concurrent_closings_close_once(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    await _create(client, organizer["headers"])
    await _publish(client, organizer["headers"], "sess-2027")
    responses = await asyncio.gather(
        *(
            client.patch("/api/v1/exhibitions/sess-2027", json={"status": "closed"}, headers=organizer["headers"])
            for _ in range(8)
        )
    )
    assert all(response.status_code in (200, 409) for response in responses)
    assert (await client.get("/api/v1/exhibitions/sess-2027")).json()["status"] == "closed"
