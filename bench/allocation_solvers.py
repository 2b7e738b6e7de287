"""Compare the candidate solvers for the stand allocator on the benchmark instances
(bench/allocation.py): every result is scored with the same function
(exhibitions.stands.allocation.evaluate, all soft goals on).

- SciPy: the placement goals only (unplaced, preference, changes) as a minimum-cost bipartite
  matching (scipy.sparse.csgraph.min_weight_full_bipartite_matching, exact and fast), then
  the sharing rules repaired greedily; it cannot see the pairwise goals (clustering, spread,
  near, keep apart) nor fairness.
- CP-SAT: the whole model (exhibitions.stands.allocation.propose), started from the SciPy
  solution, within the time goal.

    uv run python bench/allocation_solvers.py [--sizes 150,600,3000]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import replace

from allocation import LIMITS, instance

from exhibitions.stands import allocation
from exhibitions.stands.allocation._instance import _greedy, _prepare

PLACEMENT_GOALS = (allocation.Goal.unplaced, allocation.Goal.preference)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="150,600,3000")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for size in (int(value) for value in args.sizes.split(",")):
        people, plan = instance(size)
        rules = replace(allocation.Rules(), time_limit_s=LIMITS.get(size, 60.0) * 0.85)
        started = time.perf_counter()
        prepared, _, _ = _prepare(people, plan, rules, (), ())
        repaired = _greedy(prepared, prepared.matched)
        seconds = time.perf_counter() - started
        assignment = {people[a].application_id: plan[s].code for a, s in repaired.items()}
        scores = allocation.evaluate(people, plan, rules, assignment)
        print(
            f"{size:>5} x {size:<5} SciPy matching  {seconds:6.2f} s  objective {sum(scores.values()):>7}  "
            f"unplaced {len(people) - len(assignment):>4}  pairwise+fairness "
            f"{sum(v for k, v in scores.items() if k not in PLACEMENT_GOALS):>6}"
        )
        proposal = allocation.propose(people, plan, rules)
        print(
            f"{size:>5} x {size:<5} CP-SAT          {proposal.seconds:6.2f} s  objective {proposal.objective:>7}  "
            f"unplaced {len(proposal.unplaced):>4}  pairwise+fairness "
            f"{sum(v for k, v in proposal.breakdown.items() if k not in PLACEMENT_GOALS):>6}"
            f"  (bound {proposal.bound}, gap {proposal.gap:.1%}, {proposal.status})"
        )


if __name__ == "__main__":
    main()
