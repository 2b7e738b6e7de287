"""Stand geometry, checked before anything is written: plain data in, every error at once.

A stand is a rectangle on its hall's plan, in integer centimetres, half-open: it covers
``[x, x + width) × [y, y + depth)``, so two stands sharing an edge do not overlap (the
database's own rule, migration m0014, draws the same line). Errors name the API's fields
(``x``, ``y``, ``width``, ``depth``, ``code``, ``capacity``), in metres for people.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from exhibitions.errors import FieldError

CENTIMETRES_PER_METRE = 100
# 100 km: more than any hall or fairground, and far from integer overflow in x + width.
MAX_LENGTH_CM = 10_000_000
CODE_PATTERN = r"^[A-Za-z0-9\u0600-\u06FF][A-Za-z0-9\u0600-\u06FF._-]{0,19}$"
_CODE = re.compile(CODE_PATTERN)
CAPACITIES = (1, 2)


@dataclass(frozen=True)
class Rectangle:
    """A stand's place on the plan, in centimetres; ``code`` names it in errors."""

    code: str
    x_cm: int
    y_cm: int
    width_cm: int
    depth_cm: int

    @property
    def area_cm2(self) -> int:
        return self.width_cm * self.depth_cm


def centimetres(metres: float) -> int:
    """Metres as the nearest whole centimetre (the plan's unit)."""
    return round(metres * CENTIMETRES_PER_METRE)


def metres(centimetres_: int) -> float:
    return centimetres_ / CENTIMETRES_PER_METRE


def length_errors(field: str, value: float | None, *, positive: bool) -> list[FieldError]:
    """``value`` in metres: finite, at least 0 (or above 0), within bounds."""
    if value is None:
        return [FieldError(field, "required", "is required")]
    if not math.isfinite(value):
        return [FieldError(field, "invalid", "must be a number")]
    if positive and centimetres(value) <= 0:
        return [FieldError(field, "not_positive", "must be at least 1 cm")]
    if not positive and centimetres(value) < 0:
        return [FieldError(field, "negative", "must not be negative")]
    if centimetres(value) > MAX_LENGTH_CM:
        return [FieldError(field, "too_large", f"must be at most {metres(MAX_LENGTH_CM):g} m")]
    return []


def code_errors(code: str, field: str = "code") -> list[FieldError]:
    if not _CODE.fullmatch(code):
        return [FieldError(field, "invalid_code", "must be 1 to 20 letters, digits, '.', '_' or '-', like B-14")]
    return []


def capacity_errors(capacity: int, field: str = "capacity") -> list[FieldError]:
    if capacity not in CAPACITIES:
        return [FieldError(field, "invalid_capacity", "must be 1 or 2 exhibitors")]
    return []


def outside_hall_errors(stand: Rectangle, hall_width_cm: int | None, hall_depth_cm: int | None) -> list[FieldError]:
    """The stand must lie within the hall's plan, when the plan's size is known."""
    errors = []
    if hall_width_cm is not None and stand.x_cm + stand.width_cm > hall_width_cm:
        errors.append(
            FieldError(
                "x",
                "outside_hall",
                f"stand {stand.code} ends at {metres(stand.x_cm + stand.width_cm):g} m,"
                f" beyond the hall's width of {metres(hall_width_cm):g} m",
            )
        )
    if hall_depth_cm is not None and stand.y_cm + stand.depth_cm > hall_depth_cm:
        errors.append(
            FieldError(
                "y",
                "outside_hall",
                f"stand {stand.code} ends at {metres(stand.y_cm + stand.depth_cm):g} m,"
                f" beyond the hall's depth of {metres(hall_depth_cm):g} m",
            )
        )
    return errors


def overlaps(a: Rectangle, b: Rectangle) -> bool:
    """Half-open rectangles: sharing an edge or a corner is not overlapping."""
    return (
        a.x_cm < b.x_cm + b.width_cm
        and b.x_cm < a.x_cm + a.width_cm
        and a.y_cm < b.y_cm + b.depth_cm
        and b.y_cm < a.y_cm + a.depth_cm
    )


def overlapping_pairs(rectangles: Sequence[Rectangle]) -> list[tuple[int, int]]:
    """Every pair (i, j), i < j, of overlapping rectangles, by a sweep along x: sorted by
    left edge, each rectangle is compared only with those still open at its left edge
    (a 600-stand hall: about 600 × a row's worth of comparisons, not 180,000)."""
    order = sorted(range(len(rectangles)), key=lambda i: rectangles[i].x_cm)
    open_ones: list[int] = []
    pairs: list[tuple[int, int]] = []
    for index in order:
        current = rectangles[index]
        open_ones = [i for i in open_ones if rectangles[i].x_cm + rectangles[i].width_cm > current.x_cm]
        pairs.extend((min(i, index), max(i, index)) for i in open_ones if overlaps(rectangles[i], current))
        open_ones.append(index)
    return sorted(pairs)


def clashes(new: Sequence[Rectangle], existing: Sequence[Rectangle]) -> list[tuple[str, str]]:
    """(new code, other code) for each new rectangle overlapping another new or an existing one."""
    everything = [*new, *existing]
    return [(everything[i].code, everything[j].code) for i, j in overlapping_pairs(everything) if i < len(new)]


def clash_errors(clashing: Sequence[tuple[str, str]], field: str = "x") -> list[FieldError]:
    return [FieldError(field, "stand_overlap", f"stand {a} overlaps stand {b}") for a, b in clashing]
