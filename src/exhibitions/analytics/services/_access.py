"""Who may read an exhibition's analytics.

Aggregated figures (counts, shares, curves: no person in them) are for the exhibition's
organizers and reviewers (a reviewer may be the ministry's or a partner's reader). Rows
about a person (the no-show list: names, e-mails, phones) are for its organizers only.
A grant on every exhibition counts as a grant on each.
"""

from __future__ import annotations

from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName
from exhibitions.errors import NotFound, PermissionDenied
from exhibitions.events import queries as event_queries


def can_read_analytics(actor: Actor | None, exhibition_id: int) -> bool:
    if actor is None or actor.device_exhibition_id is not None:
        return False
    return actor.has_role(RoleName.organizer, exhibition_id) or actor.has_role(RoleName.reviewer, exhibition_id)


def can_read_visitor_details(actor: Actor | None, exhibition_id: int) -> bool:
    if actor is None or actor.device_exhibition_id is not None:
        return False
    return actor.has_role(RoleName.organizer, exhibition_id)


async def analytics_exhibition(*, slug: str, actor: Actor | None, personal: bool = False) -> dict[str, Any]:
    """The exhibition ``slug`` for someone who may read its analytics (with ``personal``:
    its visitors' details); NotFound when there is none, PermissionDenied otherwise."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    if personal:
        if not can_read_visitor_details(actor, exhibition["id"]):
            raise PermissionDenied("only this exhibition's organizers may see its visitors' details")
    elif not can_read_analytics(actor, exhibition["id"]):
        raise PermissionDenied("only this exhibition's organizers and reviewers may see its analytics")
    return exhibition  # type: ignore[no-any-return]
