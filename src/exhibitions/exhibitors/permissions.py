"""Who may see and change an organization. Plain predicates, no I/O.

The registry of organizations is shared by every exhibition. Its keepers are the organizers
of every exhibition (the national team): they see and edit every organization, import and
export the registry. The organizers of one exhibition (a regional market's team) see and edit
the organizations that applied to their exhibitions, not the others: a cooperative's members
and contacts are not every market's to change. An exhibitor edits the organizations it acts
for.
"""

from __future__ import annotations

from collections.abc import Collection

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName


def can_manage_organizations(actor: Actor | None) -> bool:
    """Organizers of every exhibition keep the registry."""
    return actor is not None and actor.device_exhibition_id is None and actor.has_role(RoleName.organizer)


def organized_exhibitions(actor: Actor | None) -> frozenset[int]:
    """The exhibitions this actor organizes one by one (a grant on every exhibition is not here)."""
    if actor is None or actor.device_exhibition_id is not None:
        return frozenset()
    return frozenset(
        exhibition for exhibition, role in actor.roles if exhibition is not None and role == RoleName.organizer.value
    )


def can_edit_organization(actor: Actor | None, *, is_member: bool, applied_to: Collection[int] = ()) -> bool:
    """Its members, the registry's keepers, and the organizers of an exhibition it applied to
    (``applied_to``: the exhibitions it has an application to)."""
    if actor is None or actor.device_exhibition_id is not None:
        return False
    return is_member or can_manage_organizations(actor) or not organized_exhibitions(actor).isdisjoint(applied_to)
