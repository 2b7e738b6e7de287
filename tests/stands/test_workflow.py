"""Allocation proposals end to end: compute, accept (all or part), move and lock by hand,
re-run; stale proposals refused; stands published and announced; withdrawals free stands;
the `exhibitions allocate` command."""

from __future__ import annotations

import asyncio
from typing import Any

import anyio
import httpx
import pytest
from click.testing import CliRunner

from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import TokenKind
from exhibitions.cli import main
from exhibitions.clock import utcnow
from exhibitions.exhibitors.services import move_application
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.notifications.services import deliver_due
from exhibitions.notifications.tables import Outbox
from exhibitions.settings import Settings
from exhibitions.stands.tables import StandAssignment
from tests.conftest import NOW
from tests.notifications.conftest import Mailbox, mailbox, smtp_server  # noqa: F401 - fixtures
from tests.stands.stands_data import API, STANDS, application, create, fields, halls, stand

PROPOSALS = f"{API}/allocation/proposals"
FAST = {"time_limit_s": 2}


async def _member(organization_of: int, email: str, language: str) -> None:
    """A member account of the organization of application ``organization_of``."""
    user_id = await account_services.create_user(email=email, password="exhibitor-password-1", now=NOW)
    await StandAssignment.raw("UPDATE app_user SET preferred_language = {} WHERE id = {}", language, user_id)
    await StandAssignment.raw(
        "INSERT INTO organization_member (organization, \"user\", created_at)"
        " SELECT organization, {}, {} FROM application WHERE id = {}",
        user_id, NOW, organization_of,
    )  # fmt: skip


async def _seats() -> dict[int, tuple[str, bool, bool]]:
    """application → (stand code, locked, published)."""
    rows = await StandAssignment.raw(
        "SELECT sa.application, s.code, sa.locked, sa.published_at FROM stand_assignment sa"
        " JOIN stand s ON s.id = sa.stand"
    )
    return {row["application"]: (row["code"], bool(row["locked"]), row["published_at"] is not None) for row in rows}


async def _stand_mail() -> list[tuple[str, str, str, str]]:
    rows = await Outbox.raw(
        "SELECT recipient, subject_key, occurrence, language FROM outbox WHERE rule = 'stand_assigned' ORDER BY id"
    )
    return [(row["recipient"], row["subject_key"], row["occurrence"].split("@")[0], row["language"]) for row in rows]


@pytest.fixture
async def fair(client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int) -> dict[str, Any]:
    """Three stands in a row of Hall A (A-1 in zone Souss, A-3 with power) and three approved
    applications: one wants zone Souss, one needs power, one is plain."""
    hall = (await halls(exhibition))["Hall A"]
    for code, x, extra in (("A-1", 0, {"zone": "Souss"}), ("A-2", 3, {}), ("A-3", 6, {"power": True})):
        await create(client, organizer["headers"], stand(hall, code, x, 0, **extra))
    souss = await application(exhibition, 1, name="Coopérative Souss")
    power = await application(exhibition, 2, name="Coopérative Lumière")
    plain = await application(exhibition, 3, name="Coopérative Simple")
    await StandAssignment.raw("UPDATE application SET preferred_zone = 'Souss' WHERE id = {}", souss)
    await StandAssignment.raw("UPDATE application SET needs_power = TRUE WHERE id = {}", power)
    await _member(souss, "souss@coop.ma", "ar")
    await _member(power, "lumiere@coop.ma", "fr")
    return {"hall": hall, "souss": souss, "power": power, "plain": plain, "headers": organizer["headers"]}


async def _compute(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post(PROPOSALS, json={**FAST, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_compute_accept_move_lock_and_rerun_keeps_the_lock(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    headers = fair["headers"]
    proposal = await _compute(client, headers)
    placed = {item["application_id"]: item["stand_code"] for item in proposal["assignments"]}
    assert placed == {fair["souss"]: "A-1", fair["power"]: "A-3", fair["plain"]: "A-2"}
    assert (proposal["status"], proposal["unplaced"], proposal["gap"]) == ("draft", [], 0.0)
    souss_line = next(item for item in proposal["assignments"] if item["application_id"] == fair["souss"])
    assert "zone_met" in souss_line["notes"]
    assert souss_line["name"] == "Coopérative Souss"
    assert sum(proposal["breakdown"].values()) == proposal["objective"]
    read = await client.get(f"{PROPOSALS}/{proposal['id']}", headers=headers)
    assert read.json()["assignments"] == proposal["assignments"]
    assert await _seats() == {}  # a draft seats nobody

    accepted = await client.post(f"{PROPOSALS}/{proposal['id']}/accept", json={}, headers=headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {"accepted": 3, "changed": 3, "notified": 3}
    assert await _seats() == {
        fair["souss"]: ("A-1", False, True), fair["power"]: ("A-3", False, True), fair["plain"]: ("A-2", False, True)
    }  # fmt: skip
    # Each member of each exhibitor, in their language; the plain one has no member.
    assert await _stand_mail() == [
        ("souss@coop.ma", f"application:{fair['souss']}", "A-1", "ar"),
        ("lumiere@coop.ma", f"application:{fair['power']}", "A-3", "fr"),
    ]
    again = await client.post(f"{PROPOSALS}/{proposal['id']}/accept", json={}, headers=headers)
    assert again.status_code == 409
    assert fields(again) == [("proposal", "accepted")]

    # The organizer frees A-2, moves Souss there and locks it.
    freed = await client.delete(f"{STANDS}/A-2/assignment", headers=headers)
    assert freed.status_code == 204
    moved = await client.put(
        f"{STANDS}/A-2/assignment", json={"application": fair["souss"], "locked": True}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    published = await client.post(f"{API}/allocation/publish", headers=headers)
    assert published.json() == {"published": 1}
    assert (await _stand_mail())[-1] == ("souss@coop.ma", f"application:{fair['souss']}", "A-2", "ar")

    rerun = await _compute(client, headers)
    placed = {item["application_id"]: item["stand_code"] for item in rerun["assignments"]}
    assert placed[fair["souss"]] == "A-2"  # the lock holds
    assert placed[fair["power"]] == "A-3"  # published and still fitting: unchanged
    assert placed[fair["plain"]] == "A-1"
    changed = [item["application_id"] for item in rerun["assignments"] if item["changed"]]
    assert changed == []  # no published assignment moves (the plain one had lost its stand)
    assert "locked" in next(i for i in rerun["assignments"] if i["application_id"] == fair["souss"])["notes"]


async def test_part_of_a_proposal_is_accepted_and_a_stale_one_is_refused(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    headers = fair["headers"]
    first = await _compute(client, headers)
    second = await _compute(client, headers)
    partial = await client.post(
        f"{PROPOSALS}/{first['id']}/accept", json={"applications": [fair["power"]]}, headers=headers
    )
    assert partial.json() == {"accepted": 1, "changed": 1, "notified": 1}
    assert await _seats() == {fair["power"]: ("A-3", False, True)}
    # Locking it changes what the second proposal was computed from.
    await client.patch(f"{STANDS}/A-3/assignment", json={"locked": True}, headers=headers)
    stale = await client.post(f"{PROPOSALS}/{second['id']}/accept", json={}, headers=headers)
    assert stale.status_code == 409
    assert fields(stale) == [("proposal", "stale")]
    assert await _seats() == {fair["power"]: ("A-3", True, True)}  # nothing half-written
    unknown = await client.post(f"{PROPOSALS}/{second['id']}/accept", json={"applications": [999_999]}, headers=headers)
    assert unknown.status_code == 422
    assert fields(unknown) == [("applications[0]", "not_proposed")]
    nothing = await client.post(f"{PROPOSALS}/{second['id']}/accept", json={"applications": []}, headers=headers)
    assert fields(nothing) == [("applications", "empty")]


async def test_an_infeasible_instance_gives_a_proposal_with_reasons(
    client: httpx.AsyncClient, fair: dict[str, Any], exhibition: int
) -> None:
    water = await application(exhibition, 4, name="Coopérative Eau")
    await StandAssignment.raw("UPDATE application SET needs_water = TRUE WHERE id = {}", water)
    proposal = await _compute(client, fair["headers"])
    assert len(proposal["assignments"]) == 3
    [unplaced] = proposal["unplaced"]
    assert (unplaced["application_id"], unplaced["code"], unplaced["name"]) == (
        water, "no_fitting_stand", "Coopérative Eau"
    )  # fmt: skip
    assert "water" in unplaced["reason"]


async def test_bad_rules_and_strangers_are_refused(client: httpx.AsyncClient, fair: dict[str, Any]) -> None:
    bad = await client.post(
        PROPOSALS, json={"rules": {"near": -1, "colour": 3, "region_mode": "everywhere"}}, headers=fair["headers"]
    )
    assert bad.status_code == 422
    assert fields(bad) == [
        ("rules.near", "out_of_range"), ("rules.colour", "unknown"), ("rules.region_mode", "invalid")
    ]  # fmt: skip
    anonymous = await client.post(PROPOSALS, json={})
    assert anonymous.status_code == 401
    user_id = await account_services.create_user(email="visitor@test.ma", password="visitor-password-1", now=NOW)
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    stranger = await client.post(PROPOSALS, json={}, headers={"Authorization": f"Bearer {token}"})
    assert stranger.status_code == 403
    assert await StandAssignment.raw("SELECT id FROM allocation_proposal") == []


async def test_a_withdrawal_frees_the_stand(client: httpx.AsyncClient, fair: dict[str, Any]) -> None:
    headers = fair["headers"]
    await client.put(f"{STANDS}/A-2/assignment", json={"application": fair["plain"]}, headers=headers)
    rows = await StandAssignment.raw("SELECT id FROM app_user WHERE email = 'organizer@test.ma'")
    organizer = Actor(user_id=rows[0]["id"], email="organizer@test.ma", roles=frozenset({(None, "organizer")}))
    await StandAssignment.raw(
        "INSERT INTO organization_member (organization, \"user\", created_at)"
        " SELECT organization, {}, {} FROM application WHERE id = {}",
        organizer.user_id, NOW, fair["plain"],
    )  # fmt: skip
    await move_application(application_id=fair["plain"], to=ApplicationStatus.withdrawn, actor=organizer, now=NOW)
    assert await _seats() == {}


async def test_the_allocate_command_prints_a_summary_and_stores_a_draft_unless_dry(
    settings: Settings, fair: dict[str, Any]
) -> None:
    def invoke(*args: str) -> Any:
        return CliRunner().invoke(main, list(args), env={"EXHIBITIONS_DATABASE_URL": settings.database_url})

    dry = await anyio.to_thread.run_sync(lambda: invoke("allocate", "sess-2027", "--dry-run", "--time-limit", "2"))
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("placed: 3  unplaced: 0  ")
    assert "gap: 0.00%" in dry.output
    assert "dry run: nothing was stored" in dry.output
    assert await StandAssignment.raw("SELECT id FROM allocation_proposal") == []
    stored = await anyio.to_thread.run_sync(lambda: invoke("allocate", "sess-2027", "--time-limit", "2"))
    assert stored.exit_code == 0, stored.output
    [row] = await StandAssignment.raw("SELECT id, status FROM allocation_proposal")
    assert row["status"] == "draft"
    assert f"stored as draft proposal {row['id']}: review and accept it" in stored.output
    assert await _seats() == {}
    missing = await anyio.to_thread.run_sync(lambda: invoke("allocate", "no-such-fair", "--dry-run"))
    assert missing.exit_code == 2


async def test_the_stand_e_mail_leaves_in_each_members_language_and_a_move_is_a_new_one(
    client: httpx.AsyncClient,
    fair: dict[str, Any],
    mailbox: Mailbox,  # noqa: F811
) -> None:
    headers = fair["headers"]
    proposal = await _compute(client, headers)
    await client.post(f"{PROPOSALS}/{proposal['id']}/accept", json={}, headers=headers)
    report = await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url="http://testserver")
    assert report.sent == 2
    by_recipient = {message["To"]: message for message in mailbox.messages}
    arabic, french = by_recipient["souss@coop.ma"], by_recipient["lumiere@coop.ma"]
    assert arabic["Subject"].startswith("رواقكم في ")
    assert "A-1" in arabic.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    french_text = french.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert french["Subject"].startswith("Votre stand au ")
    assert "Stand\u00a0: A-3 (Hall A)" in french_text
    assert f"/portal/applications/{fair['power']}?lang=fr" in french_text
    # Publishing again announces nothing; a move is a new message.
    assert (await client.post(f"{API}/allocation/publish", headers=headers)).json() == {"published": 0}
    await client.delete(f"{STANDS}/A-2/assignment", headers=headers)
    await client.put(f"{STANDS}/A-2/assignment", json={"application": fair["power"]}, headers=headers)
    assert (await client.post(f"{API}/allocation/publish", headers=headers)).json() == {"published": 1}
    mailbox.messages.clear()
    report = await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url="http://testserver")
    assert [(m["To"], "A-2 (Hall A)" in m.get_body(("plain",)).get_content()) for m in mailbox.messages] == [  # type: ignore[union-attr]
        ("lumiere@coop.ma", True)
    ]


async def test_two_organizers_accepting_one_proposal_at_once_seat_it_once(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    proposal = await _compute(client, fair["headers"])
    url = f"{PROPOSALS}/{proposal['id']}/accept"
    first, second = await asyncio.gather(
        client.post(url, json={}, headers=fair["headers"]), client.post(url, json={}, headers=fair["headers"])
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    assert len(await _seats()) == 3
    assert len(await _stand_mail()) == 2  # announced once
