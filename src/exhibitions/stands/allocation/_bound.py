"""A proven lower bound on the objective, valid over every fitting stand."""

from __future__ import annotations

from exhibitions.stands.allocation._instance import _Instance
from exhibitions.stands.allocation._model import RegionMode


def _separate_bound(instance: _Instance) -> int:
    """A lower bound on the objective, goal by goal: the placement optimum, plus for the
    pairwise gains the most a neighbouring pair could earn; every other goal is a cost >= 0.
    CP-SAT's own bound on a model this size comes from a weak relaxation; this one is valid
    too (over all fitting stands, even when the model keeps a shortlist), and the proposal
    reports the better."""
    rules, stands = instance.rules, instance.stands
    pair_room = sum(min(stands[i].capacity, stands[j].capacity) for i, j in instance.neighbours)
    gains = rules.sector_clustering * pair_room
    if rules.region_mode is RegionMode.cluster:
        gains += rules.region * pair_room
    return instance.placement_bound - gains
