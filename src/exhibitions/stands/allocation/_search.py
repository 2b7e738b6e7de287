"""Local search on the whole objective: moves of one application to another stand, and swaps
of two, over every fitting stand (not only the candidates a large CP-SAT model keeps).

The placement goals' optimum (the matching) leaves the pairwise goals to chance: on the
600-stand bench it shows a common sector on 1 neighbouring pair in 6, as a random seating
would, and meets 1 near request in 8. Moves aimed at those goals (next to a stand showing
the applicant's sector, or next to the exhibitor it asked to be near) fix most of that in a
second; each move is scored on the few neighbouring pairs and requests it touches, and
accepted by simulated annealing (a cooling threshold) so that a sector can regroup through
moves that cost a little first.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Mapping

from exhibitions.stands.allocation._instance import _Instance, _may_join
from exhibitions.stands.allocation._model import RegionMode


def _improve(
    instance: _Instance, start: Mapping[int, int], deadline: float, max_moves: int | None = None, seed: int = 2027
) -> dict[int, int]:
    """A better assignment than ``start`` (applicant index -> stand index), searched until
    ``deadline`` (a ``time.perf_counter()`` value); ``start`` itself if none is found. Locks
    stay, every hard rule holds after each move, and no placed application gets a worse
    preference rank than the worst of ``start`` (the fairness goal)."""
    rules, applicants, stands = instance.rules, instance.applicants, instance.stands
    movable = [a for a in range(len(applicants)) if a not in instance.locks and len(instance.full[a])]
    if not movable or time.perf_counter() >= deadline:
        return dict(start)
    draw = random.Random(seed)  # noqa: S311 - a search, not a secret
    where = [start.get(a, -1) for a in range(len(applicants))]
    occupants: list[list[int]] = [[] for _ in stands]
    for a, s in start.items():
        occupants[s].append(a)
    adjacent: list[list[int]] = [[] for _ in stands]
    for i, j in instance.neighbours:
        adjacent[i].append(j)
        adjacent[j].append(i)
    sector = [a.sector for a in applicants]
    region = [a.region for a in applicants]
    lines = [a.product_lines for a in applicants]
    by_sector: dict[str, list[int]] = defaultdict(list)
    for a, value in enumerate(sector):
        if value:
            by_sector[value].append(a)
    requests: list[list[int]] = [[] for _ in applicants]  # per applicant: indexes into near_pairs
    for k, (a, b) in enumerate(instance.near_pairs):
        requests[a].append(k)
        requests[b].append(k)
    partners = [
        [instance.near_pairs[k][0] + instance.near_pairs[k][1] - a for k in mine] for a, mine in enumerate(requests)
    ]
    zone = [s.zone for s in stands]
    hall = [s.hall for s in stands]
    region_sign = 1 if rules.region_mode is RegionMode.spread else -1

    def rank(a: int, s: int) -> int:
        applicant = applicants[a]
        zone_met = applicant.preferred_zone is None or zone[s] == applicant.preferred_zone
        hall_met = applicant.preferred_hall is None or hall[s] == applicant.preferred_hall
        if zone_met and hall_met:
            return 0
        return 1 if hall_met and applicant.preferred_hall is not None else 2

    worst = max((rank(a, s) for a, s in start.items()), default=0) if rules.fairness else 2

    def own(a: int) -> int:
        s = where[a]
        if s < 0:
            return rules.unplaced + (rules.change if a in instance.published else 0)
        return rules.preference * rank(a, s) + (rules.change if instance.published.get(a, s) != s else 0)

    # Lines an applicant shows that one of a pair keeps apart: its own if it asked.
    kept = [a.product_lines if a.keep_apart else frozenset() for a in applicants]
    weight_sector, weight_region, weight_apart = rules.sector_clustering, region_sign * rules.region, rules.keep_apart

    def pair(i: int, j: int) -> int:
        here, there = occupants[i], occupants[j]
        if not here or not there:
            return 0
        if len(here) == 1 and len(there) == 1:  # the common case, fast
            a, b = here[0], there[0]
            points = 0
            if sector[a] and sector[a] == sector[b]:
                points -= weight_sector
            if region[a] and region[a] == region[b]:
                points += weight_region
            if weight_apart and (kept[a] or kept[b]):
                points += weight_apart * len(lines[a] & lines[b] & (kept[a] | kept[b]))
            return points
        points = 0
        if weight_sector:
            common = {sector[a] for a in here if sector[a]} & {sector[b] for b in there if sector[b]}
            points -= weight_sector * len(common)
        if weight_region:
            common = {region[a] for a in here if region[a]} & {region[b] for b in there if region[b]}
            points += weight_region * len(common)
        if weight_apart:
            shown = {x for a in here for x in lines[a]} & {x for b in there for x in lines[b]}
            points += weight_apart * len(shown & {x for c in (*here, *there) for x in kept[c]})
        return points

    def near_unmet(k: int) -> bool:
        a, b = instance.near_pairs[k]
        s, t = where[a], where[b]
        return s < 0 or t < 0 or not (s == t or t in adjacent[s])

    def local(touched_stands: tuple[int, ...], touched: tuple[int, ...]) -> int:
        """The points of the goals that a move of ``touched`` between ``touched_stands`` can change."""
        points = sum(own(a) for a in touched)
        seen: set[tuple[int, int]] = set()
        for i in touched_stands:
            if i < 0:
                continue
            for j in adjacent[i]:
                edge = (i, j) if i < j else (j, i)
                if edge not in seen:
                    seen.add(edge)
                    points += pair(*edge)
        if rules.near:
            ks = {k for a in touched for k in requests[a]}
            points += rules.near * sum(1 for k in ks if near_unmet(k))
        return points

    def place(a: int, s: int) -> None:
        if where[a] >= 0:
            occupants[where[a]].remove(a)
        where[a] = s
        if s >= 0:
            occupants[s].append(a)

    def targets(a: int) -> list[int]:
        found: list[int] = []
        if sector[a] and rules.sector_clustering:
            group = by_sector[sector[a]]
            for _ in range(2):
                u = where[group[draw.randrange(len(group))]]
                if u >= 0:
                    found.extend(adjacent[u])
        for b in partners[a]:
            if where[b] >= 0:
                found.append(where[b])
                found.extend(adjacent[where[b]])
        mine = instance.full[a]
        found.append(int(mine[draw.randrange(len(mine))]))
        return found

    # Simulated annealing: a worsening move of ``delta`` points passes while the threshold,
    # drawn per move from an exponential of mean ``temperature``, is above it. The
    # temperature starts at one sector pair's points and falls quadratically to 0 by the
    # deadline (or ``max_moves``), so that the last part of the time is a plain descent.
    started = time.perf_counter()
    span = max(1e-6, deadline - started)
    initial = float(rules.sector_clustering or rules.near or rules.preference or 1)
    temperature = initial
    moves = 0
    while True:
        moves += 1
        if moves % 64 == 0:
            now = time.perf_counter()
            progress = max((now - started) / span, moves / max_moves if max_moves else 0.0)
            if progress >= 1.0:
                break
            temperature = initial * (1.0 - progress) ** 2
        a = movable[draw.randrange(len(movable))]
        s = where[a]
        for t in targets(a):
            if t == s or rank(a, t) > worst:
                continue
            if _may_join(instance, a, t, [c for c in occupants[t] if c != a]):
                before = local((s, t), (a,))
                place(a, t)
                delta = local((s, t), (a,)) - before
                if _accept(delta, temperature, draw):
                    break
                place(a, s)
                continue
            if s < 0:
                continue
            for b in list(occupants[t]):
                if (
                    b in instance.locks
                    or rank(b, s) > worst
                    or not _may_join(instance, a, t, [c for c in occupants[t] if c != b])
                    or not _may_join(instance, b, s, [c for c in occupants[s] if c != a])
                ):
                    continue
                before = local((s, t), (a, b))
                place(a, t)
                place(b, s)
                delta = local((s, t), (a, b)) - before
                if _accept(delta, temperature, draw):
                    break
                place(b, t)
                place(a, s)
            else:
                continue
            break
    return {a: s for a, s in enumerate(where) if s >= 0}


def _accept(delta: int, temperature: float, draw: random.Random) -> bool:
    if delta <= 0:
        return True
    return temperature > 0 and delta < -temperature * math.log(1.0 - draw.random())
