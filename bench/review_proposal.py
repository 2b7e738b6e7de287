"""Time the assisted review proposal (exhibitions.exhibitors.review.propose): 3,000
synthetic applicants, 600 stands, 30 quota bounds; the median of 3 runs (goal: <= 2 s).
Then a deliberately infeasible set of quotas, to show the report of unmet ones.

    uv run python bench/review_proposal.py
"""

from __future__ import annotations

import platform
import random
import statistics
import time

from exhibitions.exhibitors.review import DEFAULT_WEIGHTS, Applicant, Dimension, Proposal, Quota, propose

REGIONS = [f"MA-{number:02d}" for number in range(1, 13)]
SECTORS = ["agriculture", "handicrafts", "fishing", "argan", "food_processing", "textile", "services", "other"]
FORMS = ["cooperative", "association", "mutual", "company", "public_body"]


def applicants(count: int, seed: int = 2027) -> list[Applicant]:
    draw = random.Random(seed)
    return [
        Applicant(
            application_id=number,
            # Skewed like the real registry: a few regions and sectors dominate.
            region=draw.choices(REGIONS, weights=[8, 6, 3, 5, 4, 12, 5, 2, 9, 3, 2, 1])[0],
            sector=draw.choices(SECTORS, weights=[10, 8, 2, 5, 6, 4, 3, 2])[0],
            legal_form=draw.choices(FORMS, weights=[12, 6, 1, 2, 1])[0],
            women_led=draw.random() < 0.35,
            youth_led=draw.random() < 0.2,
            first_time=draw.random() < 0.5,
            product_count=draw.randint(1, 8),
        )
        for number in range(1, count + 1)
    ]


def thirty_quotas() -> list[Quota]:
    quotas = [Quota(Dimension.region, region, min_bp=400) for region in REGIONS]  # 12 region minimums
    quotas += [Quota(Dimension.sector, sector, min_bp=300) for sector in SECTORS[:4]]  # 4 sector minimums
    quotas += [Quota(Dimension.sector, sector, max_bp=2500) for sector in SECTORS[:4]]  # 4 sector maximums
    quotas += [Quota(Dimension.legal_form, "cooperative", min_bp=4000, max_bp=8000)]  # 2 bounds
    quotas += [Quota(Dimension.legal_form, form, min_bp=200) for form in FORMS[1:4]]  # 3 more
    quotas += [Quota(Dimension.women_led, "", min_bp=4000)]  # women-led >= 40%
    quotas += [Quota(Dimension.region, region, max_bp=2000) for region in ("MA-06", "MA-09", "MA-01", "MA-02")]
    assert sum((q.min_bp is not None) + (q.max_bp is not None) for q in quotas) == 30
    return quotas


def timed(people: list[Applicant], quotas: list[Quota], seed: str = "bench-2027") -> tuple[float, Proposal]:
    started = time.perf_counter()
    proposal = propose(people, capacity=600, quotas=quotas, weights=DEFAULT_WEIGHTS, seed=seed)
    return time.perf_counter() - started, proposal


def main() -> None:
    people = applicants(3000)
    quotas = thirty_quotas()
    runs = [timed(people, quotas) for _ in range(3)]
    median = statistics.median(seconds for seconds, _ in runs)
    proposal = runs[0][1]
    assert all(run.selected == proposal.selected for _, run in runs), "the same seed gave another proposal"
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(
        f"feasible: 3000 applicants, capacity 600, 30 quota bounds: median {median:.3f} s"
        f" (runs {', '.join(f'{seconds:.3f}' for seconds, _ in runs)});"
        f" selected {len(proposal.selected)}, unmet quotas {len(proposal.unmet)}"
    )
    assert not proposal.unmet
    assert len(proposal.selected) == 600
    # The solver's path depends on the instance: other seeds, and no quota at all.
    seeds = [timed(people, quotas, seed=f"seed-{number}")[0] for number in range(5)]
    bare = [timed(people, [], seed=f"seed-{number}")[0] for number in range(3)]
    print(f"5 other seeds: slowest {max(seeds):.3f} s; no quota, 3 seeds: slowest {max(bare):.3f} s")
    # Infeasible: public bodies are ~5% of applicants (about 110), so a 30% minimum (180) cannot
    # hold; MA-12 has about 50 applicants for a 20% minimum (120).
    impossible = [
        *[quota for quota in quotas if (quota.dimension, quota.value) != (Dimension.region, "MA-12")],
        Quota(Dimension.legal_form, "public_body", min_bp=3000),
        Quota(Dimension.region, "MA-12", min_bp=2000),
    ]
    runs = [timed(people, impossible) for _ in range(3)]
    median = statistics.median(seconds for seconds, _ in runs)
    proposal = runs[0][1]
    bounds = sum((q.min_bp is not None) + (q.max_bp is not None) for q in impossible)
    print(f"infeasible: {bounds} quota bounds: median {median:.3f} s; selected {len(proposal.selected)}; unmet:")
    for result in proposal.unmet:
        print(
            f"  {result.quota.label}: achieved {result.achieved}, minimum {result.minimum},"
            f" maximum {result.maximum}, short by {result.shortfall}"
        )


if __name__ == "__main__":
    main()
