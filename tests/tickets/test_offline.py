"""Offline scans uploaded in a batch: the same outcomes as live scans, in scanned_at order,
duplicates flagged, impossible scan times refused, and a revoked device changes nothing.

A batch's scan times must not be in the future, so these tests use an exhibition that
opened the day before yesterday, and scan in its first two days (the API's clock is the
real one)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.clock import utcnow
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionUpdate
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.tickets import services
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.tables import Admission, Checkpoint, Scan, Ticket
from tests.factories import exhibition_create

CASABLANCA = ZoneInfo("Africa/Casablanca")
SLUG = "running-now"


def _first_day() -> date:
    """The running exhibition's first day: the day before yesterday, so that its first two
    days are wholly in the past."""
    return utcnow().astimezone(CASABLANCA).date() - timedelta(days=2)


def _at(hour: int, minute: int = 0, days: int = 0) -> str:
    """The first day (plus ``days``) at this local time, as the API takes it."""
    return datetime.combine(_first_day() + timedelta(days=days), time(hour, minute), CASABLANCA).isoformat()


@pytest.fixture
async def running(organizer: dict[str, Any]) -> dict[str, Any]:
    """An exhibition that opened the day before yesterday (10:00-20:00, ten days)."""
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    first = _first_day()
    data = exhibition_create(slug=SLUG, starts_on=first, ends_on=first + timedelta(days=9))
    await event_services.create_exhibition(data=data, actor=actor, now=utcnow())
    await event_services.update_exhibition(
        slug=SLUG, changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=actor, now=utcnow()
    )
    return {"actor": actor, "headers": organizer["headers"]}


async def _checkpoint(client: httpx.AsyncClient, running: dict[str, Any], **body: Any) -> int:
    response = await client.post(f"/api/v1/exhibitions/{SLUG}/checkpoints", json=body, headers=running["headers"])
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _device(client: httpx.AsyncClient, running: dict[str, Any], name: str = "Phone") -> dict[str, str]:
    response = await client.post(f"/api/v1/exhibitions/{SLUG}/devices", json={"name": name}, headers=running["headers"])
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def _ticket(settings: Any, email: str, slug: str = SLUG) -> tuple[str, str]:
    """(signed code, manual code)."""
    view, _ = await services.register_visitor(
        slug=slug, data=RegistrationIn(name=email.split("@")[0], email=email, home_region="MA-01"),
        secret_key=settings.secret_key, now=utcnow(),
    )  # fmt: skip
    return view.code, view.row["manual_code"]


async def _batch(client: httpx.AsyncClient, device: dict[str, str], scans: list[dict[str, Any]]) -> httpx.Response:
    return await client.post("/api/v1/checkins/batch", json={"scans": scans}, headers=device)


async def test_offline_scans_are_applied_in_order_and_duplicates_flagged(
    client: httpx.AsyncClient, running: dict[str, Any], settings: Any
) -> None:
    gate = await _checkpoint(client, running, name="Porte A")
    device = await _device(client, running)
    (first, _), (second, _) = await _ticket(settings, "a@example.ma"), await _ticket(settings, "b@example.ma")
    scans = [  # sent out of order: the later scan of the first ticket comes first
        {"code": first, "checkpoint": gate, "scanned_at": _at(12, 5), "nonce": "n-2"},
        {"code": first, "checkpoint": gate, "scanned_at": _at(12), "nonce": "n-1"},
        {"code": second, "checkpoint": gate, "scanned_at": _at(12), "nonce": "n-3"},
        {"code": "EXBROKEN", "checkpoint": gate, "scanned_at": _at(12), "nonce": "n-4"},
        {"code": second, "checkpoint": gate, "scanned_at": _at(12, 1), "nonce": "n-3"},  # sent twice in one upload
    ]
    response = await _batch(client, device, scans)
    assert response.status_code == 200
    assert [(r["nonce"], r["result"], r["duplicate"], r["holder_name"]) for r in response.json()["results"]] == [
        ("n-1", "admitted", False, "a"),
        ("n-3", "admitted", False, "b"),
        ("n-4", "invalid", False, None),
        ("n-3", "admitted", True, "b"),
        ("n-2", "already_admitted", False, "a"),
    ]
    again = await _batch(client, device, scans[:2])
    assert [(r["nonce"], r["result"], r["duplicate"]) for r in again.json()["results"]] == [
        ("n-1", "admitted", True),
        ("n-2", "already_admitted", True),
    ]
    assert await Admission.count() == 2
    assert await Scan.count() == 4
    assert (await Checkpoint.select(Checkpoint.inside).where(Checkpoint.id == gate).first())["inside"] == 2


# (visitor, checkpoint, direction, hour, minute, day offset): a day at the gates and in a
# seminar room of capacity 1 that people may leave and re-enter.
SCENARIO = [
    ("amina", "gate", "in", 10, 0, 0),
    ("amina", "gate", "in", 10, 30, 0),  # already admitted today
    ("amina", "room", "in", 11, 0, 0),
    ("badr", "room", "in", 11, 5, 0),  # capacity reached
    ("badr", "room", "out", 11, 6, 0),  # not inside
    ("amina", "room", "out", 12, 0, 0),
    ("badr", "room", "in", 12, 1, 0),
    ("amina", "room", "in", 12, 2, 0),  # capacity reached again
    ("badr", "gate", "in", 9, 0, 0),  # before opening
    ("badr", "gate", "in", 12, 0, -1),  # the day before the tickets' first day
    ("chama", "gate", "in", 13, 0, 0),  # revoked
    ("amina", "gate", "in", 10, 0, 1),  # the next day: a new day pass entry
    ("amina", "hall", "in", 14, 0, 0),
    ("amina", "hall", "in", 14, 1, 0),  # unlimited
    ("amina", "hall", "out", 14, 2, 0),
    ("nobody", "gate", "in", 13, 0, 0),  # not a ticket
]


async def _world(client: httpx.AsyncClient, running: dict[str, Any], settings: Any, tag: str) -> dict[str, Any]:
    """Checkpoints and tickets of their own, so that two runs of the scenario do not meet
    (gates share their scope, but the tickets differ)."""
    world: dict[str, Any] = {
        "gate": await _checkpoint(client, running, name=f"Gate {tag}"),
        "room": await _checkpoint(
            client, running, name=f"Room {tag}", kind="room", policy="reentry_after_exit", capacity=1
        ),
        "hall": await _checkpoint(client, running, name=f"Hall {tag}", kind="hall", policy="unlimited"),
        "nobody": "EX" + "0" * 116,
    }
    for name in ("amina", "badr", "chama"):
        world[name], _ = await _ticket(settings, f"{name}-{tag}@example.ma")
    await Ticket.update({Ticket.status: "revoked"}).where(Ticket.email == f"chama-{tag}@example.ma")
    return world


async def test_a_batch_answers_what_the_same_scans_answer_live(
    client: httpx.AsyncClient, running: dict[str, Any], settings: Any
) -> None:
    device = await _device(client, running)
    live, offline = await _world(client, running, settings, "live"), await _world(client, running, settings, "batch")

    def body(world: dict[str, Any], number: int, step: tuple[str, str, str, int, int, int]) -> dict[str, Any]:
        visitor, checkpoint, direction, hour, minute, days = step
        return {"code": world[visitor], "checkpoint": world[checkpoint], "direction": direction,
                "scanned_at": _at(hour, minute, days), "nonce": f"{number}"}  # fmt: skip

    live_steps = sorted(enumerate(SCENARIO), key=lambda item: _at(*item[1][3:]))
    live_answers = []
    for number, step in live_steps:
        response = await client.post("/api/v1/checkins", json=body(live, number, step), headers=device)
        assert response.status_code == 200, response.text
        live_answers.append(response.json())
    batch = await _batch(client, device, [body(offline, 100 + number, step) for number, step in enumerate(SCENARIO)])
    assert batch.status_code == 200, batch.text
    batch_answers = batch.json()["results"]
    expected = [  # in scanned_at order
        ("not_valid_today", "badr"),
        ("checkpoint_closed", "badr"),
        ("admitted", "amina"),
        ("already_admitted", "amina"),
        ("admitted", "amina"),
        ("capacity_reached", "badr"),
        ("not_inside", "badr"),
        ("exited", "amina"),
        ("admitted", "badr"),
        ("capacity_reached", "amina"),
        ("revoked", "chama"),
        ("invalid", None),
        ("admitted", "amina"),
        ("admitted", "amina"),
        ("exited", "amina"),
        ("admitted", "amina"),
    ]
    assert [(answer["result"], answer["holder_name"]) for answer in live_answers] == [
        (result, f"{name}-live" if name else None) for result, name in expected
    ]
    assert [(answer["result"], answer["holder_name"], answer["duplicate"]) for answer in batch_answers] == [
        (result, f"{name}-batch" if name else None, False) for result, name in expected
    ]
    for world in (live, offline):
        insides = {
            row["id"]: row["inside"]
            for row in await Checkpoint.select(Checkpoint.id, Checkpoint.inside).where(
                Checkpoint.id.is_in([world["gate"], world["room"], world["hall"]])
            )
        }
        assert insides == {world["gate"]: 2, world["room"]: 1, world["hall"]: 1}
    assert await Scan.count() == 2 * len(SCENARIO)


async def test_impossible_scan_times_refuse_the_batch_naming_each(
    client: httpx.AsyncClient, running: dict[str, Any], settings: Any
) -> None:
    gate = await _checkpoint(client, running, name="Porte A")
    device = await _device(client, running)
    code, _ = await _ticket(settings, "a@example.ma")
    future = (utcnow() + timedelta(minutes=6)).isoformat()
    scans = [
        {"code": code, "checkpoint": gate, "scanned_at": _at(12), "nonce": "ok"},
        {"code": code, "checkpoint": gate, "scanned_at": future, "nonce": "future"},
        {"code": code, "checkpoint": gate, "scanned_at": _at(23, 59, -2), "nonce": "too-early"},
        {"code": code, "checkpoint": 999999, "scanned_at": _at(12), "nonce": "elsewhere"},
    ]
    response = await _batch(client, device, scans)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "scans[1].scanned_at", "code": "in_the_future", "reason": "is more than 5 minutes ahead of the server"},
        {"field": "scans[2].scanned_at", "code": "before_exhibition",
         "reason": "is before the day before the exhibition's first day"},
        {"field": "scans[3].checkpoint", "code": "unknown_checkpoint",
         "reason": "is not a checkpoint of this device's exhibition"},
    ]  # fmt: skip
    assert await Scan.count() == 0
    # Within the clock skew and on the day before the first day: accepted.
    near = utcnow() + timedelta(minutes=4)
    scans = [
        {"code": code, "checkpoint": gate, "scanned_at": near.isoformat(), "nonce": "near"},
        {"code": code, "checkpoint": gate, "scanned_at": _at(0, 0, -1), "nonce": "eve"},
    ]
    response = await _batch(client, device, scans)
    open_then = time(10) <= near.astimezone(CASABLANCA).time() < time(20)
    assert [(r["nonce"], r["result"]) for r in response.json()["results"]] == [
        ("eve", "not_valid_today"),
        ("near", "admitted" if open_then else "checkpoint_closed"),
    ]
    assert await Scan.count() == 2


async def test_manual_codes_are_checked_in_by_the_same_rules(
    client: httpx.AsyncClient, running: dict[str, Any], settings: Any
) -> None:
    gate = await _checkpoint(client, running, name="Porte A")
    device = await _device(client, running)
    _, manual = await _ticket(settings, "a@example.ma")
    typed = f" {manual[:4].lower()}-{manual[4:]} "

    async def scan(code: str, at: str) -> dict[str, Any]:
        response = await client.post(
            "/api/v1/checkins", json={"code": code, "checkpoint": gate, "scanned_at": at}, headers=device
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    assert (await scan(typed, _at(12)))["result"] == "admitted"
    again = await scan(manual, _at(13))
    assert (again["result"], again["admitted_by"], again["holder_name"]) == ("already_admitted", "Porte A", "a")
    assert (await scan(manual, _at(12, 0, -1)))["result"] == "not_valid_today"  # the ticket's own first day
    assert (await scan("3467-9ACD", _at(12)))["result"] == "invalid"  # no such ticket
    # Another exhibition's ticket's manual code is not one of this exhibition's.
    other = exhibition_create(slug="other-2027", starts_on=_first_day(), ends_on=_first_day() + timedelta(days=5))
    await event_services.create_exhibition(data=other, actor=running["actor"], now=utcnow())
    await event_services.update_exhibition(
        slug="other-2027", changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=running["actor"],
        now=utcnow(),
    )  # fmt: skip
    _, foreign = await _ticket(settings, "z@example.ma", slug="other-2027")
    assert (await scan(foreign, _at(12)))["result"] == "invalid"
    await Ticket.update({Ticket.status: "revoked"}).where(Ticket.manual_code == manual)
    assert (await scan(manual, _at(14)))["result"] == "revoked"
    batch = await _batch(
        client, device, [{"code": manual.lower(), "checkpoint": gate, "scanned_at": _at(15), "nonce": "m"}]
    )
    assert [r["result"] for r in batch.json()["results"]] == ["revoked"]
    assert await Admission.count() == 1


async def test_a_device_revoked_after_it_scanned_changes_nothing(
    client: httpx.AsyncClient, running: dict[str, Any], settings: Any
) -> None:
    gate = await _checkpoint(client, running, name="Porte A")
    device = await _device(client, running)
    code, _ = await _ticket(settings, "a@example.ma")
    other, _ = await _ticket(settings, "b@example.ma")
    first = await client.post("/api/v1/checkins", json={"code": code, "checkpoint": gate, "scanned_at": _at(12)},
                              headers=device)  # fmt: skip
    assert first.json()["result"] == "admitted"  # this process now knows the device
    tokens = (await client.get("/api/v1/auth/tokens", headers=running["headers"])).json()
    device_token = next(token for token in tokens if token["kind"] == "device")
    revoked = await client.delete(f"/api/v1/auth/tokens/{device_token['id']}", headers=running["headers"])
    assert revoked.status_code == 204
    live = await client.post("/api/v1/checkins", json={"code": other, "checkpoint": gate, "scanned_at": _at(12)},
                             headers=device)  # fmt: skip
    assert (live.status_code, live.json()["detail"]) == (401, "the token is unknown, expired or revoked")
    batch = await _batch(client, device, [{"code": other, "checkpoint": gate, "scanned_at": _at(12), "nonce": "x"}])
    assert batch.status_code == 401
    assert await Admission.count() == 1
    assert await Scan.count() == 1
    assert (await Checkpoint.select(Checkpoint.inside).where(Checkpoint.id == gate).first())["inside"] == 1
