"""Badges from the organizers' spreadsheets: the press list, the partners and VIP guests, the
staff and the organizers, as CSV or XLSX.

A file is checked whole before anything is written: one bad row (no name, an unknown role,
an e-mail that is not one) and nothing is imported, every bad row said with its number, so
that the organizer fixes the file and sends it again. Sending the same file twice adds
nothing the second time: each row's badge carries a key made of its role, its name (folded:
case, accents and Arabic diacritics do not count) and its e-mail, and the database keeps one
badge per key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, get_args

import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.badges.schemas import Email, FullName, Language, Short
from exhibitions.badges.services._common import db, organizers_exhibition, user_of
from exhibitions.badges.services._holders import insert_holder
from exhibitions.db import write_transaction
from exhibitions.errors import FieldError, InvalidInput
from exhibitions.exhibitors.spreadsheets import Cell, read_sheet
from exhibitions.search import fold
from exhibitions.text import control_character_errors

# Exhibitors' staff come from the portal within their quota; speakers and moderators from
# the programme. A file brings the others.
IMPORTED_ROLES = ("press", "vip", "staff", "organizer")
MAX_IMPORTED_ROWS = 5_000

# The headers a file may use for each field, folded (English, French, Arabic).
HEADERS: dict[str, tuple[str, ...]] = {
    "role": ("role", "rôle", "type", "الدور", "الصفة"),
    "full_name": ("full_name", "full name", "name", "nom", "nom complet", "prénom et nom", "الاسم", "الاسم الكامل"),
    "title": ("title", "titre", "fonction", "poste", "المنصب", "الوظيفة"),
    "organization_label": (
        "organization", "organisation", "organisme", "média", "media", "société", "الهيئة", "المؤسسة", "المنظمة",
    ),
    "email": ("email", "e-mail", "courriel", "mail", "البريد الإلكتروني", "البريد"),
    "language": ("language", "langue", "اللغة"),
}  # fmt: skip
# What a cell of the role column may say, folded.
ROLE_WORDS: dict[str, str] = {
    **{word: "press" for word in ("press", "presse", "journaliste", "journalist", "صحافة", "صحفي", "الصحافة")},
    **{word: "vip" for word in ("vip", "partner", "partenaire", "vip / partner", "invité", "guest", "شريك", "ضيف")},
    **{word: "staff" for word in ("staff", "personnel", "équipe", "bénévole", "volunteer", "طاقم", "متطوع")},
    **{word: "organizer" for word in ("organizer", "organiser", "organisateur", "organisatrice", "منظم", "المنظم")},
}
LANGUAGE_WORDS: dict[str, str] = {
    **{word: "ar" for word in ("ar", "arabe", "arabic", "العربية", "عربية")},
    **{word: "fr" for word in ("fr", "français", "francais", "french", "الفرنسية")},
    **{word: "en" for word in ("en", "anglais", "english", "الإنجليزية", "الانجليزية")},
}
_FOLDED_HEADERS = {fold(header): name for name, headers in HEADERS.items() for header in headers}
_FOLDED_ROLES = {fold(word): role for word, role in ROLE_WORDS.items()}
_FOLDED_LANGUAGES = {fold(word): language for word, language in LANGUAGE_WORDS.items()}
_TYPES: dict[str, Any] = {"full_name": FullName, "title": Short, "organization_label": Short, "email": Email}


@dataclass(frozen=True)
class BadRow:
    row: int  # as the spreadsheet numbers it: the header is row 1
    field: str
    code: str
    reason: str


@dataclass
class HolderImport:
    rows: int = 0
    added: int = 0
    already: int = 0  # in an earlier import, or twice in this file
    errors: list[BadRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def source_key(role: str, full_name: str, email: str | None) -> str:
    """The badge's key for imports: the same person in the same role is one badge."""
    digest = hashlib.sha256(f"{role}\x1f{fold(full_name)}\x1f{(email or '').lower()}".encode()).hexdigest()
    return f"import:{digest[:32]}"  # the column holds 40 characters


def _read_row(
    number: int, values: dict[str, str], default_role: str | None, default_language: str
) -> tuple[dict[str, Any] | None, list[BadRow]]:
    errors: list[BadRow] = []
    holder: dict[str, Any] = {}
    role_word = values.get("role", "")
    role = _FOLDED_ROLES.get(fold(role_word)) if role_word else default_role
    if role is None:
        code = "unknown_role" if role_word else "role_required"
        errors.append(BadRow(number, "role", code, f"the role must be one of {', '.join(IMPORTED_ROLES)}"))
    holder["role"] = role
    language_word = values.get("language", "")
    language = _FOLDED_LANGUAGES.get(fold(language_word)) if language_word else default_language
    if language is None:
        errors.append(BadRow(number, "language", "invalid_choice", "must be ar, fr or en"))
    holder["language"] = language
    for name, kind in _TYPES.items():
        text = values.get(name, "")
        if not text:
            if name == "full_name":
                errors.append(BadRow(number, name, "required", "is required"))
            holder[name] = None if name == "email" else ""
            continue
        try:
            holder[name] = msgspec.convert(text, kind)
        except msgspec.ValidationError as exc:
            errors.append(BadRow(number, name, "invalid", str(exc)))
    errors += [
        BadRow(number, error.field, error.code, error.reason)
        for error in control_character_errors({name: values.get(name) for name in _TYPES})
    ]
    return (None if errors else holder), errors


async def import_holders(
    *, slug: str, data: bytes, actor: Actor | None, now: datetime, default_role: str | None = None,
    default_language: str = "fr",
) -> HolderImport:  # fmt: skip
    """Badges for every row of a CSV or XLSX file, or none when a row is wrong (the report
    then says which and why). ``default_role`` is for rows with no role (a press list);
    InvalidInput naming ``file`` when the file cannot be read or has no name column."""
    exhibition = await organizers_exhibition(slug, actor)
    if default_role is not None and default_role not in IMPORTED_ROLES:
        raise InvalidInput.single("role", "invalid_choice", f"must be one of {', '.join(IMPORTED_ROLES)}")
    if default_language not in get_args(Language):
        raise InvalidInput.single("language", "invalid_choice", "must be ar, fr or en")
    sheet = read_sheet(data)
    columns: dict[str, int] = {}
    report = HolderImport()
    for index, header in enumerate(sheet.headers):
        name = _FOLDED_HEADERS.get(fold(header))
        if name is None or name in columns:
            if header.strip():
                report.ignored_columns.append(header)
            continue
        columns[name] = index
    if "full_name" not in columns:
        raise InvalidInput.single("file", "missing_column", "the file needs a name column (full_name, nom, الاسم)")
    if "role" not in columns and default_role is None:
        raise InvalidInput.single("role", "required", "the file has no role column: choose the role of its rows")
    if len(sheet.rows) > MAX_IMPORTED_ROWS:
        raise InvalidInput.single("file", "too_many_rows", f"at most {MAX_IMPORTED_ROWS} rows at once")
    holders: list[dict[str, Any]] = []
    for number, cells in sheet.rows:
        values = {name: _text(cells[index]) if index < len(cells) else "" for name, index in columns.items()}
        if not any(values.values()):
            continue  # a blank line
        report.rows += 1
        holder, errors = _read_row(number, values, default_role, default_language)
        report.errors += errors
        if holder is not None:
            holders.append(holder)
    if report.errors:
        return report
    async with write_transaction(db()):
        for holder in holders:
            added = await insert_holder(
                exhibition_id=exhibition["id"], role=holder["role"], full_name=holder["full_name"],
                title=holder["title"], organization_id=None, organization_label=holder["organization_label"],
                email=holder["email"], language=holder["language"],
                source_key=source_key(holder["role"], holder["full_name"], holder["email"]),
                requested_by=user_of(actor), now=now,
            )  # fmt: skip
            if added is None:
                report.already += 1
            else:
                report.added += 1
    return report


def field_errors(report: HolderImport) -> list[FieldError]:
    """The report's problems as the API's problem document names them: ``rows[N].field``."""
    return [FieldError(f"rows[{bad.row}].{bad.field}", bad.code, bad.reason) for bad in report.errors]
