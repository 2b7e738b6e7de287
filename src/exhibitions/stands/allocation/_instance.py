"""The instance as the solvers see it: indexes, candidate stands, neighbours; the placement
goals' optimum (a min-cost matching) and the greedy start built from it."""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_array  # type: ignore[import-untyped]
from scipy.sparse.csgraph import min_weight_full_bipartite_matching  # type: ignore[import-untyped]

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
    candidates: list[list[int]]  # per applicant index: stand indexes
    neighbours: list[tuple[int, int]]  # stand index pairs, i < j
    near_pairs: list[tuple[int, int]]  # (requester, requested) applicant indexes
    locks: dict[int, int]  # applicant index -> stand index
    published: dict[int, int]
    rank: dict[tuple[int, int], int] = field(default_factory=dict)
    placement_bound: int = 0  # the optimum of the placement goals alone, over all fitting stands
    matched: dict[int, int] = field(default_factory=dict)  # that optimum: applicant -> stand


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
    placement_bound, matched = _placement_optimum(applicants, stands, rules, full, full_rank, may_share, published_map)
    rank: dict[tuple[int, int], int] = {}
    candidates: list[list[int]] = []
    pruned = False
    prune = rules.max_candidates and sum(len(mine) for mine in full) > rules.full_model_edges
    for a, (mine, ranks) in enumerate(zip(full, full_rank, strict=True)):
        if prune and len(mine) > rules.max_candidates:
            pruned = True
            kept = _shortlist(applicants[a], a, mine, ranks, rules.max_candidates, len(stands))
            # The placement optimum and the published stand stay reachable.
            kept |= {s for s in (matched.get(a), published_map.get(a)) if s is not None and s in set(mine.tolist())}
            order = sorted(kept)
        else:
            order = mine.tolist()
        position = {s: k for k, s in enumerate(mine.tolist())}
        for s in order:
            rank[(a, s)] = int(ranks[position[s]])
        candidates.append(order)
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
        placement_bound=placement_bound,
        matched=matched,
    )
    return instance, ignored, pruned


def _shortlist(applicant: Applicant, a: int, mine: np.ndarray, ranks: np.ndarray, size: int, spread: int) -> set[int]:
    """The cheapest ``size`` stands; among equals, half in an order shared by the applicant's
    sector (so that a sector has common stands to cluster on) and half in the applicant's own
    order (so that a large sector does not compete for the same few)."""
    sector_key = zlib.crc32(applicant.sector.encode())
    by_sector = mine[np.lexsort(((mine * 7919 + sector_key) % spread, ranks))]
    by_applicant = mine[np.lexsort(((mine * 7919 + a * 104729) % spread, ranks))]
    kept = {int(s) for s in by_sector[: size // 2]}
    for s in by_applicant.tolist():
        if len(kept) >= size:
            break
        kept.add(int(s))
    return kept


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
    order = sorted((a for a in range(len(applicants)) if a not in result), key=lambda a: len(instance.candidates[a]))
    for a in order:
        best: tuple[int, int] | None = None
        for s in instance.candidates[a]:
            if not _may_join(instance, a, s, occupants[s]):
                continue
            cost = instance.rank[(a, s)] * 10 - (100 if instance.published.get(a) == s else 0) + len(occupants[s])
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


def _placement_optimum(
    applicants: Sequence[Applicant],
    stands: Sequence[Stand],
    rules: Rules,
    full: list[np.ndarray],
    full_rank: list[np.ndarray],
    may_share: list[np.ndarray],
    published: Mapping[int, int],
) -> tuple[int, dict[int, int]]:
    """The placement goals (unplaced, preference, changes) solved exactly on their own, over
    every fitting stand, as a minimum-cost bipartite matching of applications to seats (SciPy):
    a lower bound for them, and a start for the greedy hint. The second seat of a stand is
    open only to who may share: still a relaxation of the sharing rules, but a close one."""
    if not applicants:
        return 0, {}
    first_seat = np.cumsum([0] + [s.capacity for s in stands])
    seat_count = int(first_seat[-1])
    rows, columns, weights = [], [], []
    for a, (mine, ranks, sharing) in enumerate(zip(full, full_rank, may_share, strict=True)):
        pub = published.get(a, -1)
        cost = rules.preference * ranks - rules.change * (mine == pub)
        seconds = mine[sharing & (first_seat[mine + 1] - first_seat[mine] >= 2)]
        second_cost = cost[sharing & (first_seat[mine + 1] - first_seat[mine] >= 2)]
        rows.append(np.full(len(mine) + len(seconds) + 1, a))
        columns.append(np.concatenate([first_seat[mine], first_seat[seconds] + 1, [seat_count + a]]))
        weights.append(np.concatenate([cost, second_cost, [rules.unplaced]]).astype(float))
    weight = np.concatenate(weights)
    # A sparse matrix drops zeros: every weight is shifted to be positive, and the shift
    # (paid once per applicant) taken back.
    shift = 1.0 - min(0.0, float(weight.min()))
    matrix = csr_array(
        (weight + shift, (np.concatenate(rows), np.concatenate(columns))),
        shape=(len(applicants), seat_count + len(applicants)),
    )
    chosen_rows, chosen_columns = min_weight_full_bipartite_matching(matrix)
    total = round(float(matrix[chosen_rows, chosen_columns].sum()) - shift * len(applicants))
    stand_of_seat = np.repeat(np.arange(len(stands)), [s.capacity for s in stands])
    matched = {
        int(a): int(stand_of_seat[seat])
        for a, seat in zip(chosen_rows, chosen_columns, strict=True)
        if seat < seat_count
    }
    return total + rules.change * len(published), matched
