from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import base45
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from exhibitions.tickets.signing import CODE_SIZE, InvalidCode, Rejection, TicketClaims, sign, verify

DOC = Path(__file__).resolve().parents[2] / "docs" / "ticket-codes.md"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
CLAIMS = TicketClaims(key_id=1, exhibition_id=7, ticket_id=12345, first_day=date(2027, 5, 7), day_count=10)
KEYS = {(7, 1): KEY.public_key()}
CODE = sign(CLAIMS, KEY)


def _vectors() -> list[tuple[TicketClaims, str]]:
    rows = re.findall(
        r"^\| (\d+) \| (\d+) \| (\d+) \| (\d{4}-\d\d-\d\d) \| (\d+) \| `([^`]+)` \|$", DOC.read_text(), re.M
    )
    return [(TicketClaims(int(k), int(e), int(t), date.fromisoformat(d), int(n)), code) for k, e, t, d, n, code in rows]


def test_the_documented_vectors_are_what_we_sign_and_verify() -> None:
    vectors = _vectors()
    assert len(vectors) == 2
    public_hex = re.search(r"Public key \(raw 32 bytes, hex\): `([0-9a-f]{64})`", DOC.read_text())
    assert public_hex is not None
    raw_public = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert raw_public.hex() == public_hex.group(1)
    for claims, code in vectors:
        assert sign(claims, KEY) == code
        assert verify(code, {(claims.exhibition_id, claims.key_id): KEY.public_key()}) == claims


def test_round_trip_and_validity_days() -> None:
    assert len(CODE) == 118
    claims = verify(CODE, KEYS)
    assert claims == CLAIMS
    assert claims.last_day == date(2027, 5, 16)
    assert [claims.valid_on(date(2027, 5, day)) for day in (6, 7, 16, 17)] == [False, True, True, False]
    assert verify(CODE.lower(), KEYS) == CLAIMS  # a keyboard wedge may send lower case
    assert verify(CODE + "\r\n", KEYS) == CLAIMS


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", Rejection.malformed),
        ("QR" + CODE[2:], Rejection.malformed),
        (CODE[:-3], Rejection.malformed),
        (CODE + "00", Rejection.malformed),
        ("EX" + "Z" * 2000, Rejection.malformed),
        ("EX:::", Rejection.malformed),
        ("EX" + base45.b45encode(b"\x02" + bytes(CODE_SIZE - 1)).decode(), Rejection.unknown_version),
        (sign(TicketClaims(2, 7, 12345, date(2027, 5, 7), 10), KEY), Rejection.unknown_key),
        (sign(TicketClaims(1, 8, 12345, date(2027, 5, 7), 10), KEY), Rejection.unknown_key),
        (sign(CLAIMS, OTHER_KEY), Rejection.bad_signature),
    ],
    ids=[
        "empty",
        "prefix",
        "truncated",
        "too-long",
        "huge",
        "not-base45",
        "version-2",
        "other-key-id",
        "other-exhibition",
        "re-signed",
    ],
)
def test_rejections_say_why(code: str, reason: Rejection) -> None:
    with pytest.raises(InvalidCode) as caught:
        verify(code, KEYS)
    assert caught.value.reason is reason


def test_a_changed_claim_breaks_the_signature() -> None:
    raw = bytearray(base45.b45decode(CODE[2:]))
    raw[9] ^= 0x01  # ticket 12345 becomes 12344
    with pytest.raises(InvalidCode) as caught:
        verify("EX" + base45.b45encode(bytes(raw)).decode(), KEYS)
    assert caught.value.reason is Rejection.bad_signature


@settings(max_examples=3000, deadline=None)
@given(st.text(max_size=200))
def test_random_text_is_never_a_ticket(text: str) -> None:
    with pytest.raises(InvalidCode):
        verify(text, KEYS)


@settings(max_examples=3000, deadline=None)
@given(st.integers(min_value=0, max_value=CODE_SIZE * 8 - 1), st.integers(min_value=1, max_value=CODE_SIZE))
def test_bit_flips_and_truncations_are_never_a_ticket(bit: int, keep: int) -> None:
    raw = bytearray(base45.b45decode(CODE[2:]))
    raw[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(InvalidCode):
        verify("EX" + base45.b45encode(bytes(raw)).decode(), KEYS)
    if keep < CODE_SIZE:
        with pytest.raises(InvalidCode):
            verify("EX" + base45.b45encode(bytes(base45.b45decode(CODE[2:]))[:keep]).decode(), KEYS)


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        (TicketClaims(1, 7, 1, date(2019, 12, 31), 1), "first_day must fall between"),
        (TicketClaims(1, 7, 1, date(2027, 5, 7), 0), "day_count must be 1 to 255"),
        (TicketClaims(256, 7, 1, date(2027, 5, 7), 1), "key_id must be 0 to 255"),
    ],
)
def test_claims_that_do_not_fit_are_refused_when_signing(claims: TicketClaims, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sign(claims, KEY)
