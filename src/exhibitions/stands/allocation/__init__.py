"""The stand allocator: which approved application gets which stand. Pure: plain values in,
plain values out, no I/O.

The rules:

- hard: a stand fits (area between the wanted area and ``max_area_ratio`` times it, type
  equal or a compatible upgrade, power/water/step-free access when needed); each application
  on at most one stand; at most ``capacity`` occupants per stand, and two only if both
  accept sharing and each has half the area it wants; two exhibitors of one product line
  never share a stand when either asked to be kept apart; locked assignments are fixed;
- soft (minimized, integer weights from :class:`Rules`): unplaced applications (a big
  penalty, so that an instance that cannot all be placed still gives the best partial
  proposal), preference rank, the worst preference rank (fairness), sector clustering and
  regional spread or clustering over neighbouring stands (stands of one hall whose
  rectangles are within ``neighbour_gap_m``), unmet "near" requests, same product line next
  to an applicant who asked to be kept apart, changes to published assignments.

How (one private module each): the placement goals' optimum as a SciPy matching that keeps
the sharing rules, repaired greedily, is the start (``_instance``); a Lagrangian matching
gives a proven lower bound (``_bound``); a small instance is solved exactly by OR-Tools
CP-SAT (``_cpsat``), a large one by simulated annealing over every fitting stand
(``_search``). A proposal is always returned.

Every figure of the result is recomputed from the assignment by :func:`evaluate` (the same
function the tests' brute force uses), and the gap is the bound against it (``_explain``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from exhibitions.stands.allocation._bound import _separate_bound
from exhibitions.stands.allocation._explain import _result
from exhibitions.stands.allocation._instance import _greedy, _Instance, _prepare
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
from exhibitions.stands.allocation._search import _improve


def propose(
    applicants: Sequence[Applicant],
    stands: Sequence[Stand],
    rules: Rules = Rules(),  # frozen: a shared default is safe
    locked: Sequence[Placement] = (),
    published: Sequence[Placement] = (),
) -> Proposal:
    """The best assignment found within ``rules.time_limit_s``; never raises on an infeasible
    instance: what cannot be placed is listed with why."""
    # OR-Tools (with the pandas it loads) and SciPy take seconds to import: only the processes
    # that solve pay for them, and before the clock starts.
    import scipy.sparse.csgraph  # type: ignore[import-untyped]  # noqa: F401

    from exhibitions.stands.allocation._cpsat import _solve_model

    started = time.perf_counter()
    deadline = started + rules.time_limit_s
    instance, ignored, pruned = _prepare(applicants, stands, rules, locked, published)
    bound = _separate_bound(instance)
    start = _greedy(instance, instance.matched)
    best, best_points, status = start, _points(instance, start), "greedy"
    # A small model is CP-SAT's to solve to optimality, from a short search's result. A large
    # one is the local search's alone, over every fitting stand: given the last quarter of the
    # time on the 600-stand bench, CP-SAT (on a shortlist of candidates) improved nothing and
    # overran the time goal building its model.
    if pruned:
        improved = _improve(instance, start, deadline)
    else:
        search_end = time.perf_counter() + min(0.25 * (deadline - time.perf_counter()), 0.5)
        improved = _improve(instance, start, search_end, max_moves=200 * len(applicants))
    if (points := _points(instance, improved)) < best_points:
        best, best_points, status = improved, points, "feasible"
    if not pruned and (solved := _solve_model(instance, best, deadline)) is not None:
        bound = max(bound, solved.bound)  # CP-SAT's bound is over every fitting stand here
        if (points := _points(instance, solved.chosen)) <= best_points:
            best, best_points = solved.chosen, points
            status = "optimal" if solved.optimal else "feasible"
    if bound >= best_points:
        status = "optimal"
    return _result(instance, best, bound, status, started, ignored, pruned)


def _points(instance: _Instance, chosen: Mapping[int, int]) -> int:
    applicants, stands = instance.applicants, instance.stands
    published = [Placement(applicants[a].application_id, stands[s].code) for a, s in instance.published.items()]
    assignment = {applicants[a].application_id: stands[s].code for a, s in chosen.items()}
    return sum(evaluate(applicants, stands, instance.rules, assignment, published).values())


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
