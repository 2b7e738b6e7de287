"""What the review API takes and gives: settings and quotas, proposals, and applying one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct, field

from exhibitions.exhibitors.review import Criterion, Dimension, Outcome

Share = Annotated[float, Meta(ge=0, le=1, description="A share of the places to fill, 0 to 1 (0.05 = 5%)")]


class QuotaIn(Struct, forbid_unknown_fields=True):
    dimension: Dimension
    value: Annotated[str, Meta(max_length=20, description="MA-08, handicrafts, cooperative; '' for women_led")] = ""
    min_share: Share | None = None
    max_share: Share | None = None


class ReviewSettingsIn(Struct, forbid_unknown_fields=True):
    """The whole set: what is not sent is reset (weights to their defaults, no quotas)."""

    capacity: Annotated[int, Meta(ge=0, le=100_000, description="Stands to fill")]
    weights: dict[Criterion, Annotated[int, Meta(ge=0, le=10)]] = field(default_factory=dict)
    quotas: Annotated[list[QuotaIn], Meta(max_length=100)] = field(default_factory=list)


class QuotaOut(Struct):
    dimension: Dimension
    value: str
    label: str
    min_share: float | None
    max_share: float | None


class ReviewSettingsOut(Struct):
    capacity: int
    weights: dict[str, int]
    quotas: list[QuotaOut]


class GaugeOut(Struct):
    label: str
    dimension: str
    value: str
    achieved: int
    minimum: int | None
    maximum: int | None
    shortfall: int
    met: bool


class ProposalIn(Struct, forbid_unknown_fields=True):
    seed: Annotated[str, Meta(max_length=100, description="Empty or absent: a fresh random seed")] | None = None


class ProposedDecisionOut(Struct):
    application: int
    organization: int
    name: str
    region: str
    sector: str
    legal_form: str
    women_led: bool
    outcome: Outcome
    rank: int
    score: int
    points: dict[str, int]
    quotas: list[str]
    waitlist_position: int | None
    reason: str


class ProposalOut(Struct):
    id: int
    exhibition: str
    seed: Annotated[str, Meta(description="Published: the same inputs and seed give the same proposal")]
    capacity: int
    places: int
    unfilled: int
    total_score: int
    created_at: datetime
    applied_at: datetime | None
    quotas: list[GaugeOut]
    unmet: list[GaugeOut]
    decisions: list[ProposedDecisionOut]


class OverrideIn(Struct, forbid_unknown_fields=True):
    application: Annotated[int, Meta(ge=1, le=2_147_483_647)]
    outcome: Outcome


class ApplyIn(Struct, forbid_unknown_fields=True):
    overrides: Annotated[list[OverrideIn], Meta(max_length=10_000)] = field(default_factory=list)


class ApplyOut(Struct):
    approved: int
    waitlisted: int
    rejected: int
    unchanged: int
