"""Stands over the API: one by one, as a grid, from and to CSV; every refusal names its field."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from exhibitions.stands.tables import Stand
from tests.exhibitors.test_api import _exhibitor
from tests.stands.stands_data import API, STANDS, create, fields, halls, stand


async def test_an_organizer_adds_a_stand_and_reads_it_back(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    body = await create(
        client, organizer["headers"],
        stand(hall, "B-14", 1.5, 2.25, 3.5, 2.5, stand_type="corner", zone="Souss", power=True, capacity=2),
    )  # fmt: skip
    assert body == {
        "code": "B-14", "hall": hall, "hall_name": "Hall A", "x": 1.5, "y": 2.25, "width": 3.5, "depth": 2.5,
        "area_m2": 8.75, "stand_type": "corner", "zone": "Souss", "power": True, "water": False,
        "accessible": False, "capacity": 2, "assignments": [],
    }  # fmt: skip
    listed = await client.get(STANDS, params={"hall": hall}, headers=organizer["headers"])
    assert [item["code"] for item in listed.json()["items"]] == ["B-14"]
    assert listed.json()["total"] == 1


async def test_stands_sharing_an_edge_are_accepted_and_an_overlap_is_refused(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0, 0))
    await create(client, organizer["headers"], stand(hall, "A-2", 3, 0))  # shares A-1's right edge
    await create(client, organizer["headers"], stand(hall, "A-3", 0, 3))  # shares A-1's far edge
    overlapping = await client.post(STANDS, json=stand(hall, "A-4", 2.99, 2.99), headers=organizer["headers"])
    assert overlapping.status_code == 409
    assert overlapping.json()["type"] == "urn:exhibitions:problem:stand-overlap"
    assert sorted(error["reason"] for error in overlapping.json()["errors"]) == [
        "stand A-4 overlaps stand A-1", "stand A-4 overlaps stand A-2", "stand A-4 overlaps stand A-3",
    ]  # fmt: skip
    assert set(fields(overlapping)) == {("x", "stand_overlap")}
    # The same place in the other hall is free.
    other = (await halls(exhibition))["Hall B"]
    await create(client, organizer["headers"], stand(other, "C-1", 2.99, 2.99))
    assert await Stand.count() == 4


async def test_a_stand_outside_the_hall_or_of_negative_size_is_refused_with_every_field_named(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall B"]  # 30 m × 20 m
    outside = await client.post(STANDS, json=stand(hall, "B-1", 28, 19), headers=organizer["headers"])
    assert outside.status_code == 422
    assert fields(outside) == [("x", "outside_hall"), ("y", "outside_hall")]
    negative = await client.post(
        STANDS, json=stand(hall, "B 1", -1, 0, width=-3, depth=0, capacity=3), headers=organizer["headers"]
    )
    assert negative.status_code == 422
    assert fields(negative) == [
        ("code", "invalid_code"), ("x", "negative"), ("width", "not_positive"), ("depth", "not_positive"),
        ("capacity", "invalid_capacity"),
    ]  # fmt: skip
    foreign = await client.post(STANDS, json=stand(999_999, "B-1", 0, 0), headers=organizer["headers"])
    assert (foreign.status_code, fields(foreign)) == (422, [("hall", "unknown_hall")])
    assert await Stand.count() == 0


async def test_a_taken_code_is_refused_and_a_stand_is_changed_and_deleted(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0, 0))
    await create(client, organizer["headers"], stand(hall, "A-2", 10, 0))
    again = await client.post(STANDS, json=stand(hall, "A-1", 20, 0), headers=organizer["headers"])
    assert (again.status_code, fields(again)) == (409, [("code", "duplicate")])
    moved = await client.patch(f"{STANDS}/A-2", json={"x": 3, "water": True}, headers=organizer["headers"])
    assert (moved.json()["x"], moved.json()["water"]) == (3.0, True)
    onto = await client.patch(f"{STANDS}/A-2", json={"x": 2}, headers=organizer["headers"])
    assert (onto.status_code, fields(onto)) == (409, [("x", "stand_overlap")])
    assert (await client.delete(f"{STANDS}/A-2", headers=organizer["headers"])).status_code == 204
    assert (await client.get(f"{STANDS}/A-2", headers=organizer["headers"])).status_code == 404


async def test_a_grid_is_generated_whole_or_not_at_all(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    grid = {
        "hall": hall, "rows": 2, "columns": 4, "stand_width": 3, "stand_depth": 2.5, "aisle_width": 4,
        "origin_x": 1, "origin_y": 1, "prefix": "B", "mark_corners": True, "power": True,
    }  # fmt: skip
    made = await client.post(f"{STANDS}/grid", json=grid, headers=organizer["headers"])
    assert made.status_code == 201, made.text
    assert made.json() == {"created": 8, "codes": [f"B-{n}" for n in range(1, 9)]}
    listed = (await client.get(STANDS, headers=organizer["headers"])).json()["items"]
    assert [(s["code"], s["x"], s["y"], s["stand_type"]) for s in listed] == [
        ("B-1", 1.0, 1.0, "corner"), ("B-2", 4.0, 1.0, "standard"), ("B-3", 7.0, 1.0, "standard"),
        ("B-4", 10.0, 1.0, "corner"), ("B-5", 1.0, 7.5, "corner"), ("B-6", 4.0, 7.5, "standard"),
        ("B-7", 7.0, 7.5, "standard"), ("B-8", 10.0, 7.5, "corner"),
    ]  # fmt: skip
    # A second grid whose first row lands on B-7 and B-8: refused, with the clashing codes, and nothing added.
    clash = await client.post(
        f"{STANDS}/grid", json={**grid, "prefix": "C", "origin_x": 8, "origin_y": 7.5, "rows": 3},
        headers=organizer["headers"],
    )  # fmt: skip
    assert clash.status_code == 409
    assert sorted(error["reason"] for error in clash.json()["errors"]) == [
        "stand C-1 overlaps stand B-7", "stand C-1 overlaps stand B-8", "stand C-2 overlaps stand B-8",
    ]  # fmt: skip
    assert await Stand.count() == 8
    too_wide = await client.post(
        f"{STANDS}/grid", json={**grid, "prefix": "D", "columns": 30}, headers=organizer["headers"]
    )
    assert too_wide.status_code == 422
    assert await Stand.count() == 8


async def test_stands_round_trip_through_csv_and_a_bad_file_adds_nothing(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0.5, 0, 3.25, 3, zone="=cmd", power=True))
    await create(client, organizer["headers"], stand(hall, "A-2", 3.75, 0, 10, capacity=2, accessible=True))
    exported = await client.get(f"{STANDS}/export", headers=organizer["headers"])
    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines() == [
        "code,hall,x,y,width,depth,type,zone,power,water,accessible,capacity,exhibitors",
        "A-1,Hall A,0.5,0,3.25,3,standard,'=cmd,yes,no,no,1,",
        "A-2,Hall A,3.75,0,10,3,standard,,no,no,yes,2,",
    ]
    before = (await client.get(STANDS, headers=organizer["headers"])).json()["items"]
    for code in ("A-1", "A-2"):
        assert (await client.delete(f"{STANDS}/{code}", headers=organizer["headers"])).status_code == 204
    imported = await client.post(f"{STANDS}/import", content=exported.content, headers=organizer["headers"])
    assert imported.status_code == 201, imported.text
    assert imported.json() == {"created": 2, "codes": ["A-1", "A-2"]}
    assert (await client.get(STANDS, headers=organizer["headers"])).json()["items"] == before

    bad = "\n".join([
        "code,hall,x,y,width,depth,power",
        "Z-1,Hall A,40,0,3,3,yes",  # fine alone
        "Z-2,Hall Q,0,0,3,3,yes",  # no such hall
        "Z-3,Hall A,abc,0,-3,3,maybe",  # not a number, negative width, not yes/no
        "A-1,Hall A,50,0,3,3,no",  # taken code (reported once the rows parse)
    ])  # fmt: skip
    refused = await client.post(f"{STANDS}/import", content=bad.encode(), headers=organizer["headers"])
    assert refused.status_code == 422
    assert fields(refused) == [
        ("rows.2.hall", "unknown_hall"),
        ("rows.3.x", "invalid"),
        ("rows.3.power", "invalid"),
    ]
    assert await Stand.count() == 2
    clashing = "code,hall,x,y,width,depth\nZ-1,Hall A,40,0,3,3\nZ-2,Hall A,41,1,3,3\n"
    overlap = await client.post(f"{STANDS}/import", content=clashing.encode(), headers=organizer["headers"])
    assert (overlap.status_code, fields(overlap)) == (409, [("x", "stand_overlap")])
    assert await Stand.count() == 2


async def test_the_hall_plan_size_is_set_but_never_smaller_than_its_stands(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 20, 10, 5, 5))
    listed = await client.get(f"{API}/halls", headers=organizer["headers"])
    assert [(h["name"], h["width"], h["depth"], h["stands"]) for h in listed.json()] == [
        ("Hall A", 60.0, 40.0, 1), ("Hall B", 30.0, 20.0, 0),
    ]  # fmt: skip
    smaller = await client.patch(f"{API}/halls/{hall}", json={"width": 24.5, "depth": 12}, headers=organizer["headers"])
    assert (smaller.status_code, fields(smaller)) == (422, [("width", "stands_outside"), ("depth", "stands_outside")])
    fits = await client.patch(f"{API}/halls/{hall}", json={"width": 25, "depth": 15.5}, headers=organizer["headers"])
    assert (fits.json()["width"], fits.json()["depth"]) == (25.0, 15.5)


async def test_only_the_exhibitions_organizers_see_and_change_stands(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    await create(client, organizer["headers"], stand(hall, "A-1", 0, 0))
    stranger = await _exhibitor("stranger@coop.ma")
    requests = [
        ("GET", STANDS, None), ("POST", STANDS, stand(hall, "A-9", 30, 30)), ("GET", f"{STANDS}/A-1", None),
        ("PATCH", f"{STANDS}/A-1", {"x": 5}), ("DELETE", f"{STANDS}/A-1", None), ("GET", f"{API}/halls", None),
        ("PUT", f"{STANDS}/A-1/assignment", {"application": 1}), ("GET", f"{STANDS}/export", None),
        ("POST", f"{STANDS}/grid", {"hall": hall, "rows": 1, "columns": 1, "stand_width": 3, "stand_depth": 3,
                                    "prefix": "Q"}),
    ]  # fmt: skip
    for method, url, body in requests:
        anonymous = await client.request(method, url, json=body)
        assert anonymous.status_code == 401, (method, url)
        refused = await client.request(method, url, json=body, headers=stranger)
        assert refused.status_code == 403, (method, url, refused.text)
    unknown = await client.get("/api/v1/exhibitions/nope-2027/stands", headers=organizer["headers"])
    assert unknown.status_code == 404
    assert await Stand.count() == 1


@pytest.mark.parametrize("size", [1e308, 10_000.01, -10_000.01])
async def test_a_size_beyond_any_venue_is_named_not_a_server_error(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int, size: float
) -> None:
    """Found by the API fuzzing: 1e308 metres overflowed on its way to centimetres."""
    hall = (await halls(exhibition))["Hall A"]
    grid = {"hall": hall, "rows": 1, "columns": 1, "stand_width": size, "stand_depth": 2, "prefix": "Z"}
    refused = await client.post(f"{STANDS}/grid", json=grid, headers=organizer["headers"])
    assert refused.status_code == 422, refused.text
    assert [error["field"] for error in refused.json()["errors"]] == ["stand_width"]
    one = await client.post(STANDS, json=stand(hall, "Z-1", size, 0), headers=organizer["headers"])
    assert one.status_code == 422, one.text
    assert [error["field"] for error in one.json()["errors"]] == ["x"]
