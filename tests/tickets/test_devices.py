"""Scanner devices: enrolment by a one-time QR secret, listing, revocation."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from exhibitions.accounts.tables import AccessToken
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict
from exhibitions.tickets import services
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.services._devices import ENROLMENT_LIFETIME
from exhibitions.tickets.signing import verify
from exhibitions.tickets.tables import DeviceEnrolment


async def _offer(client: httpx.AsyncClient, organizer: dict[str, Any], name: str = "Porte A, téléphone 1") -> Any:
    response = await client.post(
        "/api/v1/exhibitions/sess-2027/device-enrolments", json={"name": name}, headers=organizer["headers"]
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_phone_enrols_once_with_the_secret_and_scans_for_that_exhibition_only(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    offer = await _offer(client, organizer)
    assert offer["enrol_url"] == f"http://testserver/scanner#enrol={offer['secret']}"
    enrolled = await client.post("/api/v1/devices/enrol", json={"secret": offer["secret"]})
    assert enrolled.status_code == 201
    body = enrolled.json()
    assert (body["name"], body["exhibition"]) == ("Porte A, téléphone 1", "sess-2027")
    assert body["token"].startswith("exd_")
    headers = {"Authorization": f"Bearer {body['token']}"}
    bundle = await client.get("/api/v1/exhibitions/sess-2027/scanner-bundle", headers=headers)
    assert bundle.status_code == 200
    # A device has none of its organizer's rights.
    assert (await client.get("/api/v1/exhibitions/sess-2027/checkpoints", headers=headers)).status_code == 403

    again = await client.post("/api/v1/devices/enrol", json={"secret": offer["secret"]})
    assert again.status_code == 409
    assert again.json()["errors"] == [
        {"field": "secret", "code": "used_or_expired", "reason": "was already used or has expired"}
    ]
    assert await AccessToken.count().where(AccessToken.kind == "device") == 1


async def test_an_expired_or_unknown_secret_is_refused_and_creates_nothing(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    offer = await _offer(client, organizer)
    with pytest.raises(Conflict):
        await services.complete_device_enrolment(
            secret=offer["secret"], now=utcnow() + ENROLMENT_LIFETIME + timedelta(minutes=1)
        )
    unknown = await client.post("/api/v1/devices/enrol", json={"secret": "not-a-secret"})
    assert unknown.status_code == 409
    too_long = await client.post("/api/v1/devices/enrol", json={"secret": "x" * 65})
    assert too_long.status_code == 422
    assert [error["field"] for error in too_long.json()["errors"]] == ["secret"]
    assert await AccessToken.count().where(AccessToken.kind == "device") == 0
    assert await DeviceEnrolment.count().where(DeviceEnrolment.used_at.is_not_null()) == 0


async def test_two_phones_racing_for_one_secret_get_one_device(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    offer = await _offer(client, organizer)
    answers = await asyncio.gather(
        *(client.post("/api/v1/devices/enrol", json={"secret": offer["secret"]}) for _ in range(8))
    )
    assert sorted(answer.status_code for answer in answers) == [201] + [409] * 7
    assert await AccessToken.count().where(AccessToken.kind == "device") == 1


async def test_only_the_exhibitions_organizers_offer_enrolments(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    offer = await _offer(client, organizer)
    device = (await client.post("/api/v1/devices/enrol", json={"secret": offer["secret"]})).json()
    as_device = await client.post(
        "/api/v1/exhibitions/sess-2027/device-enrolments",
        json={"name": "Mine"},
        headers={"Authorization": f"Bearer {device['token']}"},
    )
    assert as_device.status_code == 403
    anonymous = await client.post("/api/v1/exhibitions/sess-2027/device-enrolments", json={"name": "Mine"})
    assert anonymous.status_code == 401
    blank = await client.post(
        "/api/v1/exhibitions/sess-2027/device-enrolments", json={"name": "   "}, headers=organizer["headers"]
    )
    assert blank.status_code == 422
    assert blank.json()["errors"] == [{"field": "name", "code": "required", "reason": "must not be blank"}]


async def test_revoking_a_device_stops_its_scans_and_lists_it_as_revoked(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    offer = await _offer(client, organizer, name="Salle 1")
    device = (await client.post("/api/v1/devices/enrol", json={"secret": offer["secret"]})).json()
    headers = {"Authorization": f"Bearer {device['token']}"}
    checkpoint = await client.post(
        "/api/v1/exhibitions/sess-2027/checkpoints", json={"name": "Porte A"}, headers=organizer["headers"]
    )
    scan = {"code": "EXNOPE", "checkpoint": checkpoint.json()["id"]}
    assert (await client.post("/api/v1/checkins", json=scan, headers=headers)).json()["result"] == "invalid"

    listed = await client.get("/api/v1/exhibitions/sess-2027/devices", headers=organizer["headers"])
    [row] = listed.json()
    assert (row["id"], row["name"], row["scans"], row["revoked_at"]) == (device["id"], "Salle 1", 1, None)
    assert row["last_scan_at"] is not None

    revoked = await client.post(
        f"/api/v1/exhibitions/sess-2027/devices/{device['id']}/revoke", headers=organizer["headers"]
    )
    assert revoked.status_code == 204
    assert (await client.post("/api/v1/checkins", json=scan, headers=headers)).status_code == 401
    [row] = (await client.get("/api/v1/exhibitions/sess-2027/devices", headers=organizer["headers"])).json()
    assert row["revoked_at"] is not None
    assert row["scans"] == 1
    missing = await client.post("/api/v1/exhibitions/sess-2027/devices/999/revoke", headers=organizer["headers"])
    assert missing.status_code == 404


async def test_a_phone_enrolled_before_the_first_registration_can_verify_it_offline(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int, settings: Any
) -> None:
    offer = await _offer(client, organizer)
    device = (await client.post("/api/v1/devices/enrol", json={"secret": offer["secret"]})).json()
    bundle = await client.get(
        "/api/v1/exhibitions/sess-2027/scanner-bundle", headers={"Authorization": f"Bearer {device['token']}"}
    )
    [key] = bundle.json()["keys"]
    view, _ = await services.register_visitor(
        slug="sess-2027", data=RegistrationIn(name="Première", email="first@example.ma", home_region="MA-01"),
        secret_key=settings.secret_key, now=utcnow(),
    )  # fmt: skip
    public_key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key["public_key"]))
    claims = verify(view.code, {(key["exhibition_id"], key["key_id"]): public_key})
    assert claims.ticket_id == view.row["id"]
