"""/api/v1/organizations: registering, reading and changing, and who may."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from exhibitions.accounts import services as account_services
from exhibitions.accounts.tables import TokenKind
from exhibitions.exhibitors.tables import Organization, OrganizationMember
from tests.conftest import NOW

API = "/api/v1/organizations"
COOPERATIVE = {
    "legal_form": "cooperative", "name_ar": "تعاونية أركان الخير", "name_latin": "Coopérative Argan Al Khair",
    "registry_number": "12/2015", "ice": "001561191000066", "region": "MA-09", "city": "Taroudant",
    "sector": "argan", "founded_year": 2015, "members_total": 40, "members_women": 35, "members_youth": 12,
    "email": "Contact@Argan-Khair.ma", "phone": "0528841234",
}  # fmt: skip


async def _exhibitor(email: str) -> dict[str, str]:
    user_id = await account_services.create_user(email=email, password="exhibitor-password-1", now=NOW)
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def exhibitor(database: Any) -> dict[str, str]:
    return await _exhibitor("fatima@argan-khair.ma")


async def test_an_exhibitor_registers_their_cooperative_and_edits_it(
    client: httpx.AsyncClient, exhibitor: dict[str, str]
) -> None:
    created = await client.post(API, json=COOPERATIVE, headers=exhibitor)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["email"], body["phone"], body["is_women_led"], body["ice"]) == (
        "contact@argan-khair.ma", "+212528841234", True, "001561191000066",
    )  # fmt: skip
    assert await OrganizationMember.count() == 1
    changed = await client.patch(f"{API}/{body['id']}", json={"members_women": 10, "phone": None}, headers=exhibitor)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["members_women"], changed.json()["is_women_led"], changed.json()["phone"]) == (
        10,
        False,
        None,
    )
    mine = await client.get(API, headers=exhibitor)
    assert [item["name_latin"] for item in mine.json()["items"]] == ["Coopérative Argan Al Khair"]


async def test_another_exhibitor_can_neither_read_nor_change_it(
    client: httpx.AsyncClient, exhibitor: dict[str, str], organizer: dict[str, Any]
) -> None:
    body = (await client.post(API, json=COOPERATIVE, headers=exhibitor)).json()
    stranger = await _exhibitor("other@example.ma")
    assert (await client.get(f"{API}/{body['id']}", headers=stranger)).status_code == 404
    assert (await client.patch(f"{API}/{body['id']}", json={"city": "Agadir"}, headers=stranger)).status_code == 404
    assert (await client.get(API, headers=stranger)).json()["total"] == 0
    assert (await Organization.select(Organization.city).first())["city"] == "Taroudant"
    # Organizers keep the registry: they see and edit every organization.
    seen = await client.get(f"{API}/{body['id']}", headers=organizer["headers"])
    assert seen.status_code == 200
    assert (await client.get(API, headers=organizer["headers"])).json()["total"] == 1
    assert (await client.get(API)).status_code == 401


async def test_bad_fields_are_named_and_nothing_is_written(
    client: httpx.AsyncClient, exhibitor: dict[str, str]
) -> None:
    response = await client.post(
        API, json={**COOPERATIVE, "ice": "001561191000067", "phone": "12", "region": "MA-13"}, headers=exhibitor
    )
    assert response.status_code == 422
    assert [(error["field"], error["code"]) for error in response.json()["errors"]] == [
        ("ice", "invalid_ice"), ("region", "unknown_region"), ("phone", "invalid_phone"),
    ]  # fmt: skip
    wrong_form = await client.post(API, json={**COOPERATIVE, "legal_form": "gang"}, headers=exhibitor)
    assert wrong_form.status_code == 422
    assert "legal_form" in wrong_form.text
    assert await Organization.count() == 0
    assert await OrganizationMember.count() == 0


async def test_a_registry_number_or_an_ice_is_registered_once(
    client: httpx.AsyncClient, exhibitor: dict[str, str]
) -> None:
    assert (await client.post(API, json=COOPERATIVE, headers=exhibitor)).status_code == 201
    again = await client.post(API, json={**COOPERATIVE, "ice": None}, headers=exhibitor)
    assert again.status_code == 409
    assert [(error["field"], error["code"]) for error in again.json()["errors"]] == [("registry_number", "duplicate")]
    same_ice = await client.post(API, json={**COOPERATIVE, "registry_number": "99/2020"}, headers=exhibitor)
    assert [(error["field"], error["code"]) for error in same_ice.json()["errors"]] == [("ice", "duplicate")]
    # The same number in another register (an association's) is another organization.
    association = await client.post(
        API, json={**COOPERATIVE, "legal_form": "association", "ice": None}, headers=exhibitor
    )
    assert association.status_code == 201
    second = association.json()["id"]
    clash = await client.patch(f"{API}/{second}", json={"ice": "001561191000066"}, headers=exhibitor)
    assert clash.status_code == 409
    assert [(error["field"], error["code"]) for error in clash.json()["errors"]] == [("ice", "duplicate")]
    assert await Organization.count() == 2


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("cooperative argan", True),  # no accent, other case
        ("ARGAN coopérative", True),  # words in any order
        ("أركان", True),  # hamza on alef typed; stored as typed too
        ("اركان الخير", True),  # without hamza
        ("taroudant", True),  # city
        ("12/2015", True),  # registry number
        ("argan%", True),  # LIKE's wildcard is not one here
        ("tifawine", False),
    ],
)
async def test_search_ignores_case_accents_and_arabic_marks(
    client: httpx.AsyncClient, organizer: dict[str, Any], typed: str, found: bool
) -> None:
    await client.post(API, json=COOPERATIVE, headers=organizer["headers"])
    listed = await client.get(API, params={"q": typed}, headers=organizer["headers"])
    assert listed.json()["total"] == (1 if found else 0)
