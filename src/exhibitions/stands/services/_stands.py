"""Stands, for an exhibition's organizers: one by one, a whole grid at once, or a CSV file;
listed with their assignments, changed, deleted, exported.

Every write checks first (validation.py: geometry, the hall's bounds, overlaps, codes) so
that the caller hears every problem at once; the database's own rules (m0014) then decide
the races the checks cannot see, and their refusals come back as the same errors.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, DuplicateValue, FieldError, InvalidInput, NotFound, StandOverlap
from exhibitions.spreadsheets import BYTE_ORDER_MARK, csv_bytes, restore_text
from exhibitions.stands import queries
from exhibitions.stands.grid import GridSpec, generate_grid, grid_errors
from exhibitions.stands.schemas import GridIn, StandIn, StandUpdate
from exhibitions.stands.services._common import db, organizers_exhibition, refused
from exhibitions.stands.tables import Stand, StandType
from exhibitions.stands.validation import (
    Rectangle,
    capacity_errors,
    centimetres,
    clash_errors,
    clashes,
    code_errors,
    length_errors,
    outside_hall_errors,
)
from exhibitions.text import control_character_errors

# Rows written per INSERT (15 parameters each: well under both engines' limits).
_BATCH = 500
# A file or grid with hundreds of problems: the first ones say enough.
MAX_REPORTED_ERRORS = 50
CSV_HEADERS = ("code", "hall", "x", "y", "width", "depth", "type", "zone", "power", "water", "accessible",
               "capacity", "exhibitors")  # fmt: skip
_TRUE = {"yes", "true", "1", "oui", "نعم", "y", "x"}
_FALSE = {"no", "false", "0", "non", "لا", "n", ""}


@dataclass(frozen=True)
class StandValues:
    """One stand as stored: lengths in centimetres."""

    hall: int
    rectangle: Rectangle
    stand_type: str
    zone: str | None
    power: bool
    water: bool
    accessible: bool
    capacity: int

    def row(self, exhibition_id: int, now: datetime) -> Stand:
        return Stand(
            exhibition=exhibition_id, hall=self.hall, code=self.rectangle.code, x_cm=self.rectangle.x_cm,
            y_cm=self.rectangle.y_cm, width_cm=self.rectangle.width_cm, depth_cm=self.rectangle.depth_cm,
            stand_type=self.stand_type, zone=self.zone, has_power=self.power, has_water=self.water,
            accessible=self.accessible, capacity=self.capacity, created_at=now, updated_at=now,
        )  # fmt: skip


def metres_text(value_cm: int) -> str:
    """Centimetres as metres without float noise: 1250 -> '12.5'."""
    return f"{(Decimal(value_cm) / 100).normalize():f}"


def _clean_zone(zone: str | None) -> str | None:
    return (zone or "").strip() or None


def _field_errors(data: StandIn) -> list[FieldError]:
    return [
        *code_errors(data.code.strip()),
        *length_errors("x", data.x, positive=False),
        *length_errors("y", data.y, positive=False),
        *length_errors("width", data.width, positive=True),
        *length_errors("depth", data.depth, positive=True),
        *capacity_errors(data.capacity),
        *control_character_errors({"zone": data.zone}),
    ]


def _values(data: StandIn) -> StandValues:
    return StandValues(
        hall=data.hall,
        rectangle=Rectangle(
            data.code.strip(),
            centimetres(data.x),
            centimetres(data.y),
            centimetres(data.width),
            centimetres(data.depth),
        ),
        stand_type=data.stand_type.value,
        zone=_clean_zone(data.zone),
        power=data.power,
        water=data.water,
        accessible=data.accessible,
        capacity=data.capacity,
    )


async def _hall(exhibition: dict[str, Any], hall_id: int, field: str = "hall") -> dict[str, Any]:
    hall = await queries.venue_hall(exhibition["venue"], hall_id)
    if hall is None:
        raise InvalidInput.single(field, "unknown_hall", f"hall {hall_id} is not a hall of this exhibition's venue")
    return hall


async def _check_place(exhibition: dict[str, Any], values: StandValues, *, except_id: int | None = None) -> None:
    hall = await _hall(exhibition, values.hall)
    if errors := outside_hall_errors(values.rectangle, hall["plan_width_cm"], hall["plan_depth_cm"]):
        raise InvalidInput(errors)
    existing = await queries.rectangles(exhibition["id"], values.hall, except_id=except_id)
    if clashing := clashes([values.rectangle], existing):
        raise StandOverlap(f"stand {values.rectangle.code} overlaps another stand", errors=clash_errors(clashing))


async def _stand(exhibition: dict[str, Any], code: str) -> dict[str, Any]:
    stand = await queries.find_stand(exhibition["id"], code)
    if stand is None:
        raise NotFound(f"no stand {code!r} in this exhibition")
    return stand


async def with_assignments(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assignments = await queries.assignments_of([row["id"] for row in rows])
    return [{**row, "assignments": assignments[row["id"]]} for row in rows]


async def get_stand(*, slug: str, code: str, actor: Actor | None) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    return (await with_assignments([await _stand(exhibition, code)]))[0]


async def create_stand(*, slug: str, data: StandIn, actor: Actor | None, now: datetime) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    if errors := _field_errors(data):
        raise InvalidInput(errors)
    values = _values(data)
    await _check_place(exhibition, values)
    try:
        await Stand.insert(values.row(exhibition["id"], now))
    except Exception as exc:
        raise (refused(exc, code=values.rectangle.code) or exc) from None
    return await get_stand(slug=slug, code=values.rectangle.code, actor=actor)


async def update_stand(
    *, slug: str, code: str, changes: StandUpdate, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    current = await _stand(exhibition, code)
    sent = {key: value for key, value in msgspec.structs.asdict(changes).items() if value is not msgspec.UNSET}
    merged = StandIn(
        hall=sent.get("hall", current["hall"]),
        code=sent.get("code", current["code"]),
        x=sent.get("x", current["x_cm"] / 100),
        y=sent.get("y", current["y_cm"] / 100),
        width=sent.get("width", current["width_cm"] / 100),
        depth=sent.get("depth", current["depth_cm"] / 100),
        stand_type=sent.get("stand_type", StandType(current["stand_type"])),
        zone=sent.get("zone", current["zone"]),
        power=sent.get("power", bool(current["has_power"])),
        water=sent.get("water", bool(current["has_water"])),
        accessible=sent.get("accessible", bool(current["accessible"])),
        capacity=sent.get("capacity", current["capacity"]),
    )
    if errors := _field_errors(merged):
        raise InvalidInput(errors)
    values = _values(merged)
    await _check_place(exhibition, values, except_id=current["id"])
    stored = values.row(exhibition["id"], now)
    try:
        await Stand.update(
            {
                Stand.hall: values.hall,
                Stand.code: values.rectangle.code,
                Stand.x_cm: stored.x_cm,
                Stand.y_cm: stored.y_cm,
                Stand.width_cm: stored.width_cm,
                Stand.depth_cm: stored.depth_cm,
                Stand.stand_type: stored.stand_type,
                Stand.zone: stored.zone,
                Stand.has_power: stored.has_power,
                Stand.has_water: stored.has_water,
                Stand.accessible: stored.accessible,
                Stand.capacity: stored.capacity,
                Stand.updated_at: now,
            }
        ).where(Stand.id == current["id"])
    except Exception as exc:
        if "stand_capacity" in str(exc):
            reason = f"stand {code} seats more exhibitors than {values.capacity}: unassign one first"
            raise Conflict(reason, errors=[FieldError("capacity", "seats_taken", reason)]) from None
        raise (refused(exc, code=values.rectangle.code) or exc) from None
    return await get_stand(slug=slug, code=values.rectangle.code, actor=actor)


async def delete_stand(*, slug: str, code: str, actor: Actor | None) -> None:
    exhibition = await organizers_exhibition(slug, actor)
    stand = await _stand(exhibition, code)
    # One statement: a stand assigned between a check and the delete is not deleted.
    rows = await Stand.raw(
        "DELETE FROM stand WHERE id = {} AND NOT EXISTS (SELECT 1 FROM stand_assignment WHERE stand = {}) RETURNING id",
        stand["id"],
        stand["id"],
    )
    if not rows:
        reason = f"stand {code} is assigned: unassign it first"
        raise Conflict(reason, errors=[FieldError("code", "stand_assigned", reason)])


async def list_stands(
    *,
    slug: str,
    actor: Actor | None,
    hall: int | None = None,
    zone: str | None = None,
    stand_type: str | None = None,
    assigned: bool | None = None,
    page: int = 1,
    per_page: int | None = 50,
) -> tuple[list[dict[str, Any]], int]:
    exhibition = await organizers_exhibition(slug, actor)
    rows, total = await queries.stands_page(
        exhibition["id"], hall=hall, zone=zone, stand_type=stand_type, assigned=assigned, page=page,
        per_page=per_page,
    )  # fmt: skip
    return await with_assignments(rows), total


def _capped(errors: list[FieldError]) -> list[FieldError]:
    if len(errors) <= MAX_REPORTED_ERRORS:
        return errors
    more = len(errors) - MAX_REPORTED_ERRORS
    return [*errors[:MAX_REPORTED_ERRORS], FieldError("body", "more_errors", f"and {more} more")]


async def _insert_all(exhibition: dict[str, Any], stands: list[StandValues], now: datetime) -> None:
    """Every stand or none: a clash the checks could not see (a stand added meanwhile)
    rolls the whole set back."""
    rows = [stand.row(exhibition["id"], now) for stand in stands]
    try:
        async with write_transaction(db()):
            for start in range(0, len(rows), _BATCH):
                await Stand.insert(*rows[start : start + _BATCH])
    except Exception as exc:
        raise (refused(exc, code="(one of the set)") or exc) from None


async def _check_set(exhibition: dict[str, Any], stands: list[StandValues], field_of: Any) -> None:
    """Codes free, rectangles inside their halls and clear of each other and of the stands
    already there; ``field_of(index, field)`` names a field of the caller's input."""
    taken = await queries.codes(exhibition["id"])
    seen: set[str] = set()
    duplicates = []
    for index, stand in enumerate(stands):
        code = stand.rectangle.code
        if code in taken or code in seen:
            duplicates.append(FieldError(field_of(index, "code"), "duplicate", f"stand {code} exists already"))
        seen.add(code)
    if duplicates:
        raise DuplicateValue("some stand codes are taken", errors=_capped(duplicates))
    outside: list[FieldError] = []
    clashing: list[tuple[str, str]] = []
    by_hall: dict[int, list[Rectangle]] = {}
    for stand in stands:
        by_hall.setdefault(stand.hall, []).append(stand.rectangle)
    for hall_id, rectangles in by_hall.items():
        hall = await queries.venue_hall(exhibition["venue"], hall_id)
        assert hall is not None  # the caller checked each hall
        for rectangle in rectangles:
            outside += outside_hall_errors(rectangle, hall["plan_width_cm"], hall["plan_depth_cm"])
        clashing += clashes(rectangles, await queries.rectangles(exhibition["id"], hall_id))
    if outside:
        raise InvalidInput(_capped(outside))
    if clashing:
        codes = sorted({code for pair in clashing for code in pair})
        raise StandOverlap(f"overlapping stands: {', '.join(codes[:20])}", errors=_capped(clash_errors(clashing)))


async def generate_stands(*, slug: str, data: GridIn, actor: Actor | None, now: datetime) -> list[str]:
    """A grid of stands in one transaction; their codes, in order."""
    exhibition = await organizers_exhibition(slug, actor)
    spec = GridSpec(
        rows=data.rows, columns=data.columns, stand_width_cm=centimetres(data.stand_width),
        stand_depth_cm=centimetres(data.stand_depth), aisle_cm=centimetres(data.aisle_width),
        origin_x_cm=centimetres(data.origin_x), origin_y_cm=centimetres(data.origin_y), prefix=data.prefix.strip(),
        first_number=data.first_number, cross_aisle_every=data.cross_aisle_every,
        cross_aisle_cm=centimetres(data.cross_aisle_width), mark_corners=data.mark_corners,
    )  # fmt: skip
    errors = [
        *grid_errors(spec),
        *capacity_errors(data.capacity),
        *control_character_errors({"zone": data.zone}),
    ]
    if errors:
        raise InvalidInput(errors)
    await _hall(exhibition, data.hall)
    stands = [
        StandValues(
            hall=data.hall,
            rectangle=stand.rectangle,
            stand_type=StandType.corner.value if stand.corner else data.stand_type.value,
            zone=_clean_zone(data.zone),
            power=data.power,
            water=data.water,
            accessible=data.accessible,
            capacity=data.capacity,
        )
        for stand in generate_grid(spec)
    ]
    await _check_set(exhibition, stands, lambda index, field: "prefix" if field == "code" else field)
    await _insert_all(exhibition, stands, now)
    return [stand.rectangle.code for stand in stands]


def _flag(value: str) -> bool | None:
    folded = value.strip().lower()
    return True if folded in _TRUE else False if folded in _FALSE else None


def _number(value: str) -> float | None:
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        return None
    return number


def _parse_row(number: int, cells: dict[str, str], halls: dict[str, dict[str, Any]]) -> StandIn | list[FieldError]:
    def at(field: str) -> str:
        return f"rows.{number}.{field}"

    errors = []
    hall = halls.get(cells.get("hall", "").strip())
    if hall is None:
        errors.append(FieldError(at("hall"), "unknown_hall", f"no hall named {cells.get('hall', '')!r} at this venue"))
    lengths: dict[str, float] = {}
    for field in ("x", "y", "width", "depth"):
        value = _number(cells.get(field, ""))
        if value is None:
            errors.append(FieldError(at(field), "invalid", "must be a number of metres"))
        else:
            lengths[field] = value
    flags: dict[str, bool] = {}
    for field in ("power", "water", "accessible"):
        flag = _flag(cells.get(field, ""))
        if flag is None:
            errors.append(FieldError(at(field), "invalid", "must be yes or no"))
        else:
            flags[field] = flag
    stand_type = cells.get("type", "").strip() or StandType.standard.value
    if stand_type not in {kind.value for kind in StandType}:
        errors.append(FieldError(at("type"), "invalid", "must be standard, corner, island or outdoor"))
    capacity_text = cells.get("capacity", "").strip() or "1"
    capacity = int(capacity_text) if capacity_text.isdigit() else 0
    if errors:
        return errors
    assert hall is not None
    data = StandIn(
        hall=hall["id"], code=restore_text(cells.get("code", "").strip()), x=lengths["x"], y=lengths["y"],
        width=lengths["width"], depth=lengths["depth"], stand_type=StandType(stand_type),
        zone=restore_text(cells.get("zone", "")), capacity=capacity, **flags,
    )  # fmt: skip
    if field_errors := _field_errors(data):
        return [FieldError(at(error.field), error.code, error.reason) for error in field_errors]
    return data


async def import_stands(*, slug: str, content: bytes, actor: Actor | None, now: datetime) -> list[str]:
    """Stands from a CSV file (the export's columns; ``exhibitors`` is ignored): every row
    is checked and every bad one reported, then all are written, or none."""
    exhibition = await organizers_exhibition(slug, actor)
    try:
        text = content.decode("utf-8").removeprefix(BYTE_ORDER_MARK)
    except UnicodeDecodeError:
        raise InvalidInput.single("file", "not_utf8", "the file must be UTF-8 text (CSV)") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in CSV_HEADERS[:6] if name not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput.single("file", "missing_columns", f"the file lacks the columns: {', '.join(missing)}")
    halls = await queries.hall_by_name(exhibition["venue"])
    errors: list[FieldError] = []
    parsed: list[StandIn] = []
    for number, cells in enumerate(reader, start=1):
        result = _parse_row(number, {key: value or "" for key, value in cells.items() if key}, halls)
        if isinstance(result, list):
            errors += result
        else:
            parsed.append(result)
    if not parsed and not errors:
        raise InvalidInput.single("file", "empty", "the file holds no stands")
    if errors:
        raise InvalidInput(_capped(errors))
    stands = [_values(data) for data in parsed]
    await _check_set(exhibition, stands, lambda index, field: f"rows.{index + 1}.{field}")
    await _insert_all(exhibition, stands, now)
    return [stand.rectangle.code for stand in stands]


async def export_stands(*, slug: str, actor: Actor | None) -> bytes:
    """Every stand as CSV, in the columns the import reads back."""
    rows, _ = await list_stands(slug=slug, actor=actor, per_page=None)

    def yes_no(value: Any) -> str:
        return "yes" if value else "no"

    return csv_bytes(
        CSV_HEADERS,
        (
            (
                row["code"],
                row["hall_name"],
                metres_text(row["x_cm"]),
                metres_text(row["y_cm"]),
                metres_text(row["width_cm"]),
                metres_text(row["depth_cm"]),
                row["stand_type"],
                row["zone"] or "",
                yes_no(row["has_power"]),
                yes_no(row["has_water"]),
                yes_no(row["accessible"]),
                row["capacity"],
                "; ".join(assignment["name"] for assignment in row["assignments"]),
            )
            for row in rows
        ),
    )
