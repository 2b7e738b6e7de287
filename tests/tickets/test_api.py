from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from cryptography.exceptions import InvalidTag

from exhibitions.accounts.actor import Actor
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionUpdate
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.settings import Settings
from exhibitions.tickets import keys
from exhibitions.tickets.signing import TicketClaims, verify
from exhibitions.tickets.tables import SigningKey, Ticket
from tests.conftest import NOW
from tests.factories import FIRST_DAY, LAST_DAY, exhibition_create

URL = "/api/v1/exhibitions/sess-2027/tickets"


def visitor(**overrides: Any) -> dict[str, Any]:
    return {"name": "فاطمة الزهراء", "email": "Fatima@Example.ma", "home_region": "MA-06", **overrides}


def _problem_errors(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors: list[dict[str, str]] = response.json()["errors"]
    return errors


async def test_registration_gives_a_signed_ticket_without_personal_data_in_the_code(
    client: httpx.AsyncClient, exhibition: int, settings: Settings
) -> None:
    response = await client.post(URL, json=visitor(category="professional", language="ar", share_contact=True))
    assert response.status_code == 201
    body = response.json()
    row = await Ticket.select().where(Ticket.exhibition == exhibition).first()
    assert body == {
        "exhibition": "sess-2027",
        "holder_name": "فاطمة الزهراء",
        "category": "professional",
        "language": "ar",
        "home_region": "MA-06",
        "country": None,
        "first_day": FIRST_DAY.isoformat(),
        "last_day": LAST_DAY.isoformat(),
        "status": "valid",
        "manual_code": row["manual_code"],
        "code": body["code"],
        "url": f"http://testserver/tickets/{row['access_token']}",
    }
    assert (row["email"], row["phone"], row["share_contact"]) == ("fatima@example.ma", None, True)
    assert len(row["manual_code"]) == 8
    assert set(row["manual_code"]) <= set("34679ACDEFGHJKMNPQRTUVWXY")
    key = await SigningKey.select().where(SigningKey.exhibition == exhibition).first()
    claims = verify(body["code"], {(exhibition, key["key_id"]): keys.public_key_from_hex(key["public_key"])})
    assert claims == TicketClaims(key["key_id"], exhibition, row["id"], FIRST_DAY, 10)
    assert "fatima" not in body["code"].lower()


async def test_the_private_key_is_sealed_under_the_secret_key(
    client: httpx.AsyncClient, exhibition: int, settings: Settings
) -> None:
    await client.post(URL, json=visitor())
    key = await SigningKey.select().where(SigningKey.exhibition == exhibition).first()
    context = keys.key_context(exhibition, key["key_id"])
    private = keys.unseal(key["private_key_sealed"], settings.secret_key, context=context)
    assert keys.public_hex(private) == key["public_key"]
    with pytest.raises(InvalidTag):
        keys.unseal(key["private_key_sealed"], "another secret key", context=context)
    with pytest.raises(InvalidTag):
        keys.unseal(key["private_key_sealed"], settings.secret_key, context=keys.key_context(exhibition + 1, 0))


async def test_registering_again_returns_the_same_ticket_even_when_racing(
    client: httpx.AsyncClient, exhibition: int
) -> None:
    responses = await asyncio.gather(
        *(client.post(URL, json=visitor(email=email)) for email in ["fatima@example.ma", "FATIMA@example.ma"] * 5)
    )
    assert sorted(response.status_code for response in responses) == [200] * 9 + [201]
    assert len({response.json()["manual_code"] for response in responses}) == 1
    assert await Ticket.count() == 1
    assert await SigningKey.count() == 1


async def test_a_phone_alone_is_enough_and_is_stored_in_e164(client: httpx.AsyncClient, exhibition: int) -> None:
    response = await client.post(URL, json=visitor(email=None, phone="06 12 34 56 78"))
    assert response.status_code == 201
    row = await Ticket.select(Ticket.phone, Ticket.email).first()
    assert row == {"phone": "+212612345678", "email": None}


async def test_visitors_from_abroad_name_their_country(client: httpx.AsyncClient, exhibition: int) -> None:
    response = await client.post(URL, json=visitor(home_region="abroad", country="ca"))
    assert (response.status_code, response.json()["country"]) == (201, "CA")


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"email": None},
            [
                {
                    "field": "email",
                    "code": "contact_required",
                    "reason": "give an e-mail address or a Moroccan phone number",
                }
            ],
        ),
        (
            {"email": "nope"},
            [{"field": "email", "code": "invalid_email", "reason": "must be an e-mail address like name@example.ma"}],
        ),
        (
            {"phone": "+33 6 12 34 56 78"},
            [
                {
                    "field": "phone",
                    "code": "invalid_phone",
                    "reason": "must be a Moroccan number, like +212 6 12 34 56 78",
                }
            ],
        ),
        (
            {"home_region": "MA-13"},
            [
                {
                    "field": "home_region",
                    "code": "unknown_region",
                    "reason": "must be a region code (MA-01 to MA-12) or 'abroad'",
                }
            ],
        ),
        (
            {"home_region": "abroad"},
            [
                {
                    "field": "country",
                    "code": "unknown_country",
                    "reason": "give the ISO code of the country abroad, like FR",
                }
            ],
        ),
        (
            {"home_region": "abroad", "country": "MA"},
            [
                {
                    "field": "country",
                    "code": "unknown_country",
                    "reason": "give the ISO code of the country abroad, like FR",
                }
            ],
        ),
        (
            {"country": "FR"},
            [{"field": "country", "code": "only_abroad", "reason": "give a country only when home_region is 'abroad'"}],
        ),
        ({"name": "  "}, [{"field": "name", "code": "required", "reason": "must not be blank"}]),
        (
            {"name": "Ali\x00"},
            [{"field": "name", "code": "control_characters", "reason": "must not contain control characters"}],
        ),
        ({"category": "vip"}, [{"field": "category", "code": "invalid", "reason": "Invalid enum value 'vip'"}]),
        (
            {"language": "de"},
            [{"field": "language", "code": "invalid", "reason": "Invalid enum value 'de'"}],
        ),
    ],
)
async def test_bad_registrations_name_the_field_and_write_nothing(
    client: httpx.AsyncClient, exhibition: int, overrides: dict[str, Any], errors: list[dict[str, str]]
) -> None:
    assert _problem_errors(await client.post(URL, json=visitor(**overrides))) == errors
    assert await Ticket.count() == 0


async def test_only_published_and_running_exhibitions_take_registrations(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    await event_services.create_exhibition(
        data=exhibition_create(starts_on=FIRST_DAY, ends_on=LAST_DAY), actor=actor, now=NOW
    )
    draft = await client.post(URL, json=visitor())
    assert (draft.status_code, draft.json()["detail"]) == (404, "no exhibition 'sess-2027' open for registration")
    await event_services.create_exhibition(
        data=exhibition_create(
            slug="past-2026", starts_on=date.today() - timedelta(days=10), ends_on=date.today() - timedelta(days=2)
        ),
        actor=actor,
        now=NOW,
    )
    await event_services.update_exhibition(
        slug="past-2026", changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=actor, now=NOW
    )
    # The test server's clock is real; this exhibition ended before it.
    over = await client.post("/api/v1/exhibitions/past-2026/tickets", json=visitor())
    assert (over.status_code, over.json()["detail"]) == (409, "this exhibition is over; registration is closed")
    assert await Ticket.count() == 0


async def test_read_a_ticket_by_its_link(client: httpx.AsyncClient, exhibition: int) -> None:
    created = (await client.post(URL, json=visitor())).json()
    token = created["url"].rsplit("/", 1)[1]
    assert (await client.get(f"/api/v1/tickets/{token}")).json() == created
    missing = await client.get("/api/v1/tickets/not-a-token")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no such ticket"
