"""Allocation proposals: the allocator's input read from the exhibition, its result kept as
a draft, and the organizers' acceptance (all of it or some applications) written in one
transaction, published and announced to the exhibitors.

The solver (``stands/allocation.py``) is pure; this module is the only place that reads the
database for it. It runs in a worker thread so that a five-second solve does not stall the
event loop.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

import anyio

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.notifications import services as notifications
from exhibitions.stands import allocation, queries
from exhibitions.stands.services._assignments import Placement, apply_placements
from exhibitions.stands.services._common import db, organizers_exhibition
from exhibitions.stands.tables import AllocationProposal, StandAssignment

# The weights an organizer may set (points); the rest of ``Rules`` are the solver's own.
WEIGHTS = ("preference", "fairness", "sector_clustering", "region", "near", "keep_apart", "change", "unplaced")
MAX_WEIGHT = 100_000
# Long enough for the national scale (600 × 600 within 5 s); a request never waits longer.
MAX_TIME_LIMIT_S = 30.0

_APPLICANTS = """
SELECT a.id, a.organization, COALESCE(NULLIF(o.name_latin, ''), o.name_ar) AS name, a.stand_type,
       a.stand_area_m2, a.preferred_zone, a.near_organizations, a.needs_power, a.needs_water,
       a.needs_accessible, a.accepts_sharing, a.products, o.sector, o.region
FROM application a JOIN organization o ON o.id = a.organization
WHERE a.exhibition = {} AND a.status = 'approved' ORDER BY a.id
"""

_ASSIGNMENTS = """
SELECT sa.application, s.code, sa.locked, sa.published_at FROM stand_assignment sa
JOIN stand s ON s.id = sa.stand WHERE s.exhibition = {} ORDER BY sa.application
"""


def rules_from(weights: dict[str, Any], time_limit_s: float | None = None) -> allocation.Rules:
    """The solver's rules from the organizer's weights (unknown or out-of-range ones refused,
    naming each field); ``region_mode`` is ``spread`` or ``cluster``."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for key, value in weights.items():
        if key == "region_mode":
            if value not in ("spread", "cluster"):
                errors.append(FieldError("rules.region_mode", "invalid", "is spread or cluster"))
            else:
                values[key] = allocation.RegionMode(value)
        elif key not in WEIGHTS:
            errors.append(FieldError(f"rules.{key}", "unknown", "is not a weight of the allocator"))
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WEIGHT:
            errors.append(FieldError(f"rules.{key}", "out_of_range", f"is a whole number from 0 to {MAX_WEIGHT}"))
        else:
            values[key] = value
    if time_limit_s is not None:
        if not 0.1 <= time_limit_s <= MAX_TIME_LIMIT_S:
            errors.append(FieldError("time_limit_s", "out_of_range", f"is from 0.1 to {MAX_TIME_LIMIT_S:g} seconds"))
        else:
            values["time_limit_s"] = time_limit_s
    if errors:
        raise InvalidInput(errors)
    return allocation.Rules(**values)


def rules_json(rules: allocation.Rules) -> dict[str, Any]:
    known = {field.name for field in fields(rules)}
    return {key: getattr(rules, key) for key in (*WEIGHTS, "region_mode", "time_limit_s") if key in known} | {
        "region_mode": rules.region_mode.value
    }


def _product_lines(products: str) -> frozenset[str]:
    # One product line a line of the application's text, compared case-insensitively.
    return frozenset(line.strip().casefold() for line in (products or "").splitlines() if line.strip())


def _applicant(row: dict[str, Any]) -> allocation.Applicant:
    try:
        near = frozenset(int(item) for item in json.loads(row["near_organizations"] or "[]"))
    except (ValueError, TypeError):
        near = frozenset()
    return allocation.Applicant(
        application_id=row["id"], organization_id=row["organization"], organization_name=row["name"] or "",
        area_m2=float(row["stand_area_m2"]), stand_type=allocation.StandType(row["stand_type"]),
        needs_power=bool(row["needs_power"]), needs_water=bool(row["needs_water"]),
        needs_accessible=bool(row["needs_accessible"]), accepts_sharing=bool(row["accepts_sharing"]),
        preferred_zone=row["preferred_zone"] or None, sector=row["sector"] or "", region=row["region"] or "",
        product_lines=_product_lines(row["products"]), near_organizations=near,
    )  # fmt: skip


def _stand(row: dict[str, Any]) -> allocation.Stand:
    return allocation.Stand(
        code=row["code"], hall=row["hall"], x=row["x_cm"] / 100, y=row["y_cm"] / 100, width=row["width_cm"] / 100,
        depth=row["depth_cm"] / 100, area_m2=row["width_cm"] * row["depth_cm"] / 10_000,
        stand_type=allocation.StandType(row["stand_type"]), zone=row["zone"], power=bool(row["has_power"]),
        water=bool(row["has_water"]), accessible=bool(row["accessible"]), capacity=row["capacity"],
    )  # fmt: skip


async def _state(exhibition_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """The exhibition's stands, its assignments and the fingerprint of the stands and locks:
    what a proposal depends on and may not silently undo."""
    stands, _ = await queries.stands_page(exhibition_id, per_page=None)
    assignments = await StandAssignment.raw(_ASSIGNMENTS, exhibition_id)
    keys = ("code", "hall", "x_cm", "y_cm", "width_cm", "depth_cm", "stand_type", "zone", "has_power", "has_water",
            "accessible", "capacity")  # fmt: skip
    shape = sorted([str(row[key]) for key in keys] for row in stands)
    locks = sorted((row["application"], row["code"]) for row in assignments if row["locked"])
    digest = hashlib.sha256(json.dumps([shape, locks]).encode()).hexdigest()
    return stands, assignments, digest


def _result_json(proposal: allocation.Proposal) -> dict[str, Any]:
    return {
        "assignments": [{**asdict(item), "notes": list(item.notes)} for item in proposal.assignments],
        "unplaced": [asdict(item) for item in proposal.unplaced],
        "objective": proposal.objective,
        "breakdown": {goal.value: points for goal, points in proposal.breakdown.items()},
        "bound": proposal.bound,
        "gap": proposal.gap,
        "solver_status": proposal.status,
        "seconds": proposal.seconds,
        "ignored_locks": [
            {"application_id": placement.application_id, "stand_code": placement.stand_code, "reason": reason}
            for placement, reason in proposal.ignored_locks
        ],
    }


def _proposal_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"], "status": row["status"], "rules": json.loads(row["rules"]),
        "created_at": row["created_at"], "accepted_at": row["accepted_at"], **json.loads(row["result"]),
    }  # fmt: skip


async def compute_proposal(
    *, slug: str, rules: allocation.Rules, actor: Actor | None, now: datetime, store: bool = True
) -> dict[str, Any]:
    """Run the allocator over the approved applications and the stands, keeping the locked
    assignments and as few changes to the published ones as the weights ask; the proposal
    (stored as a draft unless ``store`` is false: a dry run). Never fails on an infeasible
    instance: what cannot be placed is listed with why."""
    exhibition = await organizers_exhibition(slug, actor)
    stand_rows, assignments, fingerprint = await _state(exhibition["id"])
    applicant_rows = await StandAssignment.raw(_APPLICANTS, exhibition["id"])
    applicants = [_applicant(row) for row in applicant_rows]
    stands = [_stand(row) for row in stand_rows]
    locked = [allocation.Placement(row["application"], row["code"]) for row in assignments if row["locked"]]
    published = [
        allocation.Placement(row["application"], row["code"]) for row in assignments if row["published_at"] is not None
    ]
    proposal = await anyio.to_thread.run_sync(
        lambda: allocation.propose(applicants, stands, rules, locked=locked, published=published)
    )
    result = _result_json(proposal)
    names = {row["id"]: row["name"] for row in applicant_rows}
    for item in (*result["assignments"], *result["unplaced"]):
        item["name"] = names.get(item["application_id"], "")
    row: dict[str, Any] = {
        "id": None, "status": "draft", "rules": json.dumps(rules_json(rules)), "result": json.dumps(result),
        "created_at": now, "accepted_at": None,
    }  # fmt: skip
    if store:
        creator = actor.user_id if actor and actor.user_id else None  # the command line is no account
        created = await AllocationProposal.raw(
            "INSERT INTO allocation_proposal (exhibition, status, rules, result, fingerprint, created_by, created_at)"
            " VALUES ({}, 'draft', {}, {}, {}, {}, {}) RETURNING id",
            exhibition["id"], row["rules"], row["result"], fingerprint, creator, now,
        )  # fmt: skip
        row["id"] = created[0]["id"]
    return _proposal_out(row)


async def _proposal_row(exhibition_id: int, proposal_id: int) -> dict[str, Any]:
    rows = await AllocationProposal.raw(
        "SELECT * FROM allocation_proposal WHERE id = {} AND exhibition = {}", proposal_id, exhibition_id
    )
    if not rows:
        raise NotFound(f"no proposal {proposal_id} in this exhibition")
    return rows[0]  # type: ignore[no-any-return]


async def get_proposal(*, slug: str, proposal_id: int, actor: Actor | None) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    return _proposal_out(await _proposal_row(exhibition["id"], proposal_id))


async def latest_proposal(*, slug: str, actor: Actor | None) -> dict[str, Any] | None:
    """The exhibition's newest proposal, or None: the organizers' allocation page shows it."""
    exhibition = await organizers_exhibition(slug, actor)
    rows = await AllocationProposal.raw(
        "SELECT * FROM allocation_proposal WHERE exhibition = {} ORDER BY id DESC LIMIT 1", exhibition["id"]
    )
    return _proposal_out(rows[0]) if rows else None


async def accept_proposal(
    *, slug: str, proposal_id: int, applications: Sequence[int] | None, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    """Seat the proposal's assignments (all, or those of ``applications``), publish them and
    tell the exhibitors whose stand is new or changed; all in one transaction. Refused (409)
    when the stands or the locks changed since the proposal was computed, or when it was
    accepted already. A proposal is accepted once, in part or whole: for the rest, move
    stands by hand or compute a new one (locks and published stands carry over).
    {accepted, changed, notified}."""
    exhibition = await organizers_exhibition(slug, actor)
    row = await _proposal_row(exhibition["id"], proposal_id)
    result = json.loads(row["result"])
    proposed = {item["application_id"]: item["stand_code"] for item in result["assignments"]}
    if applications is not None:
        errors = [
            FieldError(f"applications[{index}]", "not_proposed", f"application {application} has no stand in it")
            for index, application in enumerate(applications)
            if application not in proposed
        ]
        if not applications:
            errors.append(FieldError("applications", "empty", "tick at least one application"))
        if errors:
            raise InvalidInput(errors)
        chosen = list(dict.fromkeys(applications))
    else:
        chosen = list(proposed)
    placements = [Placement(proposed[application], application) for application in chosen]
    async with write_transaction(db()):
        _, _, fingerprint = await _state(exhibition["id"])
        if fingerprint != row["fingerprint"]:
            reason = "the stands or the locks changed since this proposal was computed: compute a new one"
            raise Conflict(reason, errors=[FieldError("proposal", "stale", reason)])
        marked = await AllocationProposal.raw(
            "UPDATE allocation_proposal SET status = 'accepted', accepted_at = {} WHERE id = {} AND status = 'draft'"
            " RETURNING id",
            now, proposal_id,
        )  # fmt: skip
        if not marked:
            reason = "this proposal was accepted already"
            raise Conflict(reason, errors=[FieldError("proposal", "accepted", reason)])
        changed = await apply_placements(slug=slug, placements=placements, actor=actor, now=now)
        notified = await publish_and_notify(exhibition_id=exhibition["id"], applications=chosen, now=now)
    return {"accepted": len(placements), "changed": changed, "notified": notified}


_TO_PUBLISH = """
SELECT sa.id, sa.application, sa.assigned_at, s.code, a.organization FROM stand_assignment sa
JOIN stand s ON s.id = sa.stand JOIN application a ON a.id = sa.application
WHERE s.exhibition = {} AND (sa.published_at IS NULL OR sa.published_at < sa.assigned_at)
"""


async def publish_and_notify(*, exhibition_id: int, applications: Sequence[int] | None, now: datetime) -> int:
    """Publish the assignments that are new or changed since last published (of
    ``applications`` only, if given) and queue a ``stand_assigned`` e-mail to every member of
    each exhibitor, in their language: how many assignments were announced. The outbox key
    (application, stand, time of assignment) makes a repeat impossible and a change a new
    message. Call inside the caller's transaction."""
    from exhibitions.exhibitors.services._applications import members_of  # the exhibitors domain imports stands

    rows = await StandAssignment.raw(_TO_PUBLISH, exhibition_id)
    wanted = set(applications) if applications is not None else None
    announced = 0
    for row in rows:
        if wanted is not None and row["application"] not in wanted:
            continue
        await StandAssignment.raw("UPDATE stand_assignment SET published_at = {} WHERE id = {}", now, row["id"])
        assigned_at = row["assigned_at"]
        stamp = assigned_at.isoformat() if isinstance(assigned_at, datetime) else str(assigned_at)
        for member in await members_of(row["organization"]):
            await notifications.enqueue(
                rule=notifications.RULE_STAND_ASSIGNED, recipient=member["email"],
                subject_key=f"application:{row['application']}", occurrence=f"{row['code']}@{stamp}",
                language=member["preferred_language"], now=now, exhibition_id=exhibition_id,
            )  # fmt: skip
        announced += 1
    return announced


async def publish_stands(*, slug: str, actor: Actor | None, now: datetime) -> int:
    """Publish every new or moved assignment (by hand included) and tell their exhibitors."""
    exhibition = await organizers_exhibition(slug, actor)
    async with write_transaction(db()):
        return await publish_and_notify(exhibition_id=exhibition["id"], applications=None, now=now)
