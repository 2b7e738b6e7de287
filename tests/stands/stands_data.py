"""Halls, approved applications and stands for the stands tests, written straight to the
database where the API is not what is under test."""

from __future__ import annotations

from typing import Any

import httpx

from exhibitions.stands.tables import Stand
from tests.conftest import NOW

SLUG = "sess-2027"
API = f"/api/v1/exhibitions/{SLUG}"
STANDS = f"{API}/stands"


async def halls(exhibition_id: int) -> dict[str, int]:
    """The exhibition's halls by name ("Hall A", "Hall B"), plans set to 60 m × 40 m and 30 m × 20 m."""
    rows = await Stand.raw(
        "SELECT h.id, h.name FROM hall h JOIN exhibition e ON e.venue = h.venue WHERE e.id = {}", exhibition_id
    )
    found = {row["name"]: row["id"] for row in rows}
    for name, width, depth in (("Hall A", 6000, 4000), ("Hall B", 3000, 2000)):
        await Stand.raw(
            "UPDATE hall SET plan_width_cm = {}, plan_depth_cm = {} WHERE id = {}", width, depth, found[name]
        )
    return found


async def application(exhibition_id: int, number: int, status: str = "approved", name: str | None = None) -> int:
    """An organization and its application at ``status``; the application's id."""
    rows = await Stand.raw(
        "INSERT INTO organization (legal_form, name_latin, registry_number, region, city, sector, created_at,"
        " updated_at) VALUES ('cooperative', {}, {}, 'MA-09', 'Taroudant', 'argan', {}, {}) RETURNING id",
        name or f"Coopérative {number}", f"{number}/2015", NOW, NOW,
    )  # fmt: skip
    created = await Stand.raw(
        "INSERT INTO application (exhibition, organization, status, created_at, updated_at)"
        " VALUES ({}, {}, {}, {}, {}) RETURNING id",
        exhibition_id, rows[0]["id"], status, NOW, NOW,
    )  # fmt: skip
    return int(created[0]["id"])


def stand(
    hall: int, code: str, x: float, y: float, width: float = 3, depth: float = 3, **fields: Any
) -> dict[str, Any]:
    return {"hall": hall, "code": code, "x": x, "y": y, "width": width, "depth": depth, **fields}


async def create(client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(STANDS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def fields(response: httpx.Response) -> list[tuple[str, str]]:
    """(field, code) of each error of a problem document."""
    return [(error["field"], error["code"]) for error in response.json().get("errors", [])]
