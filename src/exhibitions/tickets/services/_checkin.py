"""Checkpoints, scanner devices and check-in.

A check-in never reads and then writes to decide: the admission is an INSERT that the
unique key (ticket, scope, slot) lets through once, occupancy is an UPDATE whose WHERE
and CHECK keep it under the capacity, and the scan log's unique (device, nonce) makes a
retried request return the first answer without counting twice. All three commit in one
transaction or not at all: on PostgreSQL one call of the ``check_in_scan`` function (one
round trip, migration m0006), on SQLite the same steps in one synchronous IMMEDIATE
transaction (``_apply_on_sqlite``). What can be decided without the database (the
signature, the day, the hours) is decided first, from rows cached per process.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache, partial
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import asyncpg
import nacl.exceptions
import nacl.signing
from cryptography.exceptions import InvalidSignature

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.services import issue_token
from exhibitions.accounts.tables import TokenKind
from exhibitions.cache import TTLCache
from exhibitions.db import TurnBatch, fetch, run_grouped, run_in_transaction
from exhibitions.errors import FieldError, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from exhibitions.events import queries as event_queries
from exhibitions.events import services as event_services
from exhibitions.events.hours import DayHours, is_open_at
from exhibitions.events.permissions import can_manage_exhibition
from exhibitions.events.services import opening_schedule
from exhibitions.text import control_character_errors
from exhibitions.tickets import signing
from exhibitions.tickets.policies import INSIDE, ScanResult, admission_scope, admission_slot
from exhibitions.tickets.services._registration import MANUAL_CODE_ALPHABET, MANUAL_CODE_LENGTH, signing_key
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


async def _managed_exhibition(slug: str, actor: Actor | None) -> dict[str, Any]:
    refusal = "only this exhibition's organizers may do this"
    return await event_services.managed_exhibition(slug, actor, refusal=refusal)


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


class _SodiumVerifier:
    """A public key checked by libsodium (PyNaCl): 55 µs a signature here, against 105 µs
    for OpenSSL's through ``cryptography``; the scan's largest single cost."""

    def __init__(self, hex_value: str) -> None:
        self._key = nacl.signing.VerifyKey(bytes.fromhex(hex_value))

    def verify(self, signature: bytes, data: bytes) -> None:
        try:
            self._key.verify(data, signature)
        except nacl.exceptions.BadSignatureError:
            raise InvalidSignature from None


@lru_cache(maxsize=256)
def _public_key(hex_value: str) -> _SodiumVerifier:
    return _SodiumVerifier(hex_value)


# Read-mostly rows a scan needs, kept per process for a few seconds: an organizer's edit of
# a checkpoint or of the opening hours reaches every worker within that time. The ticket
# (its status), the occupancy and the device token are always read by the check-in itself.
CACHE_SECONDS = 5.0
# A code signed by a key this process has not seen reloads the exhibition's keys, at most
# this often: a flood of forged codes costs one query a second, not one per scan.
KEY_RELOAD_SECONDS = 1.0


@dataclass(frozen=True)
class _Gate:
    """A checkpoint, with its exhibition's time zone and opening schedule."""

    id: int
    exhibition_id: int
    name: str
    kind: CheckpointKind
    policy: CheckpointPolicy
    scope: str
    time_zone: ZoneInfo
    first_day: date
    schedule: tuple[DayHours, ...]


_gates: TTLCache[int, _Gate] = TTLCache(CACHE_SECONDS)
_keys: TTLCache[int, dict[tuple[int, int], signing.Verifier]] = TTLCache(CACHE_SECONDS)


async def _gate(checkpoint_id: int) -> _Gate | None:
    gate = _gates.get(checkpoint_id)
    if gate is not None:
        return gate
    rows = await fetch(
        Checkpoint._meta.db,
        "SELECT c.id, c.exhibition, c.name, c.kind, c.policy, e.slug FROM checkpoint c"
        " JOIN exhibition e ON e.id = c.exhibition WHERE c.id = {}",
        checkpoint_id,
    )
    if not rows:
        return None
    exhibition = await event_queries.get_exhibition(rows[0]["slug"])
    kind = CheckpointKind(rows[0]["kind"])
    gate = _Gate(
        id=checkpoint_id, exhibition_id=rows[0]["exhibition"], name=rows[0]["name"], kind=kind,
        policy=CheckpointPolicy(rows[0]["policy"]), scope=admission_scope(kind, checkpoint_id),
        time_zone=ZoneInfo(exhibition["time_zone"]), first_day=exhibition["starts_on"],
        schedule=tuple(await opening_schedule(exhibition)),
    )  # fmt: skip
    return _gates.put(checkpoint_id, gate)


async def _public_keys(exhibition_id: int, *, fresh: bool = False) -> dict[tuple[int, int], signing.Verifier]:
    found = None if fresh else _keys.get(exhibition_id)
    if found is not None:
        return found
    rows = await fetch(
        SigningKey._meta.db, "SELECT key_id, public_key FROM signing_key WHERE exhibition = {}", exhibition_id
    )
    return _keys.put(exhibition_id, {(exhibition_id, row["key_id"]): _public_key(row["public_key"]) for row in rows})


# Ids are 32-bit SERIALs; a code claims up to 32 unsigned bits.
_MAX_ID = 2**31 - 1


async def _verified(code: str) -> signing.TicketClaims | None:
    """The claims of a genuine signed code; None for anything else."""
    try:
        read = signing.read_claims(code)
        exhibition_id = read[0].exhibition_id
        if exhibition_id > _MAX_ID or read[0].ticket_id > _MAX_ID:
            return None  # no row has such an id (and PostgreSQL would refuse the value)
        try:
            return signing.verify_read(read, await _public_keys(exhibition_id))
        except signing.InvalidCode:
            age = _keys.age(exhibition_id)
            if age is not None and age < KEY_RELOAD_SECONDS:
                return None
            # A key made (or replaced) since this process cached the exhibition's keys.
            return signing.verify_read(read, await _public_keys(exhibition_id, fresh=True))
    except signing.InvalidCode:
        return None


_MANUAL_CODE_SEPARATORS = re.compile(r"[\s-]+")
_MANUAL_CODE = re.compile(f"[{MANUAL_CODE_ALPHABET}]{{{MANUAL_CODE_LENGTH}}}")


def manual_code(code: str) -> str | None:
    """A ticket's manual code as typed at a gate (any case, spaces and dashes ignored), or
    None when ``code`` is not one (a signed code is far longer)."""
    candidate = _MANUAL_CODE_SEPARATORS.sub("", code).upper()
    return candidate if _MANUAL_CODE.fullmatch(candidate) else None


@dataclass(frozen=True)
class _TicketRef:
    """What a code claims: which ticket, of which exhibition, valid on which days."""

    ticket_id: int
    exhibition_id: int
    first_day: date
    day_count: int

    def valid_on(self, day: date) -> bool:
        return self.first_day <= day < self.first_day + timedelta(days=self.day_count)


async def _ticket_ref(code: str, gate: _Gate) -> _TicketRef | None:
    """The ticket a scanned or typed code names; None for ``invalid``."""
    typed = manual_code(code)
    if typed is not None:
        rows = await fetch(
            Ticket._meta.db,
            "SELECT id, first_day, day_count FROM ticket WHERE exhibition = {} AND manual_code = {}",
            gate.exhibition_id,
            typed,
        )
        if not rows:
            return None
        return _TicketRef(rows[0]["id"], gate.exhibition_id, rows[0]["first_day"], rows[0]["day_count"])
    claims = await _verified(code)
    if claims is None:
        return None
    return _TicketRef(claims.ticket_id, claims.exhibition_id, claims.first_day, claims.day_count)


def _refusal(ref: _TicketRef | None, gate: _Gate, direction: str, at: datetime) -> ScanResult | None:
    """What the day and the hours alone refuse an entry for (the ticket's own row decides
    the rest, inside the check-in's transaction)."""
    if ref is None or direction != "in":
        return None
    if not ref.valid_on(at.astimezone(gate.time_zone).date()):
        return ScanResult.not_valid_today
    if not is_open_at(at, gate.time_zone.key, gate.schedule):
        return ScanResult.checkpoint_closed
    return None


@dataclass(frozen=True)
class _Scan:
    """One scan, ready for the check-in's transaction (the same on both engines)."""

    device_id: int
    exhibition_id: int
    checkpoint_id: int
    ticket_id: int | None
    claimed_exhibition_id: int | None
    direction: str
    refusal: ScanResult | None
    scope: str
    slot: str
    reentry: bool
    nonce: str | None
    scanned_at: datetime
    received_at: datetime


def _prepared(
    *, device_id: int, gate: _Gate, ref: _TicketRef | None, direction: str, at: datetime, nonce: str | None,
    now: datetime,
) -> _Scan:  # fmt: skip
    local_day = at.astimezone(gate.time_zone).date()
    reentry = gate.policy is CheckpointPolicy.reentry_after_exit
    if direction != "in":
        slot = INSIDE
    else:  # a fresh key only where the policy uses one (unlimited): uuid4 costs a few µs
        scan_key = uuid.uuid4().hex if gate.policy is CheckpointPolicy.unlimited else ""
        slot = admission_slot(gate.policy, local_day, scan_key)
    return _Scan(
        device_id=device_id, exhibition_id=gate.exhibition_id, checkpoint_id=gate.id,
        ticket_id=ref.ticket_id if ref else None, claimed_exhibition_id=ref.exhibition_id if ref else None,
        direction=direction, refusal=_refusal(ref, gate, direction, at), scope=gate.scope, slot=slot,
        reentry=reentry, nonce=nonce, scanned_at=at, received_at=now,
    )  # fmt: skip


class _Replayed(Exception):
    """This device already sent this nonce: roll back, answer the first outcome."""


class _DeviceRevoked(Exception):
    """The device token was revoked (or expired) after it authenticated this request."""


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
    """Admit (or let out) the holder of ``code`` (a signed code, or a ticket's manual code)
    at a checkpoint, or say why not."""
    if device.device_exhibition_id is None or device.token_id is None:
        raise PermissionDenied("only a scanner device may check visitors in")
    gate = await _gate(checkpoint_id)
    if gate is None or gate.exhibition_id != device.device_exhibition_id:
        raise InvalidInput.single("checkpoint", "unknown_checkpoint", "is not a checkpoint of this device's exhibition")
    at = scanned_at or now
    ref = await _ticket_ref(code, gate)
    scan = _prepared(device_id=device.token_id, gate=gate, ref=ref, direction=direction, at=at, nonce=nonce, now=now)
    try:
        return await _apply(scan)
    except _Replayed:
        return await _replayed(device.token_id, nonce)
    except _DeviceRevoked:
        raise NotAuthenticated("the token is unknown, expired or revoked") from None


# A scanner's clock may run a little fast; beyond this, its scanned_at cannot be trusted.
CLOCK_SKEW = timedelta(minutes=5)


def _scan_time_error(field: str, at: datetime, gate: _Gate, now: datetime) -> FieldError | None:
    """A scan time no scan can have: in the future (beyond the clock skew), or before the
    day before the exhibition's first day (a device whose clock was reset). Refused, not
    logged: the attendance record and the live counts must not place a scan at a made-up
    time, and the device is told to fix its clock."""
    if at > now + CLOCK_SKEW:
        return FieldError(
            field, "in_the_future", f"is more than {CLOCK_SKEW.seconds // 60} minutes ahead of the server"
        )
    earliest = datetime.combine(gate.first_day - timedelta(days=1), datetime.min.time(), gate.time_zone)
    if at < earliest:
        return FieldError(field, "before_exhibition", "is before the day before the exhibition's first day")
    return None


async def _apply(scan: _Scan) -> CheckInOutcome:
    """The check-in's writes, all or nothing: one function call (one round trip) on
    PostgreSQL, one IMMEDIATE transaction on SQLite. Both run the same steps."""
    engine = Scan._meta.db
    if engine.engine_type == "postgres":
        return await _postgres_turns.submit(scan)
    return await run_grouped(engine, partial(_apply_on_sqlite, scan=scan))


_CHECK_IN_SCAN = (
    "SELECT o_result, o_holder_name, o_category, o_admitted_at, o_admitted_by, o_inside"
    " FROM check_in_scan({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})"
)


async def _apply_on_postgres(engine: Any, scan: _Scan) -> CheckInOutcome:
    try:
        rows = await fetch(
            engine, _CHECK_IN_SCAN, scan.device_id, scan.exhibition_id, scan.checkpoint_id, scan.ticket_id,
            scan.claimed_exhibition_id, scan.direction, scan.refusal.value if scan.refusal else None, scan.scope,
            scan.slot, scan.reentry, scan.nonce, scan.scanned_at, scan.received_at,
        )  # fmt: skip
    except asyncpg.RaiseError as error:
        _raise_for(error)
    return _outcome_of(rows[0])


def _raise_for(error: asyncpg.RaiseError) -> NoReturn:
    """The check-in function's RAISE (its statement wrote nothing), as our exception."""
    if error.args and error.args[0] == "scan_replayed":
        raise _Replayed from None
    if error.args and error.args[0] == "device_revoked":
        raise _DeviceRevoked from None
    raise error


def _outcome_of(row: Any) -> CheckInOutcome:
    return CheckInOutcome(
        ScanResult(row["o_result"]), row["o_holder_name"], row["o_category"], admitted_at=row["o_admitted_at"],
        admitted_by=row["o_admitted_by"], inside=row["o_inside"],
    )  # fmt: skip


def _apply_on_sqlite(connection: sqlite3.Connection, *, scan: _Scan) -> CheckInOutcome:
    """m0006's ``check_in_scan``, step for step, inside the caller's IMMEDIATE transaction."""
    # The device token (still live?) and the ticket in one statement.
    ticket = connection.execute(
        "SELECT d.expires_at, t.id, t.exhibition, t.holder_name, t.category, t.status"
        ' FROM access_token d JOIN app_user u ON u.id = d."user" LEFT JOIN ticket t ON t.id = ?'
        " WHERE d.id = ? AND d.revoked_at IS NULL AND u.is_active = ?",
        (scan.ticket_id, scan.device_id, True),
    ).fetchone()
    if ticket is None or (ticket["expires_at"] is not None and ticket["expires_at"] <= scan.received_at):
        raise _DeviceRevoked
    ticket_id = None
    holder_name = category = None
    admitted_at = admitted_by = inside = None
    if ticket["id"] is None or ticket["exhibition"] != scan.claimed_exhibition_id:
        result = ScanResult.invalid
    else:
        ticket_id, holder_name, category = ticket["id"], ticket["holder_name"], ticket["category"]
        if scan.claimed_exhibition_id != scan.exhibition_id:
            result = ScanResult.wrong_exhibition
        elif ticket["status"] != "valid":
            result = ScanResult.revoked
        elif scan.refusal is not None:
            result = scan.refusal
        elif scan.direction == "in":
            claimed = connection.execute(
                "INSERT INTO admission (ticket, checkpoint, scope, slot, admitted_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING id",
                (ticket_id, scan.checkpoint_id, scan.scope, scan.slot, scan.scanned_at),
            ).fetchone()
            if claimed is None:
                result = ScanResult.already_admitted
                prior = connection.execute(
                    "SELECT a.admitted_at, c.name FROM admission a JOIN checkpoint c ON c.id = a.checkpoint"
                    " WHERE a.ticket = ? AND a.scope = ? AND a.slot = ?",
                    (ticket_id, scan.scope, scan.slot),
                ).fetchone()
                admitted_at, admitted_by = prior["admitted_at"], prior["name"]
            else:
                occupancy = connection.execute(
                    "UPDATE checkpoint SET inside = inside + 1 WHERE id = ? AND (capacity IS NULL OR inside < capacity)"
                    " RETURNING inside",
                    (scan.checkpoint_id,),
                ).fetchone()
                if occupancy is None:
                    connection.execute("DELETE FROM admission WHERE id = ?", (claimed["id"],))
                    result = ScanResult.capacity_reached
                else:
                    result, inside = ScanResult.admitted, occupancy["inside"]
        else:
            freed = None
            if scan.reentry:
                freed = connection.execute(
                    "DELETE FROM admission WHERE ticket = ? AND scope = ? AND slot = ? RETURNING id",
                    (ticket_id, scan.scope, scan.slot),
                ).fetchone()
            if scan.reentry and freed is None:
                result = ScanResult.not_inside
            else:
                occupancy = connection.execute(
                    "UPDATE checkpoint SET inside = inside - 1 WHERE id = ? AND inside > 0 RETURNING inside",
                    (scan.checkpoint_id,),
                ).fetchone()
                result, inside = ScanResult.exited, occupancy["inside"] if occupancy else 0
    logged = connection.execute(
        "INSERT INTO scan (exhibition, device, checkpoint, ticket, direction, result, nonce, scanned_at, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        (scan.exhibition_id, scan.device_id, scan.checkpoint_id, ticket_id, scan.direction, result.value, scan.nonce,
         scan.scanned_at, scan.received_at),
    ).fetchone()  # fmt: skip
    if logged is None:
        raise _Replayed
    return CheckInOutcome(
        result, holder_name, category, admitted_at=admitted_at, admitted_by=admitted_by, inside=inside
    )


async def _stored_outcome(device_id: int, nonce: str) -> CheckInOutcome | None:
    rows = await fetch(
        Scan._meta.db,
        "SELECT s.result, t.holder_name, t.category FROM scan s LEFT JOIN ticket t ON t.id = s.ticket"
        " WHERE s.device = {} AND s.nonce = {}",
        device_id,
        nonce,
    )
    if not rows:
        return None
    return CheckInOutcome(ScanResult(rows[0]["result"]), rows[0]["holder_name"], rows[0]["category"])


async def _replayed(device_id: int, nonce: str | None) -> CheckInOutcome:
    assert nonce is not None  # only a nonce can make a scan's log entry collide
    stored = await _stored_outcome(device_id, nonce)
    assert stored is not None
    return stored


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


async def scanner_bundle(*, slug: str, actor: Actor | None, secret_key: str, now: datetime) -> ScannerBundle:
    """What a gate needs to decide offline: keys, revocations, checkpoints, opening hours.
    The signing key is made here if no ticket has made it yet: a phone enrolled before the
    first registration must still hold the key that will sign it."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    is_device = actor is not None and actor.device_exhibition_id == exhibition["id"]
    if not (is_device or can_manage_exhibition(actor, exhibition["id"])):
        raise PermissionDenied("only this exhibition's scanner devices and organizers may fetch its bundle")
    days = await opening_schedule(exhibition)
    await signing_key(exhibition_id=exhibition["id"], secret_key=secret_key, now=now)
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


# Scans applied per transaction (SQLite) or per statement (PostgreSQL): live scans of the
# same process wait at most one chunk (a few tens of milliseconds) behind a batch.
OFFLINE_CHUNK = 500


async def apply_offline_scans(
    *, device: Actor, scans: list[OfflineScan], now: datetime
) -> list[tuple[OfflineScan, CheckInOutcome, bool]]:
    """Apply scans a gate made offline, oldest first, exactly as if they had arrived live
    (each through the same steps as :func:`check_in`), chunk by chunk instead of one round
    trip each; returns (scan, outcome, was already applied) in that order. A scan sent
    before (same nonce, in an earlier upload or earlier in this one) answers its first
    outcome and is flagged, never counted again. A scan time no scan can have refuses the
    whole batch (422 naming each ``scans[i].scanned_at``), before anything is written."""
    if device.device_exhibition_id is None or device.token_id is None:
        raise PermissionDenied("only a scanner device may check visitors in")
    gates: dict[int, _Gate] = {}
    errors = []
    for index, scan in enumerate(scans):
        gate = gates.get(scan.checkpoint_id) or await _gate(scan.checkpoint_id)
        if gate is None or gate.exhibition_id != device.device_exhibition_id:
            errors.append(
                FieldError(
                    f"scans[{index}].checkpoint",
                    "unknown_checkpoint",
                    "is not a checkpoint of this device's exhibition",
                )
            )
            continue
        gates[scan.checkpoint_id] = gate
        if (error := _scan_time_error(f"scans[{index}].scanned_at", scan.scanned_at, gate, now)) is not None:
            errors.append(error)
    if errors:
        raise InvalidInput(errors)
    ordered = sorted(scans, key=lambda scan: scan.scanned_at)
    earlier = await _stored_outcomes(device.token_id, [scan.nonce for scan in ordered])
    results: list[tuple[OfflineScan, CheckInOutcome | None, bool]] = []
    fresh: list[tuple[int, _Scan]] = []
    first_of_nonce: dict[str, int] = {}
    for scan in ordered:
        if scan.nonce in earlier:
            results.append((scan, earlier[scan.nonce], True))
        elif scan.nonce in first_of_nonce:
            results.append((scan, None, True))  # the outcome of its first copy, filled in below
        else:
            first_of_nonce[scan.nonce] = len(results)
            gate = gates[scan.checkpoint_id]
            ref = await _ticket_ref(scan.code, gate)
            prepared = _prepared(
                device_id=device.token_id, gate=gate, ref=ref, direction=scan.direction, at=scan.scanned_at,
                nonce=scan.nonce, now=now,
            )  # fmt: skip
            fresh.append((len(results), prepared))
            results.append((scan, None, False))
    for start in range(0, len(fresh), OFFLINE_CHUNK):
        chunk = fresh[start : start + OFFLINE_CHUNK]
        for (position, _), outcome in zip(chunk, await _apply_chunk([scan for _, scan in chunk]), strict=True):
            results[position] = (results[position][0], outcome, False)
    applied = []
    for scan, maybe_outcome, duplicate in results:
        answer = maybe_outcome or results[first_of_nonce[scan.nonce]][1]
        assert answer is not None
        applied.append((scan, answer, duplicate))
    return applied


async def _apply_chunk(scans: list[_Scan]) -> list[CheckInOutcome]:
    """The outcomes of scans applied in order, as :func:`_apply` would one after another."""
    engine = Scan._meta.db
    try:
        if engine.engine_type == "postgres":
            return await _apply_chunk_on_postgres(engine, scans)
        return await run_in_transaction(engine, partial(_apply_chunk_on_sqlite, scans=scans))
    except (_Replayed, asyncpg.DeadlockDetectedError):
        # Another upload of the same scans is being applied right now: go scan by scan,
        # so that each nonce already logged answers its first outcome.
        outcomes = []
        for scan in scans:
            try:
                outcomes.append(await _apply(scan))
            except _Replayed:
                outcomes.append(await _replayed(scan.device_id, scan.nonce))
        return outcomes
    except _DeviceRevoked:
        raise NotAuthenticated("the token is unknown, expired or revoked") from None


def _apply_chunk_on_sqlite(connection: sqlite3.Connection, *, scans: list[_Scan]) -> list[CheckInOutcome]:
    return [_apply_on_sqlite(connection, scan=scan) for scan in scans]


_CHECK_IN_SCANS = (
    "SELECT o_result, o_holder_name, o_category, o_admitted_at, o_admitted_by, o_inside FROM check_in_scans("
    "{}::int[], {}::int[], {}::int[], {}::int[], {}::int[], {}::text[], {}::text[], {}::text[], {}::text[],"
    " {}::bool[], {}::text[], {}::timestamptz[], {}::timestamptz[])"
)


async def _apply_chunk_on_postgres(engine: Any, scans: list[_Scan]) -> list[CheckInOutcome]:
    """The scans, in this order, in one statement (``check_in_scans``)."""
    try:
        rows = await fetch(
            engine, _CHECK_IN_SCANS, [scan.device_id for scan in scans], [scan.exhibition_id for scan in scans],
            [scan.checkpoint_id for scan in scans], [scan.ticket_id for scan in scans],
            [scan.claimed_exhibition_id for scan in scans], [scan.direction for scan in scans],
            [scan.refusal.value if scan.refusal else None for scan in scans], [scan.scope for scan in scans],
            [scan.slot for scan in scans], [scan.reentry for scan in scans], [scan.nonce for scan in scans],
            [scan.scanned_at for scan in scans], [scan.received_at for scan in scans],
        )  # fmt: skip
    except asyncpg.RaiseError as error:
        _raise_for(error)
    return [_outcome_of(row) for row in rows]


async def _apply_turn_on_postgres(scans: list[_Scan]) -> list[CheckInOutcome | Exception]:
    """The live scans of one turn of the event loop in one statement: one round trip and one
    WAL flush for all of them. They are sorted by ticket (see m0006: lock order); scans of
    one ticket keep the order they came in. When one of them cannot go with the others (a
    replayed nonce, a revoked device, a deadlock with a fallback elsewhere), each is applied
    on its own, so that its outcome is what it would have been alone."""
    engine = Scan._meta.db
    order = sorted(range(len(scans)), key=lambda index: scans[index].ticket_id or 0)
    try:
        outcomes = await _apply_chunk_on_postgres(engine, [scans[index] for index in order])
    except (_Replayed, _DeviceRevoked, asyncpg.DeadlockDetectedError):
        alone: list[CheckInOutcome | Exception] = []
        for scan in scans:
            try:
                alone.append(await _apply_on_postgres(engine, scan))
            except (_Replayed, _DeviceRevoked) as error:
                alone.append(error)
        return alone
    by_index = dict(zip(order, outcomes, strict=True))
    return [by_index[index] for index in range(len(scans))]


_postgres_turns: TurnBatch[_Scan, CheckInOutcome] = TurnBatch(_apply_turn_on_postgres)


_STORED_OUTCOMES = (
    "SELECT s.nonce, s.result, t.holder_name, t.category FROM scan s LEFT JOIN ticket t ON t.id = s.ticket"
    " WHERE s.device = {} AND s.nonce IN ({nonces})"
)
# On PostgreSQL, one probe of the unique (device, nonce) index per nonce (the LIMIT keeps
# the planner from turning the lateral lookup into a join): with ``IN``, ``= ANY`` or a
# plain join it used the index for the device only and went through every earlier scan of
# that device, so a batch's pre-check grew with the device's history (3.5 s more per
# 10,000 earlier scans with ``IN``).
_STORED_OUTCOMES_POSTGRES = (
    "SELECT n.nonce, s.result, t.holder_name, t.category FROM unnest({}::text[]) AS n (nonce)"
    " CROSS JOIN LATERAL (SELECT result, ticket FROM scan WHERE device = {} AND nonce = n.nonce LIMIT 1) AS s"
    " LEFT JOIN ticket t ON t.id = s.ticket"
)


async def _stored_outcomes(device_id: int, nonces: list[str]) -> dict[str, CheckInOutcome]:
    """The outcomes this device's earlier scans with these nonces got."""
    found: dict[str, CheckInOutcome] = {}
    engine = Scan._meta.db
    for start in range(0, len(nonces), OFFLINE_CHUNK):
        chunk = nonces[start : start + OFFLINE_CHUNK]
        if engine.engine_type == "postgres":
            rows = await fetch(engine, _STORED_OUTCOMES_POSTGRES, chunk, device_id)
        else:
            placeholders = ", ".join(["{}"] * len(chunk))
            rows = await fetch(engine, _STORED_OUTCOMES.replace("{nonces}", placeholders), device_id, *chunk)
        for row in rows:
            found[row["nonce"]] = CheckInOutcome(ScanResult(row["result"]), row["holder_name"], row["category"])
    return found
