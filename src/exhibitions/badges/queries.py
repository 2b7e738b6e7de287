"""Reads of badge holders, quotas and batches: hand-written SQL through Piccolo's ``raw``.
Every read names the exhibition, so an id of another exhibition finds nothing."""

from __future__ import annotations

from typing import Any

from exhibitions.badges.tables import BadgeHolder


async def _raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await BadgeHolder.raw(sql, *args)  # type: ignore[no-any-return]


def _first(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return rows[0] if rows else None


_STAFF = """
SELECT h.id AS holder_id, h.email, h.language, h.full_name,
       o.id AS organization_id, COALESCE(o.name_latin, o.name_ar, '') AS organization_name,
       o.name_ar AS organization_name_ar, o.name_latin AS organization_name_latin
FROM badge_holder h JOIN organization o ON o.id = h.organization
WHERE h.exhibition = {} AND h.role = 'exhibitor_staff' AND h.email IS NOT NULL
ORDER BY o.id, h.id"""


async def list_exhibitor_staff(exhibition_id: int) -> list[dict[str, Any]]:
    """Exhibitor staff holding a badge who gave an e-mail: the reminders' audience.
    Each row: holder_id, email, language, full_name, organization_id, organization_name
    (Latin name, else Arabic), organization_name_ar, organization_name_latin."""
    return await _raw(_STAFF, exhibition_id)
