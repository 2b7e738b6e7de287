"""Who may see and change an organization. Plain predicates, no I/O."""

from __future__ import annotations

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName


def can_manage_organizations(actor: Actor | None) -> bool:
    """Organizers (of any exhibition) keep the registry: they see and edit every organization."""
    return actor is not None and actor.has_role_anywhere(RoleName.organizer)


def can_edit_organization(actor: Actor | None, *, is_member: bool) -> bool:
    """An exhibitor edits only the organizations they act for."""
    return actor is not None and actor.device_exhibition_id is None and (is_member or can_manage_organizations(actor))
