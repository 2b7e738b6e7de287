from __future__ import annotations

import re

from exhibitions.accounts import services as account_services
from exhibitions.db import Database
from exhibitions.demo import DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD, load_demo
from exhibitions.events import services
from exhibitions.events.tables import Exhibition
from tests.conftest import NOW

ARABIC = re.compile(r"^[\u0600-\u06FF\s\-]+$")


async def test_demo_holds_a_national_exhibition_and_two_regional_markets(database: Database) -> None:
    result = await load_demo(now=NOW)
    assert result.created == result.slugs
    details = [await services.get_exhibition_detail(slug=slug, actor=None) for slug in result.slugs]
    national, *regional = details
    assert national.row["kind"] == "national"
    assert len(national.days) == 10
    assert [hall["name"] for hall in national.halls] == ["Hall A · Produits du terroir", "Hall B · Artisanat"]
    assert national.row["starts_on"].weekday() == 4  # opens on a Friday, after prayer on the second one
    assert [market.row["kind"] for market in regional] == ["regional", "regional"]
    assert {market.row["region"] for market in regional} == {"MA-02", "MA-09"}
    assert all(detail.row["status"] == "published" for detail in details)
    assert all(ARABIC.match(detail.row["title_ar"]) for detail in details)
    national_market, oriental, souss = details
    assert national_market.row["starts_on"] > NOW.date()
    assert souss.row["starts_on"] > NOW.date()
    assert oriental.row["starts_on"] <= NOW.date() <= oriental.row["ends_on"]  # running: gates can be tried
    actor = await account_services.authenticate_password(
        email=DEMO_ORGANIZER_EMAIL, password=DEMO_ORGANIZER_PASSWORD, now=NOW
    )
    assert actor.roles == frozenset({(None, "organizer")})


async def test_demo_twice_changes_nothing(database: Database) -> None:
    await load_demo(now=NOW)
    again = await load_demo(now=NOW)
    assert again.created == []
    assert await Exhibition.count() == 3
