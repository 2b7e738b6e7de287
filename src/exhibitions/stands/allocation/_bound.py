"""A proven lower bound on the objective, valid over every fitting stand (not only the
candidates a large model keeps).

The pairwise gains are shared out to the placements that earn them, and the placement goals
are then solved exactly, gains included, as one min-cost matching (a Lagrangian relaxation
with the gain of each neighbouring pair split half and half between its two stands):

- a neighbouring pair (i, j) earns ``w`` per sector shown on both; each such sector has an
  occupant on i and one on j, so the pair earns at most ``w/2`` per occupant of i or j whose
  sector is shown across. An application on stand s is credited ``w/2`` for each neighbour of
  s that some application of its sector fits: never less than its real share (the same for
  regions in ``cluster`` mode);
- a "near" request whose requested exhibitor fits no stand equal or next to the requester's
  costs its points whatever else happens (and so does one whose requester is left out);
- every other goal (fairness, region spread, keep apart, the rest of near) costs >= 0.

The matching relaxes the sharing rules (see ``_matching``), which only lowers the bound. On
the 600-stand bench, the credited gains are what is left of the gap: the matching cannot
see that two neighbours cannot both be credited for sectors they do not share.
"""

from __future__ import annotations

import math

import numpy as np

from exhibitions.stands.allocation._instance import _Instance, _matching
from exhibitions.stands.allocation._model import Applicant, RegionMode, Rules


def _separate_bound(instance: _Instance) -> int:
    rules, stands, applicants = instance.rules, instance.stands, instance.applicants
    count = len(stands)
    pairs = np.array(instance.neighbours, dtype=int).reshape(-1, 2)
    first, second = pairs[:, 0], pairs[:, 1]
    capacity = np.array([s.capacity for s in stands], dtype=int)
    # Of a neighbouring pair's gain: the part credited to the first stand's occupants, the rest
    # to the second's. Half each; all to a one-seat stand next to a two-seat one (two
    # occupants there would be two halves, yet the pair earns once for a value it shows).
    share_first = np.where(capacity[first] == capacity[second], 0.5, (capacity[first] < capacity[second]) * 1.0)
    costs = [
        (rules.preference * ranks - rules.change * (mine == instance.published.get(a, -1))).astype(float)
        for a, (mine, ranks) in enumerate(zip(instance.full, instance.full_rank, strict=True))
    ]
    credited: list[tuple[int, list[str], dict[str, np.ndarray]]] = []

    def credit(weight: int, value_of: list[str]) -> None:
        """Credit each application on a stand with its share of every neighbouring pair where an
        application of its value fits the other stand."""
        members: dict[str, list[int]] = {}
        for a, value in enumerate(value_of):
            if value:
                members.setdefault(value, []).append(a)
        coverage: dict[str, np.ndarray] = {}
        for value, group in members.items():
            covered = coverage[value] = np.zeros(count, dtype=bool)
            for a in group:
                covered[instance.full[a]] = True
            earned = np.zeros(count)  # per occupant showing the value
            np.add.at(earned, first, share_first * covered[second])
            np.add.at(earned, second, (1.0 - share_first) * covered[first])
            for a in group:
                costs[a] -= weight * earned[instance.full[a]]
        credited.append((weight, value_of, coverage))

    if rules.sector_clustering:
        credit(rules.sector_clustering, [a.sector for a in applicants])
    if rules.region and rules.region_mode is RegionMode.cluster:
        credit(rules.region, [a.region for a in applicants])
    unplaced = np.full(len(applicants), float(rules.unplaced))
    if rules.near:
        _charge_near(instance, costs, unplaced, share_first, credited)
    total, _ = _matching(stands, instance.full, instance.may_share, costs, unplaced)
    return math.ceil(total + rules.change * len(instance.published) - 1e-6)


def _charge_near(
    instance: _Instance,
    costs: list[np.ndarray],
    unplaced: np.ndarray,
    share_first: np.ndarray,
    credited: list[tuple[int, list[str], dict[str, np.ndarray]]],
) -> None:
    """Request (a, b): with a on stand s, it is met only if b is on s or on a neighbour t. b's
    preference points above its best are handed to the request (taken out of b's cost, once
    per b); meeting it on a pair (s, t) of one-seat stands also forfeits what was credited to
    that pair for a value a and b do not share, and costs the region spread or kept-apart
    points a and b bring to it. a on s is charged the least of those over the neighbours t,
    or the request's own points if less (each pair is claimed by one request only: a request
    and its reverse claim it once)."""
    rules, applicants, count = instance.rules, instance.applicants, len(instance.stands)
    pairs = np.array(instance.neighbours, dtype=int).reshape(-1, 2)
    first, second = pairs[:, 0], pairs[:, 1]
    capacity = np.array([s.capacity for s in instance.stands], dtype=int)
    single = (capacity[first] == 1) & (capacity[second] == 1)
    giver: set[int] = set()
    claimed: set[frozenset[int]] = set()
    for a, b in instance.near_pairs:
        unplaced[a] += rules.near
        excess = np.full(count, np.inf)
        if len(instance.full[b]):
            ranks = instance.full_rank[b]
            above = 0.0 if b in giver else rules.preference * (ranks - ranks.min())
            excess[instance.full[b]] = above
            if b not in giver:
                costs[b] -= above
                giver.add(b)
        # Forfeit when a is on the first stand of the pair and b on the second, and reversed.
        forward = np.zeros(len(pairs))
        backward = np.zeros(len(pairs))
        if frozenset((a, b)) not in claimed:
            claimed.add(frozenset((a, b)))
            for weight, value_of, coverage in credited:
                value_a, value_b = value_of[a], value_of[b]
                if value_a == value_b:
                    continue
                if value_a:  # credited to a for the stand b is on
                    covered = coverage[value_a]
                    forward += single * weight * share_first * covered[second]
                    backward += single * weight * (1.0 - share_first) * covered[first]
                if value_b:  # credited to b for the stand a is on
                    covered = coverage[value_b]
                    forward += single * weight * (1.0 - share_first) * covered[first]
                    backward += single * weight * share_first * covered[second]
            together = _pair_costs(rules, applicants[a], applicants[b])
            forward += together
            backward += together
        nearest = np.full(count, np.inf)
        np.minimum.at(nearest, first, excess[second] + forward)
        np.minimum.at(nearest, second, excess[first] + backward)
        # Or both on one stand: a two-seat stand both may share.
        same = np.full(count, np.inf)
        both = instance.full[b][instance.may_share[b] & (capacity[instance.full[b]] >= 2)]
        same[both] = excess[both]
        mine = instance.full[a]
        nearest_mine = np.minimum(nearest[mine], np.where(instance.may_share[a], same[mine], np.inf))
        costs[a] += np.minimum(float(rules.near), nearest_mine)


def _pair_costs(rules: Rules, first: Applicant, second: Applicant) -> float:
    """What two neighbours cost for sure: a common region in spread mode, a product line one
    of them keeps apart."""
    points = 0.0
    if rules.region and rules.region_mode is RegionMode.spread and first.region and first.region == second.region:
        points += rules.region
    if rules.keep_apart:
        points += rules.keep_apart * sum(
            1
            for line in first.product_lines & second.product_lines
            if (first.keep_apart and line in first.product_lines)
            or (second.keep_apart and line in second.product_lines)
        )
    return points
