"""The database's own rules for stands (migration m0014), written past the services: no
overlap in a hall, no seat beyond capacity, only approved applications, and races that
the database decides. On SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import asyncpg
import httpx
import pytest

from exhibitions.stands.tables import Stand, StandAssignment
from tests.conftest import NOW
from tests.stands.stands_data import STANDS, application, create, fields, halls, stand

REFUSED = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)


async def _insert(exhibition: int, hall: int, code: str, x: int, y: int, width: int = 300, depth: int = 300) -> None:
    await Stand.raw(
        "INSERT INTO stand (exhibition, hall, code, x_cm, y_cm, width_cm, depth_cm, created_at, updated_at)"
        " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {})",
        exhibition, hall, code, x, y, width, depth, NOW, NOW,
    )  # fmt: skip


async def _seat(stand_code: str, application_id: int, seat: int) -> None:
    await StandAssignment.raw(
        "INSERT INTO stand_assignment (stand, application, seat, assigned_at)"
        " VALUES ((SELECT id FROM stand WHERE code = {}), {}, {}, {})",
        stand_code, application_id, seat, NOW,
    )  # fmt: skip


async def test_the_database_refuses_overlapping_stands_and_accepts_touching_ones(exhibition: int) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await _insert(exhibition, hall, "A-1", 0, 0)
    await _insert(exhibition, hall, "A-2", 300, 0)  # edge to edge
    await _insert(exhibition, hall, "A-3", 300, 300)  # corner to corner with A-1
    for code, x, y, width, depth in (
        ("X-1", 299, 0, 300, 300),  # one centimetre into A-1
        ("X-2", 100, 100, 50, 50),  # inside A-1
        ("X-3", 0, 0, 1000, 1000),  # around everything
    ):
        with pytest.raises(REFUSED):
            await _insert(exhibition, hall, code, x, y, width, depth)
    with pytest.raises(REFUSED):  # moved onto a neighbour
        await Stand.raw("UPDATE stand SET x_cm = 200 WHERE code = 'A-2'")
    await Stand.raw("UPDATE stand SET y_cm = 1000 WHERE code = 'A-1'")  # to a free place
    assert sorted(row["code"] for row in await Stand.raw("SELECT code FROM stand")) == ["A-1", "A-2", "A-3"]


@pytest.mark.parametrize(
    ("column", "value"), [("x_cm", -1), ("y_cm", -5), ("width_cm", 0), ("depth_cm", -300), ("capacity", 3)]
)
async def test_the_database_refuses_negative_places_empty_sizes_and_large_capacities(
    exhibition: int, column: str, value: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    values: dict[str, Any] = {"x_cm": 0, "y_cm": 0, "width_cm": 300, "depth_cm": 300, "capacity": 1, column: value}
    with pytest.raises(REFUSED):
        await Stand.raw(
            "INSERT INTO stand (exhibition, hall, code, x_cm, y_cm, width_cm, depth_cm, capacity, created_at,"
            " updated_at) VALUES ({}, {}, 'A-1', {}, {}, {}, {}, {}, {}, {})",
            exhibition, hall, *values.values(), NOW, NOW,
        )  # fmt: skip
    assert await Stand.count() == 0


async def test_the_database_refuses_a_seat_beyond_capacity_a_second_stand_and_an_unapproved_application(
    exhibition: int,
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await _insert(exhibition, hall, "A-1", 0, 0)
    await _insert(exhibition, hall, "A-2", 300, 0)
    first, second, submitted = (
        await application(exhibition, 1), await application(exhibition, 2), await application(exhibition, 3, "submitted"),
    )  # fmt: skip
    await _seat("A-1", first, 1)
    with pytest.raises(REFUSED):  # capacity 1
        await _seat("A-1", second, 2)
    with pytest.raises(REFUSED):  # the same seat
        await _seat("A-1", second, 1)
    with pytest.raises(REFUSED):  # one application, two stands
        await _seat("A-2", first, 1)
    with pytest.raises(REFUSED):  # not approved
        await _seat("A-2", submitted, 1)
    await Stand.raw("UPDATE stand SET capacity = 2 WHERE code = 'A-1'")
    await _seat("A-1", second, 2)
    with pytest.raises(REFUSED):  # two exhibitors seated: the capacity cannot drop to 1
        await Stand.raw("UPDATE stand SET capacity = 1 WHERE code = 'A-1'")
    assert await StandAssignment.count() == 2


async def test_two_overlapping_stands_created_at_once_leave_exactly_one(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    answers = await asyncio.gather(
        *(client.post(STANDS, json=stand(hall, f"R-{n}", n * 0.5, 0), headers=organizer["headers"]) for n in range(6))
    )
    assert sorted(answer.status_code for answer in answers) == [201] + [409] * 5
    assert all(fields(answer) == [("x", "stand_overlap")] for answer in answers if answer.status_code == 409)
    assert await Stand.count() == 1


async def test_eight_organizers_assigning_one_stand_at_once_leave_exactly_one_exhibitor(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0, 0))
    applications = [await application(exhibition, number) for number in range(8)]
    answers = await asyncio.gather(
        *(
            client.put(f"{STANDS}/A-1/assignment", json={"application": one}, headers=organizer["headers"])
            for one in applications
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200] + [409] * 7
    refused = [answer for answer in answers if answer.status_code == 409]
    assert all(answer.json()["type"] == "urn:exhibitions:problem:stand-taken" for answer in refused)
    assert all(fields(answer) == [("code", "stand_taken")] for answer in refused)
    winner = next(answer for answer in answers if answer.status_code == 200).json()["assignments"]
    rows = await StandAssignment.raw("SELECT application, seat FROM stand_assignment")
    assert [(row["application"], row["seat"]) for row in rows] == [(winner[0]["application"], 1)]


async def test_a_two_seat_stand_takes_exactly_two_of_many_at_once(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0, 0, capacity=2))
    applications = [await application(exhibition, number) for number in range(6)]
    answers = await asyncio.gather(
        *(
            client.put(f"{STANDS}/A-1/assignment", json={"application": one}, headers=organizer["headers"])
            for one in applications
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200, 200] + [409] * 4
    seats = await StandAssignment.raw("SELECT seat FROM stand_assignment ORDER BY seat")
    assert [row["seat"] for row in seats] == [1, 2]


async def test_two_exhibitions_at_one_venue_draw_their_own_stands_in_the_same_hall(exhibition: int) -> None:
    hall = (await halls(exhibition))["Hall A"]
    columns = "kind, region, title_ar, title_fr, title_en, venue, starts_on, ends_on, time_zone, opens_at, closes_at"
    rows = await Stand.raw(
        f"INSERT INTO exhibition (slug, {columns}, status, created_at, updated_at)"
        f" SELECT 'next-2028', {columns}, 'draft', {{}}, {{}} FROM exhibition WHERE id = {{}} RETURNING id",
        NOW, NOW, exhibition,
    )  # fmt: skip
    await _insert(exhibition, hall, "A-1", 0, 0)
    await _insert(rows[0]["id"], hall, "A-1", 0, 0)  # the same place and code, another edition
    assert await Stand.count() == 2
