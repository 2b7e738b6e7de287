"""What the stands API takes and gives. Lengths are metres (decimals allowed, stored to the
centimetre); the checks that name a field in the caller's terms are in ``validation``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from exhibitions.stands.tables import AssignmentSource, StandType

# Bounded so that no size, once in centimetres, can overflow (or be infinite): 10 km is more
# than any venue; signs are left to validation.py, which names a negative value.
Metres = Annotated[float, Meta(ge=-10_000, le=10_000, description="metres; stored to the centimetre")]
Code = Annotated[str, Meta(min_length=1, max_length=20, description="e.g. B-14")]
Zone = Annotated[str, Meta(max_length=100, description="a sector or region area, free text")]


class StandIn(Struct, forbid_unknown_fields=True):
    hall: Annotated[int, Meta(ge=1, le=2_147_483_647)]
    code: Code
    x: Metres
    y: Metres
    width: Metres
    depth: Metres
    stand_type: StandType = StandType.standard
    zone: Zone | None = None
    power: bool = False
    water: bool = False
    accessible: bool = False
    capacity: int = 1


class StandUpdate(Struct, forbid_unknown_fields=True):
    """Only the fields sent change."""

    hall: Annotated[int, Meta(ge=1, le=2_147_483_647)] | UnsetType = UNSET
    code: Code | UnsetType = UNSET
    x: Metres | UnsetType = UNSET
    y: Metres | UnsetType = UNSET
    width: Metres | UnsetType = UNSET
    depth: Metres | UnsetType = UNSET
    stand_type: StandType | UnsetType = UNSET
    zone: Zone | UnsetType | None = UNSET
    power: bool | UnsetType = UNSET
    water: bool | UnsetType = UNSET
    accessible: bool | UnsetType = UNSET
    capacity: int | UnsetType = UNSET


class GridIn(Struct, forbid_unknown_fields=True):
    hall: Annotated[int, Meta(ge=1, le=2_147_483_647)]
    rows: int
    columns: int
    stand_width: Metres
    stand_depth: Metres
    prefix: Annotated[str, Meta(min_length=1, max_length=12)]
    aisle_width: Metres = 3.0
    origin_x: Metres = 0.0
    origin_y: Metres = 0.0
    first_number: int = 1
    cross_aisle_every: int = 0
    cross_aisle_width: Metres = 0.0
    mark_corners: bool = False
    stand_type: StandType = StandType.standard
    zone: Zone | None = None
    power: bool = False
    water: bool = False
    accessible: bool = False
    capacity: int = 1


class AssignmentOut(Struct):
    application: int
    organization: int
    name: str
    seat: int
    locked: bool
    source: AssignmentSource
    assigned_at: datetime
    published_at: datetime | None


class StandOut(Struct):
    code: str
    hall: int
    hall_name: str
    x: float
    y: float
    width: float
    depth: float
    area_m2: float
    stand_type: StandType
    zone: str | None
    power: bool
    water: bool
    accessible: bool
    capacity: int
    assignments: list[AssignmentOut]


class StandPage(Struct):
    items: list[StandOut]
    total: int
    page: int
    per_page: int


class GridOut(Struct):
    created: int
    codes: list[str]


class HallOut(Struct):
    id: int
    name: str
    area_m2: int | None
    width: float | None
    depth: float | None
    stands: int


class HallPlanIn(Struct, forbid_unknown_fields=True):
    width: Metres
    depth: Metres


class AssignmentIn(Struct, forbid_unknown_fields=True):
    application: Annotated[int, Meta(ge=1, le=2_147_483_647)]
    locked: bool = False


class AssignmentPatch(Struct, forbid_unknown_fields=True):
    locked: bool


class BadRowOut(Struct):
    row: int
    field: str
    code: str
    reason: str


class ImportOut(Struct):
    created: int
    codes: list[str]


# Wide enough for any mistake to reach the rules' own checks, which name every bad field at
# once (the exact ranges are in the descriptions); narrow enough that nothing overflows.
Weight = Annotated[int, Meta(ge=-1_000_000_000, le=1_000_000_000, description="points, 0 to 100000")]
Measure = Annotated[float, Meta(ge=-1_000_000, le=1_000_000)]


class RulesIn(Struct, forbid_unknown_fields=True):
    """An exhibition's allocation rules; a rule not sent takes its default (``GET`` shows them)."""

    preference: Weight | UnsetType = UNSET
    fairness: Weight | UnsetType = UNSET
    sector_clustering: Weight | UnsetType = UNSET
    region: Weight | UnsetType = UNSET
    region_mode: Annotated[str, Meta(max_length=20, description="spread or cluster")] | UnsetType = UNSET
    near: Weight | UnsetType = UNSET
    keep_apart: Weight | UnsetType = UNSET
    change: Weight | UnsetType = UNSET
    unplaced: Weight | UnsetType = UNSET
    neighbour_gap_m: Annotated[Measure, Meta(description="metres, 0 to 10; to the centimetre")] | UnsetType = UNSET
    max_area_ratio: Annotated[Measure, Meta(description="1 to 10; to the hundredth")] | UnsetType = UNSET
    time_limit_s: Annotated[Measure, Meta(description="seconds, 0.1 to 30")] | UnsetType = UNSET


class RulesOut(Struct):
    preference: int
    fairness: int
    sector_clustering: int
    region: int
    region_mode: str
    near: int
    keep_apart: int
    change: int
    unplaced: int
    neighbour_gap_m: float
    max_area_ratio: float
    time_limit_s: float
    updated_at: datetime | None  # None: never saved, these are the defaults


class ProposalIn(Struct, forbid_unknown_fields=True):
    """Rules for this proposal only, over the exhibition's saved ones (names as in
    ``RulesIn``), e.g. ``{"near": 10, "region_mode": "cluster"}``."""

    rules: Annotated[dict[str, int | float | str], Meta(max_length=20)] = {}
    time_limit_s: Annotated[float, Meta(ge=0.1, le=30)] | None = None


class AcceptIn(Struct, forbid_unknown_fields=True):
    """Accept the whole proposal (``applications`` absent) or these applications' stands."""

    applications: list[Annotated[int, Meta(ge=1, le=2_147_483_647)]] | None = None


class AcceptOut(Struct):
    accepted: int
    changed: int
    notified: int
