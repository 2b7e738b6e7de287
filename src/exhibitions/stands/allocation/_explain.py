"""The proposal as the organizer reads it: every figure recomputed from the assignment by
:func:`evaluate`, a note list and a one-line reason per exhibitor, the unplaced with why."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping

from exhibitions.stands.allocation._instance import _Instance
from exhibitions.stands.allocation._model import (
    Applicant,
    Assignment,
    Placement,
    Proposal,
    Rules,
    Unplaced,
    evaluate,
    fits,
    fits_shared,
)


def _result(
    instance: _Instance,
    chosen: Mapping[int, int],
    bound: int,
    status: str,
    started: float,
    ignored: list[tuple[Placement, str]],
    pruned: bool,
) -> Proposal:
    applicants, stands, rules = instance.applicants, instance.stands, instance.rules
    assignment = {applicants[a].application_id: stands[s].code for a, s in chosen.items()}
    published = [Placement(applicants[a].application_id, stands[s].code) for a, s in instance.published.items()]
    breakdown = evaluate(applicants, stands, rules, assignment, published)
    objective = sum(breakdown.values())
    bound = min(bound, objective)
    adjacent: dict[int, set[int]] = defaultdict(set)
    for i, j in instance.neighbours:
        adjacent[i].add(j)
        adjacent[j].add(i)
    occupants: dict[int, list[int]] = defaultdict(list)
    for a, s in sorted(chosen.items()):
        occupants[s].append(a)
    assignments = [
        Assignment(
            application_id=applicants[a].application_id,
            stand_code=stands[s].code,
            seat=occupants[s].index(a) + 1,
            locked=instance.locks.get(a) == s,
            changed=a in instance.published and instance.published[a] != s,
            notes=(notes := _notes(instance, a, s, chosen, occupants, adjacent)),
            reason=_sentence(instance, a, notes, chosen, adjacent),
        )
        for a, s in sorted(chosen.items(), key=lambda item: applicants[item[0]].application_id)
    ]
    taken_by_locks = {s for s in instance.locks.values()}
    unplaced = []
    for a, applicant in enumerate(applicants):
        if a in chosen:
            continue
        fitting = [
            s for s, stand in enumerate(stands) if fits(applicant, stand, rules) or fits_shared(applicant, stand)
        ]
        if not fitting:
            unplaced.append(Unplaced(applicant.application_id, "no_fitting_stand", _no_fit(applicant, rules)))
        else:
            locked_count = sum(1 for s in fitting if s in taken_by_locks)
            unplaced.append(
                Unplaced(
                    applicant.application_id,
                    "fitting_stands_taken",
                    f"all {len(fitting)} fitting stands are taken ({locked_count} by locked assignments)",
                )
            )
    return Proposal(
        assignments=tuple(assignments),
        unplaced=tuple(unplaced),
        objective=objective,
        breakdown=breakdown,
        bound=bound,
        gap=(objective - bound) / max(1, abs(objective)) if bound > -(10**12) else math.inf,
        status=status,
        seconds=time.perf_counter() - started,
        ignored_locks=tuple(ignored),
        candidates_pruned=pruned,
    )


def _no_fit(applicant: Applicant, rules: Rules) -> str:
    needs = [word for word, needed in (("power", applicant.needs_power), ("water", applicant.needs_water)) if needed]
    if applicant.needs_accessible:
        needs.append("step-free access")
    upper = applicant.area_m2 * rules.max_area_ratio
    text = f"no {applicant.stand_type.value} stand of {applicant.area_m2:g}–{upper:g} m²"
    return text + (f" with {' and '.join(needs)}" if needs else "")


def _notes(
    instance: _Instance,
    a: int,
    s: int,
    chosen: Mapping[int, int],
    occupants: Mapping[int, list[int]],
    adjacent: Mapping[int, set[int]],
) -> tuple[str, ...]:
    applicant, stand = instance.applicants[a], instance.stands[s]
    notes: list[str] = []
    if instance.locks.get(a) == s:
        notes.append("locked")
    elif instance.published.get(a) == s:
        notes.append("unchanged")
    if applicant.preferred_zone is not None:
        notes.append("zone_met" if stand.zone == applicant.preferred_zone else "zone_missed")
    if applicant.preferred_hall is not None:
        notes.append("hall_met" if stand.hall == applicant.preferred_hall else "hall_missed")
    close = [b for t in adjacent.get(s, set()) | {s} for b in occupants.get(t, []) if b != a]
    if applicant.sector and any(instance.applicants[b].sector == applicant.sector for b in close):
        notes.append("sector_neighbours")
    if applicant.region and any(instance.applicants[b].region == applicant.region for b in close):
        notes.append("region_neighbours")
    near = [b for (first, b) in instance.near_pairs if first == a]
    if near:
        notes.append("near_met" if any(b in close for b in near) else "near_missed")
    if len(occupants.get(s, [])) > 1:
        notes.append("shared")
    return tuple(notes)


_NOTE_TEXT = {
    "locked": "locked by the organizers",
    "unchanged": "as published",
    "zone_met": "zone preference met",
    "zone_missed": "zone preference not met",
    "hall_met": "hall preference met",
    "hall_missed": "hall preference not met",
    "sector_neighbours": "same sector as neighbours",
    "region_neighbours": "same region as neighbours",
    "shared": "shares the stand",
}


def _sentence(
    instance: _Instance, a: int, notes: tuple[str, ...], chosen: Mapping[int, int], adjacent: Mapping[int, set[int]]
) -> str:
    parts: list[str] = []
    for note in notes:
        if note in ("near_met", "near_missed"):
            names = [
                instance.applicants[b].organization_name
                for (first, b) in instance.near_pairs
                if first == a
                and b in chosen
                and (chosen[b] == chosen[a] or chosen[b] in adjacent.get(chosen[a], set()))
            ]
            parts.append(f"near {', '.join(names)}" if names else "near request not met")
        else:
            parts.append(_NOTE_TEXT[note])
    return "; ".join(parts) or "fits its needs"
