"""The organizers' review page: settings re-shown with errors in the reader's language,
a proposal computed with a typed seed and shown with its gauges, paged, overridden row by
row and applied; strangers kept out."""

from __future__ import annotations

import re
from typing import Any

import httpx

from exhibitions.exhibitors.tables import Application
from tests.exhibitors.test_review_api import FIVE, _applicant
from tests.factories import csrf_token, login

PAGE = "/organize/exhibitions/sess-2027/review/"


async def _statuses() -> dict[int, str]:
    return {row["id"]: row["status"] for row in await Application.select(Application.id, Application.status)}


async def test_an_organizer_sets_quotas_computes_overrides_and_applies(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    five = {name: await _applicant(name, *facts) for name, facts in FIVE.items()}
    await login(client)
    empty = await client.get(PAGE, params={"lang": "fr"})
    assert empty.status_code == 200
    assert "Examen assisté" in empty.text
    # A bad row is re-shown, with the error said in French; nothing is saved.
    form = {
        "_csrf_token": csrf_token(empty.text), "capacity": "3", "weight_first_time": "0", "weight_women_led": "0",
        "weight_youth_led": "0", "weight_product_diversity": "1",
        "quota_0_dimension": "women_led", "quota_0_value": "", "quota_0_min": "33", "quota_0_max": "",
        "quota_1_dimension": "region", "quota_1_value": "MA-99", "quota_1_min": "50", "quota_1_max": "10",
        "quota_2_dimension": "", "quota_2_value": "", "quota_2_min": "", "quota_2_max": "",
    }  # fmt: skip
    refused = await client.post(f"{PAGE}settings", data=form)
    assert refused.status_code == 422
    assert '<a href="#quota-1">Quota 2</a>: Choisissez l&#39;une des options.' in refused.text
    assert 'value="MA-99"' in refused.text
    del form["quota_1_dimension"]
    saved = await client.post(f"{PAGE}settings", data={**form, "quota_1_dimension": ""})
    assert saved.status_code == 302
    computed = await client.post(f"{PAGE}proposals", data={"_csrf_token": form["_csrf_token"], "seed": "tirage-7"})
    assert computed.status_code == 302
    shown = await client.get(PAGE, params={"lang": "fr"})
    assert '<code dir="ltr" class="seed">tirage-7</code>' in shown.text
    # Nothing approved yet: the current gauge is short of its minimum, the proposal's holds.
    assert shown.text.count('class="gauge unmet"') == 1
    assert "non atteint : il manque 1" in shown.text
    assert shown.text.count('class="gauge met"') == 1
    rows = re.findall(r'name="override_(\d+)"', shown.text)
    ids = {one["id"]: name for name, one in five.items()}
    assert [ids[int(row)] for row in rows] == ["Alpha", "Beta", "Delta"]  # the selected tab
    waitlisted = await client.get(PAGE, params={"tab": "waitlisted", "lang": "en"})
    assert "waitlisted: position 1, rank 3 of 5, capacity 3" in waitlisted.text
    proposal_id = re.search(r"/proposals/(\d+)/apply", shown.text)
    assert proposal_id is not None
    applied = await client.post(
        f"{PAGE}proposals/{proposal_id[1]}/apply",
        data={"_csrf_token": form["_csrf_token"], "tab": "selected", f"override_{five['Beta']['id']}": "waitlisted"},
    )
    assert applied.status_code == 302
    statuses = await _statuses()
    assert {name: statuses[one["id"]] for name, one in five.items()} == {
        "Alpha": "approved", "Beta": "waitlisted", "Gamma": "waitlisted", "Delta": "approved",
        "Epsilon": "waitlisted",
    }  # fmt: skip
    after = await client.get(applied.headers["location"] + "&lang=en")
    assert "The decisions were applied and e-mailed." in after.text
    again = await client.post(f"{PAGE}proposals/{proposal_id[1]}/apply", data={"_csrf_token": form["_csrf_token"]})
    assert again.status_code == 409
    assert "This proposal was applied already." in again.text


async def test_a_large_proposal_is_shown_page_by_page(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    for number in range(60):
        await _applicant(f"Coop{number:02d}", "MA-04", "a, b", False)
    await login(client)
    token = csrf_token((await client.get(PAGE)).text)
    await client.post(f"{PAGE}settings", data={"_csrf_token": token, "capacity": "5"})
    await client.post(f"{PAGE}proposals", data={"_csrf_token": token, "seed": ""})
    first = await client.get(PAGE, params={"tab": "waitlisted", "lang": "en"})
    assert len(re.findall(r'name="override_\d+"', first.text)) == 50
    assert "Page 1 of 2" in first.text
    second = await client.get(PAGE, params={"tab": "waitlisted", "page": 2, "lang": "en"})
    on_second = re.findall(r'name="override_(\d+)"', second.text)
    assert len(on_second) == 5
    # An override chosen on page 2 is kept while the organizer goes back to page 1 ...
    proposal_id = re.search(r"/proposals/(\d+)/apply", second.text)
    assert proposal_id is not None
    kept = await client.post(
        f"{PAGE}proposals/{proposal_id[1]}/overrides",
        data={"_csrf_token": token, "tab": "waitlisted", "page": "2", f"override_{on_second[0]}": "rejected",
              **{f"override_{other}": "" for other in on_second[1:]}},
    )  # fmt: skip
    assert kept.status_code == 302
    assert kept.headers["location"].endswith("?tab=waitlisted&page=2")
    shown_again = await client.get(kept.headers["location"] + "&lang=en")
    assert "Overrides kept: 1" in shown_again.text
    on_first = re.findall(r'name="override_(\d+)"', first.text)
    # ... and applied with the one chosen there.
    applied = await client.post(
        f"{PAGE}proposals/{proposal_id[1]}/apply",
        data={"_csrf_token": token, "tab": "waitlisted", "page": "1", f"override_{on_first[0]}": "rejected"},
    )
    assert applied.status_code == 302
    statuses = await _statuses()
    assert sorted(statuses[int(one)] for one in (on_first[0], on_second[0])) == ["rejected", "rejected"]
    assert sorted(statuses.values()).count("waitlisted") == 53


async def test_the_page_is_for_the_exhibitions_organizers(client: httpx.AsyncClient, exhibition: int) -> None:
    await _applicant("Alpha", "MA-09", "x", False)
    response = await client.get(PAGE, follow_redirects=False)
    assert response.status_code in (302, 303, 401)
