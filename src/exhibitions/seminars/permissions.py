"""Who may build an exhibition's programme. Plain predicates, no I/O."""

from __future__ import annotations

from exhibitions.accounts.actor import Actor
from exhibitions.events.permissions import can_manage_exhibition

PROGRAMME_REFUSAL = "only the exhibition's organizers build its seminar programme"


def can_manage_programme(actor: Actor | None, exhibition_id: int) -> bool:
    """The exhibition's organizers, signed in as people (never a scanner device)."""
    return actor is not None and actor.device_exhibition_id is None and can_manage_exhibition(actor, exhibition_id)
