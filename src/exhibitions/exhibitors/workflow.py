"""An application's statuses and who may move it where. Pure: values in, values out.

draft ──submit──▶ submitted ──decide──▶ approved / waitlisted / rejected
  │                   │                      waitlisted ──decide──▶ approved / rejected
  └──────withdraw─────┴── any status but rejected ──withdraw──▶ withdrawn
"""

from __future__ import annotations

from enum import Enum


class ApplicationStatus(str, Enum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    waitlisted = "waitlisted"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Party(str, Enum):
    applicant = "applicant"  # a member of the applying organization
    organizer = "organizer"


_MOVES: dict[tuple[ApplicationStatus, ApplicationStatus], Party] = {
    (ApplicationStatus.draft, ApplicationStatus.submitted): Party.applicant,
    (ApplicationStatus.draft, ApplicationStatus.withdrawn): Party.applicant,
    (ApplicationStatus.submitted, ApplicationStatus.withdrawn): Party.applicant,
    (ApplicationStatus.waitlisted, ApplicationStatus.withdrawn): Party.applicant,
    (ApplicationStatus.approved, ApplicationStatus.withdrawn): Party.applicant,
    (ApplicationStatus.submitted, ApplicationStatus.approved): Party.organizer,
    (ApplicationStatus.submitted, ApplicationStatus.waitlisted): Party.organizer,
    (ApplicationStatus.submitted, ApplicationStatus.rejected): Party.organizer,
    (ApplicationStatus.waitlisted, ApplicationStatus.approved): Party.organizer,
    (ApplicationStatus.waitlisted, ApplicationStatus.rejected): Party.organizer,
}

DECISIONS = frozenset({ApplicationStatus.approved, ApplicationStatus.waitlisted, ApplicationStatus.rejected})


def who_may_move(current: ApplicationStatus, target: ApplicationStatus) -> Party | None:
    """The party allowed to make this move, or None when no one may."""
    return _MOVES.get((current, target))


def editable(status: ApplicationStatus) -> bool:
    """An applicant changes what they ask for only before submitting."""
    return status is ApplicationStatus.draft
