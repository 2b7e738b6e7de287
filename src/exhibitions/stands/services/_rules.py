"""The organizers' rules for the allocator, one set per exhibition: read (the defaults when
none were saved), checked field by field and saved; and the same checks for the overrides a
single proposal may bring."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.errors import FieldError, InvalidInput
from exhibitions.stands import allocation
from exhibitions.stands.services._common import organizers_exhibition
from exhibitions.stands.tables import AllocationRules

# The weights an organizer may set (points); the rest of ``Rules`` are the solver's own.
WEIGHTS = ("preference", "fairness", "sector_clustering", "region", "near", "keep_apart", "change", "unplaced")
MAX_WEIGHT = 100_000
# The organizer's measures: (stored column, stored units per unit, lowest, highest). Stored
# as integers (centimetres, hundredths, milliseconds) so that a value reads back as written.
MEASURES = {
    "neighbour_gap_m": ("neighbour_gap_cm", 100, 0.0, 10.0),
    "max_area_ratio": ("max_area_percent", 100, 1.0, 10.0),
    # Long enough for the national scale (600 × 600 within 5 s); a request never waits longer.
    "time_limit_s": ("time_limit_ms", 1000, 0.1, 30.0),
}
MAX_TIME_LIMIT_S = MEASURES["time_limit_s"][3]
RULE_KEYS = (*WEIGHTS, "region_mode", *MEASURES)


def rules_from(
    values: Mapping[str, Any], base: allocation.Rules | None = None, *, prefix: str = "rules."
) -> allocation.Rules:
    """``base`` (the defaults if None) with ``values`` over it, every unknown or out-of-range
    value refused at once, each named ``prefix + key``. Measures are rounded to what is stored."""
    errors: list[FieldError] = []
    changes: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if key == "region_mode":
            if value not in ("spread", "cluster"):
                errors.append(FieldError(name, "invalid", "is spread or cluster"))
            else:
                changes[key] = allocation.RegionMode(value)
        elif key in WEIGHTS:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WEIGHT:
                errors.append(FieldError(name, "out_of_range", f"is a whole number from 0 to {MAX_WEIGHT}"))
            else:
                changes[key] = value
        elif key in MEASURES:
            _, scale, low, high = MEASURES[key]
            number = value if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
            if not low <= number <= high:  # NaN, infinities and non-numbers fail this too
                errors.append(FieldError(name, "out_of_range", f"is a number from {low:g} to {high:g}"))
            else:
                changes[key] = round(number * scale) / scale
        else:
            errors.append(FieldError(name, "unknown", "is not a rule of the allocator"))
    if errors:
        raise InvalidInput(errors)
    return replace(base or allocation.Rules(), **changes)


def rules_json(rules: allocation.Rules) -> dict[str, Any]:
    """The organizer's part of ``rules`` as plain values: what the API and the page show and
    what a proposal keeps of the rules it was computed with."""
    known = {field.name for field in fields(rules)}
    return {key: getattr(rules, key) for key in RULE_KEYS if key in known} | {"region_mode": rules.region_mode.value}


async def saved_rules(exhibition_id: int) -> tuple[allocation.Rules, dict[str, Any] | None]:
    """(the exhibition's rules, the saved row or None: then they are the defaults)."""
    rows = await AllocationRules.raw("SELECT * FROM allocation_rules WHERE exhibition = {}", exhibition_id)
    if not rows:
        return allocation.Rules(), None
    row = rows[0]
    values: dict[str, Any] = {key: row[key] for key in WEIGHTS}
    values |= {key: row[column] / scale for key, (column, scale, _, _) in MEASURES.items()}
    return replace(allocation.Rules(), region_mode=allocation.RegionMode(row["region_mode"]), **values), row


def _out(rules: allocation.Rules, row: dict[str, Any] | None) -> dict[str, Any]:
    return rules_json(rules) | {"updated_at": row["updated_at"] if row else None}


async def get_rules(*, slug: str, actor: Actor | None) -> dict[str, Any]:
    """The exhibition's allocation rules, ``updated_at`` None while they are the defaults."""
    exhibition = await organizers_exhibition(slug, actor)
    return _out(*await saved_rules(exhibition["id"]))


_COLUMNS = [f'"{key}"' for key in WEIGHTS] + ['"region_mode"'] + [f'"{column}"' for column, *_ in MEASURES.values()]
# Column names of this module only; every value is a placeholder.
_SAVE = (
    f"INSERT INTO allocation_rules (exhibition, {', '.join(_COLUMNS)}, updated_by, updated_at)"  # noqa: S608
    f" VALUES ({', '.join(['{}'] * (len(_COLUMNS) + 3))}) ON CONFLICT (exhibition) DO UPDATE SET"
    f" {', '.join(f'{column} = excluded.{column}' for column in (*_COLUMNS, 'updated_by', 'updated_at'))}"
    " RETURNING *"
)


async def save_rules(*, slug: str, values: Mapping[str, Any], actor: Actor | None, now: datetime) -> dict[str, Any]:
    """Replace the exhibition's rules with ``values`` (a rule not given takes its default),
    every bad value named at once; the rules as saved."""
    exhibition = await organizers_exhibition(slug, actor)
    rules = rules_from(values, prefix="")
    measures = [round(getattr(rules, key) * scale) for key, (_, scale, _, _) in MEASURES.items()]
    rows = await AllocationRules.raw(
        _SAVE, exhibition["id"], *(getattr(rules, key) for key in WEIGHTS), rules.region_mode.value, *measures,
        actor.user_id if actor and actor.user_id else None, now,
    )  # fmt: skip
    return _out(rules, rows[0])
