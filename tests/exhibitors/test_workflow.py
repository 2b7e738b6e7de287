"""The application workflow as a table: every pair of statuses, and who may make the move."""

from __future__ import annotations

from itertools import product

from exhibitions.exhibitors.workflow import ApplicationStatus as S
from exhibitions.exhibitors.workflow import Party, editable, who_may_move


def test_every_move_and_who_may_make_it() -> None:
    allowed = {
        (current.value, target.value): party.value
        for current, target in product(S, S)
        if (party := who_may_move(current, target)) is not None
    }
    assert allowed == {
        ("draft", "submitted"): "applicant",
        ("draft", "withdrawn"): "applicant",
        ("submitted", "withdrawn"): "applicant",
        ("waitlisted", "withdrawn"): "applicant",
        ("approved", "withdrawn"): "applicant",
        ("submitted", "approved"): "organizer",
        ("submitted", "waitlisted"): "organizer",
        ("submitted", "rejected"): "organizer",
        ("waitlisted", "approved"): "organizer",
        ("waitlisted", "rejected"): "organizer",
    }
    # Final states stay final.
    assert all(who_may_move(S.rejected, target) is None for target in S)
    assert all(who_may_move(S.withdrawn, target) is None for target in S)
    assert who_may_move(S.draft, S.approved) is None  # an organizer decides on submitted applications only
    assert who_may_move(S.submitted, S.approved) is Party.organizer


def test_only_drafts_are_edited() -> None:
    assert [status.value for status in S if editable(status)] == ["draft"]
