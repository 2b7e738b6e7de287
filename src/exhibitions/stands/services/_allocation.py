"""Allocation proposals: the allocator's input read from the exhibition, its result kept as
a draft, and the organizers' acceptance (all of it, or some applications at a time) written
in one transaction, published and announced to the exhibitors.

The solver (``stands/allocation.py``) is pure; this module is the only place that reads the
database for it. It runs in a worker thread so that a five-second solve does not stall the
event loop.

A proposal keeps a fingerprint of what it was computed from: the stands and every
assignment of the exhibition (who sits where, on which seat, locked or not). Accepting
compares it with the fingerprint of the moment, so any change since (a stand, a lock, a
move by hand, another proposal accepted) makes it stale. Its own acceptance changes the
assignments too: in the same transaction, the proposal then takes the fingerprint of what it
left, so the rest of it can be accepted later, unless something else changed in between.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import anyio

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.notifications import services as notifications
from exhibitions.stands import allocation, queries
from exhibitions.stands.services._assignments import Placement, apply_placements
from exhibitions.stands.services._common import db, lock_assignments, organizers_exhibition
from exhibitions.stands.services._rules import rules_from, rules_json, saved_rules
from exhibitions.stands.tables import AllocationProposal, StandAssignment

_APPLICANTS = """
SELECT a.id, a.organization, COALESCE(NULLIF(o.name_latin, ''), o.name_ar) AS name, a.stand_type,
       a.stand_area_m2, a.preferred_zone, a.near_organizations, a.needs_power, a.needs_water,
       a.needs_accessible, a.accepts_sharing, a.products, o.sector, o.region
FROM application a JOIN organization o ON o.id = a.organization
WHERE a.exhibition = {} AND a.status = 'approved' ORDER BY a.id
"""

_ASSIGNMENTS = """
SELECT sa.application, s.code, sa.seat, sa.locked, sa.published_at FROM stand_assignment sa
JOIN stand s ON s.id = sa.stand WHERE s.exhibition = {} ORDER BY sa.application
"""


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
    """The exhibition's stands, its assignments and their fingerprint: what a proposal
    depends on and may not silently undo."""
    stands, _ = await queries.stands_page(exhibition_id, per_page=None)
    assignments = await StandAssignment.raw(_ASSIGNMENTS, exhibition_id)
    keys = ("code", "hall", "x_cm", "y_cm", "width_cm", "depth_cm", "stand_type", "zone", "has_power", "has_water",
            "accessible", "capacity")  # fmt: skip
    shape = sorted([str(row[key]) for key in keys] for row in stands)
    seats = sorted([row["application"], row["code"], row["seat"], bool(row["locked"])] for row in assignments)
    digest = hashlib.sha256(json.dumps([shape, seats]).encode()).hexdigest()
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
        "created_at": row["created_at"], "accepted_at": row["accepted_at"],
        "accepted_applications": json.loads(row.get("accepted_applications") or "[]"), **json.loads(row["result"]),
    }  # fmt: skip


def _near_names(
    proposal: allocation.Proposal, applicants: Sequence[allocation.Applicant], stands: Sequence[allocation.Stand],
    rules: allocation.Rules,
) -> dict[int, list[str]]:  # fmt: skip
    """application → the names of the organizations it asked to be near that the proposal
    puts on its stand or a neighbouring one: the "near Coop X" of its reason."""
    index = {stand.code: i for i, stand in enumerate(stands)}
    close: dict[int, set[int]] = defaultdict(set)
    for i, j in allocation.neighbour_pairs(stands, rules.neighbour_gap_m):
        close[i].add(j)
        close[j].add(i)
    by_id = {applicant.application_id: applicant for applicant in applicants}
    occupants: dict[int, list[allocation.Applicant]] = defaultdict(list)
    for item in proposal.assignments:
        occupants[index[item.stand_code]].append(by_id[item.application_id])
    names: dict[int, list[str]] = {}
    for item in proposal.assignments:
        if "near_met" in item.notes:
            here, wanted = index[item.stand_code], by_id[item.application_id].near_organizations
            names[item.application_id] = [
                other.organization_name
                for stand in sorted({here} | close[here]) for other in occupants[stand]
                if other.application_id != item.application_id and other.organization_id in wanted
            ]  # fmt: skip
    return names


async def compute_proposal(
    *, slug: str, actor: Actor | None, now: datetime, overrides: Mapping[str, Any] | None = None, store: bool = True
) -> dict[str, Any]:
    """Run the allocator over the approved applications and the stands, keeping the locked
    assignments and as few changes to the published ones as the weights ask; the proposal
    (stored as a draft unless ``store`` is false: a dry run). The exhibition's saved rules
    apply, with ``overrides`` (e.g. ``{"near": 50}``) over them for this proposal only; the
    proposal keeps the rules it used. Never fails on an infeasible instance: what cannot be
    placed is listed with why."""
    exhibition = await organizers_exhibition(slug, actor)
    rules = rules_from(overrides or {}, (await saved_rules(exhibition["id"]))[0])
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
    near = _near_names(proposal, applicants, stands, rules)
    for item in result["assignments"]:
        item["near"] = near.get(item["application_id"], [])
    for item in (*result["assignments"], *result["unplaced"]):
        item["name"] = names.get(item["application_id"], "")
    row: dict[str, Any] = {
        "id": None, "status": "draft", "rules": json.dumps(rules_json(rules)), "result": json.dumps(result),
        "created_at": now, "accepted_at": None, "accepted_applications": "[]",
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


async def _proposal_row(exhibition_id: int, proposal_id: int, *, for_update: bool = False) -> dict[str, Any]:
    lock = " FOR UPDATE" if for_update and AllocationProposal._meta.db.engine_type == "postgres" else ""
    rows = await AllocationProposal.raw(
        "SELECT * FROM allocation_proposal WHERE id = {} AND exhibition = {}" + lock,  # noqa: S608 - a constant
        proposal_id,
        exhibition_id,
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
    tell the exhibitors whose stand is new or changed, with the allocator's reason; all in one
    transaction. A proposal may be accepted in parts, one after the other; it is ``accepted``
    once every part is. Refused (409 ``stale``) when any stand or assignment of the exhibition
    changed since it was computed or last accepted in part, and (409 ``accepted``) when all
    that is asked was accepted already. {accepted, changed, notified}."""
    exhibition = await organizers_exhibition(slug, actor)
    row = await _proposal_row(exhibition["id"], proposal_id)
    proposed = {item["application_id"]: item for item in json.loads(row["result"])["assignments"]}
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
    placements = [Placement(proposed[application]["stand_code"], application) for application in chosen]
    async with write_transaction(db()):
        # Moves by hand take the same lock: none can slip between this check and the writes.
        await lock_assignments(exhibition["id"])
        row = await _proposal_row(exhibition["id"], proposal_id, for_update=True)
        done = set(json.loads(row["accepted_applications"]))
        if row["status"] == "accepted" or done.issuperset(chosen):
            reason = "this proposal was accepted already"
            raise Conflict(reason, errors=[FieldError("proposal", "accepted", reason)])
        _, _, fingerprint = await _state(exhibition["id"])
        if fingerprint != row["fingerprint"]:
            reason = "the stands or their assignments changed since this proposal was computed: compute a new one"
            raise Conflict(reason, errors=[FieldError("proposal", "stale", reason)])
        changed = await apply_placements(slug=slug, placements=placements, actor=actor, now=now)
        await _keep_reasons([proposed[application] for application in chosen])
        notified = await publish_and_notify(exhibition_id=exhibition["id"], applications=chosen, now=now)
        done.update(chosen)
        _, _, left = await _state(exhibition["id"])
        await AllocationProposal.raw(
            "UPDATE allocation_proposal SET status = {}, accepted_at = {}, accepted_applications = {}, fingerprint = {}"
            " WHERE id = {}",
            "accepted" if done.issuperset(proposed) else "draft", now, json.dumps(sorted(done)), left, proposal_id,
        )  # fmt: skip
    return {"accepted": len(placements), "changed": changed, "notified": notified}


async def _keep_reasons(items: Sequence[dict[str, Any]]) -> None:
    """Keep the allocator's reason with each accepted stand (for the e-mail to say why)."""
    for item in items:
        reason = json.dumps({"notes": item["notes"], "near": item.get("near", [])}, ensure_ascii=False)
        await StandAssignment.raw(
            "UPDATE stand_assignment SET reason = {} WHERE application = {} AND source = 'proposal'",
            reason, item["application_id"],
        )  # fmt: skip


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
    # The exhibitors domain imports stands.
    from exhibitions.exhibitors.services._applications import members_of_applicants

    wanted = set(applications) if applications is not None else None
    rows = [
        row for row in await StandAssignment.raw(_TO_PUBLISH, exhibition_id)
        if wanted is None or row["application"] in wanted
    ]  # fmt: skip
    if not rows:
        return 0
    await StandAssignment.raw(
        f"UPDATE stand_assignment SET published_at = {{}} WHERE id IN ({', '.join(['{}'] * len(rows))})",  # noqa: S608
        now, *(row["id"] for row in rows),
    )  # fmt: skip
    # Every member in one query, not one per exhibitor: accepting 600 stands stays quick.
    members = await members_of_applicants(exhibition_id)
    for row in rows:
        assigned_at = row["assigned_at"]
        stamp = assigned_at.isoformat() if isinstance(assigned_at, datetime) else str(assigned_at)
        for member in members.get(row["organization"], []):
            await notifications.enqueue(
                rule=notifications.RULE_STAND_ASSIGNED, recipient=member["email"],
                subject_key=f"application:{row['application']}", occurrence=f"{row['code']}@{stamp}",
                language=member["preferred_language"], now=now, exhibition_id=exhibition_id,
            )  # fmt: skip
    return len(rows)


async def publish_stands(*, slug: str, actor: Actor | None, now: datetime) -> int:
    """Publish every new or moved assignment (by hand included) and tell their exhibitors."""
    exhibition = await organizers_exhibition(slug, actor)
    async with write_transaction(db()):
        return await publish_and_notify(exhibition_id=exhibition["id"], applications=None, now=now)
