"""The whole model in OR-Tools CP-SAT: every hard rule and soft goal exactly, over each
application's candidate stands, started from a complete hint. It proves optimality on small
instances; on large ones it is a polishing step within the time left."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model  # type: ignore[import-untyped]

from exhibitions.stands.allocation._instance import _Instance
from exhibitions.stands.allocation._model import Goal, RegionMode, fits_shared, preference_rank


@dataclass(frozen=True)
class _Solved:
    chosen: dict[int, int]  # applicant index -> stand index
    bound: int  # CP-SAT's bound over the candidate stands of the model
    optimal: bool  # proven, over those candidates


def _solve_model(instance: _Instance, start: Mapping[int, int], deadline: float) -> _Solved | None:
    """CP-SAT from ``start`` (a complete hint) until ``deadline`` (a ``time.perf_counter()``
    value; building the model counts); None if it found nothing."""
    applicants, stands, rules = instance.applicants, instance.stands, instance.rules
    # The start may use stands a shortlist left out (the local search ranges over all): they
    # join the candidates, so that the hint is complete.
    candidates = [sorted({*mine, start[a]}) if a in start else mine for a, mine in enumerate(instance.candidates)]
    rank = dict(instance.rank)
    for a, s in start.items():
        rank.setdefault((a, s), preference_rank(applicants[a], stands[s]))
    model = cp_model.CpModel()
    # Every variable is hinted with its value in the start assignment: a complete hint is a
    # first solution CP-SAT has at once, where a partial one would have to be repaired.
    hinted: dict[int, int] = {}

    def hint(var: cp_model.IntVar, value: int) -> cp_model.IntVar:
        hinted[var.index] = value
        return var

    x: dict[tuple[int, int], cp_model.IntVar] = {}
    on_stand: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for a, mine in enumerate(candidates):
        for s in mine:
            var = model.new_bool_var(f"x{a}_{s}")
            x[(a, s)] = var
            on_stand[s].append((a, var))
            hint(var, int(start.get(a) == s))
    for a, s in instance.locks.items():
        model.add(x[(a, s)] == 1)
    # "Placed" is one of the candidate booleans or the explicit "left out" one: an exactly-one
    # row, whose linear relaxation is tighter than an at-most-one.
    left_out = [model.new_bool_var(f"out{a}") for a in range(len(applicants))]
    placed = [1 - out for out in left_out]
    for a, mine in enumerate(candidates):
        model.add_exactly_one([left_out[a], *(x[(a, s)] for s in mine)])
        hint(left_out[a], int(a not in start))
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
        ranked = [(rank[(a, s)], x[(a, s)]) for s in candidates[a] if rank[(a, s)]]
        terms[Goal.preference].extend(rules.preference * r * var for r, var in ranked)
    if rules.fairness:
        worst = hint(model.new_int_var(0, 2, "worst_rank"), max((rank[(a, s)] for a, s in start.items()), default=0))
        for a in range(len(applicants)):
            ranked = [(rank[(a, s)], x[(a, s)]) for s in candidates[a] if rank[(a, s)]]
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
            near_met = a in start and b in start and (start[a] == start[b] or start[b] in adjacent[start[a]])
            met = hint(model.new_bool_var(f"near{a}_{b}"), int(near_met))
            model.add(met <= placed[a])
            for s in candidates[a]:
                close = [x[(b, t)] for t in candidates[b] if t == s or t in adjacent[s]]
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
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    solver.parameters.num_workers = max(1, rules.workers)
    solver.parameters.random_seed = 2027
    # The model is large and easy to satisfy: time is better spent in the search (from the
    # start hint) than in probing and symmetry detection.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    # On a large model presolve alone can use up the time goal (measured: 600 x 600 then
    # returned no solution at all in 4 s); the complete hint is the start it needs. Small
    # models keep it: it is what proves optimality quickly.
    solver.parameters.cp_model_presolve = len(x) <= rules.full_model_edges
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _Solved(
        chosen={a: s for (a, s), var in x.items() if solver.boolean_value(var)},
        bound=math.ceil(solver.best_objective_bound - 1e-6),
        optimal=status == cp_model.OPTIMAL,
    )


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
