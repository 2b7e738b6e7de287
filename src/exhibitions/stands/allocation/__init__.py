"""The stand allocator: which approved application gets which stand. Pure: plain values in,
plain values out, no I/O.

A CP-SAT model (OR-Tools) with one boolean per (application, candidate stand):

- hard: a candidate stand fits (area between the wanted area and ``max_area_ratio`` times it,
  type equal or a compatible upgrade, power/water/step-free access when needed); each
  application on at most one stand; at most ``capacity`` occupants per stand, and two only if
  both accept sharing and each has half the area it wants; two exhibitors of one product line
  never share a stand when either asked to be kept apart; locked assignments are fixed;
- soft (minimized, integer weights from :class:`Rules`): unplaced applications (a big
  penalty, so that an instance that cannot all be placed still gives the best partial
  proposal), preference rank, the worst preference rank (fairness), sector clustering and
  regional spread or clustering over neighbouring stands, unmet "near" requests, same
  product line next to an applicant who asked to be kept apart, changes to published
  assignments.

Pairwise goals are only posted over the neighbour graph (stands of one hall whose rectangles
are within ``neighbour_gap_m`` of each other), so the model grows with the number of stands,
not its square. A greedy assignment is the solver's hint and the fallback when the time limit
ends before CP-SAT finds anything, so a proposal is always returned.

Every figure of the result is recomputed from the assignment by :func:`evaluate` (the same
function the tests' brute force uses), and the gap is the solver's bound against it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from exhibitions.stands.allocation._bound import _separate_bound
from exhibitions.stands.allocation._cpsat import _solve_model
from exhibitions.stands.allocation._explain import _result
from exhibitions.stands.allocation._instance import _greedy, _prepare
from exhibitions.stands.allocation._model import (
    COMPATIBLE_TYPES,
    Applicant,
    Assignment,
    Goal,
    Placement,
    Proposal,
    RegionMode,
    Rules,
    Stand,
    StandType,
    Unplaced,
    check_hard,
    evaluate,
    fits,
    fits_shared,
    neighbour_pairs,
    preference_rank,
)


def propose(
    applicants: Sequence[Applicant],
    stands: Sequence[Stand],
    rules: Rules = Rules(),  # frozen: a shared default is safe
    locked: Sequence[Placement] = (),
    published: Sequence[Placement] = (),
) -> Proposal:
    """The best assignment found within ``rules.time_limit_s``; never raises on an infeasible
    instance: what cannot be placed is listed with why."""
    started = time.perf_counter()
    instance, ignored, pruned = _prepare(applicants, stands, rules, locked, published)
    separate_bound = _separate_bound(instance)
    greedy = _greedy(instance, instance.matched)
    solved = _solve_model(instance, greedy, rules.time_limit_s - (time.perf_counter() - started))
    if solved is None:
        return _result(instance, greedy, separate_bound, "greedy", started, ignored, pruned)
    status = "optimal" if solved.optimal else "feasible"
    return _result(instance, solved.chosen, max(solved.bound, separate_bound), status, started, ignored, pruned)


__all__ = [
    "COMPATIBLE_TYPES",
    "Applicant",
    "Assignment",
    "Goal",
    "Placement",
    "Proposal",
    "RegionMode",
    "Rules",
    "Stand",
    "StandType",
    "Unplaced",
    "check_hard",
    "evaluate",
    "fits",
    "fits_shared",
    "neighbour_pairs",
    "preference_rank",
    "propose",
]
