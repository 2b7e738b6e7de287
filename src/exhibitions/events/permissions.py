"""May this actor do this to this exhibition? Plain predicates, no I/O."""

from __future__ import annotations

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName
from exhibitions.events.tables import ExhibitionStatus


def can_create_exhibition(actor: Actor | None) -> bool:
    return actor is not None and actor.has_role(RoleName.organizer)


def can_manage_exhibition(actor: Actor | None, exhibition_id: int) -> bool:
    return actor is not None and actor.has_role(RoleName.organizer, exhibition_id)


def can_view_exhibition(actor: Actor | None, exhibition_id: int, status: str) -> bool:
    """Published and closed editions are public; drafts are for their organizers and reviewers."""
    if status != ExhibitionStatus.draft.value:
        return True
    return actor is not None and (
        actor.has_role(RoleName.organizer, exhibition_id) or actor.has_role(RoleName.reviewer, exhibition_id)
    )


def can_view_drafts(actor: Actor | None) -> bool:
    return actor is not None and actor.has_role(RoleName.organizer)
