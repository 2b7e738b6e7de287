"""Reads of stands, halls and assignments: hand-written SQL through Piccolo's ``raw``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from exhibitions.stands.tables import Stand, StandAssignment
from exhibitions.stands.validation import Rectangle

_STAND = "SELECT s.*, h.name AS hall_name FROM stand s JOIN hall h ON h.id = s.hall"
# Natural enough order for codes sharing a prefix: B-2 before B-14.
_ORDER = " ORDER BY h.name, s.hall, LENGTH(s.code), s.code"
_ASSIGNMENTS = """
SELECT sa.*, a.organization, a.exhibition, o.name_ar, o.name_latin, o.sector, o.region,
       COALESCE(NULLIF(o.name_latin, ''), o.name_ar) AS name
FROM stand_assignment sa
JOIN application a ON a.id = sa.application
JOIN organization o ON o.id = a.organization
"""


async def find_stand(exhibition_id: int, code: str) -> dict[str, Any] | None:
    rows = await Stand.raw(_STAND + " WHERE s.exhibition = {} AND s.code = {}", exhibition_id, code)
    return rows[0] if rows else None


async def venue_hall(venue_id: int, hall_id: int) -> dict[str, Any] | None:
    rows = await Stand.raw("SELECT * FROM hall WHERE id = {} AND venue = {}", hall_id, venue_id)
    return rows[0] if rows else None


async def venue_halls(venue_id: int, exhibition_id: int) -> list[dict[str, Any]]:
    """The venue's halls, each with how many of this exhibition's stands it holds."""
    rows = await Stand.raw(
        "SELECT h.*, (SELECT COUNT(*) FROM stand s WHERE s.hall = h.id AND s.exhibition = {}) AS stands"
        " FROM hall h WHERE h.venue = {} ORDER BY h.name",
        exhibition_id,
        venue_id,
    )
    return rows  # type: ignore[no-any-return]


async def hall_by_name(venue_id: int) -> dict[str, dict[str, Any]]:
    rows = await Stand.raw("SELECT * FROM hall WHERE venue = {}", venue_id)
    return {row["name"]: row for row in rows}


async def rectangles(exhibition_id: int, hall_id: int, *, except_id: int | None = None) -> list[Rectangle]:
    rows = await Stand.raw(
        "SELECT id, code, x_cm, y_cm, width_cm, depth_cm FROM stand WHERE exhibition = {} AND hall = {}",
        exhibition_id,
        hall_id,
    )
    return [
        Rectangle(row["code"], row["x_cm"], row["y_cm"], row["width_cm"], row["depth_cm"])
        for row in rows
        if row["id"] != except_id
    ]


async def furthest_extent(hall_id: int) -> tuple[int, int]:
    """How far right and deep the hall's stands (of any exhibition) reach, in cm."""
    rows = await Stand.raw(
        "SELECT COALESCE(MAX(x_cm + width_cm), 0) AS right_edge, COALESCE(MAX(y_cm + depth_cm), 0) AS far_edge"
        " FROM stand WHERE hall = {}",
        hall_id,
    )
    return int(rows[0]["right_edge"]), int(rows[0]["far_edge"])


async def codes(exhibition_id: int) -> set[str]:
    rows = await Stand.raw("SELECT code FROM stand WHERE exhibition = {}", exhibition_id)
    return {row["code"] for row in rows}


def _filters(
    exhibition_id: int, hall: int | None, zone: str | None, stand_type: str | None, assigned: bool | None
) -> tuple[str, list[Any]]:
    where: list[str] = ["s.exhibition = {}"]
    args: list[Any] = [exhibition_id]
    if hall is not None:
        where.append("s.hall = {}")
        args.append(hall)
    if zone is not None:
        where.append("s.zone = {}")
        args.append(zone)
    if stand_type is not None:
        where.append("s.stand_type = {}")
        args.append(stand_type)
    if assigned is not None:
        held = "EXISTS (SELECT 1 FROM stand_assignment sa WHERE sa.stand = s.id)"
        where.append(held if assigned else f"NOT {held}")
    return " WHERE " + " AND ".join(where), args


async def stands_page(
    exhibition_id: int,
    *,
    hall: int | None = None,
    zone: str | None = None,
    stand_type: str | None = None,
    assigned: bool | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    where, args = _filters(exhibition_id, hall, zone, stand_type, assigned)
    # ``where`` holds only this module's fragments; values go as parameters.
    total = (await Stand.raw("SELECT COUNT(*) AS n FROM stand s" + where, *args))[0]["n"]  # noqa: S608
    limit = f" LIMIT {int(per_page)} OFFSET {int((page - 1) * per_page)}" if per_page else ""
    rows = await Stand.raw(_STAND + where + _ORDER + limit, *args)
    return rows, int(total)


async def assignments_of(stand_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Each stand's assignments, by seat."""
    found: dict[int, list[dict[str, Any]]] = {stand_id: [] for stand_id in stand_ids}
    if not stand_ids:
        return found
    # Ids are integers from our own rows: safe to inline, and one query whatever their number.
    listed = ", ".join(str(int(stand_id)) for stand_id in stand_ids)
    rows = await StandAssignment.raw(_ASSIGNMENTS + f" WHERE sa.stand IN ({listed}) ORDER BY sa.stand, sa.seat")
    for row in rows:
        found[row["stand"]].append(row)
    return found


async def assignment_of_application(application_id: int) -> dict[str, Any] | None:
    rows = await StandAssignment.raw(
        "SELECT sa.*, s.code, s.zone, s.hall, h.name AS hall_name, s.x_cm, s.y_cm, s.width_cm, s.depth_cm"
        " FROM stand_assignment sa JOIN stand s ON s.id = sa.stand JOIN hall h ON h.id = s.hall"
        " WHERE sa.application = {}",
        application_id,
    )
    return rows[0] if rows else None


async def application_brief(application_id: int) -> dict[str, Any] | None:
    rows = await StandAssignment.raw(
        "SELECT a.id, a.exhibition, a.status, COALESCE(NULLIF(o.name_latin, ''), o.name_ar) AS name"
        " FROM application a JOIN organization o ON o.id = a.organization WHERE a.id = {}",
        application_id,
    )
    return rows[0] if rows else None


async def unassigned_approved(exhibition_id: int) -> list[dict[str, Any]]:
    """Approved applications without a stand, by name: what an organizer can assign."""
    rows = await StandAssignment.raw(
        "SELECT a.id, COALESCE(NULLIF(o.name_latin, ''), o.name_ar) AS name, a.stand_type, a.stand_area_m2"
        " FROM application a JOIN organization o ON o.id = a.organization"
        " WHERE a.exhibition = {} AND a.status = 'approved'"
        " AND NOT EXISTS (SELECT 1 FROM stand_assignment sa WHERE sa.application = a.id)"
        " ORDER BY name, a.id",
        exhibition_id,
    )
    return rows  # type: ignore[no-any-return]
