"""Live counts: admitted today, inside now per checkpoint, scans per quarter hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from exhibitions.accounts.actor import Actor
from exhibitions.clock import utcnow
from exhibitions.tickets import services
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.services._live import local_day_bounds
from exhibitions.tickets.tables import CheckpointKind, CheckpointPolicy
from tests.conftest import NOW
from tests.factories import FIRST_DAY

CASABLANCA = ZoneInfo("Africa/Casablanca")


def at(hour: int, minute: int, day: date = FIRST_DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), CASABLANCA)


def test_quarter_hours_fill_the_quiet_ones_and_start_at_the_earliest() -> None:
    first = int(datetime(2027, 5, 7, 9, 0, tzinfo=UTC).timestamp()) // 900
    quarters = services.quarter_hours({first + 2: (3, 2)}, first=first, last=first + 3, time_zone="UTC")
    assert [(q.starts_at.strftime("%H:%M"), q.admitted, q.refused) for q in quarters] == [
        ("09:00", 0, 0), ("09:15", 0, 0), ("09:30", 3, 2), ("09:45", 0, 0),
    ]  # fmt: skip
    # A scan before the opening (staff testing the gate) widens the range rather than vanishing.
    early = services.quarter_hours({first - 1: (1, 1)}, first=first, last=first, time_zone="UTC")
    assert [q.starts_at.strftime("%H:%M") for q in early] == ["08:45", "09:00"]
    assert services.quarter_hours({}, first=None, last=first, time_zone="UTC") == []


def test_a_local_day_is_bounded_in_utc_even_when_the_offset_changes() -> None:
    # Morocco leaves UTC+1 for Ramadan; in 2026 the change happened on the night of 15 February.
    start, end = local_day_bounds(date(2026, 2, 15), "Africa/Casablanca")
    assert start == datetime(2026, 2, 14, 23, 0, tzinfo=UTC)
    assert end - start in (timedelta(hours=24), timedelta(hours=25))
    assert local_day_bounds(date(2027, 5, 7), "Africa/Casablanca") == (
        datetime(2027, 5, 6, 23, 0, tzinfo=UTC),
        datetime(2027, 5, 7, 23, 0, tzinfo=UTC),
    )


async def _scan(device: Actor, code: str, checkpoint: int, moment: datetime, direction: str = "in") -> str:
    outcome = await services.check_in(
        device=device, code=code, checkpoint_id=checkpoint, direction=direction, scanned_at=moment, now=moment
    )
    return outcome.result.value


async def test_live_counts_add_up_what_the_gates_saw_today(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int, settings: Any
) -> None:
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    gate = await services.create_checkpoint(
        slug="sess-2027", name="Porte A", kind=CheckpointKind.gate, policy=CheckpointPolicy.once_per_day,
        capacity=None, actor=actor,
    )  # fmt: skip
    room = await services.create_checkpoint(
        slug="sess-2027", name="Salle 1", kind=CheckpointKind.room, policy=CheckpointPolicy.reentry_after_exit,
        capacity=50, actor=actor,
    )  # fmt: skip
    token_id, _ = await services.create_device(slug="sess-2027", name="Phone", actor=actor, now=NOW)
    device = Actor(user_id=organizer["id"], email="", token_id=token_id, device_exhibition_id=exhibition)
    codes = []
    for number in range(3):
        view, _ = await services.register_visitor(
            slug="sess-2027", data=RegistrationIn(name=f"Visiteur {number}", email=f"v{number}@example.ma",
                                                  home_region="MA-01"),
            secret_key=settings.secret_key, now=utcnow(),
        )  # fmt: skip
        codes.append(view.code)
    assert await _scan(device, codes[0], gate["id"], at(12, 0)) == "admitted"
    assert await _scan(device, "EXNOT-A-TICKET", gate["id"], at(12, 5)) == "invalid"
    assert await _scan(device, codes[0], gate["id"], at(12, 10)) == "already_admitted"
    assert await _scan(device, codes[1], gate["id"], at(12, 20)) == "admitted"
    assert await _scan(device, codes[1], room["id"], at(12, 25)) == "admitted"
    assert await _scan(device, codes[2], room["id"], at(12, 26)) == "admitted"
    assert await _scan(device, codes[2], room["id"], at(12, 31), direction="out") == "exited"
    # Yesterday's visitor is not today's.
    assert await _scan(device, codes[2], gate["id"], at(19, 0, FIRST_DAY - timedelta(days=1))) == "not_valid_today"

    counts = await services.live_counts(slug="sess-2027", actor=actor, now=at(12, 40))
    assert counts.day == FIRST_DAY
    assert counts.admitted_today == 2
    assert counts.inside_now == 2
    assert [(c["name"], c["inside"], c["capacity"], c["admitted_today"]) for c in counts.checkpoints] == [
        ("Porte A", 2, None, 2),
        ("Salle 1", 1, 50, 2),
    ]
    # Every quarter from the 10:00 opening to the current one, quiet ones included.
    assert len(counts.quarters) == 11
    assert counts.quarters[0].starts_at == at(10, 0)
    assert [(q.starts_at.strftime("%H:%M"), q.admitted, q.refused) for q in counts.quarters[-3:]] == [
        ("12:00", 1, 2), ("12:15", 3, 0), ("12:30", 0, 0),
    ]  # fmt: skip

    response = await client.get("/api/v1/exhibitions/sess-2027/live", headers=organizer["headers"])
    assert response.status_code == 200
    # The real clock is a month before the exhibition: nothing scanned "today" yet.
    assert response.json()["admitted_today"] == 0
    assert [c["name"] for c in response.json()["checkpoints"]] == ["Porte A", "Salle 1"]
