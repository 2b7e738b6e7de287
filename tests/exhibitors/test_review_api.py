"""The assisted review over the API: quotas set and checked, a proposal computed with a
published seed, applied with an override as explained decisions and e-mails, refused whole
when anything changed, organizers only; and the waiting list moving up on a withdrawal,
also when two withdrawals race."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import TokenKind
from exhibitions.clock import utcnow
from exhibitions.errors import InvalidTransition
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionUpdate
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.exhibitors import review, services
from exhibitions.exhibitors.review_tables import ReviewProposal, ReviewWaitlist
from exhibitions.exhibitors.schemas import ApplicationCreate, OrganizationCreate
from exhibitions.exhibitors.services import _review as review_services
from exhibitions.exhibitors.tables import Application, ApplicationEvent, LegalForm, Sector
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.notifications.services import deliver_due
from exhibitions.notifications.tables import Outbox
from tests.conftest import NOW
from tests.factories import FIRST_DAY, LAST_DAY, exhibition_create
from tests.notifications.conftest import Mailbox, mailbox, smtp_server  # noqa: F401 - fixtures

REVIEW = "/api/v1/exhibitions/sess-2027/review"
APPLICATIONS = "/api/v1/exhibitions/sess-2027/applications"
# Only product diversity scores here, so each applicant's score is its number of products.
PRODUCTS_ONLY = {"first_time": 0, "women_led": 0, "youth_led": 0, "product_diversity": 1}

# name → (region, products, women-led)
FIVE = {
    "Alpha": ("MA-09", "argan, amlou, savon, huile", False),  # score 4
    "Beta": ("MA-09", "miel, cire, pollen", False),  # 3
    "Gamma": ("MA-01", "tapis, coussin", False),  # 2
    "Delta": ("MA-02", "couscous", True),  # 1, the only women-led
    "Epsilon": ("MA-03", "", False),  # 0
}


async def _applicant(name: str, region: str, products: str, women_led: bool, language: str = "en") -> dict[str, Any]:
    """An organization with one member and a submitted application to sess-2027."""
    email = f"{name.lower()}@coop.ma"
    user_id = await account_services.create_user(
        email=email, password="exhibitor-password-1", now=NOW, preferred_language=language
    )
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    actor = Actor(user_id=user_id, email=email)
    organization = await services.create_organization(
        data=OrganizationCreate(
            legal_form=LegalForm.cooperative, registry_number=f"{name}/2020", region=region, city="Agadir",
            sector=Sector.argan, name_latin=f"Coopérative {name}", members_total=10,
            members_women=8 if women_led else 2,
        ),
        actor=actor, now=NOW,
    )  # fmt: skip
    application = await services.create_application(
        slug="sess-2027", data=ApplicationCreate(organization=organization["id"], products=products), actor=actor,
        now=utcnow(),
    )  # fmt: skip
    await services.move_application(
        application_id=application["id"], to=ApplicationStatus.submitted, actor=actor, now=utcnow()
    )
    return {"id": application["id"], "headers": {"Authorization": f"Bearer {token}"}, "actor": actor, "email": email}


@pytest.fixture
async def five(exhibition: int) -> dict[str, dict[str, Any]]:
    return {name: await _applicant(name, *facts) for name, facts in FIVE.items()}


async def _settings(client: httpx.AsyncClient, organizer: dict[str, Any], **body: Any) -> httpx.Response:
    payload = {"capacity": 3, "weights": PRODUCTS_ONLY, "quotas": [{"dimension": "women_led", "min_share": 0.33}]}
    return await client.put(f"{REVIEW}/quotas", json={**payload, **body}, headers=organizer["headers"])


async def _history(application_id: int) -> list[tuple[str | None, str, str]]:
    rows = await ApplicationEvent.raw(
        "SELECT from_status, to_status, reason FROM application_event WHERE application = {} ORDER BY id",
        application_id,
    )
    return [(row["from_status"], row["to_status"], row["reason"]) for row in rows]


async def _statuses() -> dict[int, str]:
    return {row["id"]: row["status"] for row in await Application.select(Application.id, Application.status)}


async def test_quotas_are_set_and_each_bad_field_is_named(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    good = await client.put(
        f"{REVIEW}/quotas",
        json={"capacity": 600, "weights": {"first_time": 5},
              "quotas": [{"dimension": "women_led", "min_share": 0.4},
                         {"dimension": "region", "value": "MA-08", "min_share": 0.05, "max_share": 0.2}]},
        headers=organizer["headers"],
    )  # fmt: skip
    assert good.status_code == 200, good.text
    seen = (await client.get(f"{REVIEW}/quotas", headers=organizer["headers"])).json()
    assert seen == {
        "capacity": 600,
        "weights": {"first_time": 5, "women_led": 2, "youth_led": 1, "product_diversity": 1},
        "quotas": [
            {"dimension": "women_led", "value": "", "label": "women_led", "min_share": 0.4, "max_share": None},
            {"dimension": "region", "value": "MA-08", "label": "region MA-08", "min_share": 0.05, "max_share": 0.2},
        ],
    }
    bad = await client.put(
        f"{REVIEW}/quotas",
        json={"capacity": 600,
              "quotas": [{"dimension": "region", "value": "MA-99", "min_share": 0.3, "max_share": 0.1},
                         {"dimension": "sector", "value": "argan"},
                         {"dimension": "women_led", "value": "yes", "min_share": 0.5},
                         {"dimension": "region", "value": "MA-99", "min_share": 0.1}]},
        headers=organizer["headers"],
    )  # fmt: skip
    assert bad.status_code == 422
    assert [(error["field"], error["code"]) for error in bad.json()["errors"]] == [
        ("quotas[0].value", "invalid_choice"),
        ("quotas[0].max_share", "below_minimum"),
        ("quotas[1].min_share", "required"),
        ("quotas[2].value", "not_allowed"),
        ("quotas[3].value", "invalid_choice"),
        ("quotas[3]", "duplicate"),
    ]
    over = await client.put(
        f"{REVIEW}/quotas", json={"capacity": 3, "quotas": [{"dimension": "legal_form", "value": "mutual",
                                                             "max_share": 1.5}]},
        headers=organizer["headers"],
    )  # fmt: skip
    assert over.status_code == 422
    assert [error["field"] for error in over.json()["errors"]] == ["quotas[0].max_share"]
    # Nothing bad was kept.
    assert (await client.get(f"{REVIEW}/quotas", headers=organizer["headers"])).json()["capacity"] == 600


async def test_a_proposal_is_computed_applied_with_an_override_and_explained(
    client: httpx.AsyncClient,
    five: dict[str, dict[str, Any]],
    organizer: dict[str, Any],
    mailbox: Mailbox,  # noqa: F811
) -> None:
    assert (await _settings(client, organizer)).status_code == 200
    computed = await client.post(f"{REVIEW}/proposals", json={"seed": "sess-2027-draw"}, headers=organizer["headers"])
    assert computed.status_code == 201, computed.text
    proposal = computed.json()
    assert (proposal["seed"], proposal["capacity"], proposal["places"], proposal["unfilled"]) == (
        "sess-2027-draw", 3, 3, 0,
    )  # fmt: skip
    ids = {name: one["id"] for name, one in five.items()}
    names = {one["id"]: name for name, one in five.items()}
    table = [(names[d["application"]], d["outcome"], d["rank"], d["score"], d["waitlist_position"], d["reason"])
             for d in proposal["decisions"]]  # fmt: skip
    # Delta (score 1) is taken over Gamma (score 2): the women-led minimum (1 of 3 places).
    assert table == [
        ("Alpha", "selected", 1, 4, None, "selected: product diversity +4"),
        ("Beta", "selected", 2, 3, None, "selected: product diversity +3"),
        ("Gamma", "waitlisted", 3, 2, 1, "waitlisted: position 1, rank 3 of 5, capacity 3"),
        ("Delta", "selected", 4, 1, None, "selected: product diversity +1; counts for quota women_led"),
        ("Epsilon", "waitlisted", 5, 0, 2, "waitlisted: position 2, rank 5 of 5, capacity 3"),
    ]
    assert proposal["quotas"] == [
        {"label": "women_led", "dimension": "women_led", "value": "", "achieved": 1, "minimum": 1, "maximum": None,
         "shortfall": 0, "met": True},
    ]  # fmt: skip
    assert proposal["unmet"] == []
    latest = await client.get(f"{REVIEW}/proposals/latest", headers=organizer["headers"])
    assert latest.json() == proposal
    # Nothing is decided until the organizer applies it; they reject Epsilon instead.
    assert set((await _statuses()).values()) == {"submitted"}
    applied = await client.post(
        f"{REVIEW}/proposals/{proposal['id']}/apply",
        json={"overrides": [{"application": ids["Epsilon"], "outcome": "rejected"}]},
        headers=organizer["headers"],
    )
    assert applied.status_code == 200, applied.text
    assert applied.json() == {"approved": 3, "waitlisted": 1, "rejected": 1, "unchanged": 0}
    statuses = await _statuses()
    assert {name: statuses[ids[name]] for name in FIVE} == {
        "Alpha": "approved", "Beta": "approved", "Gamma": "waitlisted", "Delta": "approved", "Epsilon": "rejected",
    }  # fmt: skip
    # Each decision's reason is on the applicant's page.
    page = (await client.get(f"{APPLICATIONS}/{ids['Delta']}", headers=five["Delta"]["headers"])).json()
    assert page["history"][-1] == {
        **page["history"][-1], "to_status": "approved", "by": "organizer",
        "reason": "selected: product diversity +1; counts for quota Women-led",
    }  # fmt: skip
    assert (await _history(ids["Epsilon"]))[-1] == ("submitted", "rejected", "rejected by the organizers after review")
    waitlist = await ReviewWaitlist.select(ReviewWaitlist.application, ReviewWaitlist.position)
    assert [(row["application"], row["position"]) for row in waitlist] == [(ids["Gamma"], 1)]
    # Every decision is e-mailed through the outbox.
    report = await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url="http://testserver")
    assert report.sent == 5
    assert sorted(message["To"] for message in mailbox.messages) == sorted(one["email"] for one in five.values())
    again = await client.post(f"{REVIEW}/proposals/{proposal['id']}/apply", headers=organizer["headers"])
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "applied"
    gauges = await client.get(f"{REVIEW}/gauges", headers=organizer["headers"])
    assert [(g["label"], g["achieved"], g["minimum"], g["met"]) for g in gauges.json()] == [("women_led", 1, 1, True)]


async def test_the_same_seed_reproduces_the_proposal_and_no_seed_draws_one(
    client: httpx.AsyncClient, five: dict[str, dict[str, Any]], organizer: dict[str, Any]
) -> None:
    # Equal scores everywhere: the seed alone orders them.
    await _settings(client, organizer, weights={"first_time": 0, "women_led": 0, "youth_led": 0,
                                                "product_diversity": 0}, quotas=[])  # fmt: skip
    first = (await client.post(f"{REVIEW}/proposals", json={"seed": "42"}, headers=organizer["headers"])).json()
    second = (await client.post(f"{REVIEW}/proposals", json={"seed": "42"}, headers=organizer["headers"])).json()
    assert first["id"] != second["id"]
    assert first["decisions"] == second["decisions"]
    drawn = (await client.post(f"{REVIEW}/proposals", headers=organizer["headers"])).json()
    assert len(drawn["seed"]) == 16
    assert drawn["seed"] != "42"


async def test_apply_is_refused_whole_when_an_application_changed(
    client: httpx.AsyncClient, five: dict[str, dict[str, Any]], organizer: dict[str, Any]
) -> None:
    await _settings(client, organizer)
    proposal = (await client.post(f"{REVIEW}/proposals", headers=organizer["headers"])).json()
    gamma = five["Gamma"]["id"]
    await client.post(f"{APPLICATIONS}/{gamma}/withdraw", json={}, headers=five["Gamma"]["headers"])
    events = await ApplicationEvent.count()
    refused = await client.post(f"{REVIEW}/proposals/{proposal['id']}/apply", headers=organizer["headers"])
    assert refused.status_code == 409
    assert refused.json()["errors"] == [
        {"field": "proposal", "code": "stale", "reason": "applications changed since it was computed"}
    ]
    statuses = await _statuses()
    assert sorted(statuses.values()) == ["submitted"] * 4 + ["withdrawn"]
    assert await ApplicationEvent.count() == events
    assert await Outbox.count() == 0
    # The proposal stays unapplied: a fresh one can be computed and applied.
    fresh = (await client.post(f"{REVIEW}/proposals", headers=organizer["headers"])).json()
    assert (
        await client.post(f"{REVIEW}/proposals/{fresh['id']}/apply", headers=organizer["headers"])
    ).status_code == 200


async def test_overrides_are_checked(
    client: httpx.AsyncClient, five: dict[str, dict[str, Any]], organizer: dict[str, Any]
) -> None:
    await _settings(client, organizer)
    proposal = (await client.post(f"{REVIEW}/proposals", headers=organizer["headers"])).json()
    response = await client.post(
        f"{REVIEW}/proposals/{proposal['id']}/apply",
        json={"overrides": [{"application": 999999, "outcome": "selected"},
                            {"application": five["Gamma"]["id"], "outcome": "selected"}]},
        headers=organizer["headers"],
    )  # fmt: skip
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("overrides[0].application", "unknown")]
    response = await client.post(
        f"{REVIEW}/proposals/{proposal['id']}/apply",
        json={"overrides": [{"application": five["Gamma"]["id"], "outcome": "selected"}]},
        headers=organizer["headers"],
    )
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("overrides", "over_capacity")]
    assert set((await _statuses()).values()) == {"submitted"}


async def test_only_the_exhibitions_organizers_review(
    client: httpx.AsyncClient, five: dict[str, dict[str, Any]], organizer: dict[str, Any]
) -> None:
    await _settings(client, organizer)
    proposal = (await client.post(f"{REVIEW}/proposals", headers=organizer["headers"])).json()
    routes = [
        ("GET", f"{REVIEW}/quotas", None),
        ("PUT", f"{REVIEW}/quotas", {"capacity": 1}),
        ("GET", f"{REVIEW}/gauges", None),
        ("POST", f"{REVIEW}/proposals", {}),
        ("GET", f"{REVIEW}/proposals/latest", None),
        ("GET", f"{REVIEW}/proposals/{proposal['id']}", None),
        ("POST", f"{REVIEW}/proposals/{proposal['id']}/apply", {}),
    ]
    exhibitor = five["Alpha"]["headers"]
    for method, url, body in routes:
        assert (await client.request(method, url, json=body, headers=exhibitor)).status_code == 403, url
        assert (await client.request(method, url, json=body)).status_code == 401, url
        elsewhere = url.replace("sess-2027", "nowhere-2027")
        assert (await client.request(method, elsewhere, json=body, headers=organizer["headers"])).status_code == 404
    assert set((await _statuses()).values()) == {"submitted"}
    assert (await client.get(f"{REVIEW}/quotas", headers=organizer["headers"])).json()["capacity"] == 3


async def _applied(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    await _settings(client, organizer)
    proposal = (await client.post(f"{REVIEW}/proposals", headers=organizer["headers"])).json()
    response = await client.post(f"{REVIEW}/proposals/{proposal['id']}/apply", headers=organizer["headers"])
    assert response.status_code == 200


async def test_a_withdrawal_moves_the_first_on_the_waiting_list_up_and_tells_them(
    client: httpx.AsyncClient,
    five: dict[str, dict[str, Any]],
    organizer: dict[str, Any],
    mailbox: Mailbox,  # noqa: F811
) -> None:
    await _applied(client, organizer)  # Alpha, Beta, Delta approved; Gamma 1st, Epsilon 2nd waiting
    await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url="http://testserver")
    mailbox.messages.clear()
    alpha = five["Alpha"]
    withdrawn = await client.post(
        f"{APPLICATIONS}/{alpha['id']}/withdraw", json={"reason": "Récolte"}, headers=alpha["headers"]
    )
    assert withdrawn.status_code == 200
    statuses = await _statuses()
    assert (statuses[five["Gamma"]["id"]], statuses[five["Epsilon"]["id"]]) == ("approved", "waitlisted")
    assert (await _history(five["Gamma"]["id"]))[-1] == (
        "waitlisted", "approved", "moved up from the waiting list after a withdrawal",
    )  # fmt: skip
    report = await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url="http://testserver")
    assert report.sent == 1
    assert mailbox.messages[0]["To"] == "gamma@coop.ma"
    # A waitlisted applicant's withdrawal frees no stand: no one moves up.
    await client.post(f"{APPLICATIONS}/{five['Epsilon']['id']}/withdraw", json={}, headers=five["Epsilon"]["headers"])
    assert sorted((await _statuses()).values()) == ["approved"] * 3 + ["withdrawn"] * 2


async def test_a_withdrawal_moves_up_the_one_who_keeps_the_womens_quota(
    client: httpx.AsyncClient, five: dict[str, dict[str, Any]], organizer: dict[str, Any]
) -> None:
    zeta = await _applicant("Zeta", "MA-04", "", True)  # women-led, last on the waiting list
    await _applied(client, organizer)  # Alpha, Beta, Delta approved (Delta is the women-led third)
    await client.post(f"{APPLICATIONS}/{five['Delta']['id']}/withdraw", json={}, headers=five["Delta"]["headers"])
    statuses = await _statuses()
    assert statuses[zeta["id"]] == "approved"
    assert (statuses[five["Gamma"]["id"]], statuses[five["Epsilon"]["id"]]) == ("waitlisted", "waitlisted")
    # Alpha's place then goes to the first in line: the minimum holds again.
    await client.post(f"{APPLICATIONS}/{five['Alpha']['id']}/withdraw", json={}, headers=five["Alpha"]["headers"])
    assert (await _statuses())[five["Gamma"]["id"]] == "approved"


async def test_no_one_moves_up_while_the_stands_are_full(
    client: httpx.AsyncClient, five: dict[str, dict[str, Any]], organizer: dict[str, Any]
) -> None:
    await _applied(client, organizer)
    # The organizer approves Gamma by hand: 4 approved for 3 stands. One withdrawal leaves 3.
    await client.post(
        f"{APPLICATIONS}/{five['Gamma']['id']}/decision", json={"status": "approved"}, headers=organizer["headers"]
    )
    await client.post(f"{APPLICATIONS}/{five['Alpha']['id']}/withdraw", json={}, headers=five["Alpha"]["headers"])
    assert (await _statuses())[five["Epsilon"]["id"]] == "waitlisted"


async def test_two_withdrawals_at_once_promote_two_different_applicants(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    people = {name: await _applicant(name, "MA-05", "x" * (len(name) % 5), False) for name in
              ("Aa", "Bb", "Cc", "Dd", "Ee", "Ff")}  # fmt: skip
    await client.put(f"{REVIEW}/quotas", json={"capacity": 2}, headers=organizer["headers"])
    proposal = (await client.post(f"{REVIEW}/proposals", headers=organizer["headers"])).json()
    await client.post(f"{REVIEW}/proposals/{proposal['id']}/apply", headers=organizer["headers"])
    names = {one["id"]: name for name, one in people.items()}
    selected = [names[d["application"]] for d in proposal["decisions"] if d["outcome"] == "selected"]
    waiting = sorted(
        (d for d in proposal["decisions"] if d["outcome"] == "waitlisted"), key=lambda d: d["waitlist_position"]
    )
    assert len(selected) == 2

    async def withdraw(name: str) -> None:
        one = people[name]
        await services.move_application(
            application_id=one["id"], to=ApplicationStatus.withdrawn, actor=one["actor"], now=utcnow()
        )

    await asyncio.gather(*(withdraw(name) for name in selected))
    statuses = await _statuses()
    promoted = {names[i] for i, status in statuses.items() if status == "approved"}
    assert promoted == {names[waiting[0]["application"]], names[waiting[1]["application"]]}
    moved_up = await ApplicationEvent.raw(
        "SELECT application FROM application_event WHERE reason = {}",
        "moved up from the waiting list after a withdrawal",
    )
    assert sorted(row["application"] for row in moved_up) == sorted(d["application"] for d in waiting[:2])


async def test_anyone_can_re_run_a_stored_proposal_from_its_snapshot_and_seed(
    client: httpx.AsyncClient, five: dict[str, dict[str, Any]], organizer: dict[str, Any]
) -> None:
    await _settings(client, organizer)
    proposal = (await client.post(f"{REVIEW}/proposals", headers=organizer["headers"])).json()
    [stored] = await ReviewProposal.select().where(ReviewProposal.id == proposal["id"])
    inputs = json.loads(stored["inputs"])
    rerun = review.propose(
        [review.Applicant(one["id"], one["region"], one["sector"], one["legal_form"], one["women_led"],
                          one["youth_led"], one["first_time"], one["product_count"], one["status"] == "approved")
         for one in inputs["applicants"]],
        capacity=inputs["capacity"],
        quotas=[review.Quota(review.Dimension(d), v, lo, hi) for d, v, lo, hi in inputs["quotas"]],
        weights={review.Criterion(name): points for name, points in inputs["weights"].items()},
        seed=stored["seed"],
    )  # fmt: skip
    assert [(d.application_id, d.outcome.value, d.rank) for d in rerun.decisions] == [
        (d["application"], d["outcome"], d["rank"]) for d in proposal["decisions"]
    ]


async def test_an_organization_approved_at_another_exhibition_earns_no_first_time_points(
    client: httpx.AsyncClient, five: dict[str, dict[str, Any]], organizer: dict[str, Any]
) -> None:
    staff = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    await event_services.create_exhibition(
        data=exhibition_create(slug="sess-2028", starts_on=FIRST_DAY, ends_on=LAST_DAY), actor=staff, now=NOW
    )
    await event_services.update_exhibition(
        slug="sess-2028", changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=staff, now=NOW
    )
    alpha = five["Alpha"]
    organization = (await Application.select(Application.organization).where(Application.id == alpha["id"]))[0]
    other = await services.create_application(
        slug="sess-2028", data=ApplicationCreate(organization=organization["organization"]), actor=alpha["actor"],
        now=utcnow(),
    )  # fmt: skip
    await services.move_application(
        application_id=other["id"], to=ApplicationStatus.submitted, actor=alpha["actor"], now=utcnow()
    )
    await services.decide_application(
        application_id=other["id"], status=ApplicationStatus.approved, reason="", actor=staff, now=utcnow()
    )
    await client.put(
        f"{REVIEW}/quotas", json={"capacity": 3, "weights": {"first_time": 3}}, headers=organizer["headers"]
    )
    proposal = (await client.post(f"{REVIEW}/proposals", json={"seed": "x"}, headers=organizer["headers"])).json()
    points = {d["application"]: d["points"] for d in proposal["decisions"]}
    assert "first_time" not in points[alpha["id"]]
    assert all(points[one["id"]]["first_time"] == 3 for name, one in five.items() if name != "Alpha")


async def test_no_proposal_before_the_capacity_is_set(
    client: httpx.AsyncClient, five: dict[str, dict[str, Any]], organizer: dict[str, Any]
) -> None:
    refused = await client.post(f"{REVIEW}/proposals", json={}, headers=organizer["headers"])
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("capacity", "no_capacity")]
    assert (await client.get(f"{REVIEW}/proposals/latest", headers=organizer["headers"])).status_code == 404


async def test_applying_while_an_approved_applicant_withdraws_is_all_or_nothing(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    people = {name: await _applicant(name, "MA-07", "a, b", False) for name in ("Aa", "Bb", "Cc", "Dd", "Ee")}
    staff = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    await client.put(f"{REVIEW}/quotas", json={"capacity": 2}, headers=organizer["headers"])
    # Aa is approved by hand first; the proposal then fills the other stand.
    await services.decide_application(
        application_id=people["Aa"]["id"], status=ApplicationStatus.approved, reason="", actor=staff, now=utcnow()
    )
    proposal = (await client.post(f"{REVIEW}/proposals", headers=organizer["headers"])).json()

    async def apply() -> object:
        return await review_services.apply_proposal(
            slug="sess-2027", proposal_id=proposal["id"], overrides={}, actor=staff, now=utcnow()
        )

    async def withdraw() -> object:
        return await services.move_application(
            application_id=people["Aa"]["id"], to=ApplicationStatus.withdrawn, actor=people["Aa"]["actor"],
            now=utcnow(),
        )  # fmt: skip

    outcomes = await asyncio.gather(apply(), withdraw(), return_exceptions=True)
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert all(isinstance(failure, InvalidTransition) for failure in failures), failures
    statuses = await _statuses()
    assert statuses[people["Aa"]["id"]] == "withdrawn"  # the withdrawal never loses
    if failures:  # the withdrawal came first: the proposal is stale, nothing else moved
        assert sorted(statuses.values()) == ["submitted"] * 4 + ["withdrawn"]
    else:  # the proposal first: then the withdrawal moved the first on the waiting list up
        assert sorted(statuses.values()) == ["approved", "approved", "waitlisted", "waitlisted", "withdrawn"]
