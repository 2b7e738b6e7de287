from __future__ import annotations

import re

from exhibitions.accounts import services as account_services
from exhibitions.db import Database
from exhibitions.demo import DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD, load_demo
from exhibitions.events import services
from exhibitions.events.tables import Exhibition
from exhibitions.stands import services as stand_services
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
    assert await Exhibition.count() == 4  # and the past edition


async def test_demo_national_exhibition_has_a_published_allocation_of_its_approved_exhibitors(
    database: Database,
) -> None:
    result = await load_demo(now=NOW)
    national = result.slugs[0]
    organizer = await account_services.authenticate_password(
        email=DEMO_ORGANIZER_EMAIL, password=DEMO_ORGANIZER_PASSWORD, now=NOW
    )
    stands, total = await stand_services.list_stands(slug=national, actor=organizer, per_page=None)
    assert total == 12
    assert {stand["hall_name"] for stand in stands} == {"Hall A · Produits du terroir"}
    approved = await Exhibition.raw(
        "SELECT a.id FROM application a JOIN exhibition e ON e.id = a.exhibition"
        " WHERE e.slug = {} AND a.status = 'approved'",
        national,
    )
    seats = {a["application"]: a for stand in stands for a in stand["assignments"]}
    assert set(seats) == {row["id"] for row in approved}
    assert len(seats) == 7
    assert all(seat["published_at"] is not None and seat["source"] == "proposal" for seat in seats.values())
    proposal = await stand_services.latest_proposal(slug=national, actor=organizer)
    assert proposal is not None
    assert (proposal["status"], proposal["unplaced"]) == ("accepted", [])
    # What a newcomer opens: the public plan names the exhibitors, the portal shows the stand.
    hall = stands[0]["hall"]
    _, _, drawn = await stand_services.hall_plan(slug=national, hall_id=hall, actor=None)
    assert sum(len(stand.exhibitors) for stand in drawn) == 7
    assert "Coopérative Argan Al Khair" in {e.name_latin for stand in drawn for e in stand.exhibitors}
    shown = await stand_services.stand_of_application(next(iter(seats)))
    assert shown is not None
    assert shown["published_at"] is not None
    # Twice: nothing more.
    await load_demo(now=NOW)
    assert (await stand_services.list_stands(slug=national, actor=organizer, per_page=None))[1] == 12
    assert len(await Exhibition.raw("SELECT id FROM allocation_proposal")) == 1
