"""The directory's SQL search agrees with ``fold`` in Python, on both engines: random
queries typed the way people type (any case, accents or not, hamza or not, harakat,
tatweel), against organizations named in both scripts; only approved ones ever come back."""

from __future__ import annotations

import random
from typing import Any

import httpx

from exhibitions.search import fold
from tests.exhibitors.directory_data import at_stage
from tests.exhibitors.test_api import _exhibitor

LATIN = ["Étoile", "Tifawine", "Zaïtoune", "Aït Baha", "Oasis", "Dadès", "Amal", "Noûr", "Izourane", "Tamount"]
ARABIC = ["الأمل", "النور", "إيمي", "أركان", "الواحة", "آيت باها", "الإخلاص", "مكناس", "البركة", "الزيتونة"]
CITIES = ["Fès", "Taroudant", "Tétouan", "Meknès", "Oujda"]
TYPO = str.maketrans({"ا": "أ", "ي": "ى", "ه": "ة"})


def _typed(word: str, rng: random.Random) -> str:
    """``word`` as someone might type it."""
    variant = rng.choice([str.upper, str.lower, str.title, fold, lambda text: text])(word)
    if rng.random() < 0.3:
        variant = variant.translate(TYPO)  # a hamza or a teh marbuta where the name has none
    if rng.random() < 0.3 and len(variant) > 1:
        variant = variant[0] + "\u064e" + variant[1:]  # a fatha
    if rng.random() < 0.2 and len(variant) > 2:
        variant = variant[:2] + "\u0640" + variant[2:]  # a tatweel
    if rng.random() < 0.5 and len(variant) > 3:
        start = rng.randrange(0, len(variant) // 2)
        variant = variant[start : start + rng.randrange(2, len(variant) - start + 1)]  # part of the word
    return variant


async def test_random_searches_find_exactly_what_fold_finds(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    rng = random.Random(20261129)
    member = await _exhibitor("member@coop.ma")
    organizations = []
    for number in range(24):
        stage = "approved" if number % 4 else rng.choice(["submitted", "rejected", "draft"])
        name_latin = f"Coopérative {rng.choice(LATIN)} {rng.choice(LATIN)}" if number % 5 else None
        name_ar = f"تعاونية {rng.choice(ARABIC)}" if number % 3 or name_latin is None else None
        city = rng.choice(CITIES)
        organization_id, _ = await at_stage(
            client, organizer, number + 1, stage, member, name_latin=name_latin, name_ar=name_ar, city=city
        )
        text = fold(" ".join(part for part in (name_ar, name_latin, city) if part))
        organizations.append((organization_id, stage, text))
    for _ in range(150):
        _, _, text = rng.choice(organizations)
        words = [_typed(rng.choice(text.split()), rng) for _ in range(rng.choice([1, 1, 2]))]
        query = " ".join(words)
        expected = {
            organization_id
            for organization_id, stage, folded in organizations
            if stage == "approved" and all(word in folded for word in fold(query).split())
        }
        response = await client.get("/api/v1/exhibitions/sess-2027/exhibitors", params={"q": query, "per_page": 100})
        assert response.status_code == 200, (query, response.text)
        assert {item["id"] for item in response.json()["items"]} == expected, query
