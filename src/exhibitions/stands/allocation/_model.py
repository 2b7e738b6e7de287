"""The allocator's vocabulary: what goes in, what comes out, the hard rules and the scoring
of an assignment (:func:`evaluate`, the one every figure and the tests' brute force use)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum


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
    # An instance with more than ``full_model_edges`` fitting (application, stand) pairs is
    # solved by local search over every fitting stand, not by the exact CP-SAT model (the
    # proposal's ``candidates_pruned``). ``max_candidates`` 0 always builds the exact model;
    # other values are kept for compatibility (the per-application shortlist it sized is gone).
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
    status: str  # optimal | feasible | greedy (nothing improved the start in time)
    seconds: float
    ignored_locks: tuple[tuple[Placement, str], ...] = ()
    candidates_pruned: bool = False  # too large for the exact model: local search, the bound is the separate one


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
