"""The assisted review: which applicants fill the stands, fairly. Pure: plain values in,
plain values out, no I/O.

An integer program (SciPy's ``milp``, the HiGHS solver) picks one binary per applicant:

- at most ``capacity`` selected, and the places to fill (``min(capacity, applicants)``)
  filled when the quotas allow it (a quota comes first: a maximum may leave places empty);
- each quota bound is a row ``count(selected in the group) >= minimum`` (or ``<= maximum``),
  softened by a slack variable, so that a set of quotas that cannot all hold still gives
  the best proposal and says exactly which bound is missed and by how much;
- solved in two stages: (1) the smallest total shortfall of the quotas, then the fewest
  empty places; (2) keeping that, the highest total score (the organizer-weighted
  criteria), and among equal scores the best tie-break: applicants of equal score are
  ordered by ``sha256("{seed}:{application id}")``, smaller first, and the proposal takes
  the best-ordered ones.

The seed is published with the proposal: anyone re-running with the same applicants,
quotas, weights and seed gets the same proposal, since every stage is an integer objective
solved to optimality (``mip_rel_gap=0``) by a deterministic solver. A different seed can
change only who is taken among equal scores: the shortfall and total score stay the same.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from exhibitions.errors import FieldError
from exhibitions.search import fold

# A share of the places to fill is stored in basis points (1/10,000): exact on both engines.
BASIS_POINTS = 10_000
# Product diversity counts distinct products up to this many: a long list earns no more.
DIVERSITY_CAP = 5


class Dimension(str, Enum):
    region = "region"
    sector = "sector"
    legal_form = "legal_form"
    women_led = "women_led"


class Criterion(str, Enum):
    """What an organizer may reward; each is worth ``weight`` points (diversity: per product)."""

    first_time = "first_time"  # never approved at another exhibition
    women_led = "women_led"
    youth_led = "youth_led"  # over half the members under 35
    product_diversity = "product_diversity"


DEFAULT_WEIGHTS: Mapping[Criterion, int] = {
    Criterion.first_time: 3,
    Criterion.women_led: 2,
    Criterion.youth_led: 1,
    Criterion.product_diversity: 1,
}


class Outcome(str, Enum):
    selected = "selected"
    waitlisted = "waitlisted"
    rejected = "rejected"  # only by an organizer's override; the proposal rejects no one


@dataclass(frozen=True)
class Applicant:
    application_id: int
    region: str
    sector: str
    legal_form: str
    women_led: bool
    youth_led: bool
    first_time: bool
    product_count: int
    # Approved before this proposal: kept, and counted towards capacity and quotas.
    approved: bool = False


@dataclass(frozen=True)
class Quota:
    dimension: Dimension
    value: str  # '' for women_led
    min_bp: int | None = None  # minimum share of the places to fill, in basis points
    max_bp: int | None = None

    @property
    def label(self) -> str:
        """``region MA-08``, ``women_led``: how reports name it."""
        return self.dimension.value if self.dimension is Dimension.women_led else f"{self.dimension.value} {self.value}"

    def matches(self, applicant: Applicant) -> bool:
        if self.dimension is Dimension.women_led:
            return applicant.women_led
        return bool(getattr(applicant, self.dimension.value) == self.value)


def minimum_count(share_bp: int, places: int) -> int:
    """At least this many: a share rounds up (5% of 30 places is 2)."""
    return -(-share_bp * places // BASIS_POINTS)


def maximum_count(share_bp: int, places: int) -> int:
    """At most this many: a share rounds down."""
    return share_bp * places // BASIS_POINTS


@dataclass(frozen=True)
class QuotaResult:
    quota: Quota
    achieved: int
    minimum: int | None  # in applicants, for this proposal's places
    maximum: int | None
    shortfall: int  # below the minimum or above the maximum; 0 when it holds

    @property
    def met(self) -> bool:
        return self.shortfall == 0


@dataclass(frozen=True)
class Decision:
    application_id: int
    outcome: Outcome
    rank: int  # 1 = the best score, ties broken by the seed
    score: int
    points: Mapping[Criterion, int]  # the non-zero criteria
    quotas: tuple[str, ...]  # labels of the minimum quotas this applicant counts for
    waitlist_position: int | None = None


@dataclass(frozen=True)
class Proposal:
    seed: str
    capacity: int
    places: int  # what the proposal tries to fill: min(capacity, applicants)
    decisions: tuple[Decision, ...]  # by rank
    quotas: tuple[QuotaResult, ...]
    unfilled: int  # places left empty (because maximum quotas leave no one to take)
    total_score: int = 0
    selected: tuple[int, ...] = field(default=())  # application ids, by rank
    waitlist: tuple[int, ...] = field(default=())  # application ids, in waitlist order

    @property
    def unmet(self) -> tuple[QuotaResult, ...]:
        return tuple(result for result in self.quotas if not result.met)


# Products are listed one per line or separated by commas (Latin or Arabic) or semicolons.
_PRODUCT_SEPARATORS = re.compile(r"[,;\n\u060c\u061b]+")


def product_count(products: str) -> int:
    """Distinct products in an application's list, compared folded ("Amlou" = "amlou")."""
    return len({fold(item) for item in _PRODUCT_SEPARATORS.split(products) if fold(item)})


def tie_break_key(seed: str, application_id: int) -> str:
    """The published tie-break: among equal scores, the smaller hex digest ranks first."""
    return hashlib.sha256(f"{seed}:{application_id}".encode()).hexdigest()


def score_of(applicant: Applicant, weights: Mapping[Criterion, int]) -> dict[Criterion, int]:
    """The points each criterion gives this applicant (zeros left out)."""
    facts = {
        Criterion.first_time: int(applicant.first_time),
        Criterion.women_led: int(applicant.women_led),
        Criterion.youth_led: int(applicant.youth_led),
        Criterion.product_diversity: min(max(applicant.product_count, 0), DIVERSITY_CAP),
    }
    points = {criterion: weights.get(criterion, 0) * value for criterion, value in facts.items()}
    return {criterion: value for criterion, value in points.items() if value}


def propose(
    applicants: Sequence[Applicant],
    *,
    capacity: int,
    quotas: Sequence[Quota],
    weights: Mapping[Criterion, int],
    seed: str,
) -> Proposal:
    """The proposal for these applicants (each once: ids must be unique)."""
    ids = [applicant.application_id for applicant in applicants]
    if len(set(ids)) != len(ids):
        raise ValueError("an applicant appears twice")
    points = {applicant.application_id: score_of(applicant, weights) for applicant in applicants}
    scores = {application_id: sum(points[application_id].values()) for application_id in ids}
    ranked = sorted(applicants, key=lambda a: (-scores[a.application_id], tie_break_key(seed, a.application_id)))
    count = len(ranked)
    approved = sum(applicant.approved for applicant in ranked)
    # Those approved already stay: capacity never pushes them out.
    capacity = max(capacity, approved)
    places = min(capacity, count)
    bounds = _bounds(quotas, places)
    chosen = _solve(ranked, [scores[a.application_id] for a in ranked], capacity, places, bounds) if count else []
    selected_flags = dict(zip((a.application_id for a in ranked), chosen, strict=True))

    results = []
    for quota, minimum, maximum in bounds:
        achieved = sum(1 for a in ranked if selected_flags[a.application_id] and quota.matches(a))
        shortfall = max(0, (minimum or 0) - achieved) + max(
            0, achieved - (maximum if maximum is not None else achieved)
        )
        results.append(QuotaResult(quota, achieved, minimum, maximum, shortfall))

    decisions = []
    position = 0
    for rank, applicant in enumerate(ranked, 1):
        is_selected = selected_flags[applicant.application_id]
        if not is_selected:
            position += 1
        counted = tuple(
            quota.label for quota, minimum, _ in bounds if minimum and is_selected and quota.matches(applicant)
        )
        decisions.append(
            Decision(
                application_id=applicant.application_id,
                outcome=Outcome.selected if is_selected else Outcome.waitlisted,
                rank=rank,
                score=scores[applicant.application_id],
                points=points[applicant.application_id],
                quotas=counted,
                waitlist_position=None if is_selected else position,
            )
        )
    selected = tuple(d.application_id for d in decisions if d.outcome is Outcome.selected)
    return Proposal(
        seed=seed,
        capacity=capacity,
        places=places,
        decisions=tuple(decisions),
        quotas=tuple(results),
        unfilled=places - len(selected),
        total_score=sum(d.score for d in decisions if d.outcome is Outcome.selected),
        selected=selected,
        waitlist=tuple(d.application_id for d in decisions if d.outcome is Outcome.waitlisted),
    )


def next_from_waitlist(
    approved: Sequence[Applicant], waiting: Sequence[Applicant], *, quotas: Sequence[Quota], capacity: int
) -> int | None:
    """Who moves up when a place frees (``waiting`` in waiting-list order), so that a move
    keeps the quotas the proposal kept: never one whose approval would pass a maximum; while
    a minimum falls short (the withdrawn exhibitor counted for it), the first who counts for a
    short minimum; otherwise the first. None when nobody fits: the place waits for the
    organizers."""
    bounds = _bounds(quotas, capacity)
    counts = [sum(1 for applicant in approved if quota.matches(applicant)) for quota, _, _ in bounds]

    def passes_a_maximum(applicant: Applicant) -> bool:
        return any(
            maximum is not None and quota.matches(applicant) and count + 1 > maximum
            for (quota, _, maximum), count in zip(bounds, counts, strict=True)
        )

    fitting = [applicant for applicant in waiting if not passes_a_maximum(applicant)]
    short = [quota for (quota, minimum, _), count in zip(bounds, counts, strict=True) if minimum and count < minimum]
    for applicant in fitting:
        if any(quota.matches(applicant) for quota in short):
            return applicant.application_id
    return fitting[0].application_id if fitting else None


def _bounds(quotas: Sequence[Quota], places: int) -> list[tuple[Quota, int | None, int | None]]:
    return [
        (
            quota,
            None if quota.min_bp is None else minimum_count(quota.min_bp, places),
            None if quota.max_bp is None else maximum_count(quota.max_bp, places),
        )
        for quota in quotas
    ]


def _solve(
    ranked: Sequence[Applicant],
    scores: Sequence[int],
    capacity: int,
    places: int,
    bounds: Sequence[tuple[Quota, int | None, int | None]],
) -> list[bool]:
    """Whether each ranked applicant is selected. Variables: one binary per applicant, then
    one continuous slack per soft row (the fill row, then each quota bound)."""
    count = len(ranked)
    rows: list[tuple[np.ndarray, float, float]] = []  # (0/1 membership, lower, upper), slack added below
    everyone = np.ones(count)
    rows.append((everyone, float(places), np.inf))  # fill the places (soft: maximums may forbid it)
    for quota, minimum, maximum in bounds:
        members = np.array([1.0 if quota.matches(applicant) else 0.0 for applicant in ranked])
        if minimum is not None and minimum > 0:
            rows.append((members, float(minimum), np.inf))
        if maximum is not None:
            rows.append((members, -np.inf, float(maximum)))
    slacks = len(rows)
    matrix = []
    lower = []
    upper = []
    for index, (members, low, high) in enumerate(rows):
        slack = np.zeros(slacks)
        # A minimum is helped by +slack, a maximum by -slack: the slack is the shortfall.
        slack[index] = 1.0 if np.isfinite(low) else -1.0
        matrix.append(np.concatenate([members, slack]))
        lower.append(low)
        upper.append(high)
    # SciPy takes seconds to import: only the processes that solve pay for it.
    from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
    from scipy.sparse import csr_array  # type: ignore[import-untyped]

    constraints = [LinearConstraint(csr_array(np.array(matrix)), np.array(lower), np.array(upper))]
    # The hard capacity row: never more selected than stands.
    constraints.append(LinearConstraint(csr_array(np.concatenate([everyone, np.zeros(slacks)])[None, :]), 0, capacity))
    integrality = np.concatenate([np.ones(count), np.zeros(slacks)])
    low_bounds = np.concatenate([np.array([1.0 if a.approved else 0.0 for a in ranked]), np.zeros(slacks)])
    variable_bounds = Bounds(low_bounds, np.concatenate([np.ones(count), np.full(slacks, np.inf)]))
    # HiGHS's presolve spent seconds on these models (7 s of 7.2 for 3,000 applicants with no
    # quota), the solve itself a fraction of one: the rows are few and the LP nearly integral.
    options = {"mip_rel_gap": 0.0, "presolve": False}

    def solve(objective: np.ndarray, extra: list[LinearConstraint]) -> np.ndarray:
        result = milp(
            objective, constraints=constraints + extra, integrality=integrality, bounds=variable_bounds,
            options=options,
        )  # fmt: skip
        if result.x is None:  # cannot happen: the slacks make every instance feasible
            raise RuntimeError(f"the review solver failed: {result.message}")
        return np.asarray(result.x)

    def row(vector: np.ndarray) -> csr_array:
        return csr_array(vector[None, :])

    # Stage 1: the smallest total shortfall of the quotas, then the fewest empty places: a
    # quota missed by one weighs more than every place left empty (the fill row is first).
    penalties = np.full(slacks, float(places + 1))
    penalties[0] = 1.0
    shortfall = np.concatenate([np.zeros(count), penalties])
    first = solve(shortfall, [])
    least = round(float(shortfall @ first))
    keep_shortfall = LinearConstraint(row(shortfall), -np.inf, least + 0.5)
    # Stage 2: the highest total score with that shortfall, then the best-ranked applicants
    # (rank 1 worth the most) among equal scores. One objective: a score point outweighs any
    # sum of rank terms, and every term is an integer below 2**53, so doubles hold it exactly.
    order = np.concatenate([np.arange(count, 0, -1, dtype=float), np.zeros(slacks)])
    score_unit = float(count) * float(min(capacity, count)) + 1.0
    score = np.concatenate([np.array(scores, dtype=float), np.zeros(slacks)])
    third = solve(-(score * score_unit + order), [keep_shortfall])
    return [bool(value > 0.5) for value in third[:count]]


Translate = Callable[[str], str]


def explain(
    decision: Decision, proposal: Proposal, gettext: Translate, name_quota: Translate = lambda label: label
) -> str:
    """The one line an applicant reads: why this outcome, in the reader's language.
    ``gettext`` translates the English ids (identity for English); ``name_quota`` turns a
    quota's label (``sector handicrafts``) into words the reader knows."""
    criteria = {
        Criterion.first_time: gettext("first time"),
        Criterion.women_led: gettext("women-led"),
        Criterion.youth_led: gettext("youth-led"),
        Criterion.product_diversity: gettext("product diversity"),
    }
    points = ", ".join(f"{criteria[criterion]} +{value}" for criterion, value in decision.points.items())
    points = points or gettext("no criteria points")
    if decision.outcome is Outcome.selected:
        line = gettext("selected: {points}").format(points=points)
        if decision.quotas:
            line += "; " + gettext("counts for quota {quotas}").format(
                quotas=", ".join(name_quota(label) for label in decision.quotas)
            )
        return line
    if decision.outcome is Outcome.waitlisted:
        return gettext("waitlisted: position {position}, rank {rank} of {total}, capacity {capacity}").format(
            position=decision.waitlist_position,
            rank=decision.rank,
            total=len(proposal.decisions),
            capacity=proposal.capacity,
        )
    return gettext("rejected by the organizers after review")


def quota_errors(quota: Quota, valid_values: Mapping[Dimension, set[str]], prefix: str) -> list[FieldError]:
    """Every broken rule of one quota, each naming its field under ``prefix``."""
    errors = []
    if quota.dimension is Dimension.women_led:
        if quota.value:
            errors.append(FieldError(f"{prefix}.value", "not_allowed", "women_led takes no value"))
    elif quota.value not in valid_values.get(quota.dimension, set()):
        errors.append(FieldError(f"{prefix}.value", "invalid_choice", f"is not a valid {quota.dimension.value}"))
    if quota.min_bp is None and quota.max_bp is None:
        errors.append(FieldError(f"{prefix}.min_share", "required", "give a minimum or a maximum share"))
    for name, share in (("min_share", quota.min_bp), ("max_share", quota.max_bp)):
        if share is not None and not 0 <= share <= BASIS_POINTS:
            errors.append(FieldError(f"{prefix}.{name}", "out_of_range", "must be between 0 and 1"))
    if quota.min_bp is not None and quota.max_bp is not None and quota.min_bp > quota.max_bp:
        errors.append(FieldError(f"{prefix}.max_share", "below_minimum", "must not be below min_share"))
    return errors


def share_to_bp(share: float | None) -> int | None:
    """0.05 → 500; shares finer than a basis point are rounded to the nearest one."""
    return None if share is None else math.floor(share * BASIS_POINTS + 0.5)
