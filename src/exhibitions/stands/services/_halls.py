"""The halls of an exhibition's venue, and the size of each hall's plan."""

from __future__ import annotations

from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.errors import FieldError, InvalidInput, NotFound
from exhibitions.events.tables import Hall
from exhibitions.stands import queries
from exhibitions.stands.services._common import organizers_exhibition
from exhibitions.stands.validation import centimetres, length_errors, metres


async def list_halls(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    exhibition = await organizers_exhibition(slug, actor)
    return await queries.venue_halls(exhibition["venue"], exhibition["id"])


async def set_hall_plan(*, slug: str, hall_id: int, width: float, depth: float, actor: Actor | None) -> dict[str, Any]:
    """The plan's size in metres; never smaller than the stands already on it."""
    exhibition = await organizers_exhibition(slug, actor)
    if await queries.venue_hall(exhibition["venue"], hall_id) is None:
        raise NotFound(f"no hall {hall_id} at this exhibition's venue")
    errors = [*length_errors("width", width, positive=True), *length_errors("depth", depth, positive=True)]
    if errors:
        raise InvalidInput(errors)
    width_cm, depth_cm = centimetres(width), centimetres(depth)
    right_edge, far_edge = await queries.furthest_extent(hall_id)
    if right_edge > width_cm:
        errors.append(FieldError("width", "stands_outside", f"stands reach {metres(right_edge):g} m across"))
    if far_edge > depth_cm:
        errors.append(FieldError("depth", "stands_outside", f"stands reach {metres(far_edge):g} m deep"))
    if errors:
        raise InvalidInput(errors)
    await Hall.update({Hall.plan_width_cm: width_cm, Hall.plan_depth_cm: depth_cm}).where(Hall.id == hall_id)
    return next(
        hall for hall in await queries.venue_halls(exhibition["venue"], exhibition["id"]) if hall["id"] == hall_id
    )
