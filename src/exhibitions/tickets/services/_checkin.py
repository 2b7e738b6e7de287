"""Checkpoints, scanner devices and check-in.

A check-in never reads and then writes to decide: the admission is an INSERT that the
unique key (ticket, scope, slot) lets through once, occupancy is an UPDATE whose WHERE
and CHECK keep it under the capacity, and the scan log's unique (device, nonce) makes a
retried request return the first answer without counting twice. All three commit in one
transaction or not at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.services import issue_token
from exhibitions.accounts.tables import TokenKind
from exhibitions.db import write_transaction
from exhibitions.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from exhibitions.events import queries as event_queries
from exhibitions.events.hours import is_open_at
from exhibitions.events.permissions import can_manage_exhibition
from exhibitions.events.services import opening_schedule
from exhibitions.text import control_character_errors
from exhibitions.tickets import keys, signing
from exhibitions.tickets.policies import INSIDE, ScanResult, admission_scope, admission_slot
from exhibitions.tickets.tables import Checkpoint, CheckpointKind, CheckpointPolicy, Scan, SigningKey, Ticket


@dataclass(frozen=True)
class CheckInOutcome:
    result: ScanResult
    holder_name: str | None = None
    category: str | None = None
    # For already_admitted: when and where the ticket was admitted.
    admitted_at: datetime | None = None
    admitted_by: str | None = None
    # Occupancy of the checkpoint after this scan.
    inside: int | None = None


class _Undo(Exception):
    """Roll the check-in transaction back and answer ``outcome`` instead."""

    def __init__(self, outcome: CheckInOutcome | None) -> None:
        self.outcome = outcome


async def _managed_exhibition(slug: str, actor: Actor | None) -> dict[str, Any]:
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    if not can_manage_exhibition(actor, exhibition["id"]):
        raise PermissionDenied("only this exhibition's organizers may do this")
    return exhibition


async def create_checkpoint(
    *,
    slug: str,
    name: str,
    kind: CheckpointKind,
    policy: CheckpointPolicy,
    capacity: int | None,
    actor: Actor | None,
) -> dict[str, Any]:
    """The new checkpoint's row."""
    exhibition = await _managed_exhibition(slug, actor)
    if errors := control_character_errors({"name": name}):
        raise InvalidInput(errors)
    if not name.strip():
        raise InvalidInput.single("name", "required", "must not be blank")
    rows = await (
        Checkpoint.insert(
            Checkpoint(
                exhibition=exhibition["id"], name=name.strip(), kind=kind.value, policy=policy.value, capacity=capacity
            )
        )
        .on_conflict(action="DO NOTHING")
        .returning(*Checkpoint.all_columns())
    )
    if not rows:
        raise InvalidInput([FieldError("name", "duplicate", "another checkpoint of this exhibition has this name")])
    return rows[0]  # type: ignore[no-any-return]


async def list_checkpoints(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    exhibition = await _managed_exhibition(slug, actor)
    return await Checkpoint.select().where(Checkpoint.exhibition == exhibition["id"]).order_by(Checkpoint.id)  # type: ignore[no-any-return]


async def create_device(*, slug: str, name: str, actor: Actor | None, now: datetime) -> tuple[int, str]:
    """A scanner device's token: it may only check visitors in at this exhibition."""
    exhibition = await _managed_exhibition(slug, actor)
    assert actor is not None
    return await issue_token(
        user_id=actor.user_id, kind=TokenKind.device, name=name, now=now, exhibition_id=exhibition["id"]
    )


@lru_cache(maxsize=256)
def _public_key(hex_value: str) -> Any:
    return keys.public_key_from_hex(hex_value)


async def _public_keys(exhibition_id: int) -> dict[tuple[int, int], Any]:
    rows = await SigningKey.raw("SELECT key_id, public_key FROM signing_key WHERE exhibition = {}", exhibition_id)
    return {(exhibition_id, row["key_id"]): _public_key(row["public_key"]) for row in rows}


async def _ticket(ticket_id: int) -> dict[str, Any] | None:
    rows = await Ticket.raw("SELECT id, exhibition, holder_name, category, status FROM ticket WHERE id = {}", ticket_id)
    return rows[0] if rows else None


async def _stored_outcome(device_id: int, nonce: str) -> CheckInOutcome | None:
    rows = await Scan.raw(
        "SELECT s.result, t.holder_name, t.category FROM scan s LEFT JOIN ticket t ON t.id = s.ticket"
        " WHERE s.device = {} AND s.nonce = {}",
        device_id,
        nonce,
    )
    if not rows:
        return None
    return CheckInOutcome(ScanResult(rows[0]["result"]), rows[0]["holder_name"], rows[0]["category"])


async def _log(
    *, exhibition_id: int, device_id: int | None, checkpoint_id: int, ticket_id: int | None, direction: str,
    result: ScanResult, nonce: str | None, scanned_at: datetime, now: datetime,
) -> bool:  # fmt: skip
    """Record a scan; False when this device already sent this nonce."""
    rows = await Scan.raw(
        "INSERT INTO scan (exhibition, device, checkpoint, ticket, direction, result, nonce, scanned_at, received_at)"
        " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT DO NOTHING RETURNING id",
        exhibition_id, device_id, checkpoint_id, ticket_id, direction, result.value, nonce, scanned_at, now,
    )  # fmt: skip
    return bool(rows)


async def _judge(
    code: str, exhibition: dict[str, Any], direction: str, at: datetime
) -> tuple[CheckInOutcome, dict[str, Any] | None]:
    """The verdict that needs no write: signature, exhibition, revocation, day, hours.
    ``admitted`` here means "may go on to claim its slot"."""
    try:
        claims, _, _ = signing.read_claims(code)
        signing.verify(code, await _public_keys(claims.exhibition_id))
    except signing.InvalidCode:
        return CheckInOutcome(ScanResult.invalid), None
    ticket = await _ticket(claims.ticket_id)
    if ticket is None or ticket["exhibition"] != claims.exhibition_id:
        return CheckInOutcome(ScanResult.invalid), None
    known = {"holder_name": ticket["holder_name"], "category": ticket["category"]}
    if claims.exhibition_id != exhibition["id"]:
        return CheckInOutcome(ScanResult.wrong_exhibition, **known), ticket
    if ticket["status"] != "valid":
        return CheckInOutcome(ScanResult.revoked, **known), ticket
    if direction == "in":
        local_day = at.astimezone(ZoneInfo(exhibition["time_zone"])).date()
        if not claims.valid_on(local_day):
            return CheckInOutcome(ScanResult.not_valid_today, **known), ticket
        if not is_open_at(at, exhibition["time_zone"], await opening_schedule(exhibition)):
            return CheckInOutcome(ScanResult.checkpoint_closed, **known), ticket
    return CheckInOutcome(ScanResult.admitted, **known), ticket


async def check_in(
    *,
    device: Actor,
    code: str,
    checkpoint_id: int,
    direction: str = "in",
    scanned_at: datetime | None = None,
    nonce: str | None = None,
    now: datetime,
) -> CheckInOutcome:
    """Admit (or let out) the holder of ``code`` at a checkpoint, or say why not."""
    if device.device_exhibition_id is None or device.token_id is None:
        raise PermissionDenied("only a scanner device may check visitors in")
    rows = await Checkpoint.raw(
        "SELECT c.*, e.slug FROM checkpoint c JOIN exhibition e ON e.id = c.exhibition"
        " WHERE c.id = {} AND c.exhibition = {}",
        checkpoint_id,
        device.device_exhibition_id,
    )
    if not rows:
        raise InvalidInput.single("checkpoint", "unknown_checkpoint", "is not a checkpoint of this device's exhibition")
    checkpoint = rows[0]
    exhibition = await event_queries.get_exhibition(checkpoint["slug"])
    if nonce is not None and (prior := await _stored_outcome(device.token_id, nonce)) is not None:
        return prior
    at = scanned_at or now
    verdict, ticket = await _judge(code, exhibition, direction, at)
    log = {
        "exhibition_id": exhibition["id"], "device_id": device.token_id, "checkpoint_id": checkpoint["id"],
        "ticket_id": ticket["id"] if ticket else None, "direction": direction, "nonce": nonce, "scanned_at": at,
        "now": now,
    }  # fmt: skip
    if verdict.result is not ScanResult.admitted:
        return verdict if await _log(result=verdict.result, **log) else await _replayed(device.token_id, nonce)
    assert ticket is not None
    scope = admission_scope(CheckpointKind(checkpoint["kind"]), checkpoint["id"])
    try:
        async with write_transaction(Scan._meta.db):
            if direction == "in":
                outcome = await _enter(checkpoint, ticket, scope, exhibition, at, verdict)
            else:
                outcome = await _leave(checkpoint, ticket, scope, verdict)
            if not await _log(result=outcome.result, **log):
                raise _Undo(None)  # a retry of a scan in flight: its first answer stands
    except _Undo as undo:
        if undo.outcome is None:
            return await _replayed(device.token_id, nonce)
        outcome = undo.outcome
        if not await _log(result=outcome.result, **log):
            return await _replayed(device.token_id, nonce)
    return outcome


async def _replayed(device_id: int, nonce: str | None) -> CheckInOutcome:
    assert nonce is not None  # only a nonce can make a scan's log entry collide
    stored = await _stored_outcome(device_id, nonce)
    assert stored is not None
    return stored


async def _enter(
    checkpoint: dict[str, Any], ticket: dict[str, Any], scope: str, exhibition: dict[str, Any], at: datetime,
    verdict: CheckInOutcome,
) -> CheckInOutcome:  # fmt: skip
    local_day = at.astimezone(ZoneInfo(exhibition["time_zone"])).date()
    slot = admission_slot(CheckpointPolicy(checkpoint["policy"]), local_day, uuid.uuid4().hex)
    claimed = await Scan.raw(
        "INSERT INTO admission (ticket, checkpoint, scope, slot, admitted_at) VALUES ({}, {}, {}, {}, {})"
        " ON CONFLICT DO NOTHING RETURNING id",
        ticket["id"], checkpoint["id"], scope, slot, at,
    )  # fmt: skip
    if not claimed:
        prior = await Scan.raw(
            "SELECT a.admitted_at, c.name FROM admission a JOIN checkpoint c ON c.id = a.checkpoint"
            " WHERE a.ticket = {} AND a.scope = {} AND a.slot = {}",
            ticket["id"], scope, slot,
        )  # fmt: skip
        return CheckInOutcome(
            ScanResult.already_admitted, verdict.holder_name, verdict.category,
            admitted_at=prior[0]["admitted_at"], admitted_by=prior[0]["name"],
        )  # fmt: skip
    occupancy = await Scan.raw(
        "UPDATE checkpoint SET inside = inside + 1 WHERE id = {} AND (capacity IS NULL OR inside < capacity)"
        " RETURNING inside",
        checkpoint["id"],
    )
    if not occupancy:
        raise _Undo(CheckInOutcome(ScanResult.capacity_reached, verdict.holder_name, verdict.category))
    return CheckInOutcome(ScanResult.admitted, verdict.holder_name, verdict.category, inside=occupancy[0]["inside"])


async def _leave(
    checkpoint: dict[str, Any], ticket: dict[str, Any], scope: str, verdict: CheckInOutcome
) -> CheckInOutcome:
    if checkpoint["policy"] == CheckpointPolicy.reentry_after_exit.value:
        freed = await Scan.raw(
            "DELETE FROM admission WHERE ticket = {} AND scope = {} AND slot = {} RETURNING id",
            ticket["id"], scope, INSIDE,
        )  # fmt: skip
        if not freed:
            return CheckInOutcome(ScanResult.not_inside, verdict.holder_name, verdict.category)
    occupancy = await Scan.raw(
        "UPDATE checkpoint SET inside = inside - 1 WHERE id = {} AND inside > 0 RETURNING inside", checkpoint["id"]
    )
    inside = occupancy[0]["inside"] if occupancy else 0
    return CheckInOutcome(ScanResult.exited, verdict.holder_name, verdict.category, inside=inside)


async def revoke_ticket(*, slug: str, ticket_id: int, actor: Actor | None, now: datetime) -> None:
    """Cancel a ticket: every later scan answers ``revoked``. Revoking twice changes nothing."""
    exhibition = await _managed_exhibition(slug, actor)
    found = await Ticket.raw("SELECT id FROM ticket WHERE id = {} AND exhibition = {}", ticket_id, exhibition["id"])
    if not found:
        raise NotFound(f"no ticket {ticket_id} for this exhibition")
    await Ticket.raw(
        "UPDATE ticket SET status = 'revoked', revoked_at = {} WHERE id = {} AND status = 'valid' RETURNING id",
        now,
        ticket_id,
    )


@dataclass(frozen=True)
class ScannerBundle:
    exhibition: dict[str, Any]
    days: list[Any]
    keys: list[dict[str, Any]]
    revoked: list[int]
    checkpoints: list[dict[str, Any]]


async def scanner_bundle(*, slug: str, actor: Actor | None) -> ScannerBundle:
    """What a gate needs to decide offline: keys, revocations, checkpoints, opening hours."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    is_device = actor is not None and actor.device_exhibition_id == exhibition["id"]
    if not (is_device or can_manage_exhibition(actor, exhibition["id"])):
        raise PermissionDenied("only this exhibition's scanner devices and organizers may fetch its bundle")
    days = await opening_schedule(exhibition)
    keys_rows = await SigningKey.raw(
        "SELECT key_id, public_key FROM signing_key WHERE exhibition = {} AND retired_at IS NULL ORDER BY key_id",
        exhibition["id"],
    )
    revoked = await Ticket.raw(
        "SELECT id FROM ticket WHERE exhibition = {} AND status = 'revoked' ORDER BY id", exhibition["id"]
    )
    checkpoints = await Checkpoint.raw(
        "SELECT id, name, kind, policy, capacity FROM checkpoint WHERE exhibition = {} ORDER BY id", exhibition["id"]
    )
    return ScannerBundle(
        exhibition=exhibition,
        days=days,
        keys=keys_rows,
        revoked=[row["id"] for row in revoked],
        checkpoints=checkpoints,
    )


@dataclass(frozen=True)
class OfflineScan:
    code: str
    checkpoint_id: int
    direction: str
    scanned_at: datetime
    nonce: str


async def apply_offline_scans(
    *, device: Actor, scans: list[OfflineScan], now: datetime
) -> list[tuple[OfflineScan, CheckInOutcome, bool]]:
    """Apply scans a gate made offline, oldest first, as if they had arrived live; returns
    (scan, outcome, was already applied) in that order. A scan sent twice (same nonce)
    answers its first outcome and is flagged, never counted again."""
    if device.device_exhibition_id is None or device.token_id is None:
        raise PermissionDenied("only a scanner device may check visitors in")
    applied = []
    for scan in sorted(scans, key=lambda scan: scan.scanned_at):
        already = await _stored_outcome(device.token_id, scan.nonce)
        if already is not None:
            applied.append((scan, already, True))
            continue
        outcome = await check_in(
            device=device, code=scan.code, checkpoint_id=scan.checkpoint_id, direction=scan.direction,
            scanned_at=scan.scanned_at, nonce=scan.nonce, now=now,
        )  # fmt: skip
        applied.append((scan, outcome, False))
    return applied
