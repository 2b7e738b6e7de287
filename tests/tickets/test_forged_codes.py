"""100,000 random, truncated, bit-flipped and re-signed codes: every one is ``invalid``.

The bulk runs against the pure verification (``signing.verify``, with the same libsodium
verifier the check-in uses), in hypothesis examples of 100 codes each; a share goes through
the real check-in, live and in offline batches, where no code may cause a 5xx or a write
other than its log line."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import base45
import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from exhibitions.accounts.actor import Actor
from exhibitions.clock import utcnow
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionUpdate
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.tickets import services
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.services._checkin import _public_key
from exhibitions.tickets.signing import CODE_SIZE, InvalidCode, TicketClaims, base45_decode, sign, verify
from exhibitions.tickets.tables import Admission, Scan
from tests.factories import exhibition_create

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
CLAIMS = TicketClaims(key_id=1, exhibition_id=7, ticket_id=12345, first_day=date(2027, 5, 7), day_count=10)
CODE = sign(CLAIMS, KEY)
RAW = base45.b45decode(CODE[2:])
PUBLIC_HEX = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
KEYS = {(7, 1): _public_key(PUBLIC_HEX)}
PER_EXAMPLE = 100
EXAMPLES = 950  # 95,000 codes here, 5,000 more through the check-in below


def forged(rng: random.Random) -> str:
    """One code that is not a genuine ticket: random text, random bytes in the code's
    shape, a truncation, one or more bit flips, or claims re-signed with another key."""
    kind = rng.randrange(6)
    if kind == 0:
        return "".join(
            rng.choice("EX0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:abc\n\u0645") for _ in range(rng.randrange(200))
        )
    if kind == 1:
        return "EX" + base45.b45encode(bytes([1]) + rng.randbytes(CODE_SIZE - 1)).decode()
    if kind == 2:
        return "EX" + base45.b45encode(RAW[: rng.randrange(CODE_SIZE)]).decode()
    if kind in (3, 4):
        raw = bytearray(RAW)
        for bit in rng.sample(range(CODE_SIZE * 8), 1 if kind == 3 else rng.randrange(2, 9)):  # distinct bits
            raw[bit // 8] ^= 1 << (bit % 8)
        return "EX" + base45.b45encode(bytes(raw)).decode()
    claims = TicketClaims(
        key_id=rng.choice([1, 1, 1, rng.randrange(256)]), exhibition_id=rng.choice([7, 7, rng.randrange(1, 2**31)]),
        ticket_id=rng.randrange(1, 2**31), first_day=date(2027, 5, 7), day_count=rng.randrange(1, 256),
    )  # fmt: skip
    return sign(claims, OTHER_KEY)


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(st.integers(min_value=0, max_value=2**64))
def test_forged_codes_are_never_tickets(seed: int) -> None:
    # Hypothesis picks the seed (and reports it on failure); a plain Random draws the
    # hundred codes, since each draw through hypothesis itself costs tens of µs.
    rng = random.Random(seed)
    for _ in range(PER_EXAMPLE):
        code = forged(rng)
        with pytest.raises(InvalidCode):
            verify(code, KEYS)


def test_the_genuine_code_passes_the_same_verifier() -> None:
    """The check above could not fail if the verifier refused everything."""
    assert verify(CODE, KEYS) == CLAIMS


@settings(max_examples=2000, deadline=None, database=None)
@given(st.binary(max_size=120))
def test_our_base45_decoder_is_the_packages(data: bytes) -> None:
    encoded = base45.b45encode(data).decode()
    assert base45_decode(encoded) == data


@settings(max_examples=2000, deadline=None, database=None)
@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:a\u0645", max_size=30))
def test_our_base45_decoder_refuses_what_the_package_refuses(text: str) -> None:
    try:
        expected: bytes | None = base45.b45decode(text)
    except ValueError:
        expected = None
    try:
        actual: bytes | None = base45_decode(text)
    except ValueError:
        actual = None
    assert actual == expected


CASABLANCA = ZoneInfo("Africa/Casablanca")


async def test_forged_codes_through_the_check_in_are_invalid_and_admit_nobody(
    client: httpx.AsyncClient, organizer: dict[str, Any], settings: Any
) -> None:
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    first = utcnow().astimezone(CASABLANCA).date() - timedelta(days=2)
    data = exhibition_create(slug="forged-2027", starts_on=first, ends_on=first + timedelta(days=9))
    await event_services.create_exhibition(data=data, actor=actor, now=utcnow())
    await event_services.update_exhibition(
        slug="forged-2027", changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=actor, now=utcnow()
    )
    # A real ticket of this exhibition: its code is mutated too, not only the fixed one.
    view, _ = await services.register_visitor(
        slug="forged-2027", data=RegistrationIn(name="Amina", email="a@example.ma", home_region="MA-01"),
        secret_key=settings.secret_key, now=utcnow(),
    )  # fmt: skip
    headers = organizer["headers"]
    gate = (
        await client.post("/api/v1/exhibitions/forged-2027/checkpoints", json={"name": "A"}, headers=headers)
    ).json()
    token = (await client.post("/api/v1/exhibitions/forged-2027/devices", json={"name": "P"}, headers=headers)).json()
    device = {"Authorization": f"Bearer {token['token']}"}
    at = datetime.combine(first, time(12), CASABLANCA).isoformat()
    rng = random.Random(20270507)
    real = base45.b45decode(view.code[2:])

    def mutated() -> str:
        raw = bytearray(real)
        bit = rng.randrange(CODE_SIZE * 8)
        raw[bit // 8] ^= 1 << (bit % 8)
        return "EX" + base45.b45encode(bytes(raw)).decode()

    codes = [(mutated() if number % 2 else forged(rng))[:200] or "E" for number in range(5000)]
    for start in range(0, 4700, 1000):
        chunk = codes[start : min(start + 1000, 4700)]
        scans = [{"code": code, "checkpoint": gate["id"], "scanned_at": at, "nonce": f"{start + n}"} for n, code in enumerate(chunk)]  # fmt: skip
        response = await client.post("/api/v1/checkins/batch", json={"scans": scans}, headers=device)
        assert response.status_code == 200, response.text
        assert {r["result"] for r in response.json()["results"]} == {"invalid"}
    for code in codes[4700:]:
        response = await client.post(
            "/api/v1/checkins", json={"code": code, "checkpoint": gate["id"], "scanned_at": at}, headers=device
        )
        assert (response.status_code, response.json()["result"]) == (200, "invalid"), code
    assert await Admission.count() == 0
    assert await Scan.count() == 5000
    genuine = await client.post(
        "/api/v1/checkins", json={"code": view.code, "checkpoint": gate["id"], "scanned_at": at}, headers=device
    )
    assert genuine.json()["result"] == "admitted"
