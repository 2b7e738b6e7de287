"""Importing organizations from the organizers' spreadsheets, with a dry run.

Each row is read (``importing``), then checked by the same ``_clean`` the form and the API
use, then matched to the registry: the same organization is the one with the row's ICE,
or else the one with its legal form and registry number. Good rows are written in chunks,
each chunk in one transaction with one multi-row INSERT; bad rows are reported with their
row number, field and reason and never stop the good ones.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName
from exhibitions.db import write_transaction
from exhibitions.errors import ConfigurationError, FieldError, InvalidInput, NotFound, PermissionDenied
from exhibitions.exhibitors.importing import COLUMNS, Columns, map_headers, parse_row
from exhibitions.exhibitors.permissions import can_manage_organizations
from exhibitions.exhibitors.services._organizations import _clean
from exhibitions.exhibitors.spreadsheets import Cell, read_sheet
from exhibitions.exhibitors.tables import Organization

CHUNK_ROWS = 500
PREVIEW_ROWS = 50
# Whoever runs `exhibitions import` already holds the database: the command acts as an
# organizer of every exhibition.
COMMAND_LINE = Actor(user_id=0, email="command-line", roles=frozenset({(None, RoleName.organizer.value)}))

STORED_FIELDS = (
    "legal_form", "name_ar", "name_latin", "registry_number", "ice", "region", "city", "sector", "founded_year",
    "members_total", "members_women", "members_youth", "declared_women_led", "email", "phone", "search_text",
)  # fmt: skip
# What a new organization gets for a column the file does not have. An existing one keeps
# its stored value for such a column; a blank cell in a column the file has clears it.
_DEFAULTS: dict[str, Any] = {
    "name_ar": None, "name_latin": None, "ice": None, "founded_year": None, "members_total": 0,
    "members_women": 0, "members_youth": 0, "declared_women_led": False, "email": None, "phone": None,
}  # fmt: skip
# Stand-ins for cells that could not be read, so that _clean still checks the other fields
# without blaming them for the unreadable one (an unreadable member count is taken as large,
# so no other count "exceeds" it; an unreadable name still counts as a name).
_PLACEHOLDERS: dict[str, Any] = {
    "legal_form": "cooperative", "sector": "other", "region": "MA-01", "registry_number": "0", "city": "-",
    "name_ar": "-", "name_latin": "-", "members_total": 1_000_000,
}  # fmt: skip


@dataclass(frozen=True)
class BadRow:
    row: int
    field: str
    column: str  # the header as the file spells it ("" for a whole-row problem)
    code: str
    reason: str
    other_row: int | None = None  # the earlier row a duplicate repeats


@dataclass(frozen=True)
class PreviewRow:
    row: int
    action: str  # "create" or "update"
    name: str
    registry_number: str
    ice: str | None
    changes: tuple[str, ...]  # the fields an update changes


@dataclass
class ImportReport:
    dry_run: bool
    encoding: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[BadRow] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    # The cells of each bad row, to write them back out with their reasons.
    bad_cells: dict[int, list[Cell]] = field(default_factory=dict)

    @property
    def bad(self) -> int:
        return len(self.bad_cells)


@dataclass
class _Planned:
    number: int
    row: dict[str, Any]
    existing: dict[str, Any] | None
    changes: tuple[str, ...]
    cells: list[Cell]


Progress = Callable[[int, int], None]


async def import_organizations(
    *, data: bytes, actor: Actor | None, now: datetime, dry_run: bool, on_progress: Progress | None = None
) -> ImportReport:
    """Import (or, with ``dry_run``, only check and preview) the organizations of a CSV or
    XLSX file. InvalidInput naming ``file`` when the file itself cannot be read."""
    if not can_manage_organizations(actor):
        raise PermissionDenied("only organizers import organizations")
    sheet = read_sheet(data)
    columns = map_headers(sheet.headers)
    report = ImportReport(
        dry_run=dry_run, encoding=sheet.encoding, rows=len(sheet.rows), ignored_columns=columns.ignored,
        headers=sheet.headers,
    )  # fmt: skip
    seen_registry: dict[tuple[str, str], int] = {}
    seen_ice: dict[str, int] = {}
    done = 0
    for start in range(0, len(sheet.rows), CHUNK_ROWS):
        chunk = sheet.rows[start : start + CHUNK_ROWS]
        cleaned = [_read_row(number, cells, columns, report) for number, cells in chunk]
        candidates = [(number, row) for number, row in cleaned if row is not None]
        existing = await _existing(candidates)
        planned: list[_Planned] = []
        for number, row in candidates:
            plan = _plan(number, row, columns, existing, seen_registry, seen_ice, report)
            if plan is not None:
                planned.append(plan)
        writes = [plan for plan in planned if plan.existing is None or plan.changes]
        report.unchanged += len(planned) - len(writes)
        for plan in writes[: max(0, PREVIEW_ROWS - len(report.preview))]:
            report.preview.append(_preview(plan))
        if not dry_run and writes:
            await _write(writes, now, report)
        else:
            report.created += sum(1 for plan in writes if plan.existing is None)
            report.updated += sum(1 for plan in writes if plan.existing is not None)
        done += len(chunk)
        if on_progress is not None:
            on_progress(done, len(sheet.rows))
    report.errors.sort(key=lambda bad: bad.row)
    return report


def _bad(report: ImportReport, number: int, cells: list[Cell], errors: Sequence[FieldError], columns: Columns) -> None:
    report.bad_cells[number] = cells
    for error in errors:
        report.errors.append(
            BadRow(number, error.field, columns.headers.get(error.field, ""), error.code, error.reason)
        )


def _read_row(
    number: int, cells: list[Cell], columns: Columns, report: ImportReport
) -> tuple[int, dict[str, Any] | None]:
    """(number, the row as _clean returns it) or (number, None) when it is bad."""
    parsed = parse_row(number, cells, columns)
    unreadable = {error.field for error in parsed.errors}
    values = {**_DEFAULTS, **parsed.values, **{name: _PLACEHOLDERS.get(name) for name in unreadable}}
    for name in ("registry_number", "city"):
        values[name] = values.get(name) or ""
    for name in ("members_total", "members_women", "members_youth"):
        values[name] = values.get(name) or 0
    errors = list(parsed.errors)
    try:
        row = _clean(values)
    except InvalidInput as exc:
        errors += [error for error in exc.errors if error.field not in unreadable]
        row = None
    if errors:
        _bad(report, number, cells, errors, columns)
        return number, None
    assert row is not None
    row["_cells"] = cells
    row["_present"] = frozenset(parsed.values)
    return number, row


async def _existing(candidates: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    """The stored organizations that share an ICE or a registry number with these rows."""
    ices = sorted({row["ice"] for _, row in candidates if row["ice"]})
    registries = sorted({row["registry_number"] for _, row in candidates})
    by_ice: dict[str, dict[str, Any]] = {}
    by_registry: dict[tuple[str, str], dict[str, Any]] = {}
    if candidates:
        where: Any = Organization.registry_number.is_in(registries)
        if ices:
            where = where | Organization.ice.is_in(ices)
        for found in await Organization.select().where(where):
            if found["ice"]:
                by_ice[found["ice"]] = found
            by_registry[(found["legal_form"], found["registry_number"])] = found
    return {"ice": by_ice, "registry": by_registry}


def _plan(
    number: int,
    row: dict[str, Any],
    columns: Columns,
    existing: dict[str, Any],
    seen_registry: dict[tuple[str, str], int],
    seen_ice: dict[str, int],
    report: ImportReport,
) -> _Planned | None:
    cells = row.pop("_cells")
    present = row.pop("_present")
    registry_key = (row["legal_form"], row["registry_number"])
    duplicates = []
    if registry_key in seen_registry:
        earlier = seen_registry[registry_key]
        duplicates.append(BadRow(
            number, "registry_number", columns.headers["registry_number"], "duplicate_in_file",
            f"same registry number as row {earlier}", earlier,
        ))  # fmt: skip
    if row["ice"] and row["ice"] in seen_ice:
        earlier = seen_ice[row["ice"]]
        header = columns.headers.get("ice", "")
        duplicates.append(BadRow(number, "ice", header, "duplicate_in_file", f"same ICE as row {earlier}", earlier))
    if duplicates:
        report.bad_cells[number] = cells
        report.errors += duplicates
        return None
    by_ice = existing["ice"].get(row["ice"]) if row["ice"] else None
    by_registry = existing["registry"].get(registry_key)
    errors = []
    if by_ice is not None and by_registry is not None and by_ice["id"] != by_registry["id"]:
        errors.append(FieldError(
            "ice", "two_organizations",
            f"the ICE is organization {by_ice['id']}'s and the registry number organization {by_registry['id']}'s",
        ))  # fmt: skip
    elif by_ice is None and by_registry is not None and row["ice"] and by_registry["ice"]:
        errors.append(FieldError(
            "ice", "ice_differs", f"organization {by_registry['id']} has this registry number with another ICE"
        ))  # fmt: skip
    if errors:
        _bad(report, number, cells, errors, columns)
        return None
    seen_registry[registry_key] = number
    if row["ice"]:
        seen_ice[row["ice"]] = number
    target = by_ice or by_registry
    if target is None:
        return _Planned(number, row, None, (), cells)
    missing = [name for name in COLUMNS if name not in present]
    if missing:
        # Columns the file lacks keep the stored values: clean the merged row again.
        try:
            row = _clean({**row, **{name: target[name] for name in missing}})
        except InvalidInput as exc:
            _bad(report, number, cells, exc.errors, columns)
            return None
    changes = tuple(name for name in STORED_FIELDS if _stored(row[name]) != _stored(target[name]))
    return _Planned(number, row, target, changes, cells)


def _stored(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _preview(plan: _Planned) -> PreviewRow:
    return PreviewRow(
        row=plan.number, action="create" if plan.existing is None else "update",
        name=plan.row["name_latin"] or plan.row["name_ar"] or "", registry_number=plan.row["registry_number"],
        ice=plan.row["ice"], changes=tuple(name for name in plan.changes if name != "search_text"),
    )  # fmt: skip


_INSERT_COLUMNS = (*STORED_FIELDS, "created_at", "updated_at")
_UPDATE_COLUMNS = ("id", *STORED_FIELDS)
_SQL_TYPES = {
    "id": "INTEGER", "founded_year": "INTEGER", "members_total": "INTEGER", "members_women": "INTEGER",
    "members_youth": "INTEGER", "declared_women_led": "BOOLEAN",
}  # fmt: skip
_UNIQUE_VIOLATIONS = (sqlite3.IntegrityError, asyncpg.UniqueViolationError)


async def _write(plans: list[_Planned], now: datetime, report: ImportReport) -> None:
    """All of the chunk in one transaction; when the database refuses it (someone registered
    or changed one of these organizations meanwhile), each row alone, naming those refused."""
    try:
        async with write_transaction(Organization._meta.db):
            refused = await _write_rows(plans, now)
    except _UNIQUE_VIOLATIONS:
        refused = []
        for plan in plans:
            try:
                async with write_transaction(Organization._meta.db):
                    refused += await _write_rows([plan], now)
            except _UNIQUE_VIOLATIONS:
                refused.append(plan)
    for plan in refused:
        report.bad_cells[plan.number] = plan.cells
        report.errors.append(BadRow(
            plan.number, "registry_number", "", "taken_meanwhile",
            "another organization took this registry number or ICE during the import; import the file again",
        ))  # fmt: skip
    refused_numbers = {plan.number for plan in refused}
    report.created += sum(1 for plan in plans if plan.existing is None and plan.number not in refused_numbers)
    report.updated += sum(1 for plan in plans if plan.existing is not None and plan.number not in refused_numbers)


async def _write_rows(plans: list[_Planned], now: datetime) -> list[_Planned]:
    """The plans the database refused (a new row whose keys someone registered meanwhile)."""
    creates = [plan for plan in plans if plan.existing is None]
    refused: list[_Planned] = []
    if creates:
        values = ", ".join("(" + ", ".join("{}" for _ in _INSERT_COLUMNS) + ")" for _ in creates)
        arguments = [
            _stored(value) for plan in creates for value in (*(plan.row[name] for name in STORED_FIELDS), now, now)
        ]
        inserted = await Organization.raw(
            f"INSERT INTO organization ({', '.join(_INSERT_COLUMNS)}) VALUES {values}"  # noqa: S608 - our names, placeholders
            " ON CONFLICT DO NOTHING RETURNING legal_form, registry_number",
            *arguments,
        )
        written = {(found["legal_form"], found["registry_number"]) for found in inserted}
        refused = [plan for plan in creates if (plan.row["legal_form"], plan.row["registry_number"]) not in written]
    updates = [plan for plan in plans if plan.existing is not None]
    if updates:
        # One statement for the chunk: a round trip per row was most of a 10,000-row update
        # on PostgreSQL. VALUES columns are column1, column2 ... on both engines; the casts
        # give PostgreSQL their types.
        row_sql = "(" + ", ".join(f"CAST({{}} AS {_SQL_TYPES.get(name, 'TEXT')})" for name in _UPDATE_COLUMNS) + ")"
        assignments = ", ".join(f"{name} = v.column{n}" for n, name in enumerate(_UPDATE_COLUMNS, 1) if n > 1)
        changed: list[Any] = []
        for plan in updates:
            assert plan.existing is not None
            changed += [plan.existing["id"], *(_stored(plan.row[name]) for name in STORED_FIELDS)]
        await Organization.raw(
            f"UPDATE organization SET {assignments}, updated_at = {{}}"  # noqa: S608 - our names, placeholders
            f" FROM (VALUES {', '.join(row_sql for _ in updates)}) AS v WHERE organization.id = v.column1",
            now, *changed,
        )  # fmt: skip
    return refused


# The page previews an upload (a dry run), then imports it when the organizer confirms: the
# file waits on the server meanwhile, under a random token, for its uploader only. Keeping
# it spares a second upload of up to 10 MB and guarantees the confirmed file is the one
# previewed.
HELD_FOR = timedelta(minutes=30)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def held_uploads_dir() -> Path:
    """A folder of this system user's own, shared by the server's workers. In a shared /tmp
    another local user could have made it first: then it is not used."""
    folder = Path(tempfile.gettempdir()) / f"exhibitions-imports-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    if folder.is_symlink() or folder.stat().st_uid != os.getuid():
        raise ConfigurationError(f"{folder} belongs to another user; remove it")
    return folder


async def preview_upload(*, data: bytes, actor: Actor | None, now: datetime) -> tuple[ImportReport, str]:
    """The dry run's report, and the token to import the same file with."""
    report = await import_organizations(data=data, actor=actor, now=now, dry_run=True)
    assert actor is not None  # import_organizations refused anyone else
    folder = held_uploads_dir()
    _forget_expired(folder, now)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.data").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"user": actor.user_id, "at": now.isoformat()}))
    return report, token


async def import_held_upload(*, token: str, actor: Actor | None, now: datetime) -> ImportReport:
    """Import the file previewed under ``token``; NotFound when it expired or is another's."""
    if not can_manage_organizations(actor):
        raise PermissionDenied("only organizers import organizations")
    assert actor is not None
    folder = held_uploads_dir()
    if not _TOKEN.match(token):
        raise NotFound("no such upload; upload the file again")
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.data").read_bytes()
    except (OSError, ValueError):
        raise NotFound("no such upload; upload the file again") from None
    if meta["user"] != actor.user_id or now - datetime.fromisoformat(meta["at"]) > HELD_FOR:
        raise NotFound("no such upload; upload the file again")
    report = await import_organizations(data=data, actor=actor, now=now, dry_run=False)
    _forget(folder, token)
    return report


def _forget(folder: Path, token: str) -> None:
    for suffix in (".data", ".json"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)


def _forget_expired(folder: Path, now: datetime) -> None:
    cutoff = (now - HELD_FOR).timestamp()
    for meta in folder.glob("*.json"):
        try:
            if meta.stat().st_mtime < cutoff:
                _forget(folder, meta.stem)
        except OSError:
            continue  # another worker removed it first
