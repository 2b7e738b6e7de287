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

import math
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
from ortools.sat.python import cp_model  # type: ignore[import-untyped]
from scipy.sparse import csr_array  # type: ignore[import-untyped]
from scipy.sparse.csgraph import min_weight_full_bipartite_matching  # type: ignore[import-untyped]


class StandType(str, Enum):
    standard = "standard"
    corner = "corner"
    island = "island"
    outdoor = "outdoor"


# An exhibitor may get a stand open on more sides than asked (an upgrade), never fewer;
# outdoor is a different kind of place and fits only outdoor requests.
COMPATIBLE_TYPES: Mapping[StandType, frozenset[StandType]] = {
    StandType.standard: frozenset({StandType.standard, StandType.corner, StandType.island}),
    StandType.corner: frozenset({StandType.corner, StandType.island}),
    StandType.island: frozenset({StandType.island}),
    StandType.outdoor: frozenset({StandType.outdoor}),
}


class RegionMode(str, Enum):
    spread = "spread"  # neighbours from the same region cost points: every region is seen everywhere
    cluster = "cluster"  # neighbours from the same region earn points: regional pavilions


class Goal(str, Enum):
    unplaced = "unplaced"
    preference = "preference"
    fairness = "fairness"
    sector_clustering = "sector_clustering"
    region = "region"
    near = "near"
    keep_apart = "keep_apart"
    changes = "changes"


@dataclass(frozen=True)
class Applicant:
    application_id: int
    organization_id: int
    organization_name: str
    area_m2: float
    stand_type: StandType = StandType.standard
    needs_power: bool = False
    needs_water: bool = False
    needs_accessible: bool = False
    accepts_sharing: bool = False
    preferred_zone: str | None = None
    preferred_hall: int | None = None
    sector: str = ""
    region: str = ""
    product_lines: frozenset[str] = frozenset()
    near_organizations: frozenset[int] = frozenset()
    keep_apart: bool = False  # not next to (nor sharing with) another exhibitor of a product line of its own


@dataclass(frozen=True)
class Stand:
    code: str
    hall: int
    x: float
    y: float
    width: float
    depth: float
    area_m2: float
    stand_type: StandType = StandType.standard
    zone: str | None = None
    power: bool = False
    water: bool = False
    accessible: bool = False
    capacity: int = 1


@dataclass(frozen=True)
class Rules:
    """Integer weights (points); the proposal minimizes their weighted total."""

    preference: int = 10  # per preference rank step (0 met, 1 hall only, 2 neither)
    fairness: int = 10  # times the worst preference rank among placed applications
    sector_clustering: int = 3  # earned per neighbouring pair of stands sharing a sector
    region: int = 2  # per neighbouring pair sharing a region: a cost (spread) or a gain (cluster)
    region_mode: RegionMode = RegionMode.spread
    near: int = 5  # per "near" request left unmet
    keep_apart: int = 5  # per neighbouring pair with a product line one of them keeps apart
    change: int = 20  # per published assignment moved or removed
    unplaced: int = 1000  # per application left without a stand
    max_area_ratio: float = 2.0  # a stand at most this many times the wanted area
    neighbour_gap_m: float = 0.5  # rectangles at most this far apart are neighbours
    time_limit_s: float = 5.0
    workers: int = 2
    # Each application keeps its this-many cheapest stands (plus locked and published ones) as
    # candidates when the full model would be larger than ``full_model_edges``; 0 keeps all.
    max_candidates: int = 24
    full_model_edges: int = 3_000


@dataclass(frozen=True)
class Placement:
    application_id: int
    stand_code: str


@dataclass(frozen=True)
class Assignment:
    application_id: int
    stand_code: str
    seat: int  # 1, or 2 for the second occupant of a shared stand
    locked: bool
    changed: bool  # differs from the published assignment
    notes: tuple[str, ...]  # codes: zone_met, hall_met, preference_missed, near_met, ...
    reason: str  # the one-line explanation, in English; ``notes`` carry the codes to translate


@dataclass(frozen=True)
class Unplaced:
    application_id: int
    code: str  # no_fitting_stand | fitting_stands_taken
    reason: str


@dataclass(frozen=True)
class Proposal:
    assignments: tuple[Assignment, ...]
    unplaced: tuple[Unplaced, ...]
    objective: int
    breakdown: Mapping[Goal, int]  # weighted points per goal; they add up to ``objective``
    bound: int  # no assignment can score lower
    gap: float  # (objective - bound) / max(1, |objective|); 0.0 when proven optimal
    status: str  # optimal | feasible | greedy (CP-SAT found nothing better in time)
    seconds: float
    ignored_locks: tuple[tuple[Placement, str], ...] = ()
    candidates_pruned: bool = False  # the bound is then over the candidate stands only


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


def fits(applicant: Applicant, stand: Stand, rules: Rules) -> bool:
    """Whether the stand may host the applicant alone."""
    return applicant.area_m2 <= stand.area_m2 <= applicant.area_m2 * rules.max_area_ratio + 1e-9 and _equipped(
        applicant, stand
    )


def fits_shared(applicant: Applicant, stand: Stand) -> bool:
    """Whether the applicant may be one of two occupants: half the area is enough for it."""
    return (
        applicant.accepts_sharing
        and stand.capacity >= 2
        and applicant.area_m2 <= stand.area_m2 / 2 + 1e-9
        and _equipped(applicant, stand)
    )


def _equipped(applicant: Applicant, stand: Stand) -> bool:
    return (
        stand.stand_type in COMPATIBLE_TYPES[applicant.stand_type]
        and (stand.power or not applicant.needs_power)
        and (stand.water or not applicant.needs_water)
        and (stand.accessible or not applicant.needs_accessible)
    )


def preference_rank(applicant: Applicant, stand: Stand) -> int:
    """0: what was asked (or nothing asked); 1: the preferred hall but not the zone; 2: neither."""
    zone_met = applicant.preferred_zone is None or stand.zone == applicant.preferred_zone
    hall_met = applicant.preferred_hall is None or stand.hall == applicant.preferred_hall
    if zone_met and hall_met:
        return 0
    return 1 if hall_met and applicant.preferred_hall is not None else 2


def neighbour_pairs(stands: Sequence[Stand], gap_m: float) -> list[tuple[int, int]]:
    """Stand index pairs (i < j) of one hall whose rectangles are at most ``gap_m`` apart.
    Stands are bucketed in cells as large as the largest stand, so only nearby cells are
    compared: near-linear on a real floor plan."""
    pairs: list[tuple[int, int]] = []
    by_hall: dict[int, list[int]] = defaultdict(list)
    for index, stand in enumerate(stands):
        by_hall[stand.hall].append(index)
    for members in by_hall.values():
        cell = max(max(stands[i].width, stands[i].depth) for i in members) + gap_m
        cell = max(cell, 1e-6)
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in members:
            grid[(math.floor(stands[i].x / cell), math.floor(stands[i].y / cell))].append(i)
        for (cx, cy), here in grid.items():
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for i in here:
                        for j in grid.get((cx + dx, cy + dy), ()):
                            if i < j and _gap(stands[i], stands[j]) <= gap_m + 1e-9:
                                pairs.append((i, j))
    return sorted(set(pairs))


def _gap(first: Stand, second: Stand) -> float:
    dx = max(first.x - (second.x + second.width), second.x - (first.x + first.width), 0.0)
    dy = max(first.y - (second.y + second.depth), second.y - (first.y + first.depth), 0.0)
    return math.hypot(dx, dy)


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


def check_hard(
    applicants: Sequence[Applicant],
    stands: Sequence[Stand],
    rules: Rules,
    assignment: Mapping[int, str],
    locked: Sequence[Placement] = (),
) -> list[str]:
    """The hard constraints an assignment (application id -> stand code) breaks; [] if none.
    Locks are exempt from the fit rules: the organizer decided them."""
    by_id = {a.application_id: a for a in applicants}
    by_code = {s.code: s for s in stands}
    locks = {(p.application_id, p.stand_code) for p in locked}
    problems: list[str] = []
    occupants: dict[str, list[Applicant]] = defaultdict(list)
    for application_id, code in assignment.items():
        occupants[code].append(by_id[application_id])
    for code, here in occupants.items():
        stand = by_code[code]
        if len(here) > stand.capacity:
            problems.append(f"{code}: over capacity")
        for applicant in here:
            if (applicant.application_id, code) in locks:
                continue
            if len(here) == 1 and not (fits(applicant, stand, rules) or fits_shared(applicant, stand)):
                problems.append(f"{code}: does not fit {applicant.application_id}")
            if len(here) > 1 and not fits_shared(applicant, stand):
                problems.append(f"{code}: cannot be shared by {applicant.application_id}")
        if len(here) == 2:
            first, second = here
            common = first.product_lines & second.product_lines
            if common and (first.keep_apart or second.keep_apart):
                problems.append(f"{code}: same product line kept apart")
    for placement in locked:
        if assignment.get(placement.application_id) != placement.stand_code:
            problems.append(f"lock {placement} not kept")
    return problems


def evaluate(
    applicants: Sequence[Applicant],
    stands: Sequence[Stand],
    rules: Rules,
    assignment: Mapping[int, str],
    published: Sequence[Placement] = (),
) -> dict[Goal, int]:
    """The weighted points per goal of an assignment (application id -> stand code)."""
    by_code = {s.code: i for i, s in enumerate(stands)}
    at: dict[int, list[Applicant]] = defaultdict(list)
    for applicant in applicants:
        code = assignment.get(applicant.application_id)
        if code is not None:
            at[by_code[code]].append(applicant)
    ranks = [
        preference_rank(a, stands[by_code[assignment[a.application_id]]])
        for a in applicants
        if a.application_id in assignment
    ]
    sector = region = apart = 0
    pairs = neighbour_pairs(stands, rules.neighbour_gap_m)
    adjacent: dict[int, set[int]] = defaultdict(set)
    for i, j in pairs:
        adjacent[i].add(j)
        adjacent[j].add(i)
        here, there = at.get(i, []), at.get(j, [])
        sector += len({a.sector for a in here if a.sector} & {a.sector for a in there if a.sector})
        region += len({a.region for a in here if a.region} & {a.region for a in there if a.region})
        for line in {line for a in here for line in a.product_lines} & {
            line for a in there for line in a.product_lines
        }:
            if any(a.keep_apart and line in a.product_lines for a in [*here, *there]):
                apart += 1
    where = {a.application_id: by_code[c] for a in applicants if (c := assignment.get(a.application_id))}
    by_organization: dict[int, list[int]] = defaultdict(list)
    for a in applicants:
        by_organization[a.organization_id].append(a.application_id)
    unmet_near = 0
    for a in applicants:
        for organization in a.near_organizations:
            for other in by_organization.get(organization, []):
                if other == a.application_id:
                    continue
                s, t = where.get(a.application_id), where.get(other)
                if s is None or t is None or not (s == t or t in adjacent[s]):
                    unmet_near += 1
    published_map = {p.application_id: p.stand_code for p in published}
    changes = sum(
        1
        for a in applicants
        if a.application_id in published_map and assignment.get(a.application_id) != published_map[a.application_id]
    )
    region_sign = 1 if rules.region_mode is RegionMode.spread else -1
    return {
        Goal.unplaced: rules.unplaced * sum(1 for a in applicants if a.application_id not in assignment),
        Goal.preference: rules.preference * sum(ranks),
        Goal.fairness: rules.fairness * max(ranks, default=0),
        Goal.sector_clustering: -rules.sector_clustering * sector,
        Goal.region: region_sign * rules.region * region,
        Goal.near: rules.near * unmet_near,
        Goal.keep_apart: rules.keep_apart * apart,
        Goal.changes: rules.change * changes,
    }


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
    model = cp_model.CpModel()
    # Every variable is hinted with its value in the greedy assignment: a complete hint is a
    # first solution CP-SAT has at once, where a partial one would have to be repaired.
    hinted: dict[int, int] = {}

    def hint(var: cp_model.IntVar, value: int) -> cp_model.IntVar:
        hinted[var.index] = value
        return var

    x: dict[tuple[int, int], cp_model.IntVar] = {}
    on_stand: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for a, mine in enumerate(instance.candidates):
        for s in mine:
            var = model.new_bool_var(f"x{a}_{s}")
            x[(a, s)] = var
            on_stand[s].append((a, var))
            hint(var, int(greedy.get(a) == s))
    for a, s in instance.locks.items():
        model.add(x[(a, s)] == 1)
    # "Placed" is one of the candidate booleans or the explicit "left out" one: an exactly-one
    # row, whose linear relaxation is tighter than an at-most-one.
    left_out = [model.new_bool_var(f"out{a}") for a in range(len(applicants))]
    placed = [1 - out for out in left_out]
    for a, mine in enumerate(instance.candidates):
        model.add_exactly_one([left_out[a], *(x[(a, s)] for s in mine)])
        hint(left_out[a], int(a not in greedy))
    locked_pairs = set(instance.locks.items())
    for s, present in on_stand.items():
        stand = stands[s]
        count = sum(var for _, var in present)
        model.add(count <= stand.capacity)
        if stand.capacity >= 2:
            for a, var in present:
                if (a, s) not in locked_pairs and not fits_shared(applicants[a], stand):
                    model.add(var + count <= 2)  # on it, it stays alone
            lines = {line for a, _ in present if applicants[a].keep_apart for line in applicants[a].product_lines}
            for line in lines:
                with_line = [var for a, var in present if line in applicants[a].product_lines]
                asking = [var for a, var in present if applicants[a].keep_apart and line in applicants[a].product_lines]
                model.add(sum(with_line) + sum(asking) <= 2)

    terms: dict[Goal, list[cp_model.LinearExprT]] = defaultdict(list)
    constant: dict[Goal, int] = defaultdict(int)
    for a in range(len(applicants)):
        terms[Goal.unplaced].append(rules.unplaced * left_out[a])
        ranked = [(instance.rank[(a, s)], x[(a, s)]) for s in instance.candidates[a] if instance.rank[(a, s)]]
        terms[Goal.preference].extend(rules.preference * r * var for r, var in ranked)
    if rules.fairness:
        worst = hint(
            model.new_int_var(0, 2, "worst_rank"), max((instance.rank[(a, s)] for a, s in greedy.items()), default=0)
        )
        for a in range(len(applicants)):
            ranked = [(instance.rank[(a, s)], x[(a, s)]) for s in instance.candidates[a] if instance.rank[(a, s)]]
            if ranked:
                model.add(worst >= sum(r * var for r, var in ranked))
        terms[Goal.fairness].append(rules.fairness * worst)

    def presence(key: str, s: int, members: Iterable[cp_model.IntVar]) -> cp_model.IntVar:
        """A boolean equal to "some of ``members`` is on stand s"."""
        listed = list(members)
        flag = hint(model.new_bool_var(f"{key}@{s}"), int(any(hinted[m.index] for m in listed)))
        model.add(sum(listed) >= 1).only_enforce_if(flag)
        model.add(sum(listed) <= len(listed) * flag)
        return flag

    def attribute_flags(values: Mapping[int, Iterable[str]]) -> _Flags:
        members: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)
        for s, present in on_stand.items():
            for a, var in present:
                for value in values.get(a, ()):
                    members[(s, value)].append(var)
        return _Flags(members, presence)

    def pair_flags(first: _Flags, second: _Flags, value: str) -> list[cp_model.IntVar]:
        """One boolean per neighbouring pair equal to "both stands show ``value``"."""
        both: list[cp_model.IntVar] = []
        for i, j in instance.neighbours:
            if (i, value) in first and (j, value) in second:
                here, there = first[(i, value)], second[(j, value)]
                flag = hint(model.new_bool_var(""), hinted[here.index] & hinted[there.index])
                model.add_bool_and([here, there]).only_enforce_if(flag)
                model.add_bool_or([here.Not(), there.Not(), flag])
                both.append(flag)
        return both

    if rules.sector_clustering:
        sectors = attribute_flags({a: [ap.sector] for a, ap in enumerate(applicants) if ap.sector})
        for sector in {ap.sector for ap in applicants if ap.sector}:
            terms[Goal.sector_clustering].extend(
                -rules.sector_clustering * f for f in pair_flags(sectors, sectors, sector)
            )
    if rules.region:
        regions = attribute_flags({a: [ap.region] for a, ap in enumerate(applicants) if ap.region})
        sign = 1 if rules.region_mode is RegionMode.spread else -1
        for region in {ap.region for ap in applicants if ap.region}:
            terms[Goal.region].extend(sign * rules.region * f for f in pair_flags(regions, regions, region))
    if rules.keep_apart:
        kept_lines = {line for ap in applicants if ap.keep_apart for line in ap.product_lines}
        line_flags = attribute_flags({a: ap.product_lines & kept_lines for a, ap in enumerate(applicants)})
        asking_flags = attribute_flags({a: ap.product_lines for a, ap in enumerate(applicants) if ap.keep_apart})
        for line in kept_lines:
            for i, j in instance.neighbours:
                if (
                    (i, line) in line_flags
                    and (j, line) in line_flags
                    and ((i, line) in asking_flags or (j, line) in asking_flags)
                ):
                    # Both stands show the line and one of them through an applicant who asked.
                    hit = hint(
                        model.new_bool_var(""),
                        int(
                            any(
                                hinted[asking_flags[ask].index] and hinted[line_flags[other].index]
                                for ask, other in (((i, line), (j, line)), ((j, line), (i, line)))
                                if ask in asking_flags
                            )
                        ),
                    )
                    for ask, other in (((i, line), (j, line)), ((j, line), (i, line))):
                        if ask in asking_flags:
                            model.add_bool_or([asking_flags[ask].Not(), line_flags[other].Not(), hit])
                    terms[Goal.keep_apart].append(rules.keep_apart * hit)
    if rules.near:
        adjacent: dict[int, set[int]] = defaultdict(set)
        for i, j in instance.neighbours:
            adjacent[i].add(j)
            adjacent[j].add(i)
        for a, b in instance.near_pairs:
            near_met = a in greedy and b in greedy and (greedy[a] == greedy[b] or greedy[b] in adjacent[greedy[a]])
            met = hint(model.new_bool_var(f"near{a}_{b}"), int(near_met))
            model.add(met <= placed[a])
            for s in instance.candidates[a]:
                close = [x[(b, t)] for t in instance.candidates[b] if t == s or t in adjacent[s]]
                model.add(met <= 1 - x[(a, s)] + sum(close))
            constant[Goal.near] += rules.near
            terms[Goal.near].append(-rules.near * met)
    if rules.change:
        for a, s in instance.published.items():
            constant[Goal.changes] += rules.change
            if (a, s) in x:
                terms[Goal.changes].append(-rules.change * x[(a, s)])

    # In one go: adding hints one by one costs as much as building the model.
    model.proto.solution_hint.vars.extend(hinted.keys())
    model.proto.solution_hint.values.extend(hinted.values())
    model.minimize(sum(sum(parts) for parts in terms.values()) + sum(constant.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, rules.time_limit_s - (time.perf_counter() - started))
    solver.parameters.num_workers = max(1, rules.workers)
    solver.parameters.random_seed = 2027
    # The model is large and easy to satisfy: time is better spent in the search (from the
    # greedy hint) than in probing and symmetry detection.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    # On a large model presolve alone can use up the time goal (measured: 600 x 600 then
    # returned no solution at all in 4 s); the complete hint is the start it needs. Small
    # models keep it: it is what proves optimality quickly.
    solver.parameters.cp_model_presolve = len(x) <= rules.full_model_edges
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {a: s for (a, s), var in x.items() if solver.boolean_value(var)}
        bound = max(math.ceil(solver.best_objective_bound - 1e-6), separate_bound)
        status_name = "optimal" if status == cp_model.OPTIMAL else "feasible"
    else:
        chosen, status_name = greedy, "greedy"
        bound = separate_bound
    return _result(instance, chosen, bound, status_name, started, ignored, pruned)


class _Flags:
    """Presence booleans ("some application with this value is on stand s"), made only when a
    goal asks for one: most (stand, value) pairs never meet a neighbour that matters."""

    def __init__(
        self,
        members: dict[tuple[int, str], list[cp_model.IntVar]],
        make: Callable[[str, int, Iterable[cp_model.IntVar]], cp_model.IntVar],
    ) -> None:
        self._members = members
        self._make = make
        self._made: dict[tuple[int, str], cp_model.IntVar] = {}

    def __contains__(self, key: tuple[int, str]) -> bool:
        return key in self._members

    def __getitem__(self, key: tuple[int, str]) -> cp_model.IntVar:
        if key not in self._made:
            self._made[key] = self._make(key[1], key[0], self._members[key])
        return self._made[key]


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


def _separate_bound(instance: _Instance) -> int:
    """A lower bound on the objective, goal by goal: the placement optimum, plus for the
    pairwise gains the most a neighbouring pair could earn; every other goal is a cost >= 0.
    CP-SAT's own bound on a model this size comes from a weak relaxation; this one is valid
    too (over all fitting stands, even when the model keeps a shortlist), and the proposal
    reports the better."""
    rules, stands = instance.rules, instance.stands
    pair_room = sum(min(stands[i].capacity, stands[j].capacity) for i, j in instance.neighbours)
    gains = rules.sector_clustering * pair_room
    if rules.region_mode is RegionMode.cluster:
        gains += rules.region * pair_room
    return instance.placement_bound - gains


def _result(
    instance: _Instance,
    chosen: Mapping[int, int],
    bound: int,
    status: str,
    started: float,
    ignored: list[tuple[Placement, str]],
    pruned: bool,
) -> Proposal:
    applicants, stands, rules = instance.applicants, instance.stands, instance.rules
    assignment = {applicants[a].application_id: stands[s].code for a, s in chosen.items()}
    published = [Placement(applicants[a].application_id, stands[s].code) for a, s in instance.published.items()]
    breakdown = evaluate(applicants, stands, rules, assignment, published)
    objective = sum(breakdown.values())
    bound = min(bound, objective)
    adjacent: dict[int, set[int]] = defaultdict(set)
    for i, j in instance.neighbours:
        adjacent[i].add(j)
        adjacent[j].add(i)
    occupants: dict[int, list[int]] = defaultdict(list)
    for a, s in sorted(chosen.items()):
        occupants[s].append(a)
    assignments = [
        Assignment(
            application_id=applicants[a].application_id,
            stand_code=stands[s].code,
            seat=occupants[s].index(a) + 1,
            locked=instance.locks.get(a) == s,
            changed=a in instance.published and instance.published[a] != s,
            notes=(notes := _notes(instance, a, s, chosen, occupants, adjacent)),
            reason=_sentence(instance, a, notes, chosen, adjacent),
        )
        for a, s in sorted(chosen.items(), key=lambda item: applicants[item[0]].application_id)
    ]
    taken_by_locks = {s for s in instance.locks.values()}
    unplaced = []
    for a, applicant in enumerate(applicants):
        if a in chosen:
            continue
        fitting = [
            s for s, stand in enumerate(stands) if fits(applicant, stand, rules) or fits_shared(applicant, stand)
        ]
        if not fitting:
            unplaced.append(Unplaced(applicant.application_id, "no_fitting_stand", _no_fit(applicant, rules)))
        else:
            locked_count = sum(1 for s in fitting if s in taken_by_locks)
            unplaced.append(
                Unplaced(
                    applicant.application_id,
                    "fitting_stands_taken",
                    f"all {len(fitting)} fitting stands are taken ({locked_count} by locked assignments)",
                )
            )
    return Proposal(
        assignments=tuple(assignments),
        unplaced=tuple(unplaced),
        objective=objective,
        breakdown=breakdown,
        bound=bound,
        gap=(objective - bound) / max(1, abs(objective)) if bound > -(10**12) else math.inf,
        status=status,
        seconds=time.perf_counter() - started,
        ignored_locks=tuple(ignored),
        candidates_pruned=pruned,
    )


def _no_fit(applicant: Applicant, rules: Rules) -> str:
    needs = [word for word, needed in (("power", applicant.needs_power), ("water", applicant.needs_water)) if needed]
    if applicant.needs_accessible:
        needs.append("step-free access")
    upper = applicant.area_m2 * rules.max_area_ratio
    text = f"no {applicant.stand_type.value} stand of {applicant.area_m2:g}–{upper:g} m²"
    return text + (f" with {' and '.join(needs)}" if needs else "")


def _notes(
    instance: _Instance,
    a: int,
    s: int,
    chosen: Mapping[int, int],
    occupants: Mapping[int, list[int]],
    adjacent: Mapping[int, set[int]],
) -> tuple[str, ...]:
    applicant, stand = instance.applicants[a], instance.stands[s]
    notes: list[str] = []
    if instance.locks.get(a) == s:
        notes.append("locked")
    elif instance.published.get(a) == s:
        notes.append("unchanged")
    if applicant.preferred_zone is not None:
        notes.append("zone_met" if stand.zone == applicant.preferred_zone else "zone_missed")
    if applicant.preferred_hall is not None:
        notes.append("hall_met" if stand.hall == applicant.preferred_hall else "hall_missed")
    close = [b for t in adjacent.get(s, set()) | {s} for b in occupants.get(t, []) if b != a]
    if applicant.sector and any(instance.applicants[b].sector == applicant.sector for b in close):
        notes.append("sector_neighbours")
    if applicant.region and any(instance.applicants[b].region == applicant.region for b in close):
        notes.append("region_neighbours")
    near = [b for (first, b) in instance.near_pairs if first == a]
    if near:
        notes.append("near_met" if any(b in close for b in near) else "near_missed")
    if len(occupants.get(s, [])) > 1:
        notes.append("shared")
    return tuple(notes)


_NOTE_TEXT = {
    "locked": "locked by the organizers",
    "unchanged": "as published",
    "zone_met": "zone preference met",
    "zone_missed": "zone preference not met",
    "hall_met": "hall preference met",
    "hall_missed": "hall preference not met",
    "sector_neighbours": "same sector as neighbours",
    "region_neighbours": "same region as neighbours",
    "shared": "shares the stand",
}


def _sentence(
    instance: _Instance, a: int, notes: tuple[str, ...], chosen: Mapping[int, int], adjacent: Mapping[int, set[int]]
) -> str:
    parts: list[str] = []
    for note in notes:
        if note in ("near_met", "near_missed"):
            names = [
                instance.applicants[b].organization_name
                for (first, b) in instance.near_pairs
                if first == a
                and b in chosen
                and (chosen[b] == chosen[a] or chosen[b] in adjacent.get(chosen[a], set()))
            ]
            parts.append(f"near {', '.join(names)}" if names else "near request not met")
        else:
            parts.append(_NOTE_TEXT[note])
    return "; ".join(parts) or "fits its needs"


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
