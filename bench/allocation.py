"""Time the stand allocator (exhibitions.stands.allocation.propose) on generated, realistic
instances: halls with a grid of stands in double rows between aisles, mixed sizes, types and
equipment; applications with needs, zone preferences, sectors, regions, product lines, near
requests and keep-apart flags; every soft goal on.

    uv run python bench/allocation.py [--sizes 150,600,3000] [--rounds 3]

Each size runs ``--rounds`` times (3,000 too: about 3 minutes); the median time and gap are
printed, with every round's objective/bound.

Goals: 150 x 150 <= 1 s; 600 x 600 <= 5 s with the gap reported; 3,000 x 3,000 within 60 s
with a feasible proposal and a gap.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
from dataclasses import replace

from exhibitions.stands.allocation import Applicant, Proposal, Rules, Stand, StandType, propose

REGIONS = [f"MA-{number:02d}" for number in range(1, 13)]
SECTORS = ["agriculture", "handicrafts", "fishing", "argan", "food_processing", "textile", "services", "other"]
LINES = [f"line-{number}" for number in range(40)]
ZONES = ["north", "south", "east", "west"]
# The time each size may take: the goals.
LIMITS = {150: 1.0, 600: 5.0, 3000: 60.0}


def stands(count: int, seed: int = 2027) -> list[Stand]:
    """Halls of up to 300 stands: double rows of 3 m deep stands, 3 m aisles between them."""
    draw = random.Random(seed)
    result: list[Stand] = []
    per_hall = 300
    for number in range(count):
        hall, slot = divmod(number, per_hall)
        row, column = divmod(slot, 20)
        width = draw.choice([3, 3, 4, 6])
        depth = 3
        # Two rows back to back, then an aisle: y = pair * (2 * depth + aisle) + side * depth.
        pair, side = divmod(row, 2)
        kind = (
            StandType.corner
            if column in (0, 19)
            else StandType.island
            if draw.random() < 0.05
            else StandType.outdoor
            if hall == 0 and draw.random() < 0.05
            else StandType.standard
        )
        result.append(
            Stand(
                code=f"H{hall + 1}-{slot + 1:03d}",
                hall=hall + 1,
                x=column * 6.0,
                y=pair * 9.0 + side * depth,
                width=width,
                depth=depth,
                area_m2=width * depth,
                stand_type=kind,
                zone=ZONES[(column // 5) % 4],
                power=draw.random() < 0.8,
                water=draw.random() < 0.3,
                accessible=draw.random() < 0.7,
                capacity=2 if draw.random() < 0.1 else 1,
            )
        )
    return result


def applicants(count: int, halls: int, seed: int = 2027) -> list[Applicant]:
    draw = random.Random(seed + 1)
    result = []
    for number in range(1, count + 1):
        near = frozenset({draw.randint(1, count)} if draw.random() < 0.15 else set()) - {number}
        result.append(
            Applicant(
                application_id=number,
                organization_id=number,
                organization_name=f"Coop {number}",
                area_m2=draw.choice([9, 9, 9, 12, 12, 18]),
                stand_type=draw.choices(list(StandType), weights=[85, 10, 3, 2])[0],
                needs_power=draw.random() < 0.5,
                needs_water=draw.random() < 0.1,
                needs_accessible=draw.random() < 0.1,
                accepts_sharing=draw.random() < 0.3,
                preferred_zone=draw.choice(ZONES) if draw.random() < 0.6 else None,
                preferred_hall=draw.randint(1, halls) if draw.random() < 0.3 else None,
                sector=draw.choices(SECTORS, weights=[10, 8, 2, 5, 6, 4, 3, 2])[0],
                region=draw.choices(REGIONS, weights=[8, 6, 3, 5, 4, 12, 5, 2, 9, 3, 2, 1])[0],
                product_lines=frozenset(draw.sample(LINES, draw.randint(1, 3))),
                near_organizations=near,
                keep_apart=draw.random() < 0.1,
            )
        )
    return result


def instance(size: int) -> tuple[list[Applicant], list[Stand]]:
    plan = stands(size)
    return applicants(size, halls=max(stand.hall for stand in plan)), plan


def describe(proposal: Proposal) -> str:
    return (
        f"status {proposal.status}, objective {proposal.objective}, bound {proposal.bound}, "
        f"gap {proposal.gap:.2%}, placed {len(proposal.assignments)}, unplaced {len(proposal.unplaced)}"
        f"{', local search (too large for the exact model)' if proposal.candidates_pruned else ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="150,600,3000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for size in (int(value) for value in args.sizes.split(",")):
        people, plan = instance(size)
        rules = replace(Rules(), time_limit_s=LIMITS.get(size, 60.0) * 0.85)
        proposals = [propose(people, plan, rules) for _ in range(args.rounds)]
        # The median round by gap (the search is timed, so rounds differ under load).
        median = sorted(proposals, key=lambda p: p.gap)[len(proposals) // 2]
        print(
            f"{size:>5} x {size:<5} median {statistics.median(p.seconds for p in proposals):6.2f} s "
            f"(limit {LIMITS.get(size, 60.0):g} s), gap {statistics.median(p.gap for p in proposals):.2%}; "
            f"rounds: {'; '.join(f'{p.seconds:.2f} s {p.objective}/{p.bound} {p.gap:.2%}' for p in proposals)}"
        )
        print(f"      median round: {describe(median)}")
        print(f"      breakdown: {', '.join(f'{goal.value} {points}' for goal, points in median.breakdown.items())}")


if __name__ == "__main__":
    main()
