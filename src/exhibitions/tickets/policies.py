"""What a checkpoint's policy lets a ticket do: a pure mapping from a scan to the slot it
claims. The database's unique key (ticket, checkpoint, slot) then admits each slot once."""

from __future__ import annotations

from datetime import date
from enum import Enum

from exhibitions.tickets.tables import CheckpointKind, CheckpointPolicy

INSIDE = "inside"


class ScanResult(str, Enum):
    admitted = "admitted"
    already_admitted = "already_admitted"
    invalid = "invalid"
    revoked = "revoked"
    wrong_exhibition = "wrong_exhibition"
    not_valid_today = "not_valid_today"
    checkpoint_closed = "checkpoint_closed"
    capacity_reached = "capacity_reached"
    exited = "exited"
    not_inside = "not_inside"


def admission_scope(kind: CheckpointKind, checkpoint_id: int) -> str:
    """Gates share one scope, so a day pass enters once a day by any gate; halls and rooms
    count on their own."""
    return "gates" if kind is CheckpointKind.gate else f"checkpoint:{checkpoint_id}"


def admission_slot(policy: CheckpointPolicy, local_day: date, scan_key: str) -> str:
    """The slot an entry claims. ``scan_key`` is unique per scan (unlimited entries)."""
    if policy is CheckpointPolicy.once_per_day:
        return f"day:{local_day.isoformat()}"
    if policy is CheckpointPolicy.once:
        return "once"
    if policy is CheckpointPolicy.reentry_after_exit:
        return INSIDE
    return f"scan:{scan_key}"
