"""Small hand-made attendance records: real rows in the real database (tickets, checkpoints
and the scan log, as the check-in writes them), built directly so that each test places
scans at the exact instants its expectations were computed from."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.events import queries as event_queries
from exhibitions.events import services as event_services
from exhibitions.tickets.tables import Checkpoint, Scan, Ticket
from tests.conftest import NOW
from tests.factories import exhibition_create

_numbers = itertools.count(1)


@pytest.fixture
def organizer_actor(organizer: dict[str, Any]) -> Actor:
    return Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))


MakeExhibition = Callable[..., Awaitable[int]]


@pytest.fixture
def make_exhibition(organizer_actor: Actor) -> MakeExhibition:
    async def make(slug: str, starts_on: date, ends_on: date, **overrides: Any) -> int:
        data = exhibition_create(slug=slug, starts_on=starts_on, ends_on=ends_on, **overrides)
        await event_services.create_exhibition(data=data, actor=organizer_actor, now=NOW)
        row = await event_queries.find_exhibition(slug)
        assert row is not None
        return int(row["id"])

    return make


async def add_checkpoint(exhibition_id: int, name: str, kind: str = "gate", capacity: int | None = None) -> int:
    rows = await Checkpoint.insert(
        Checkpoint(exhibition=exhibition_id, name=name, kind=kind, policy="once_per_day", capacity=capacity)
    ).returning(Checkpoint.id)
    return int(rows[0]["id"])


async def add_ticket(
    exhibition_id: int, *, region: str = "MA-04", category: str = "general", status: str = "valid",
    name: str | None = None, first_day: date = date(2027, 5, 7),
) -> int:  # fmt: skip
    number = next(_numbers)
    rows = await Ticket.insert(
        Ticket(
            exhibition=exhibition_id,
            access_token=f"token-{number}",
            manual_code=f"CODE{number:06d}",
            holder_name=name or f"Visiteur {number}",
            email=f"v{number}@example.ma",
            home_region=region,
            category=category,
            language="fr",
            first_day=first_day,
            day_count=10,
            key_id=1,
            status=status,
            created_at=NOW,
        )
    ).returning(Ticket.id)
    return int(rows[0]["id"])


async def scan(
    exhibition_id: int, checkpoint_id: int, ticket_id: int, at: datetime, result: str = "admitted",
    received_at: datetime | None = None,
) -> None:  # fmt: skip
    await Scan.insert(
        Scan(
            exhibition=exhibition_id,
            checkpoint=checkpoint_id,
            ticket=ticket_id,
            direction="out" if result in ("exited", "not_inside") else "in",
            result=result,
            scanned_at=at,
            received_at=received_at or at,
        )
    )


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
