"""The assisted review, for an exhibition's organizers: settings and quotas, proposals
computed by ``exhibitors.review`` and stored whole (seed, inputs, result) so anyone can
re-run them, applying one as decisions, and the waiting list moving up on a withdrawal."""

from __future__ import annotations

import dataclasses
import json
import secrets
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import FieldError, InvalidInput, InvalidTransition, NotFound
from exhibitions.events import services as event_services
from exhibitions.events.regions import regions_by_code
from exhibitions.exhibitors import review
from exhibitions.exhibitors.labels import quota_name
from exhibitions.exhibitors.review import (
    BASIS_POINTS,
    DEFAULT_WEIGHTS,
    Applicant,
    Criterion,
    Decision,
    Dimension,
    Outcome,
    Proposal,
    Quota,
    QuotaResult,
)
from exhibitions.exhibitors.review_schemas import ReviewSettingsIn
from exhibitions.exhibitors.review_tables import ReviewProposal
from exhibitions.exhibitors.services import _applications
from exhibitions.exhibitors.tables import LegalForm, Sector
from exhibitions.exhibitors.validation import is_women_led
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.web.i18n import N_, Translator

# Said to the applicant, in their language (the first member's), as the decision's reason.
MOVED_UP = N_("moved up from the waiting list after a withdrawal")
OVERRIDDEN = {
    Outcome.selected: N_("selected by the organizers after review"),
    Outcome.waitlisted: N_("placed on the waiting list by the organizers: position {position}"),
    Outcome.rejected: N_("rejected by the organizers after review"),
}
DEFAULT_LANGUAGE = "fr"
# Waiting-list rows written per INSERT (4 parameters each: well under both engines' limits).
_WAITLIST_BATCH = 500

_APPLICANTS = """
SELECT a.id, a.status, a.updated_at, a.products, a.organization, o.name_ar, o.name_latin, o.region, o.sector,
       o.legal_form, o.declared_women_led, o.members_total, o.members_women, o.members_youth
FROM application a JOIN organization o ON o.id = a.organization
WHERE a.exhibition = {} AND a.status IN ('submitted', 'waitlisted', 'approved')
ORDER BY a.id
"""
# Organizations approved at another exhibition: one scan, not a subquery per applicant.
_EXHIBITED = "SELECT DISTINCT organization FROM application WHERE status = 'approved' AND exhibition <> {}"


def _db() -> Any:
    return ReviewProposal._meta.db


async def _organizers_exhibition(slug: str, actor: Actor | None) -> dict[str, Any]:
    return await event_services.managed_exhibition(
        slug, actor, refusal="only the exhibition's organizers review its applications"
    )


def _stamp(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _valid_values() -> dict[Dimension, set[str]]:
    return {
        Dimension.region: set(regions_by_code()),
        Dimension.sector: {sector.value for sector in Sector},
        Dimension.legal_form: {form.value for form in LegalForm},
    }


async def _settings(exhibition_id: int) -> tuple[int, dict[Criterion, int], list[Quota]]:
    rows = await ReviewProposal.raw(
        "SELECT capacity, weights FROM review_settings WHERE exhibition = {}", exhibition_id
    )
    weights = dict(DEFAULT_WEIGHTS)
    if rows:
        weights.update({Criterion(name): int(points) for name, points in json.loads(rows[0]["weights"]).items()})
    quotas = await ReviewProposal.raw(
        "SELECT dimension, value, min_bp, max_bp FROM review_quota WHERE exhibition = {} ORDER BY position, id",
        exhibition_id,
    )
    return (
        int(rows[0]["capacity"]) if rows else 0,
        weights,
        [Quota(Dimension(q["dimension"]), q["value"], q["min_bp"], q["max_bp"]) for q in quotas],
    )


def _share(basis_points: int | None) -> float | None:
    return None if basis_points is None else basis_points / BASIS_POINTS


async def get_review_settings(*, slug: str, actor: Actor | None) -> dict[str, Any]:
    exhibition = await _organizers_exhibition(slug, actor)
    capacity, weights, quotas = await _settings(exhibition["id"])
    return {
        "capacity": capacity,
        "weights": {criterion.value: points for criterion, points in weights.items()},
        "quotas": [
            {
                "dimension": q.dimension,
                "value": q.value,
                "label": q.label,
                "min_share": _share(q.min_bp),
                "max_share": _share(q.max_bp),
            }
            for q in quotas
        ],
    }


async def set_review_settings(
    *, slug: str, data: ReviewSettingsIn, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    """Replace the capacity, weights and quotas; every bad quota field is named."""
    exhibition = await _organizers_exhibition(slug, actor)
    quotas = [
        Quota(q.dimension, q.value.strip(), review.share_to_bp(q.min_share), review.share_to_bp(q.max_share))
        for q in data.quotas
    ]
    errors: list[FieldError] = []
    seen: set[tuple[Dimension, str]] = set()
    valid = _valid_values()
    for index, quota in enumerate(quotas):
        errors.extend(review.quota_errors(quota, valid, f"quotas[{index}]"))
        if (quota.dimension, quota.value) in seen:
            errors.append(FieldError(f"quotas[{index}]", "duplicate", "this group has a quota already"))
        seen.add((quota.dimension, quota.value))
    if errors:
        raise InvalidInput(errors)
    weights = json.dumps({criterion.value: points for criterion, points in sorted(data.weights.items())})
    async with write_transaction(_db()):
        await ReviewProposal.raw(
            "INSERT INTO review_settings (exhibition, capacity, weights, updated_at) VALUES ({}, {}, {}, {})"
            " ON CONFLICT (exhibition) DO UPDATE SET capacity = excluded.capacity, weights = excluded.weights,"
            " updated_at = excluded.updated_at",
            exhibition["id"],
            data.capacity,
            weights,
            now,
        )
        await ReviewProposal.raw("DELETE FROM review_quota WHERE exhibition = {}", exhibition["id"])
        for position, quota in enumerate(quotas):
            await ReviewProposal.raw(
                "INSERT INTO review_quota (exhibition, dimension, value, min_bp, max_bp, position)"
                " VALUES ({}, {}, {}, {}, {}, {})",
                exhibition["id"],
                quota.dimension.value,
                quota.value,
                quota.min_bp,
                quota.max_bp,
                position,
            )
    return await get_review_settings(slug=slug, actor=actor)


def _facts(row: Mapping[str, Any], exhibited: set[int]) -> dict[str, Any]:
    """What the proposal knows of one applicant, as stored in its snapshot."""
    return {
        "id": row["id"],
        "status": row["status"],
        "updated_at": _stamp(row["updated_at"]),
        "organization": row["organization"],
        "name": row["name_latin"] or row["name_ar"] or "",
        "name_ar": row["name_ar"],
        "region": row["region"],
        "sector": row["sector"],
        "legal_form": row["legal_form"],
        "women_led": is_women_led(
            declared=bool(row["declared_women_led"]),
            members_total=row["members_total"],
            members_women=row["members_women"],
        ),
        "youth_led": row["members_total"] > 0 and 2 * row["members_youth"] > row["members_total"],
        "first_time": row["organization"] not in exhibited,
        "product_count": review.product_count(row["products"]),
    }


def _applicant(facts: Mapping[str, Any]) -> Applicant:
    return Applicant(
        application_id=facts["id"],
        region=facts["region"],
        sector=facts["sector"],
        legal_form=facts["legal_form"],
        women_led=facts["women_led"],
        youth_led=facts["youth_led"],
        first_time=facts["first_time"],
        product_count=facts["product_count"],
        approved=facts["status"] == ApplicationStatus.approved.value,
    )


async def _applicant_facts(exhibition_id: int) -> list[dict[str, Any]]:
    exhibited = {row["organization"] for row in await ReviewProposal.raw(_EXHIBITED, exhibition_id)}
    return [_facts(row, exhibited) for row in await ReviewProposal.raw(_APPLICANTS, exhibition_id)]


def _result_json(proposal: Proposal) -> str:
    return json.dumps(
        {
            "places": proposal.places,
            "unfilled": proposal.unfilled,
            "total_score": proposal.total_score,
            "decisions": [
                {
                    "id": d.application_id,
                    "outcome": d.outcome.value,
                    "rank": d.rank,
                    "score": d.score,
                    "points": {c.value: p for c, p in d.points.items()},
                    "quotas": list(d.quotas),
                    "waitlist_position": d.waitlist_position,
                }
                for d in proposal.decisions
            ],
            "quotas": [
                {
                    "dimension": r.quota.dimension.value,
                    "value": r.quota.value,
                    "min_bp": r.quota.min_bp,
                    "max_bp": r.quota.max_bp,
                    "achieved": r.achieved,
                    "minimum": r.minimum,
                    "maximum": r.maximum,
                    "shortfall": r.shortfall,
                }
                for r in proposal.quotas
            ],
        }
    )


def load_proposal(row: Mapping[str, Any]) -> tuple[Proposal, dict[int, dict[str, Any]]]:
    """A stored proposal as the pure module gives it, and its applicants' facts by id."""
    result = json.loads(row["result"])
    inputs = json.loads(row["inputs"])
    decisions = tuple(
        Decision(
            application_id=d["id"],
            outcome=Outcome(d["outcome"]),
            rank=d["rank"],
            score=d["score"],
            points={Criterion(c): p for c, p in d["points"].items()},
            quotas=tuple(d["quotas"]),
            waitlist_position=d["waitlist_position"],
        )
        for d in result["decisions"]
    )
    quotas = tuple(
        QuotaResult(
            Quota(Dimension(r["dimension"]), r["value"], r["min_bp"], r["max_bp"]),
            r["achieved"],
            r["minimum"],
            r["maximum"],
            r["shortfall"],
        )
        for r in result["quotas"]
    )
    proposal = Proposal(
        seed=row["seed"],
        capacity=row["capacity"],
        places=result["places"],
        decisions=decisions,
        quotas=quotas,
        unfilled=result["unfilled"],
        total_score=result["total_score"],
        selected=tuple(d.application_id for d in decisions if d.outcome is Outcome.selected),
        waitlist=tuple(d.application_id for d in decisions if d.outcome is Outcome.waitlisted),
    )
    return proposal, {facts["id"]: facts for facts in inputs["applicants"]}


def gauge(result: QuotaResult) -> dict[str, Any]:
    """One quota's gauge, as ``templates/exhibitors/review/quota_gauges.html`` draws it."""
    scale = max(result.maximum or 0, result.minimum or 0, result.achieved, 1)
    return {
        "label": result.quota.label,
        "dimension": result.quota.dimension.value,
        "value": result.quota.value,
        "achieved": result.achieved,
        "minimum": result.minimum,
        "maximum": result.maximum,
        "shortfall": result.shortfall,
        "met": result.met,
        # Where the bar and the bounds sit, in percent of the gauge's width.
        "achieved_percent": round(100 * result.achieved / scale),
        "minimum_percent": None if result.minimum is None else round(100 * result.minimum / scale),
        "maximum_percent": None if result.maximum is None else round(100 * result.maximum / scale),
    }


async def compute_proposal(*, slug: str, actor: Actor | None, seed: str | None, now: datetime) -> dict[str, Any]:
    """A draft proposal over the submitted, waitlisted and approved applications, stored
    with its seed (a fresh random one when none is given) and a snapshot of its inputs."""
    exhibition = await _organizers_exhibition(slug, actor)
    assert actor is not None
    seed = (seed or "").strip() or secrets.token_hex(8)
    capacity, weights, quotas = await _settings(exhibition["id"])
    if capacity == 0:
        raise InvalidInput.single("capacity", "no_capacity", "set the number of stands to fill first")
    facts = await _applicant_facts(exhibition["id"])
    proposal = review.propose(
        [_applicant(one) for one in facts], capacity=capacity, quotas=quotas, weights=weights, seed=seed
    )
    inputs = {
        "capacity": capacity,
        "weights": {criterion.value: points for criterion, points in weights.items()},
        "quotas": [[q.dimension.value, q.value, q.min_bp, q.max_bp] for q in quotas],
        "applicants": facts,
    }
    rows = await ReviewProposal.raw(
        "INSERT INTO review_proposal (exhibition, seed, capacity, inputs, result, created_by, created_at)"
        " VALUES ({}, {}, {}, {}, {}, {}, {}) RETURNING id",
        exhibition["id"],
        seed,
        proposal.capacity,
        json.dumps(inputs),
        _result_json(proposal),
        actor.user_id,
        now,
    )
    return await get_proposal(slug=slug, proposal_id=int(rows[0]["id"]), actor=actor)


async def get_proposal(*, slug: str, proposal_id: int | None, actor: Actor | None) -> dict[str, Any]:
    """A proposal (the latest when ``proposal_id`` is None) with its applicants' facts."""
    exhibition = await _organizers_exhibition(slug, actor)
    if proposal_id is None:
        rows = await ReviewProposal.raw(
            "SELECT * FROM review_proposal WHERE exhibition = {} ORDER BY id DESC LIMIT 1", exhibition["id"]
        )
    else:
        rows = await ReviewProposal.raw(
            "SELECT * FROM review_proposal WHERE exhibition = {} AND id = {}", exhibition["id"], proposal_id
        )
    if not rows:
        raise NotFound("no proposal yet" if proposal_id is None else f"no proposal {proposal_id}")
    proposal, facts = load_proposal(rows[0])
    saved = {int(key): Outcome(value) for key, value in json.loads(rows[0]["overrides"]).items()}
    return {**rows[0], "exhibition_slug": slug, "proposal": proposal, "facts": facts, "overrides": saved}


async def save_overrides(
    *, slug: str, proposal_id: int, overrides: Mapping[int, Outcome | None], actor: Actor | None
) -> dict[int, Outcome]:
    """Keep the organizer's overrides with a proposal until it is applied (the page shows
    50 rows at a time); None removes one, and an override equal to the proposal is dropped."""
    found = await get_proposal(slug=slug, proposal_id=proposal_id, actor=actor)
    if found["applied_at"] is not None:
        raise InvalidTransition(
            "this proposal was applied already", errors=[FieldError("proposal", "applied", "was applied already")]
        )
    proposed = {d.application_id: d.outcome for d in found["proposal"].decisions}
    _check_overrides(overrides, found["facts"])
    saved = dict(found["overrides"])
    for application_id, outcome in overrides.items():
        if outcome is None or outcome is proposed[application_id]:
            saved.pop(application_id, None)
        else:
            saved[application_id] = outcome
    await ReviewProposal.raw(
        "UPDATE review_proposal SET overrides = {} WHERE id = {} AND applied_at IS NULL",
        json.dumps({str(key): value.value for key, value in sorted(saved.items())}), proposal_id,
    )  # fmt: skip
    return saved


def _check_overrides(overrides: Mapping[int, Outcome | None], facts: Mapping[int, Mapping[str, Any]]) -> None:
    errors = []
    for index, (application_id, outcome) in enumerate(overrides.items()):
        if application_id not in facts:
            errors.append(FieldError(f"overrides[{index}].application", "unknown", "is not in this proposal"))
        elif outcome is not None and (facts[application_id]["status"], outcome) not in _MOVES:
            errors.append(FieldError(f"overrides[{index}].outcome", "approved_already", "was approved before"))
    if errors:
        raise InvalidInput(errors)


async def quota_gauges(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    """Each quota against the applications approved now, for the capacity set."""
    exhibition = await _organizers_exhibition(slug, actor)
    capacity, _, quotas = await _settings(exhibition["id"])
    approved = [
        _applicant(one)
        for one in await _applicant_facts(exhibition["id"])
        if one["status"] == ApplicationStatus.approved.value
    ]
    gauges = []
    for quota in quotas:
        minimum = None if quota.min_bp is None else review.minimum_count(quota.min_bp, capacity)
        maximum = None if quota.max_bp is None else review.maximum_count(quota.max_bp, capacity)
        achieved = sum(1 for applicant in approved if quota.matches(applicant))
        shortfall = max(0, (minimum or 0) - achieved) + (max(0, achieved - maximum) if maximum is not None else 0)
        gauges.append(gauge(QuotaResult(quota, achieved, minimum, maximum, shortfall)))
    return gauges


def _language(members: list[dict[str, Any]] | None) -> str:
    """An organization's reading language: its oldest member account's."""
    return str(members[0]["preferred_language"]) if members else DEFAULT_LANGUAGE


# What each outcome does to an application in each status it may be in when reviewed
# (None: nothing to move).
_MOVES: dict[tuple[str, Outcome], ApplicationStatus | None] = {
    ("submitted", Outcome.selected): ApplicationStatus.approved,
    ("submitted", Outcome.waitlisted): ApplicationStatus.waitlisted,
    ("submitted", Outcome.rejected): ApplicationStatus.rejected,
    ("waitlisted", Outcome.selected): ApplicationStatus.approved,
    ("waitlisted", Outcome.waitlisted): None,
    ("waitlisted", Outcome.rejected): ApplicationStatus.rejected,
    ("approved", Outcome.selected): None,
}


async def apply_proposal(
    *, slug: str, proposal_id: int, overrides: Mapping[int, Outcome], actor: Actor | None, now: datetime
) -> dict[str, int]:
    """Make the proposal's decisions, with the organizer's overrides, all in one transaction:
    each one a move through the workflow with its one-line reason and its e-mail. Refused
    whole if any application changed since the proposal was computed, or if it was applied."""
    found = await get_proposal(slug=slug, proposal_id=proposal_id, actor=actor)
    proposal: Proposal = found["proposal"]
    facts: dict[int, dict[str, Any]] = found["facts"]
    if found["applied_at"] is not None:
        raise InvalidTransition(
            "this proposal was applied already", errors=[FieldError("proposal", "applied", "was applied already")]
        )
    _check_overrides(overrides, facts)
    # The overrides kept with the proposal (the page's), then the ones sent now.
    chosen = {**found["overrides"], **overrides}
    outcomes = {d.application_id: chosen.get(d.application_id, d.outcome) for d in proposal.decisions}
    if sum(outcome is Outcome.selected for outcome in outcomes.values()) > proposal.capacity:
        raise InvalidInput(
            [FieldError("overrides", "over_capacity", f"selects more than the {proposal.capacity} stands")]
        )

    positions: dict[int, int] = {}
    for decision in proposal.decisions:  # by rank: the waiting list keeps the proposal's order
        if outcomes[decision.application_id] is Outcome.waitlisted:
            positions[decision.application_id] = len(positions) + 1
    members = await _applications.members_of_applicants(found["exhibition"])
    counts = {"approved": 0, "waitlisted": 0, "rejected": 0, "unchanged": 0}
    async with write_transaction(_db()):
        await lock_review(found["exhibition"])
        claimed = await ReviewProposal.raw(
            "UPDATE review_proposal SET applied_at = {}, applied_by = {} WHERE id = {} AND applied_at IS NULL"
            " RETURNING id",
            now,
            actor.user_id if actor else None,
            proposal_id,
        )
        if not claimed:
            raise InvalidTransition(
                "this proposal was applied already", errors=[FieldError("proposal", "applied", "was applied already")]
            )
        current = {
            row["id"]: (row["status"], _stamp(row["updated_at"]))
            for row in await ReviewProposal.raw(
                "SELECT id, status, updated_at FROM application WHERE exhibition = {}"
                " AND status IN ('submitted', 'waitlisted', 'approved')",
                found["exhibition"],
            )
        }
        if current != {one["id"]: (one["status"], one["updated_at"]) for one in facts.values()}:
            raise InvalidTransition(
                "the applications changed since this proposal was computed; compute a new one",
                errors=[FieldError("proposal", "stale", "applications changed since it was computed")],
            )
        for decision in proposal.decisions:
            one = facts[decision.application_id]
            outcome = outcomes[decision.application_id]
            target = _MOVES[(one["status"], outcome)]
            if target is None:
                counts["unchanged"] += 1
                continue
            gettext = Translator(_language(members.get(one["organization"]))).gettext
            shown = dataclasses.replace(
                decision, outcome=outcome, waitlist_position=positions.get(decision.application_id)
            )
            if outcome is decision.outcome:
                reason = review.explain(shown, proposal, gettext, partial(quota_name, gettext=gettext))
            else:
                reason = gettext(OVERRIDDEN[outcome]).format(position=positions.get(decision.application_id))
            row = {"id": one["id"], "organization": one["organization"], "exhibition": found["exhibition"]}
            await _applications.record_move(
                row, ApplicationStatus(one["status"]), target, actor=actor, reason=reason, now=now,
                members=members.get(one["organization"], []),
            )  # fmt: skip
            counts[target.value] += 1
        await ReviewProposal.raw("DELETE FROM review_waitlist WHERE exhibition = {}", found["exhibition"])
        entries = list(positions.items())
        for start in range(0, len(entries), _WAITLIST_BATCH):  # one statement per batch, not per row
            batch = entries[start : start + _WAITLIST_BATCH]
            await ReviewProposal.raw(
                "INSERT INTO review_waitlist (exhibition, application, position, proposal) VALUES "  # noqa: S608
                + ", ".join("({}, {}, {}, {})" for _ in batch),
                *(value for application_id, position in batch
                  for value in (found["exhibition"], application_id, position, proposal_id)),
            )  # fmt: skip
    return counts


_CAPACITY = "SELECT capacity FROM review_settings WHERE exhibition = {}"
_CAPACITY_FOR_UPDATE = _CAPACITY + " FOR UPDATE"


async def lock_review(exhibition_id: int) -> list[dict[str, Any]]:
    """Inside a transaction: the exhibition's review settings row (capacity), locked on
    PostgreSQL until the transaction ends. Taken FIRST by everything that decides for the
    exhibition in bulk or moves its waiting list (applying a proposal, withdrawing an approved
    application), so they run one after the other and never lock rows in opposite orders.
    (SQLite needs no row lock: a write transaction holds the whole database.)"""
    postgres = _db().engine_type == "postgres"
    return await ReviewProposal.raw(_CAPACITY_FOR_UPDATE if postgres else _CAPACITY, exhibition_id)  # type: ignore[no-any-return]


async def promote_from_waitlist(*, exhibition_id: int, now: datetime) -> int | None:
    """Inside the withdrawal's transaction: while fewer are approved than the capacity, approve
    the one ``review.next_from_waitlist`` names (the first on the waiting list, by stored
    position, whose approval keeps the quotas); the id moved up, if any.

    Race-safe: the withdrawal locked the exhibition's settings row first (``lock_review``),
    so two withdrawals at once promote one after the other and the second sees the first's
    promotion."""
    settings = await lock_review(exhibition_id)
    if not settings:
        return None
    capacity, _, quotas = await _settings(exhibition_id)
    facts = {one["id"]: one for one in await _applicant_facts(exhibition_id)}
    approved = [_applicant(one) for one in facts.values() if one["status"] == ApplicationStatus.approved.value]
    if len(approved) >= capacity:
        return None
    order = await ReviewProposal.raw(
        "SELECT a.id FROM review_waitlist w JOIN application a ON a.id = w.application"
        " WHERE w.exhibition = {} AND a.status = 'waitlisted' ORDER BY w.position",
        exhibition_id,
    )
    waiting = [_applicant(facts[row["id"]]) for row in order if row["id"] in facts]
    chosen = review.next_from_waitlist(approved, waiting, quotas=quotas, capacity=capacity)
    if chosen is None:
        return None
    rows = await ReviewProposal.raw("SELECT id, organization, exhibition FROM application WHERE id = {}", chosen)
    row = rows[0]
    members = await _applications.members_of(row["organization"])
    await _applications.record_move(
        dict(row), ApplicationStatus.waitlisted, ApplicationStatus.approved, actor=None,
        reason=Translator(_language(members)).gettext(MOVED_UP), now=now, members=members,
    )  # fmt: skip
    await ReviewProposal.raw("DELETE FROM review_waitlist WHERE application = {}", row["id"])
    return int(row["id"])
