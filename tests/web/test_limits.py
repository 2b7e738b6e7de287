"""Limits that protect the public endpoints: body size and a per-client rate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from exhibitions.app import create_app
from exhibitions.db import Database
from exhibitions.settings import Settings
from exhibitions.tickets.tables import Ticket


@pytest.fixture
async def strict_client(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(replace(settings, public_rate_limit=3, max_body_bytes=2_000), database=database)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client


async def test_an_oversized_body_is_refused_before_it_is_read(
    strict_client: httpx.AsyncClient, exhibition: int
) -> None:
    response = await strict_client.post(
        "/api/v1/exhibitions/sess-2027/tickets", json={"name": "x" * 5_000, "home_region": "MA-01", "email": "a@b.ma"}
    )
    assert response.status_code == 413
    assert response.json()["type"] == "urn:exhibitions:problem:too-large"
    assert await Ticket.count() == 0


async def test_an_oversized_form_gets_a_page_in_the_visitors_language(
    strict_client: httpx.AsyncClient, exhibition: int
) -> None:
    response = await strict_client.post(
        "/exhibitions/sess-2027/register?lang=fr", data={"name": "x" * 5_000}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 413
    assert "Ce que vous avez envoyé est trop volumineux" in response.text
    assert await Ticket.count() == 0


async def test_public_writes_are_rate_limited_per_client(strict_client: httpx.AsyncClient, exhibition: int) -> None:
    statuses = []
    for number in range(4):
        response = await strict_client.post(
            "/api/v1/exhibitions/sess-2027/tickets",
            json={"name": "Visitor", "home_region": "MA-01", "email": f"v{number}@example.ma"},
        )
        statuses.append(response.status_code)
    assert statuses == [201, 201, 201, 429]
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:exhibitions:problem:too-many-requests"
    assert int(response.headers["retry-after"]) > 0
    assert await Ticket.count() == 3
    # Reads are not limited.
    reads: list[Any] = [await strict_client.get("/api/v1/exhibitions/sess-2027") for _ in range(5)]
    assert [read.status_code for read in reads] == [200] * 5


async def test_group_registrations_count_as_public_writes(strict_client: httpx.AsyncClient, exhibition: int) -> None:
    statuses = []
    for number in range(4):
        response = await strict_client.post(
            "/api/v1/exhibitions/sess-2027/groups",
            json={
                "leader": {"name": "Leader", "home_region": "MA-01", "email": f"leader{number}@example.ma"},
                "members": [{"name": "Member"}],
            },
        )
        statuses.append(response.status_code)
    assert statuses == [201, 201, 201, 429]
    assert await Ticket.count() == 6
