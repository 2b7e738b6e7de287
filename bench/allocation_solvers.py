"""Compare the pieces of the stand allocator on the benchmark instances (bench/allocation.py):
every assignment is scored with the same function (exhibitions.stands.allocation.evaluate,
all soft goals on, the guide's default weights).

Starts and solvers:
- relaxed matching + repair: the placement goals (unplaced, preference, changes) as one SciPy
  min-cost matching that lets one who may not share sit next to a sharer, then repaired
  greedily (the allocator's start until 2026-11-29);
- sharing matching + repair: the same matching re-solved with the second seat closed where it
  broke the sharing rules (the start now);
- local search: simulated annealing from that start over every fitting stand, for the time
  goal (what `propose` ships for large instances);
- CP-SAT: the exact model (every fitting stand) from the same start, for the time goal
  (`--cp-sat`; its model alone is slow to build beyond 150 stands).

Lower bounds:
- old: the relaxed matching's optimum minus every neighbouring pair's largest gain;
- credited: the matching with each pair's gain credited to the placements (no near term);
- shipped: credited, plus the near requests' Lagrangian charges.

    uv run python bench/allocation_solvers.py [--sizes 150,600,3000] [--cp-sat]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import replace

import numpy as np
from allocation import LIMITS, instance

from exhibitions.stands import allocation
from exhibitions.stands.allocation._bound import _separate_bound
from exhibitions.stands.allocation._cpsat import _solve_model
from exhibitions.stands.allocation._instance import _greedy, _matching, _prepare
from exhibitions.stands.allocation._search import _improve


def scored(
    people: list[allocation.Applicant], plan: list[allocation.Stand], rules: allocation.Rules, chosen: dict[int, int]
) -> str:
    assignment = {people[a].application_id: plan[s].code for a, s in chosen.items()}
    assert allocation.check_hard(people, plan, rules, assignment) == []
    points = allocation.evaluate(people, plan, rules, assignment)
    return (
        f"objective {sum(points.values()):>7}  unplaced {len(people) - len(assignment):>4}  "
        f"sector {points[allocation.Goal.sector_clustering]:>6}  near {points[allocation.Goal.near]:>5}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="150,600,3000")
    parser.add_argument("--cp-sat", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for size in (int(value) for value in args.sizes.split(",")):
        people, plan = instance(size)
        rules = replace(allocation.Rules(), time_limit_s=LIMITS.get(size, 60.0) * 0.85)

        def score(chosen: dict[int, int]) -> str:
            return scored(people, plan, rules, chosen)  # noqa: B023 - used within the iteration

        started = time.perf_counter()
        prepared, _, _ = _prepare(people, plan, rules, (), ())
        prepared_s = time.perf_counter() - started
        costs = [rules.preference * ranks.astype(float) for ranks in prepared.full_rank]
        unplaced = np.full(len(people), float(rules.unplaced))
        relaxed_total, relaxed = _matching(plan, prepared.full, prepared.may_share, costs, unplaced)
        print(f"{size:>5} relaxed matching + repair  {score(_greedy(prepared, relaxed))}")
        start = _greedy(prepared, prepared.matched)
        print(f"{size:>5} sharing matching + repair  {score(start)}  ({prepared_s:.2f} s with the instance)")
        budget = rules.time_limit_s - prepared_s
        searched_at = time.perf_counter()
        searched = _improve(prepared, start, searched_at + budget)
        print(f"{size:>5} local search {budget:5.2f} s      {score(searched)}")
        if args.cp_sat:
            exact = replace(prepared, candidates=[mine.tolist() for mine in prepared.full])
            exact.rank = {
                (a, s): r
                for a, (mine, ranks) in enumerate(zip(prepared.full, prepared.full_rank, strict=True))
                for s, r in zip(mine.tolist(), ranks.tolist(), strict=True)
            }
            solved = _solve_model(exact, start, time.perf_counter() + budget)
            print(
                f"{size:>5} CP-SAT {budget:5.2f} s            "
                + (score(solved.chosen) + f"  (its bound {solved.bound})" if solved else "nothing found")
            )
        room = sum(min(plan[i].capacity, plan[j].capacity) for i, j in prepared.neighbours)
        old = round(relaxed_total) - rules.sector_clustering * room
        bound_at = time.perf_counter()
        credited = _separate_bound(replace(prepared, near_pairs=[]))
        shipped = _separate_bound(prepared)
        bound_s = (time.perf_counter() - bound_at) / 2
        print(f"{size:>5} bounds: old {old}, credited {credited}, shipped {shipped} ({bound_s:.2f} s)")


if __name__ == "__main__":
    main()
