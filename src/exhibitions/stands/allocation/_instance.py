"""The instance as the solvers see it: indexes, candidate stands, neighbours; the placement
goals' optimum (a min-cost matching) and the greedy start built from it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from exhibitions.stands.allocation._model import (
    COMPATIBLE_TYPES,
    Applicant,
    Placement,
    Rules,
    Stand,
    StandType,
    fits,
    fits_shared,
    neighbour_pairs,
)


@dataclass
class _Instance:
    applicants: list[Applicant]
    stands: list[Stand]
    rules: Rules
    candidates: list[list[int]]  # per applicant index: its stands in the CP-SAT model (none when large)
    neighbours: list[tuple[int, int]]  # stand index pairs, i < j
    near_pairs: list[tuple[int, int]]  # (requester, requested) applicant indexes
    locks: dict[int, int]  # applicant index -> stand index
    published: dict[int, int]
    rank: dict[tuple[int, int], int] = field(default_factory=dict)
    # Every fitting stand of each applicant (not only the candidates), its preference rank there,
    # and whether the applicant may be one of two there: what the bound and the search range over.
    full: list[np.ndarray] = field(default_factory=list)
    full_rank: list[np.ndarray] = field(default_factory=list)
    may_share: list[np.ndarray] = field(default_factory=list)
    matched: dict[int, int] = field(default_factory=dict)  # the placement goals' optimum that keeps the sharing rules


def _prepare(
    applicants: Sequence[Applicant],
    stands: Sequence[Stand],
    rules: Rules,
    locked: Sequence[Placement],
    published: Sequence[Placement],
) -> tuple[_Instance, list[tuple[Placement, str]], bool]:
    applicant_index = {a.application_id: i for i, a in enumerate(applicants)}
    stand_index = {s.code: i for i, s in enumerate(stands)}
    ignored: list[tuple[Placement, str]] = []
    locks: dict[int, int] = {}
    load: dict[int, int] = defaultdict(int)
    for placement in locked:
        a = applicant_index.get(placement.application_id)
        s = stand_index.get(placement.stand_code)
        if a is None or s is None:
            ignored.append((placement, "unknown application or stand"))
        elif a in locks:
            ignored.append((placement, "application already locked elsewhere"))
        elif load[s] >= stands[s].capacity:
            ignored.append((placement, "stand already full"))
        else:
            locks[a] = s
            load[s] += 1
    published_map = {
        applicant_index[p.application_id]: stand_index[p.stand_code]
        for p in published
        if p.application_id in applicant_index and p.stand_code in stand_index
    }
    # Which stands each application fits, and its preference rank there, in NumPy: a national
    # instance is millions of (application, stand) pairs.
    area = np.array([s.area_m2 for s in stands], dtype=float)
    kind = np.array([s.stand_type.value for s in stands], dtype=object)
    power = np.array([s.power for s in stands], dtype=bool)
    water = np.array([s.water for s in stands], dtype=bool)
    accessible = np.array([s.accessible for s in stands], dtype=bool)
    capacity = np.array([s.capacity for s in stands], dtype=int)
    free = capacity > np.array([load[s] for s in range(len(stands))], dtype=int)
    hall = np.array([s.hall for s in stands], dtype=int)
    zone = np.array([s.zone for s in stands], dtype=object)
    type_ok = {wanted: np.isin(kind, [t.value for t in COMPATIBLE_TYPES[wanted]]) for wanted in StandType}
    full: list[np.ndarray] = []
    full_rank: list[np.ndarray] = []
    may_share: list[np.ndarray] = []
    for a, applicant in enumerate(applicants):
        want = applicant.area_m2
        equipped = (
            type_ok[applicant.stand_type]
            & (power | (not applicant.needs_power))
            & (water | (not applicant.needs_water))
            & (accessible | (not applicant.needs_accessible))
        )
        alone = equipped & (area >= want) & (area <= want * rules.max_area_ratio + 1e-9)
        shared = equipped & applicant.accepts_sharing & (capacity >= 2) & (area / 2 + 1e-9 >= want)
        mine = np.array([locks[a]]) if a in locks else np.nonzero(free & (alone | shared))[0]
        zone_met = (
            np.ones(len(mine), dtype=bool)
            if applicant.preferred_zone is None
            else zone[mine] == applicant.preferred_zone
        )
        hall_met = (
            np.ones(len(mine), dtype=bool)
            if applicant.preferred_hall is None
            else hall[mine] == applicant.preferred_hall
        )
        second = 1 if applicant.preferred_hall is not None else 2
        full.append(mine)
        full_rank.append(np.where(zone_met & hall_met, 0, np.where(hall_met, second, 2)).astype(int))
        may_share.append(shared[mine])
    matched = _sharing_matching(applicants, stands, rules, full, full_rank, may_share, published_map)
    # The exact CP-SAT model only for a small instance: a large one is searched locally over
    # every fitting stand, and neither needs nor builds the per-pair candidate lists.
    pruned = bool(rules.max_candidates) and sum(len(mine) for mine in full) > rules.full_model_edges
    rank: dict[tuple[int, int], int] = {}
    candidates: list[list[int]] = []
    for a, (mine, ranks) in enumerate(zip(full, full_rank, strict=True)):
        candidates.append([] if pruned else mine.tolist())
        if not pruned:
            rank.update(zip(((a, s) for s in mine.tolist()), ranks.tolist(), strict=True))
    organizations: dict[int, list[int]] = defaultdict(list)
    for a, applicant in enumerate(applicants):
        organizations[applicant.organization_id].append(a)
    near_pairs = [
        (a, b)
        for a, applicant in enumerate(applicants)
        for organization in sorted(applicant.near_organizations)
        for b in organizations.get(organization, [])
        if b != a
    ]
    instance = _Instance(
        applicants=list(applicants),
        stands=list(stands),
        rules=rules,
        candidates=candidates,
        neighbours=neighbour_pairs(stands, rules.neighbour_gap_m),
        near_pairs=near_pairs,
        locks=locks,
        published=published_map,
        rank=rank,
        full=full,
        full_rank=full_rank,
        may_share=may_share,
        matched=matched,
    )
    return instance, ignored, pruned


def _greedy(instance: _Instance, start: Mapping[int, int]) -> dict[int, int]:
    """Locked first, then the placements of ``start`` that keep the sharing rules (the
    placement-goal optimum), then the applications left, fewest candidates first, each on its
    cheapest free stand (a published one first): a hint for CP-SAT and the fallback."""
    applicants = instance.applicants
    occupants: dict[int, list[int]] = defaultdict(list)
    result: dict[int, int] = {}
    for a, s in instance.locks.items():
        result[a] = s
        occupants[s].append(a)
    # Who may not share first: on a stand for two, the matching may have seated a sharer next
    # to one who may not; the sharer is the one to move.
    for a, s in sorted(
        start.items(), key=lambda item: (fits_shared(applicants[item[0]], instance.stands[item[1]]), item)
    ):
        if a not in result and _may_join(instance, a, s, occupants[s]):
            result[a] = s
            occupants[s].append(a)
    order = sorted((a for a in range(len(applicants)) if a not in result), key=lambda a: len(instance.full[a]))
    for a in order:
        best: tuple[int, int] | None = None
        for s, rank in zip(instance.full[a].tolist(), instance.full_rank[a].tolist(), strict=True):
            if not _may_join(instance, a, s, occupants[s]):
                continue
            cost = rank * 10 - (100 if instance.published.get(a) == s else 0) + len(occupants[s])
            if best is None or cost < best[0]:
                best = (cost, s)
        if best is not None:
            result[a] = best[1]
            occupants[best[1]].append(a)
    return result


def _may_join(instance: _Instance, a: int, s: int, present: list[int]) -> bool:
    stand, applicant = instance.stands[s], instance.applicants[a]
    if not present:
        return fits(applicant, stand, instance.rules) or fits_shared(applicant, stand)
    if len(present) >= stand.capacity or not fits_shared(applicant, stand):
        return False
    other = instance.applicants[present[0]]
    if not fits_shared(other, stand):
        return False
    return not ((applicant.product_lines & other.product_lines) and (applicant.keep_apart or other.keep_apart))


def _sharing_matching(
    applicants: Sequence[Applicant],
    stands: Sequence[Stand],
    rules: Rules,
    full: list[np.ndarray],
    full_rank: list[np.ndarray],
    may_share: list[np.ndarray],
    published: Mapping[int, int],
) -> dict[int, int]:
    """The placement goals' optimum as a matching (see :func:`_matching`), re-solved with the
    second seat closed on every stand where it broke the sharing rules (an occupant who may not
    share, or a product line kept apart), until none does. Repairing those afterwards instead
    left 14 of 600 bench applicants unplaced where 8 need be."""
    costs = [
        rules.preference * ranks - rules.change * (mine == published.get(a, -1))
        for a, (mine, ranks) in enumerate(zip(full, full_rank, strict=True))
    ]
    unplaced = np.full(len(applicants), float(rules.unplaced))
    closed: set[int] = set()
    while True:
        _, matched = _matching(stands, full, may_share, costs, unplaced, closed)
        occupants: dict[int, list[int]] = defaultdict(list)
        for a, s in matched.items():
            occupants[s].append(a)
        broken = {
            s
            for s, present in occupants.items()
            if len(present) > 1 and not _may_share_together(applicants[present[0]], applicants[present[1]], stands[s])
        }
        if not broken:
            return matched
        closed |= broken


def _may_share_together(first: Applicant, second: Applicant, stand: Stand) -> bool:
    """Whether the two may share the stand."""
    return (
        fits_shared(first, stand)
        and fits_shared(second, stand)
        and not ((first.product_lines & second.product_lines) and (first.keep_apart or second.keep_apart))
    )


def _matching(
    stands: Sequence[Stand],
    full: list[np.ndarray],
    may_share: list[np.ndarray],
    costs: list[np.ndarray],
    unplaced: np.ndarray,
    closed: set[int] = frozenset(),  # type: ignore[assignment]
) -> tuple[float, dict[int, int]]:
    """A minimum-cost bipartite matching of applications to seats (SciPy): ``costs[a][k]`` for
    applicant a on its k-th fitting stand ``full[a][k]``, ``unplaced[a]`` for none. The second
    seat of a stand is open only to who may share, and not at all on ``closed`` stands: a
    relaxation of the sharing rules (one who may not share may still take the first seat)."""
    if not full:
        return 0.0, {}
    capacity = np.array([s.capacity for s in stands], dtype=int)
    if closed:
        capacity[list(closed)] = 1
    first_seat = np.concatenate([[0], np.cumsum(capacity)])
    seat_count = int(first_seat[-1])
    # SciPy takes seconds to import: only the processes that solve pay for it.
    from scipy.sparse import csr_array  # type: ignore[import-untyped]
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching  # type: ignore[import-untyped]

    rows, columns, weights = [], [], []
    for a, (mine, sharing, cost) in enumerate(zip(full, may_share, costs, strict=True)):
        two = sharing & (capacity[mine] >= 2)
        rows.append(np.full(len(mine) + int(two.sum()) + 1, a))
        columns.append(np.concatenate([first_seat[mine], first_seat[mine[two]] + 1, [seat_count + a]]))
        weights.append(np.concatenate([cost, cost[two], [unplaced[a]]]).astype(float))
    weight = np.concatenate(weights)
    # A sparse matrix drops zeros: every weight is shifted to be positive, and the shift
    # (paid once per applicant) taken back.
    shift = 1.0 - min(0.0, float(weight.min()))
    matrix = csr_array(
        (weight + shift, (np.concatenate(rows), np.concatenate(columns))),
        shape=(len(full), seat_count + len(full)),
    )
    chosen_rows, chosen_columns = min_weight_full_bipartite_matching(matrix)
    total = float(matrix[chosen_rows, chosen_columns].sum()) - shift * len(full)
    stand_of_seat = np.repeat(np.arange(len(stands)), capacity)
    matched = {
        int(a): int(stand_of_seat[seat])
        for a, seat in zip(chosen_rows, chosen_columns, strict=True)
        if seat < seat_count
    }
    return total, matched
