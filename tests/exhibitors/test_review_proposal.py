"""The pure proposal: small cases checked by hand, and properties over generated instances
(quotas hold when they can, the seed reproduces, no one twice, never over capacity, a
different seed only reorders equal scores), checked against brute force where it is small."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exhibitions.errors import FieldError
from exhibitions.exhibitors.review import (
    DEFAULT_WEIGHTS,
    Applicant,
    Criterion,
    Dimension,
    Outcome,
    Proposal,
    Quota,
    explain,
    maximum_count,
    minimum_count,
    next_from_waitlist,
    product_count,
    propose,
    quota_errors,
    tie_break_key,
)

WEIGHTS = {Criterion.first_time: 3, Criterion.women_led: 0, Criterion.youth_led: 1, Criterion.product_diversity: 0}


def person(number: int, *, region: str = "MA-01", sector: str = "argan", form: str = "cooperative",
           women: bool = False, youth: bool = False, first: bool = False, products: int = 0,
           approved: bool = False) -> Applicant:  # fmt: skip
    return Applicant(number, region, sector, form, women, youth, first, products, approved)


def test_a_women_led_minimum_forces_a_lower_scored_applicant_in() -> None:
    # Scores (first time 3, youth 1): 1 → 4, 2 → 3, 3 → 1, 4 → 0 (women-led), 5 → 0.
    # Without quotas: 1, 2, 3. With women-led >= 1/3 of 3 places (1 applicant), the only
    # women-led one, 4 (score 0), replaces the lowest selected, 3 (score 1).
    people = [
        person(1, first=True, youth=True),
        person(2, first=True),
        person(3, youth=True),
        person(4, women=True),
        person(5),
    ]
    free = propose(people, capacity=3, quotas=[], weights=WEIGHTS, seed="s")
    assert free.selected == (1, 2, 3)
    assert free.waitlist == tuple(sorted((4, 5), key=lambda number: tie_break_key("s", number)))
    quota = Quota(Dimension.women_led, "", min_bp=3333)
    fair = propose(people, capacity=3, quotas=[quota], weights=WEIGHTS, seed="s")
    assert set(fair.selected) == {1, 2, 4}
    assert fair.total_score == 7
    assert [(r.achieved, r.minimum, r.shortfall) for r in fair.quotas] == [(1, 1, 0)]
    by_id = {d.application_id: d for d in fair.decisions}
    assert by_id[4].quotas == ("women_led",)
    assert by_id[3].outcome is Outcome.waitlisted
    assert by_id[3].waitlist_position == 1  # rank 3, the best left out
    assert explain(by_id[1], fair, str) == "selected: first time +3, youth-led +1"
    assert explain(by_id[4], fair, str) == "selected: no criteria points; counts for quota women_led"
    assert explain(by_id[3], fair, str) == "waitlisted: position 1, rank 3 of 5, capacity 3"


def test_an_infeasible_minimum_is_named_with_its_shortfall() -> None:
    # Two places; a region minimum of 100% (2) with a single applicant from MA-08.
    people = [person(1, region="MA-08"), person(2, first=True), person(3, first=True)]
    quota = Quota(Dimension.region, "MA-08", min_bp=10_000)
    proposal = propose(people, capacity=2, quotas=[quota], weights=WEIGHTS, seed="s")
    # The MA-08 one first (the quota), then the better-scored of the others (2 and 3 tie on
    # score: the seed picks).
    first_of_tie = min((2, 3), key=lambda number: tie_break_key("s", number))
    assert set(proposal.selected) == {1, first_of_tie}
    (unmet,) = proposal.unmet
    assert (unmet.quota.label, unmet.achieved, unmet.minimum, unmet.shortfall) == ("region MA-08", 1, 2, 1)


def test_a_maximum_keeps_a_region_down_and_leaves_places_empty_if_it_must() -> None:
    # All first-timers from MA-06 score 3; the MA-02 one scores 0. At most 1 of 3 from MA-06.
    people = [person(1, region="MA-06", first=True), person(2, region="MA-06", first=True),
              person(3, region="MA-06", first=True), person(4, region="MA-02")]  # fmt: skip
    quota = Quota(Dimension.region, "MA-06", max_bp=3334)  # 1 of 3 places
    proposal = propose(people, capacity=3, quotas=[quota], weights=WEIGHTS, seed="s")
    first_of_tie = min((1, 2, 3), key=lambda number: tie_break_key("s", number))
    assert set(proposal.selected) == {first_of_tie, 4}
    assert proposal.unfilled == 1  # filling the third place would break the maximum
    assert [(r.achieved, r.maximum, r.shortfall) for r in proposal.quotas] == [(1, 1, 0)]


def test_shares_round_towards_the_quota() -> None:
    assert (minimum_count(500, 30), maximum_count(500, 30)) == (2, 1)
    assert (minimum_count(2000, 600), maximum_count(2000, 600)) == (120, 120)


def test_ties_follow_the_published_seed() -> None:
    people = [person(number) for number in range(1, 7)]
    proposal = propose(people, capacity=2, quotas=[], weights=WEIGHTS, seed="2027-05-07")
    expected = sorted(range(1, 7), key=lambda number: tie_break_key("2027-05-07", number))
    assert proposal.selected == tuple(expected[:2])
    assert proposal.waitlist == tuple(expected[2:])


def test_approved_applicants_stay_and_count() -> None:
    people = [person(1, approved=True), person(2, first=True), person(3, first=True)]
    proposal = propose(people, capacity=2, quotas=[], weights=WEIGHTS, seed="s")
    # The approved one stays; the other place goes to the better tie-break of the two equals.
    assert set(proposal.selected) == {1, min((2, 3), key=lambda number: tie_break_key("s", number))}


def test_quota_rules_name_each_field() -> None:
    valid = {Dimension.region: {"MA-08"}, Dimension.sector: {"argan"}, Dimension.legal_form: {"mutual"}}
    assert quota_errors(Quota(Dimension.region, "MA-99", min_bp=5000, max_bp=4000), valid, "quotas[0]") == [
        FieldError("quotas[0].value", "invalid_choice", "is not a valid region"),
        FieldError("quotas[0].max_share", "below_minimum", "must not be below min_share"),
    ]
    assert [e.field for e in quota_errors(Quota(Dimension.women_led, "x"), valid, "q")] == ["q.value", "q.min_share"]
    assert quota_errors(Quota(Dimension.sector, "argan", max_bp=2000), valid, "q") == []


# Properties ---------------------------------------------------------------------------

REGIONS = ["MA-01", "MA-02", "MA-03"]
SECTORS = ["argan", "textile"]


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Applicant], int, list[Quota]]:
    """Applicants, capacity and quotas that some selection satisfies: the quotas are read off
    a random witness selection (its counts, loosened), so they are feasible by construction."""
    count = draw(st.integers(1, 9))
    people = [
        Applicant(
            number,
            draw(st.sampled_from(REGIONS)),
            draw(st.sampled_from(SECTORS)),
            "cooperative",
            draw(st.booleans()),
            draw(st.booleans()),
            draw(st.booleans()),
            draw(st.integers(0, 6)),
        )
        for number in range(1, count + 1)
    ]
    capacity = draw(st.integers(1, count + 2))
    places = min(capacity, count)
    witness = draw(st.permutations(people))[:places]
    groups = [Quota(Dimension.region, region) for region in REGIONS] + [Quota(Dimension.sector, s) for s in SECTORS]
    groups.append(Quota(Dimension.women_led, ""))
    quotas = []
    for group in draw(st.lists(st.sampled_from(groups), max_size=4, unique=True)):
        held = sum(1 for applicant in witness if group.matches(applicant))
        # The largest share whose rounded-up minimum is at most what the witness holds, and
        # the smallest whose rounded-down maximum is at least it.
        min_bp = held * 10_000 // places if draw(st.booleans()) else None
        max_bp = -(-held * 10_000 // places) if draw(st.booleans()) or min_bp is None else None
        quotas.append(Quota(group.dimension, group.value, min_bp=min_bp, max_bp=max_bp))
    return people, capacity, quotas


def _brute_force_best(people: Sequence[Applicant], capacity: int, quotas: Sequence[Quota], seed: str) -> int:
    """The highest total score of any selection filling the places and holding every quota."""
    places = min(capacity, len(people))
    # Each applicant's score alone, once: the combinations below are many.
    score = {
        a.application_id: sum(
            propose([a], capacity=1, quotas=[], weights=DEFAULT_WEIGHTS, seed=seed).decisions[0].points.values()
        )
        for a in people
    }
    best = -1
    for chosen in itertools.combinations(people, places):
        holds = all(
            (q.min_bp is None or sum(map(q.matches, chosen)) >= minimum_count(q.min_bp, places))
            and (q.max_bp is None or sum(map(q.matches, chosen)) <= maximum_count(q.max_bp, places))
            for q in quotas
        )
        if holds:
            best = max(best, sum(score[a.application_id] for a in chosen))
    return best


def _check(proposal: Proposal, people: Sequence[Applicant], capacity: int) -> None:
    assert len(set(proposal.selected)) == len(proposal.selected)
    assert len(proposal.selected) <= capacity
    assert set(proposal.selected) | set(proposal.waitlist) == {a.application_id for a in people}
    assert not set(proposal.selected) & set(proposal.waitlist)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.text(min_size=1, max_size=8), st.text(min_size=1, max_size=8))
def test_feasible_quotas_hold_and_the_seed_reproduces(
    instance: tuple[list[Applicant], int, list[Quota]], seed: str, other_seed: str
) -> None:
    people, capacity, quotas = instance
    proposal = propose(people, capacity=capacity, quotas=quotas, weights=DEFAULT_WEIGHTS, seed=seed)
    _check(proposal, people, capacity)
    assert proposal.unmet == ()
    assert len(proposal.selected) == min(capacity, len(people))
    assert proposal.total_score == _brute_force_best(people, capacity, quotas, seed)
    again = propose(list(reversed(people)), capacity=capacity, quotas=quotas, weights=DEFAULT_WEIGHTS, seed=seed)
    assert again == proposal
    other = propose(people, capacity=capacity, quotas=quotas, weights=DEFAULT_WEIGHTS, seed=other_seed)
    _check(other, people, capacity)
    # Another seed reorders equal scores only: the same total score, the same score profile.
    assert other.total_score == proposal.total_score
    assert other.unmet == ()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(REGIONS), st.booleans()), min_size=1, max_size=8), st.integers(1, 6),
       st.integers(0, 10_000), st.text(max_size=5))  # fmt: skip
def test_any_quotas_give_a_proposal_and_name_what_is_unmet(
    facts: list[tuple[str, bool]], capacity: int, share: int, seed: str
) -> None:
    people = [person(number, region=region, women=women) for number, (region, women) in enumerate(facts, 1)]
    quotas = [Quota(Dimension.women_led, "", min_bp=share), Quota(Dimension.region, "MA-01", max_bp=10_000 - share)]
    proposal = propose(people, capacity=capacity, quotas=quotas, weights=DEFAULT_WEIGHTS, seed=seed)
    _check(proposal, people, capacity)
    for result in proposal.quotas:
        below = max(0, (result.minimum or 0) - result.achieved)
        above = max(0, result.achieved - result.maximum) if result.maximum is not None else 0
        assert result.shortfall == below + above


def test_an_applicant_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        propose([person(1), person(1)], capacity=1, quotas=[], weights=WEIGHTS, seed="s")


def test_products_are_counted_once_each() -> None:
    assert product_count("Huile d'argan, amlou\nAmlou ; savon،  ") == 3
    assert product_count("") == 0


WOMEN_LED_THIRD = Quota(Dimension.women_led, "", min_bp=3_300)
AT_MOST_ONE_FROM_MA_01 = Quota(Dimension.region, "MA-01", max_bp=3_400)


@pytest.mark.parametrize(
    ("approved", "waiting", "quotas", "moves_up"),
    [
        # No quota: the first in line.
        ([person(1)], [person(2), person(3, women=True)], [], 2),
        # The withdrawn one was the women-led third (1 of 3 places): the first women-led in line.
        ([person(1), person(2)], [person(3), person(4, women=True), person(5, women=True)], [WOMEN_LED_THIRD], 4),
        # The minimum still holds: the first in line, women-led or not.
        ([person(1, women=True), person(2)], [person(3), person(4, women=True)], [WOMEN_LED_THIRD], 3),
        # The minimum is short and nobody in line counts for it: the first in line all the same.
        ([person(1), person(2)], [person(3), person(4)], [WOMEN_LED_THIRD], 3),
        # A maximum is full (one of three from MA-01): the first from elsewhere, even if short of women.
        ([person(1, region="MA-01"), person(2, region="MA-05")],
         [person(3, region="MA-01", women=True), person(4, region="MA-06")], [WOMEN_LED_THIRD, AT_MOST_ONE_FROM_MA_01], 4),
        # Nobody fits the maximum: nobody moves up.
        ([person(1, region="MA-01")], [person(2, region="MA-01")], [AT_MOST_ONE_FROM_MA_01], None),
        ([person(1)], [], [], None),
    ],
)  # fmt: skip
def test_the_one_who_moves_up_keeps_the_quotas(
    approved: list[Applicant], waiting: list[Applicant], quotas: list[Quota], moves_up: int | None
) -> None:
    assert next_from_waitlist(approved, waiting, quotas=quotas, capacity=3) == moves_up
