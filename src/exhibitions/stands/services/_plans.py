"""A hall's plan as the renderer's plain data, from the real stands: what the public sees
(published assignments only), what the organizers see (every assignment, locks), and a
proposal drawn over it as a diff (``proposed`` for a new seat, ``moved`` for a change)."""

from __future__ import annotations

import json
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.errors import NotFound
from exhibitions.events import queries as event_queries
from exhibitions.events.permissions import can_manage_exhibition
from exhibitions.stands import queries
from exhibitions.stands.plan import PlanExhibitor, PlanHall, PlanStand, StandStatus
from exhibitions.stands.services._assignments import hall_stands
from exhibitions.stands.tables import AllocationProposal


def may_see_everything(actor: Actor | None, exhibition_id: int) -> bool:
    return actor is not None and actor.device_exhibition_id is None and can_manage_exhibition(actor, exhibition_id)


def _exhibitor(row: dict[str, Any]) -> PlanExhibitor:
    return PlanExhibitor(
        id=row["organization"], name_ar=row["name_ar"] or "", name_latin=row["name_latin"] or "",
        sector=row["sector"] or "", region=row["region"] or "",
    )  # fmt: skip


async def hall_plan(
    *, slug: str, hall_id: int, actor: Actor | None, proposal_id: int | None = None
) -> tuple[dict[str, Any], PlanHall, list[PlanStand]]:
    """(exhibition, hall, stands) for the renderer. Organizers see every assignment (and the
    proposal ``proposal_id`` as a diff); anyone else sees the published assignments of a
    published exhibition, nothing of drafts."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    organizer = may_see_everything(actor, exhibition["id"])
    if not organizer and exhibition["status"] != "published":
        raise NotFound(f"no exhibition {slug!r}")
    hall = await queries.venue_hall(exhibition["venue"], hall_id)
    if hall is None:
        raise NotFound(f"no hall {hall_id} at this exhibition's venue")
    rows = await hall_stands(slug=slug, hall_id=hall_id)
    proposed: dict[str, list[dict[str, Any]]] = {}
    if not organizer:
        proposal_id = None  # a draft is the organizers' own: anyone else sees the published plan
    if proposal_id is not None:
        found = await AllocationProposal.raw(
            "SELECT result FROM allocation_proposal WHERE id = {} AND exhibition = {}", proposal_id, exhibition["id"]
        )
        if not found:
            raise NotFound(f"no proposal {proposal_id} in this exhibition")
        for item in json.loads(found[0]["result"])["assignments"]:
            proposed.setdefault(item["stand_code"], []).append(item)
    seated = {a["application"]: a for row in rows for a in row["assignments"]}
    # Who the proposal brings to this hall from elsewhere or from no stand at all: drawn with
    # their names and sector like everyone else.
    arriving = [item["application_id"] for items in proposed.values() for item in items]
    known = {**await _exhibitors_of([application for application in arriving if application not in seated]), **seated}
    stands = []
    for row in rows:
        shown = [a for a in row["assignments"] if organizer or a["published_at"] is not None]
        status: StandStatus = "free"
        if shown:
            status = "locked" if organizer and any(a["locked"] for a in shown) else "assigned"
        exhibitors = [_exhibitor(a) for a in shown]
        if proposal_id is not None:
            items = proposed.get(row["code"], [])
            now_here = sorted(a["application"] for a in shown)
            if sorted(item["application_id"] for item in items) != now_here:
                status = "moved" if any(item["application_id"] in seated for item in items) else "proposed"
                if not items:
                    status = "free"
                exhibitors = [
                    _exhibitor(known[item["application_id"]]) if item["application_id"] in known
                    else PlanExhibitor(id=0, name_ar="", name_latin=item.get("name", ""), sector="", region="")
                    for item in items
                ]  # fmt: skip
        stands.append(
            PlanStand(
                code=row["code"], x=row["x_cm"] / 100, y=row["y_cm"] / 100, width=row["width_cm"] / 100,
                depth=row["depth_cm"] / 100, type=row["stand_type"], zone=row["zone"] or "", status=status,
                exhibitors=tuple(exhibitors),
            )
        )  # fmt: skip
    width = hall["plan_width_cm"] or max((r["x_cm"] + r["width_cm"] for r in rows), default=1000)
    depth = hall["plan_depth_cm"] or max((r["y_cm"] + r["depth_cm"] for r in rows), default=1000)
    return exhibition, PlanHall(id=hall_id, name=hall["name"], width_m=width / 100, depth_m=depth / 100), stands


async def _exhibitors_of(applications: list[int]) -> dict[int, dict[str, Any]]:
    """application → its organization as the plan names it (as an assignment row does)."""
    if not applications:
        return {}
    rows = await AllocationProposal.raw(
        "SELECT a.id AS application, a.organization, o.name_ar, o.name_latin, o.sector, o.region"  # noqa: S608
        " FROM application a JOIN organization o ON o.id = a.organization"
        f" WHERE a.id IN ({', '.join(['{}'] * len(applications))})",
        *applications,
    )
    return {row["application"]: row for row in rows}


async def plan_halls(exhibition_id: int, venue_id: int) -> list[dict[str, Any]]:
    """The venue's halls holding stands of the exhibition ({id, name}): the plans the
    exhibition's page links to. No permission check: the plans are public."""
    rows = await queries.venue_halls(venue_id, exhibition_id)
    return [{"id": row["id"], "name": row["name"]} for row in rows if row["stands"]]
