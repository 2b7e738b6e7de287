"""Allocation rules saved per exhibition (API and page), proposals accepted in parts, stale
proposals after any change of the assignments, the diff plan's newcomers, and the stand
e-mail saying why."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx

from exhibitions.accounts import services as account_services
from exhibitions.accounts.tables import TokenKind
from exhibitions.clock import utcnow
from exhibitions.notifications.services import deliver_due
from exhibitions.stands.tables import StandAssignment
from tests.conftest import NOW, ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.exhibitors.test_portal import sign_in
from tests.factories import csrf_token
from tests.notifications.conftest import Mailbox, mailbox, smtp_server  # noqa: F401 - fixtures
from tests.stands.stands_data import API, STANDS, fields
from tests.stands.test_workflow import PROPOSALS, _compute, _seats, fair

__all__ = ["fair"]  # the fixture, shared

RULES = f"{API}/allocation/rules"
DEFAULTS = {
    "preference": 10, "fairness": 10, "sector_clustering": 3, "region": 2, "region_mode": "spread", "near": 5,
    "keep_apart": 5, "change": 20, "unplaced": 1000, "neighbour_gap_m": 0.5, "max_area_ratio": 2.0,
    "time_limit_s": 5.0, "updated_at": None,
}  # fmt: skip


async def test_rules_are_the_defaults_until_saved_then_every_proposal_uses_them(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    headers = fair["headers"]
    assert (await client.get(RULES, headers=headers)).json() == DEFAULTS
    saved = await client.put(
        RULES, json={"near": 50, "region_mode": "cluster", "neighbour_gap_m": 1.234, "time_limit_s": 2}, headers=headers
    )
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["updated_at"] is not None
    expected = DEFAULTS | {"near": 50, "region_mode": "cluster", "neighbour_gap_m": 1.23, "time_limit_s": 2.0}
    assert {key: value for key, value in body.items() if key != "updated_at"} == {
        key: value for key, value in expected.items() if key != "updated_at"
    }
    assert (await client.get(RULES, headers=headers)).json() == body

    proposal = await _compute(client, headers, time_limit_s=None)
    assert proposal["rules"] == {key: value for key, value in expected.items() if key != "updated_at"}
    overridden = await _compute(client, headers, rules={"near": 7})
    assert (overridden["rules"]["near"], overridden["rules"]["region_mode"], overridden["rules"]["time_limit_s"]) == (
        7, "cluster", 2.0
    )  # fmt: skip
    # The override was for that proposal only, and each proposal keeps the rules it used.
    assert (await client.get(RULES, headers=headers)).json()["near"] == 50
    assert (await client.get(f"{PROPOSALS}/{proposal['id']}", headers=headers)).json()["rules"]["near"] == 50

    # A PUT replaces: what it does not send is back to its default.
    again = await client.put(RULES, json={"fairness": 0}, headers=headers)
    assert {key: value for key, value in again.json().items() if key != "updated_at"} == {
        key: value for key, value in DEFAULTS.items() if key != "updated_at"
    } | {"fairness": 0}
    [row] = await StandAssignment.raw("SELECT exhibition FROM allocation_rules")  # one row per exhibition
    assert row["exhibition"] is not None


async def test_bad_rules_are_refused_naming_each_field_and_nothing_is_saved(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    headers = fair["headers"]
    bad = await client.put(
        RULES,
        json={"near": -1, "change": 100_001, "region_mode": "everywhere", "neighbour_gap_m": 11,
              "max_area_ratio": 0.5, "time_limit_s": 0.01},
        headers=headers,
    )  # fmt: skip
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert fields(bad) == [
        ("region_mode", "invalid"), ("near", "out_of_range"), ("change", "out_of_range"),
        ("neighbour_gap_m", "out_of_range"), ("max_area_ratio", "out_of_range"), ("time_limit_s", "out_of_range"),
    ]  # fmt: skip
    unknown = await client.put(RULES, json={"colour": 3}, headers=headers)
    assert fields(unknown) == [("colour", "unknown_field")]
    assert await StandAssignment.raw("SELECT id FROM allocation_rules") == []
    override = await client.post(PROPOSALS, json={"rules": {"neighbour_gap_m": -1, "near": 2.5}}, headers=headers)
    assert fields(override) == [("rules.neighbour_gap_m", "out_of_range"), ("rules.near", "out_of_range")]
    user_id = await account_services.create_user(email="visitor@test.ma", password="visitor-password-1", now=NOW)
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    stranger = {"Authorization": f"Bearer {token}"}
    assert (await client.get(RULES, headers=stranger)).status_code == 403
    assert (await client.put(RULES, json={"near": 1}, headers=stranger)).status_code == 403
    assert (await client.get(RULES)).status_code == 401


async def test_a_proposal_is_accepted_in_parts_and_each_part_leaves_the_rest_acceptable(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    headers = fair["headers"]
    proposal = await _compute(client, headers)
    accept = f"{PROPOSALS}/{proposal['id']}/accept"
    first = await client.post(accept, json={"applications": [fair["power"]]}, headers=headers)
    assert first.json() == {"accepted": 1, "changed": 1, "notified": 1}
    read = (await client.get(f"{PROPOSALS}/{proposal['id']}", headers=headers)).json()
    assert (read["status"], read["accepted_applications"]) == ("draft", [fair["power"]])
    same = await client.post(accept, json={"applications": [fair["power"]]}, headers=headers)
    assert (same.status_code, fields(same)) == (409, [("proposal", "accepted")])
    rest = await client.post(accept, json={"applications": [fair["souss"], fair["plain"]]}, headers=headers)
    assert rest.status_code == 200, rest.text
    assert rest.json() == {"accepted": 2, "changed": 2, "notified": 2}
    assert await _seats() == {
        fair["souss"]: ("A-1", False, True), fair["power"]: ("A-3", False, True), fair["plain"]: ("A-2", False, True)
    }  # fmt: skip
    read = (await client.get(f"{PROPOSALS}/{proposal['id']}", headers=headers)).json()
    assert (read["status"], read["accepted_applications"]) == (
        "accepted",
        sorted(fair[k] for k in ("souss", "power", "plain")),
    )
    again = await client.post(accept, json={}, headers=headers)
    assert (again.status_code, fields(again)) == (409, [("proposal", "accepted")])


async def test_a_part_then_the_whole_rest_with_accept_all(client: httpx.AsyncClient, fair: dict[str, Any]) -> None:
    headers = fair["headers"]
    proposal = await _compute(client, headers)
    accept = f"{PROPOSALS}/{proposal['id']}/accept"
    await client.post(accept, json={"applications": [fair["souss"]]}, headers=headers)
    whole = await client.post(accept, json={}, headers=headers)
    assert whole.json() == {"accepted": 3, "changed": 2, "notified": 2}  # Souss sits where it was accepted
    assert len(await _seats()) == 3


async def test_a_move_by_hand_after_computing_makes_the_proposal_stale(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    headers = fair["headers"]
    await client.put(f"{STANDS}/A-2/assignment", json={"application": fair["plain"]}, headers=headers)
    proposal = await _compute(client, headers)
    accept = f"{PROPOSALS}/{proposal['id']}/accept"
    # Neither a stand nor a lock changes: only who sits where, by hand.
    moved = await client.put(f"{STANDS}/A-1/assignment", json={"application": fair["plain"]}, headers=headers)
    assert moved.status_code == 200
    stale = await client.post(accept, json={"applications": [fair["power"]]}, headers=headers)
    assert (stale.status_code, fields(stale)) == (409, [("proposal", "stale")])
    assert await _seats() == {fair["plain"]: ("A-1", False, False)}  # nothing written
    # Freeing a stand by hand counts too, even between two parts of one proposal.
    fresh = await _compute(client, headers)
    accept = f"{PROPOSALS}/{fresh['id']}/accept"
    assert (await client.post(accept, json={"applications": [fair["power"]]}, headers=headers)).status_code == 200
    await client.delete(f"{STANDS}/A-3/assignment", headers=headers)
    rest = await client.post(accept, json={}, headers=headers)
    assert (rest.status_code, fields(rest)) == (409, [("proposal", "stale")])


async def test_a_move_racing_an_acceptance_is_either_before_it_and_stale_or_after_it(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    headers = fair["headers"]
    proposal = await _compute(client, headers)
    accept, move = await asyncio.gather(
        client.post(f"{PROPOSALS}/{proposal['id']}/accept", json={}, headers=headers),
        client.put(f"{STANDS}/A-2/assignment", json={"application": fair["plain"], "locked": True}, headers=headers),
    )
    seats = await _seats()
    if accept.status_code == 200:  # accepted first; the move found A-2 taken by the plain one itself: a lock
        assert move.status_code == 200
        assert seats[fair["plain"]] == ("A-2", True, True)
        assert len(seats) == 3
    else:  # moved first: the proposal no longer matches
        assert (accept.status_code, fields(accept)) == (409, [("proposal", "stale")])
        assert seats == {fair["plain"]: ("A-2", True, False)}


async def test_the_diff_plan_names_newcomers_with_their_sector(client: httpx.AsyncClient, fair: dict[str, Any]) -> None:
    headers = fair["headers"]
    proposal = await _compute(client, headers)
    diff = await client.get(f"{API}/halls/{fair['hall']}/plan.svg?proposal={proposal['id']}&colour=sector&lang=fr",
                            headers=headers)  # fmt: skip
    organizations = await StandAssignment.raw(
        "SELECT id, organization FROM application WHERE id IN ({}, {}, {})", fair["souss"], fair["power"], fair["plain"]
    )
    organization_of = {row["id"]: row["organization"] for row in organizations}
    stands = dict(re.findall(r'data-stand="([^"]+)" data-organization="([^"]*)" data-status="proposed"', diff.text))
    assert stands == {
        "A-1": str(organization_of[fair["souss"]]), "A-2": str(organization_of[fair["plain"]]),
        "A-3": str(organization_of[fair["power"]]),
    }  # fmt: skip
    assert "Argan" in diff.text  # the sector's legend, as for seated exhibitors
    await client.post(f"{PROPOSALS}/{proposal['id']}/accept", json={"applications": [fair["souss"]]}, headers=headers)
    public = await client.get(f"{API}/halls/{fair['hall']}/plan.svg?proposal={proposal['id']}")
    # Anyone else is shown the published plan, the draft ignored (not every stand drawn free).
    assert re.findall(r'data-stand="([^"]+)" data-organization="[^"]*" data-status="([a-z]+)"', public.text) == [
        ("A-1", "assigned"),
        ("A-2", "free"),
        ("A-3", "free"),
    ]


async def test_the_stand_e_mail_says_why_in_the_readers_language(
    client: httpx.AsyncClient,
    fair: dict[str, Any],
    mailbox: Mailbox,  # noqa: F811
) -> None:
    headers = fair["headers"]
    # Souss asks to be near the plain cooperative, whose stand is next to its own.
    plain_organization = await StandAssignment.raw("SELECT organization FROM application WHERE id = {}", fair["plain"])
    await StandAssignment.raw(
        "UPDATE application SET near_organizations = {} WHERE id = {}",
        json.dumps([plain_organization[0]["organization"]]), fair["souss"],
    )  # fmt: skip
    proposal = await _compute(client, headers)
    souss_line = next(item for item in proposal["assignments"] if item["application_id"] == fair["souss"])
    assert (souss_line["stand_code"], souss_line["near"]) == ("A-1", ["Coopérative Simple"])
    await client.post(f"{PROPOSALS}/{proposal['id']}/accept", json={}, headers=headers)
    await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url="http://testserver")
    by_recipient = {message["To"]: message for message in mailbox.messages}
    arabic = by_recipient["souss@coop.ma"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    french = by_recipient["lumiere@coop.ma"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    souss_reason = "المنطقة المفضلة محترمة؛ نفس قطاع الجيران؛ نفس جهة الجيران؛ قرب Coopérative Simple"
    assert f"لماذا هذا الرواق: {souss_reason}\n" in arabic
    assert "Pourquoi ce stand : même secteur que ses voisins ; même région que ses voisins\n" in french
    html = by_recipient["souss@coop.ma"].get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f"<bdi>{souss_reason}</bdi>" in html

    # A stand placed by hand says no reason.
    await client.delete(f"{STANDS}/A-2/assignment", headers=headers)
    await client.put(f"{STANDS}/A-2/assignment", json={"application": fair["power"]}, headers=headers)
    await client.post(f"{API}/allocation/publish", headers=headers)
    mailbox.messages.clear()
    await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url="http://testserver")
    [moved] = mailbox.messages
    text = moved.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Stand\u00a0: A-2 (Hall A)" in text
    assert "Pourquoi" not in text


async def test_the_page_saves_the_rules_and_shows_bad_ones_in_the_readers_language(
    client: httpx.AsyncClient, fair: dict[str, Any], organizer: dict[str, Any]
) -> None:
    await sign_in(client, ORGANIZER_EMAIL, ORGANIZER_PASSWORD)
    url = "/organize/exhibitions/sess-2027/allocation"
    shown = await client.get(f"{url}/?lang=fr")
    token = csrf_token(shown.text)
    assert 'name="neighbour_gap_m" type="text" inputmode="decimal" dir="ltr" value="0.5"' in shown.text
    bad = await client.post(
        f"{url}/rules?lang=fr",
        data={"near": "beaucoup", "neighbour_gap_m": "12", "time_limit_s": "3", "_csrf_token": token},
    )
    assert bad.status_code == 422
    assert "Demandes de proximité : Saisissez un nombre entier de 0 à 100000." in bad.text
    assert "Écart maximal entre deux stands voisins (mètres) : Saisissez une distance de 0 à 10 mètres." in bad.text
    assert '<p class="error" id="w-neighbour_gap_m-error">Saisissez une distance de 0 à 10 mètres.</p>' in bad.text
    assert 'value="beaucoup"' in bad.text  # what was typed is kept
    assert 'id="w-near" name="near" type="text" inputmode="numeric" dir="ltr" value="beaucoup" aria-invalid="true"' in (
        bad.text
    )
    assert await StandAssignment.raw("SELECT id FROM allocation_rules") == []
    saved = await client.post(
        f"{url}/rules", data={"near": "40", "neighbour_gap_m": "1,5", "region_mode": "cluster", "_csrf_token": token}
    )
    assert saved.status_code == 302
    api = await client.get(RULES, headers=fair["headers"])
    assert (api.json()["near"], api.json()["neighbour_gap_m"], api.json()["region_mode"]) == (40, 1.5, "cluster")
    again = await client.get(f"{url}/?lang=ar")
    assert 'value="40"' in again.text
    assert 'value="1.5"' in again.text
    assert '<option value="cluster" selected>' in again.text
    computed = await client.post(f"{url}/compute", data={"near": "41", "_csrf_token": token})
    assert computed.status_code == 302
    [proposal] = await StandAssignment.raw("SELECT rules FROM allocation_proposal")
    assert json.loads(proposal["rules"])["near"] == 41
    assert json.loads(proposal["rules"])["region_mode"] == "spread"  # the form is the whole rules: cluster not sent
