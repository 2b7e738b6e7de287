"""Where people see the stands: the hall's plan (public: published only; organizers: all,
and a proposal as a diff), the exhibitor's portal and the public directory."""

from __future__ import annotations

from typing import Any

import httpx

from exhibitions.stands.tables import StandAssignment
from tests.exhibitors.test_portal import sign_in
from tests.stands.stands_data import API, STANDS
from tests.stands.test_workflow import PROPOSALS, _compute, fair

__all__ = ["fair"]  # the fixture, shared


async def test_the_plan_shows_the_public_only_published_stands_and_organizers_a_diff(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    headers = fair["headers"]
    plan = f"{API}/halls/{fair['hall']}/plan.svg"
    await client.put(f"{STANDS}/A-2/assignment", json={"application": fair["plain"]}, headers=headers)
    unpublished = await client.get(f"{plan}?lang=fr")
    assert unpublished.status_code == 200
    assert unpublished.headers["content-type"].startswith("image/svg+xml")
    assert "Coopérative Simple" not in unpublished.text  # not published yet
    organizers = await client.get(plan, headers=headers)
    assert "Coopérative Simple" in organizers.text
    await client.post(f"{API}/allocation/publish", headers=headers)
    public = await client.get(f"{plan}?lang=ar&highlight=A-2")
    assert "Coopérative Simple" in public.text
    proposal = await _compute(client, headers)
    diff = await client.get(f"{plan}?proposal={proposal['id']}", headers=headers)
    assert "Coopérative Souss" in diff.text
    assert "Coopérative Lumière" in diff.text
    hidden = await client.get(f"{plan}?proposal={proposal['id']}")
    assert "Coopérative Souss" not in hidden.text  # the public never sees a draft
    home = await client.get("/exhibitions/sess-2027?lang=fr")
    assert f'href="/exhibitions/sess-2027/halls/{fair["hall"]}/plan">Plan du hall Hall A</a>' in home.text
    page = await client.get(f"/exhibitions/sess-2027/halls/{fair['hall']}/plan?lang=fr")
    assert page.status_code == 200
    assert "A-2" in page.text
    pdf = await client.get(f"/exhibitions/sess-2027/halls/{fair['hall']}/plan.pdf?lang=ar")
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")
    missing = await client.get(f"{API}/halls/999999/plan.svg")
    assert missing.status_code == 404


async def test_the_exhibitor_sees_the_published_stand_in_the_portal_and_the_directory(
    client: httpx.AsyncClient, fair: dict[str, Any]
) -> None:
    headers = fair["headers"]
    proposal = await _compute(client, headers)
    await sign_in(client, "souss@coop.ma")
    before = await client.get(f"/portal/applications/{fair['souss']}")
    assert before.status_code == 200
    assert 'id="stand"' not in before.text  # a draft proposal is not shown
    accepted = await client.post(f"{PROPOSALS}/{proposal['id']}/accept", json={}, headers=headers)
    assert accepted.status_code == 200
    after = await client.get(f"/portal/applications/{fair['souss']}?lang=fr")
    assert '<bdi class="stand-code">A-1</bdi>' in after.text
    assert f"/api/v1/exhibitions/sess-2027/halls/{fair['hall']}/plan.svg?highlight=A-1" in after.text
    organization = await StandAssignment.raw("SELECT organization FROM application WHERE id = {}", fair["souss"])
    listed = await client.get(f"/exhibitions/sess-2027/exhibitors/{organization[0]['organization']}?lang=fr")
    assert listed.status_code == 200
    assert "A-1 · Hall A" in listed.text
    assert f"/exhibitions/sess-2027/halls/{fair['hall']}/plan?highlight=A-1" in listed.text


async def test_the_allocation_page_computes_accepts_moves_and_locks(
    client: httpx.AsyncClient, fair: dict[str, Any], organizer: dict[str, Any]
) -> None:
    from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD
    from tests.factories import csrf_token

    await sign_in(client, ORGANIZER_EMAIL, ORGANIZER_PASSWORD)
    url = "/organize/exhibitions/sess-2027/allocation"
    empty = await client.get(f"{url}/?lang=fr")
    assert empty.status_code == 200, empty.text
    token = csrf_token(empty.text)
    bad = await client.post(f"{url}/compute", data={"near": "-3", "_csrf_token": token})
    assert bad.status_code == 422
    assert "Enter a whole number from 0 to 100000." in bad.text or "100000" in bad.text
    computed = await client.post(f"{url}/compute", data={"near": "7", "_csrf_token": token})
    assert computed.status_code == 302
    shown = await client.get(f"{url}/?lang=fr")
    assert 'data-status="draft"' in shown.text
    [proposal] = await StandAssignment.raw("SELECT id, rules FROM allocation_proposal")
    diff = f"{url}/{proposal['id']}/halls/{fair['hall']}/plan.svg?lang=fr"
    assert diff in shown.text
    drawn = await client.get(diff)  # the page's own image: the session cookie is enough
    assert drawn.headers["content-type"].startswith("image/svg+xml")
    assert drawn.text.count('data-status="proposed"') == 3
    assert '"near": 7' in proposal["rules"]
    accepted = await client.post(
        f"{url}/{proposal['id']}/accept",
        data={"which": "ticked", "applications": [str(fair["souss"]), str(fair["power"])], "_csrf_token": token},
    )
    assert accepted.status_code == 302, accepted.text
    seats = await StandAssignment.raw("SELECT application FROM stand_assignment ORDER BY application")
    assert [row["application"] for row in seats] == [fair["souss"], fair["power"]]
    moved = await client.post(
        f"{url}/move",
        data={"application": str(fair["souss"]), "code": "A-2", "locked": "true", "_csrf_token": token},
    )
    assert moved.status_code == 302, moved.text
    [row] = await StandAssignment.raw(
        "SELECT s.code, sa.locked FROM stand_assignment sa JOIN stand s ON s.id = sa.stand WHERE application = {}",
        fair["souss"],
    )
    assert (row["code"], bool(row["locked"])) == ("A-2", True)
    taken = await client.post(
        f"{url}/move", data={"application": str(fair["power"]), "code": "A-2", "_csrf_token": token}
    )
    assert taken.status_code == 409
