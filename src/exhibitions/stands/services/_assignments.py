"""Who holds each stand: assigning, moving, locking and freeing, by hand or from an
accepted proposal; and the reads the portal, the directory and the plan need.

The database decides every race (m0014): an application holds one stand (unique
application), a seat one exhibitor (unique stand and seat), and a seat exists only up to
the stand's capacity. Two organizers assigning the last seat at once: one INSERT goes
through, the other finds the seat taken and is answered 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound, StandTaken
from exhibitions.events import queries as event_queries
from exhibitions.stands import queries
from exhibitions.stands.services._common import (
    db,
    lock_assignments,
    not_approved,
    organizers_exhibition,
    refused,
    taken,
)
from exhibitions.stands.services._stands import get_stand, with_assignments
from exhibitions.stands.tables import AssignmentSource, StandAssignment


async def _stand(exhibition: dict[str, Any], code: str) -> dict[str, Any]:
    stand = await queries.find_stand(exhibition["id"], code)
    if stand is None:
        raise NotFound(f"no stand {code!r} in this exhibition")
    return stand


async def assign_stand(
    *,
    slug: str,
    code: str,
    application_id: int,
    locked: bool,
    actor: Actor | None,
    now: datetime,
    source: AssignmentSource = AssignmentSource.manual,
) -> dict[str, Any]:
    """Seat the approved application at the stand (moving it from its current stand, if
    any), locked or not; the stand with its assignments. Assigning it again where it sits
    only sets the lock."""
    exhibition = await organizers_exhibition(slug, actor)
    stand = await _stand(exhibition, code)
    application = await queries.application_brief(application_id)
    if application is None or application["exhibition"] != exhibition["id"]:
        raise InvalidInput.single("application", "unknown", f"no application {application_id} in this exhibition")
    if application["status"] != "approved":
        raise not_approved(application_id)
    try:
        async with write_transaction(db()):
            await lock_assignments(exhibition["id"])
            current = await StandAssignment.raw(
                "SELECT id, stand FROM stand_assignment WHERE application = {}", application_id
            )
            if current and current[0]["stand"] == stand["id"]:
                await StandAssignment.raw(
                    "UPDATE stand_assignment SET locked = {} WHERE id = {}", locked, current[0]["id"]
                )
            else:
                if current:  # a move: the old seat is freed in the same transaction
                    await StandAssignment.raw("DELETE FROM stand_assignment WHERE id = {}", current[0]["id"])
                if not await _take_a_seat(stand, application_id, locked, source, actor, now):
                    raise taken(code)
    except Exception as exc:
        raise (refused(exc, code=code, application=application_id) or exc) from None
    return (await with_assignments([stand]))[0]


async def _take_a_seat(
    stand: dict[str, Any], application_id: int, locked: bool, source: AssignmentSource, actor: Actor | None,
    now: datetime,
) -> bool:  # fmt: skip
    """The first free seat, claimed by an INSERT the unique (stand, seat) lets through once."""
    for seat in range(1, stand["capacity"] + 1):
        rows = await StandAssignment.raw(
            "INSERT INTO stand_assignment (stand, application, seat, locked, source, assigned_by, assigned_at)"
            " VALUES ({}, {}, {}, {}, {}, {}, {}) ON CONFLICT (stand, seat) DO NOTHING RETURNING id",
            stand["id"], application_id, seat, locked, source.value, actor.user_id if actor else None, now,
        )  # fmt: skip
        if rows:
            return True
    return False


async def unassign(*, slug: str, code: str, application_id: int | None, actor: Actor | None) -> dict[str, Any]:
    """Free the stand (or only the application's seat on it); the stand as it is then."""
    exhibition = await organizers_exhibition(slug, actor)
    stand = await _stand(exhibition, code)
    async with write_transaction(db()):
        await lock_assignments(exhibition["id"])
        if application_id is None:
            await StandAssignment.raw("DELETE FROM stand_assignment WHERE stand = {}", stand["id"])
        else:
            rows = await StandAssignment.raw(
                "DELETE FROM stand_assignment WHERE stand = {} AND application = {} RETURNING id",
                stand["id"],
                application_id,
            )
            if not rows:
                reason = f"application {application_id} is not on {code}"
                raise InvalidInput.single("application", "not_on_stand", reason)
    return (await with_assignments([stand]))[0]


async def set_locked(*, slug: str, code: str, locked: bool, actor: Actor | None) -> dict[str, Any]:
    """Lock (the solver keeps it where it is) or unlock every assignment of the stand."""
    exhibition = await organizers_exhibition(slug, actor)
    stand = await _stand(exhibition, code)
    async with write_transaction(db()):
        await lock_assignments(exhibition["id"])
        rows = await StandAssignment.raw(
            "UPDATE stand_assignment SET locked = {} WHERE stand = {} RETURNING id", locked, stand["id"]
        )
    if not rows:
        raise InvalidInput([FieldError("code", "not_assigned", f"stand {code} is not assigned")])
    return (await with_assignments([stand]))[0]


async def publish_assignments(*, slug: str, actor: Actor | None, now: datetime) -> int:
    """Make every assignment not yet published visible to exhibitors; how many were."""
    exhibition = await organizers_exhibition(slug, actor)
    rows = await StandAssignment.raw(
        "UPDATE stand_assignment SET published_at = {} WHERE published_at IS NULL"
        " AND stand IN (SELECT id FROM stand WHERE exhibition = {}) RETURNING id",
        now,
        exhibition["id"],
    )
    return len(rows)


async def free_stands_of(application_id: int) -> list[str]:
    """Free the stand of an application leaving the exhibition (a withdrawal): the codes
    freed. For the service that withdraws it, in its transaction; no permission check."""
    rows = await StandAssignment.raw(
        "DELETE FROM stand_assignment WHERE application = {}"
        " RETURNING (SELECT code FROM stand WHERE stand.id = stand_assignment.stand) AS code",
        application_id,
    )
    return [row["code"] for row in rows]


async def stand_of_application(application_id: int) -> dict[str, Any] | None:
    """{code, hall (its id), hall_name, zone, x_cm.., locked, published_at} or None: what the
    portal and the directory show. No permission check: callers show it to whom they may."""
    row = await queries.assignment_of_application(application_id)
    if row is None:
        return None
    keys = ("code", "hall", "hall_name", "zone", "x_cm", "y_cm", "width_cm", "depth_cm", "locked", "published_at")
    return {key: row[key] for key in keys}


async def hall_stands(*, slug: str, hall_id: int) -> list[dict[str, Any]]:
    """Every stand of the exhibition in the hall, with its assignments (exhibitor names in
    Arabic and Latin script, sector, region): what the plan draws. No permission check."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    rows, _ = await queries.stands_page(exhibition["id"], hall=hall_id, per_page=None)
    return await with_assignments(rows)


async def assignable_applications(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    """Approved applications still without a stand."""
    exhibition = await organizers_exhibition(slug, actor)
    return await queries.unassigned_approved(exhibition["id"])


@dataclass(frozen=True)
class Placement:
    """One application seated at one stand (by code): a line of an accepted proposal."""

    code: str
    application_id: int


async def apply_placements(
    *,
    slug: str,
    placements: list[Placement],
    actor: Actor | None,
    now: datetime,
    source: AssignmentSource = AssignmentSource.proposal,
) -> int:
    """Seat every placement in one transaction, or none: how many seats changed. An
    application already at its stand stays as it is; one elsewhere moves, unless it is
    locked there (the organizer's pin wins: 409 naming the placement). Every move frees
    its old seat before any seat is taken, so two exhibitors can swap stands."""
    exhibition = await organizers_exhibition(slug, actor)
    stands = {row["code"]: row for row in (await queries.stands_page(exhibition["id"], per_page=None))[0]}
    errors = [
        FieldError(f"placements[{index}].code", "unknown", f"no stand {placement.code!r}")
        for index, placement in enumerate(placements)
        if placement.code not in stands
    ]
    seen: set[int] = set()
    for index, placement in enumerate(placements):
        if placement.application_id in seen:
            errors.append(FieldError(f"placements[{index}].application", "duplicate", "placed twice"))
        seen.add(placement.application_id)
    if errors:
        raise InvalidInput(errors)
    changed = 0
    failed_at = 0
    try:
        async with write_transaction(db()):
            await lock_assignments(exhibition["id"])
            current = {
                row["application"]: row
                for row in await StandAssignment.raw(
                    "SELECT sa.id, sa.application, sa.stand, sa.locked FROM stand_assignment sa"
                    " JOIN stand s ON s.id = sa.stand WHERE s.exhibition = {}",
                    exhibition["id"],
                )
            }
            moving = []
            for index, placement in enumerate(placements):
                held = current.get(placement.application_id)
                if held is not None and held["stand"] == stands[placement.code]["id"]:
                    continue
                if held is not None and held["locked"]:
                    reason = f"application {placement.application_id} is locked at another stand"
                    raise Conflict(reason, errors=[FieldError(f"placements[{index}].application", "locked", reason)])
                if held is not None:
                    await StandAssignment.raw("DELETE FROM stand_assignment WHERE id = {}", held["id"])
                moving.append((index, placement))
            for index, placement in moving:
                failed_at = index
                stand = stands[placement.code]
                if not await _take_a_seat(stand, placement.application_id, False, source, actor, now):
                    reason = f"every seat of stand {placement.code} is assigned already"
                    raise StandTaken(reason, errors=[FieldError(f"placements[{index}].code", "stand_taken", reason)])
                changed += 1
    except Exception as exc:
        placement = placements[failed_at] if placements else Placement("", 0)
        raise (refused(exc, code=placement.code, application=placement.application_id) or exc) from None
    return changed


async def published_stand(exhibition_id: int, organization_id: int) -> dict[str, Any] | None:
    """{code, hall, hall_name} of the organization's published stand at the exhibition, or
    None: what the public directory shows. No permission check: it is public once published."""
    rows = await StandAssignment.raw(
        "SELECT s.code, s.hall, h.name AS hall_name FROM stand_assignment sa JOIN stand s ON s.id = sa.stand"
        " JOIN hall h ON h.id = s.hall JOIN application a ON a.id = sa.application"
        " WHERE a.exhibition = {} AND a.organization = {} AND a.status = 'approved' AND sa.published_at IS NOT NULL",
        exhibition_id,
        organization_id,
    )
    return rows[0] if rows else None


@dataclass(frozen=True)
class Drop:
    """What dropping an application's stand onto another did: ``moved``, ``swapped`` or
    ``same``, the stand it is now on, and the assignment rows of who moved and of the other
    exhibitor of a swap (for their names)."""

    outcome: str
    code: str
    moved: dict[str, Any] | None = None
    other: dict[str, Any] | None = None


class DropRefused(Exception):
    """Why a drop was refused: ``not_assigned``, ``locked``, ``full`` or ``unknown``, the stand
    concerned and the assignment row in the way, if any."""

    def __init__(self, outcome: str, code: str = "", assignment: dict[str, Any] | None = None) -> None:
        super().__init__(outcome)
        self.outcome, self.code, self.assignment = outcome, code, assignment


async def drop_on_stand(*, slug: str, application_id: int, code: str, actor: Actor | None, now: datetime) -> Drop:
    """Move the application to the stand ``code`` (the plan's drag and drop): onto a free
    place, a move; onto a stand whose one place is taken, a swap, both in one transaction by
    ``apply_placements``; onto a full shared stand, a refusal. A locked assignment, on either
    side, is refused. Concurrent changes are the database's to decide (409 stand-taken)."""
    target = await get_stand(slug=slug, code=code, actor=actor)
    held = await stand_of_application(application_id)
    source = None
    if held is not None:
        try:
            source = await get_stand(slug=slug, code=held["code"], actor=actor)
        except NotFound:
            source = None  # a stand of another exhibition
    mine = next((a for a in (source or {}).get("assignments", []) if a["application"] == application_id), None)
    if source is None or mine is None:
        raise DropRefused("not_assigned", code)
    if mine["locked"]:
        raise DropRefused("locked", source["code"], mine)
    if source["code"] == target["code"]:
        return Drop("same", code, mine)
    others = target["assignments"]
    placements = [Placement(target["code"], application_id)]
    other = None
    if len(others) >= target["capacity"]:
        if len(others) > 1:
            raise DropRefused("full", target["code"], mine)
        if others[0]["locked"]:
            raise DropRefused("locked", target["code"], others[0])
        placements.append(Placement(source["code"], others[0]["application"]))
        other = others[0]
    await apply_placements(slug=slug, placements=placements, actor=actor, now=now, source=AssignmentSource.manual)
    return Drop("swapped" if other else "moved", target["code"], mine, other)
