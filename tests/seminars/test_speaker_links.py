"""Signed speaker links (seminars/links.py): what they carry, and every way one is refused."""

from __future__ import annotations

from datetime import date

import pytest

from exhibitions.seminars.links import (
    TOKEN_LENGTH,
    LinkProblem,
    LinkRefused,
    SpeakerLink,
    expiry_for,
    link_key,
    read_link,
    sign_link,
)

KEY = link_key("a-test-secret-key")
LINK = SpeakerLink(person_id=42, exhibition_id=7, expires_on=date(2027, 6, 15), version=3)


def test_a_link_carries_the_person_the_exhibition_its_expiry_and_version() -> None:
    token = sign_link(LINK, KEY)
    assert token.startswith("sp1")
    assert len(token) == TOKEN_LENGTH == 41
    assert read_link(token, KEY, today=date(2027, 5, 7)) == LINK
    # The same inputs sign the same link: re-sending an invitation sends the same address.
    assert sign_link(LINK, KEY) == token


def test_the_expiry_is_thirty_days_after_the_last_day() -> None:
    assert expiry_for(date(2027, 5, 16)) == date(2027, 6, 15)


def test_a_link_opens_on_its_last_day_and_not_the_day_after() -> None:
    token = sign_link(LINK, KEY)
    assert read_link(token, KEY, today=date(2027, 6, 15)) == LINK
    with pytest.raises(LinkRefused) as refused:
        read_link(token, KEY, today=date(2027, 6, 16))
    assert refused.value.problem is LinkProblem.expired


def _flip(token: str, index: int) -> str:
    swapped = "A" if token[index] != "A" else "B"
    return token[:index] + swapped + token[index + 1 :]


@pytest.mark.parametrize("index", [3, 10, 18, 20, 30, 40])
def test_a_changed_character_is_a_forgery(index: int) -> None:
    with pytest.raises(LinkRefused) as refused:
        read_link(_flip(sign_link(LINK, KEY), index), KEY, today=date(2027, 5, 7))
    assert refused.value.problem is LinkProblem.forged


def test_a_link_signed_with_another_key_is_a_forgery() -> None:
    token = sign_link(LINK, link_key("another-secret"))
    with pytest.raises(LinkRefused) as refused:
        read_link(token, KEY, today=date(2027, 5, 7))
    assert refused.value.problem is LinkProblem.forged


@pytest.mark.parametrize(
    "token", ["", "sp1", "sp1" + "A" * 37, "sp1" + "A" * 39, "sp2" + "A" * 38, "sp1" + "A" * 37 + "=", "sp1" + "é" * 38]
)
def test_malformed_tokens_are_forgeries(token: str) -> None:
    with pytest.raises(LinkRefused) as refused:
        read_link(token, KEY, today=date(2027, 5, 7))
    assert refused.value.problem is LinkProblem.forged


def test_the_version_and_expiry_must_fit_their_fields() -> None:
    with pytest.raises(ValueError, match="version"):
        sign_link(SpeakerLink(1, 1, date(2027, 6, 15), 0), KEY)
    with pytest.raises(ValueError, match="expires_on"):
        sign_link(SpeakerLink(1, 1, date(2019, 12, 31), 1), KEY)
