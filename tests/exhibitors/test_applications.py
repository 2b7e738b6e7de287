"""Applications: a draft, submitted, decided with a reason, withdrawn; who may do what;
two decisions at once; and another exhibitor sees none of it."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from exhibitions.exhibitors.tables import Application, ApplicationEvent
from tests.exhibitors.test_api import API as ORGANIZATIONS
from tests.exhibitors.test_api import COOPERATIVE, _exhibitor

APPLICATIONS = "/api/v1/exhibitions/sess-2027/applications"


@pytest.fixture
async def applicant(client: httpx.AsyncClient, exhibition: int) -> dict[str, Any]:
    headers = await _exhibitor("fatima@argan-khair.ma")
    organization = (await client.post(ORGANIZATIONS, json=COOPERATIVE, headers=headers)).json()
    return {"headers": headers, "organization": organization["id"]}


async def _draft(client: httpx.AsyncClient, applicant: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(
        APPLICATIONS,
        json={"organization": applicant["organization"], "stand_type": "corner", "stand_area_m2": 12,
              "needs_power": True, "near_organizations": [7, 7, 3], "products": "Huile d'argan, amlou"},
        headers=applicant["headers"],
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_a_cooperative_applies_and_an_organizer_approves_with_a_reason(
    client: httpx.AsyncClient, applicant: dict[str, Any], organizer: dict[str, Any]
) -> None:
    draft = await _draft(client, applicant)
    assert (draft["status"], draft["stand_type"], draft["near_organizations"]) == ("draft", "corner", [3, 7])
    url = f"{APPLICATIONS}/{draft['id']}"
    changed = await client.patch(url, json={"stand_area_m2": 18}, headers=applicant["headers"])
    assert changed.json()["stand_area_m2"] == 18
    # An organizer decides on submitted applications only.
    early = await client.post(f"{url}/decision", json={"status": "approved"}, headers=organizer["headers"])
    assert early.status_code == 409
    submitted = await client.post(f"{url}/submit", headers=applicant["headers"])
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"] is not None
    frozen = await client.patch(url, json={"stand_area_m2": 30}, headers=applicant["headers"])
    assert frozen.status_code == 409
    assert frozen.json()["errors"][0]["code"] == "not_draft"
    # The applicant cannot decide for themselves.
    self_approved = await client.post(f"{url}/decision", json={"status": "approved"}, headers=applicant["headers"])
    assert self_approved.status_code == 409
    decided = await client.post(
        f"{url}/decision", json={"status": "approved", "reason": "Première participation, coopérative de femmes"},
        headers=organizer["headers"],
    )  # fmt: skip
    assert decided.status_code == 200
    seen = (await client.get(url, headers=applicant["headers"])).json()
    assert seen["status"] == "approved"
    assert [(event["from_status"], event["to_status"], event["by"], event["reason"]) for event in seen["history"]] == [
        (None, "draft", "applicant", ""),
        ("draft", "submitted", "applicant", ""),
        ("submitted", "approved", "organizer", "Première participation, coopérative de femmes"),
    ]
    withdrawn = await client.post(f"{url}/withdraw", json={"reason": "Récolte tardive"}, headers=applicant["headers"])
    assert withdrawn.json()["status"] == "withdrawn"
    assert await ApplicationEvent.count() == 4


async def test_one_application_per_organization_and_exhibition(
    client: httpx.AsyncClient, applicant: dict[str, Any]
) -> None:
    await _draft(client, applicant)
    again = await client.post(
        APPLICATIONS, json={"organization": applicant["organization"]}, headers=applicant["headers"]
    )
    assert again.status_code == 409
    assert again.json()["errors"] == [
        {"field": "organization", "code": "duplicate", "reason": "has an application here already"}
    ]
    assert await Application.count() == 1


async def test_two_decisions_at_once_apply_one(
    client: httpx.AsyncClient, applicant: dict[str, Any], organizer: dict[str, Any]
) -> None:
    draft = await _draft(client, applicant)
    url = f"{APPLICATIONS}/{draft['id']}"
    await client.post(f"{url}/submit", headers=applicant["headers"])
    answers = await asyncio.gather(
        *(
            client.post(f"{url}/decision", json={"status": status}, headers=organizer["headers"])
            for status in ("approved", "rejected", "waitlisted", "approved")
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200, 409, 409, 409]
    assert await ApplicationEvent.count() == 3  # created, submitted, one decision


async def test_another_exhibitor_sees_and_changes_nothing(client: httpx.AsyncClient, applicant: dict[str, Any]) -> None:
    draft = await _draft(client, applicant)
    url = f"{APPLICATIONS}/{draft['id']}"
    stranger = await _exhibitor("other@example.ma")
    assert (await client.get(url, headers=stranger)).status_code == 404
    assert (await client.patch(url, json={"stand_area_m2": 4}, headers=stranger)).status_code == 404
    assert (await client.post(f"{url}/submit", headers=stranger)).status_code == 404
    assert (await client.post(f"{url}/withdraw", headers=stranger)).status_code == 404
    assert (await client.post(f"{url}/decision", json={"status": "rejected"}, headers=stranger)).status_code == 404
    assert (await client.get(APPLICATIONS, headers=stranger)).json() == []
    on_their_behalf = await client.post(
        APPLICATIONS, json={"organization": applicant["organization"]}, headers=stranger
    )
    assert on_their_behalf.status_code == 403
    assert (await Application.select(Application.status, Application.stand_area_m2).first()) == {
        "status": "draft", "stand_area_m2": 12,
    }  # fmt: skip
