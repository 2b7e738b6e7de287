"""Assigning stands to approved applications: seat, move, lock, free; and the reads the
portal, the directory and the plan use."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.errors import Conflict
from exhibitions.stands import services
from exhibitions.stands.tables import StandAssignment
from tests.conftest import NOW
from tests.stands.stands_data import SLUG, STANDS, application, create, fields, halls, stand


async def test_an_organizer_assigns_moves_locks_and_frees_a_stand(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0, 0, zone="Souss"))
    await create(client, organizer["headers"], stand(hall, "A-2", 3, 0, capacity=2))
    coop = await application(exhibition, 1, name="Coopérative Tifawin")
    assigned = await client.put(f"{STANDS}/A-1/assignment", json={"application": coop}, headers=organizer["headers"])
    assert assigned.status_code == 200, assigned.text
    [seat] = assigned.json()["assignments"]
    assert (seat["application"], seat["name"], seat["seat"], seat["locked"], seat["source"]) == (
        coop, "Coopérative Tifawin", 1, False, "manual",
    )  # fmt: skip
    assert await services.stand_of_application(coop) == {
        "code": "A-1", "hall": hall, "hall_name": "Hall A", "zone": "Souss", "x_cm": 0, "y_cm": 0, "width_cm": 300,
        "depth_cm": 300, "locked": False, "published_at": None,
    }  # fmt: skip

    moved = await client.put(
        f"{STANDS}/A-2/assignment", json={"application": coop, "locked": True}, headers=organizer["headers"]
    )
    assert [(a["application"], a["locked"]) for a in moved.json()["assignments"]] == [(coop, True)]
    assert (await client.get(f"{STANDS}/A-1", headers=organizer["headers"])).json()["assignments"] == []
    unlocked = await client.patch(f"{STANDS}/A-2/assignment", json={"locked": False}, headers=organizer["headers"])
    assert unlocked.json()["assignments"][0]["locked"] is False
    relocked = await client.put(
        f"{STANDS}/A-2/assignment", json={"application": coop, "locked": True}, headers=organizer["headers"]
    )
    assert relocked.json()["assignments"][0]["locked"] is True

    free = await client.delete(f"{STANDS}/A-2/assignment", headers=organizer["headers"])
    assert free.status_code == 204
    assert await services.stand_of_application(coop) is None
    nothing = await client.patch(f"{STANDS}/A-2/assignment", json={"locked": True}, headers=organizer["headers"])
    assert (nothing.status_code, fields(nothing)) == (422, [("code", "not_assigned")])


async def test_two_cooperatives_share_a_two_seat_stand_and_a_third_is_refused(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0, 0, capacity=2))
    first, second, third = [await application(exhibition, number) for number in (1, 2, 3)]
    for one in (first, second):
        answer = await client.put(f"{STANDS}/A-1/assignment", json={"application": one}, headers=organizer["headers"])
        assert answer.status_code == 200
    full = await client.put(f"{STANDS}/A-1/assignment", json={"application": third}, headers=organizer["headers"])
    assert (full.status_code, fields(full)) == (409, [("code", "stand_taken")])
    shrink = await client.patch(f"{STANDS}/A-1", json={"capacity": 1}, headers=organizer["headers"])
    assert (shrink.status_code, fields(shrink)) == (409, [("capacity", "seats_taken")])
    assigned = await client.delete(f"{STANDS}/A-1", headers=organizer["headers"])
    assert (assigned.status_code, fields(assigned)) == (409, [("code", "stand_assigned")])
    one_out = await client.delete(
        f"{STANDS}/A-1/assignment", params={"application": first}, headers=organizer["headers"]
    )
    assert one_out.status_code == 204
    rows = await StandAssignment.raw("SELECT application, seat FROM stand_assignment")
    assert [(row["application"], row["seat"]) for row in rows] == [(second, 2)]
    # The free seat is seat 1 again.
    again = await client.put(f"{STANDS}/A-1/assignment", json={"application": third}, headers=organizer["headers"])
    assert sorted((a["seat"], a["application"]) for a in again.json()["assignments"]) == [(1, third), (2, second)]


async def test_only_an_approved_application_of_this_exhibition_gets_a_stand(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0, 0))
    for number, status in enumerate(("submitted", "waitlisted", "rejected", "withdrawn", "draft")):
        one = await application(exhibition, number, status)
        answer = await client.put(f"{STANDS}/A-1/assignment", json={"application": one}, headers=organizer["headers"])
        assert (answer.status_code, fields(answer)) == (422, [("application", "not_approved")]), status
    unknown = await client.put(f"{STANDS}/A-1/assignment", json={"application": 999_999}, headers=organizer["headers"])
    assert (unknown.status_code, fields(unknown)) == (422, [("application", "unknown")])
    missing = await client.put(
        f"{STANDS}/Z-9/assignment", json={"application": await application(exhibition, 77)},
        headers=organizer["headers"],
    )  # fmt: skip
    assert missing.status_code == 404
    assert await StandAssignment.count() == 0


async def test_a_withdrawal_frees_the_stand_and_the_plan_reads_every_stand_with_its_exhibitors(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0, 0))
    await create(client, organizer["headers"], stand(hall, "A-2", 3, 0))
    coop = await application(exhibition, 1, name="تعاونية الأمل")
    other = await application(exhibition, 2)
    for code, one in (("A-1", coop), ("A-2", other)):
        await client.put(f"{STANDS}/{code}/assignment", json={"application": one}, headers=organizer["headers"])
    plan = await services.hall_stands(slug=SLUG, hall_id=hall)
    assert [(row["code"], [a["name_latin"] or a["name_ar"] for a in row["assignments"]]) for row in plan] == [
        ("A-1", ["تعاونية الأمل"]), ("A-2", ["Coopérative 2"]),
    ]  # fmt: skip
    assert [a["sector"] for a in plan[0]["assignments"]] == ["argan"]
    assert await services.free_stands_of(coop) == ["A-1"]
    assert await services.free_stands_of(coop) == []
    assert await services.stand_of_application(coop) is None
    listed = await client.get(STANDS, params={"assigned": "false"}, headers=organizer["headers"])
    assert [s["code"] for s in listed.json()["items"]] == ["A-1"]
    by_type = await client.get(STANDS, params={"type": "island"}, headers=organizer["headers"])
    assert by_type.json()["total"] == 0


async def test_accepted_placements_apply_together_swap_stands_and_respect_locks(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    for number in range(1, 4):
        await create(client, organizer["headers"], stand(hall, f"A-{number}", number * 3, 0))
    first, second, third = [await application(exhibition, number) for number in (1, 2, 3)]
    actor = await _actor(organizer)
    placed = [services.Placement("A-1", first), services.Placement("A-2", second)]
    assert await services.apply_placements(slug=SLUG, placements=placed, actor=actor, now=NOW) == 2
    swapped = [services.Placement("A-2", first), services.Placement("A-1", second), services.Placement("A-3", third)]
    assert await services.apply_placements(slug=SLUG, placements=swapped, actor=actor, now=NOW) == 3
    assert await _seats() == {"A-1": second, "A-2": first, "A-3": third}
    await client.patch(f"{STANDS}/A-3/assignment", json={"locked": True}, headers=organizer["headers"])
    with pytest.raises(Conflict) as locked:
        await services.apply_placements(
            slug=SLUG, placements=[services.Placement("A-1", first), services.Placement("A-2", third)], actor=actor,
            now=NOW,
        )  # fmt: skip
    assert [(e.field, e.code) for e in locked.value.errors] == [("placements[1].application", "locked")]
    assert await _seats() == {"A-1": second, "A-2": first, "A-3": third}  # nothing moved
    with pytest.raises(Conflict) as taken:
        await services.apply_placements(slug=SLUG, placements=[services.Placement("A-3", first)], actor=actor, now=NOW)
    assert [(e.field, e.code) for e in taken.value.errors] == [("placements[0].code", "stand_taken")]
    assert await _seats() == {"A-1": second, "A-2": first, "A-3": third}


async def _actor(organizer: dict[str, Any]) -> Actor:
    return Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))


async def _seats() -> dict[str, int]:
    rows = await StandAssignment.raw(
        "SELECT s.code, sa.application FROM stand_assignment sa JOIN stand s ON s.id = sa.stand"
    )
    return {row["code"]: row["application"] for row in rows}
