"""A grid of stands: rows of stands side by side, rows separated by aisles. Plain data.

Stands are numbered row by row from ``first_number`` (``B-1``, ``B-2``...); with
``cross_aisle_every`` a cross aisle cuts each row every so many stands. With
``mark_corners`` the stands at either end of a run (where a visitor can walk past two
sides) are corner stands.
"""

from __future__ import annotations

from dataclasses import dataclass

from exhibitions.errors import FieldError
from exhibitions.stands.validation import MAX_LENGTH_CM, Rectangle, code_errors

MAX_GRID_STANDS = 5_000


@dataclass(frozen=True)
class GridSpec:
    rows: int
    columns: int
    stand_width_cm: int
    stand_depth_cm: int
    aisle_cm: int = 300
    origin_x_cm: int = 0
    origin_y_cm: int = 0
    prefix: str = "A"
    first_number: int = 1
    cross_aisle_every: int = 0
    cross_aisle_cm: int = 0
    mark_corners: bool = False


@dataclass(frozen=True)
class GridStand:
    rectangle: Rectangle
    corner: bool


def grid_errors(spec: GridSpec) -> list[FieldError]:
    errors = []
    for field, value, low in (
        ("rows", spec.rows, 1),
        ("columns", spec.columns, 1),
        ("stand_width", spec.stand_width_cm, 1),
        ("stand_depth", spec.stand_depth_cm, 1),
        ("aisle_width", spec.aisle_cm, 0),
        ("origin_x", spec.origin_x_cm, 0),
        ("origin_y", spec.origin_y_cm, 0),
        ("first_number", spec.first_number, 0),
        ("cross_aisle_every", spec.cross_aisle_every, 0),
        ("cross_aisle_width", spec.cross_aisle_cm, 0),
    ):
        if value < low:
            errors.append(FieldError(field, "too_small", f"must be at least {low}"))
    if spec.rows * spec.columns > MAX_GRID_STANDS:
        errors.append(FieldError("rows", "too_many", f"a grid holds at most {MAX_GRID_STANDS} stands"))
    if not errors:
        extent_x, extent_y = _extent(spec)
        if extent_x > MAX_LENGTH_CM or extent_y > MAX_LENGTH_CM:
            errors.append(FieldError("columns", "too_large", "the grid is larger than any plan"))
    errors += code_errors(f"{spec.prefix}-{spec.first_number + spec.rows * spec.columns}", field="prefix")
    return errors


def _extent(spec: GridSpec) -> tuple[int, int]:
    cross = (spec.columns - 1) // spec.cross_aisle_every if spec.cross_aisle_every else 0
    return (
        spec.origin_x_cm + spec.columns * spec.stand_width_cm + cross * spec.cross_aisle_cm,
        spec.origin_y_cm + spec.rows * spec.stand_depth_cm + (spec.rows - 1) * spec.aisle_cm,
    )


def generate_grid(spec: GridSpec) -> list[GridStand]:
    """The grid's stands, row by row; call :func:`grid_errors` first."""
    stands = []
    number = spec.first_number
    for row in range(spec.rows):
        y = spec.origin_y_cm + row * (spec.stand_depth_cm + spec.aisle_cm)
        for column in range(spec.columns):
            cuts = column // spec.cross_aisle_every if spec.cross_aisle_every else 0
            x = spec.origin_x_cm + column * spec.stand_width_cm + cuts * spec.cross_aisle_cm
            run_start = column == 0 or (spec.cross_aisle_every and column % spec.cross_aisle_every == 0)
            run_end = column == spec.columns - 1 or (
                spec.cross_aisle_every and (column + 1) % spec.cross_aisle_every == 0
            )
            rectangle = Rectangle(f"{spec.prefix}-{number}", x, y, spec.stand_width_cm, spec.stand_depth_cm)
            stands.append(GridStand(rectangle, corner=spec.mark_corners and bool(run_start or run_end)))
            number += 1
    return stands
