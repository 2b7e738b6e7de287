"""What a spreadsheet row means as an organization: the columns recognized by their
header in English, French or Arabic, and each cell turned into the value the services
take, with every unreadable cell named. Pure: the rules an organization follows
(``validation.organization_errors``) are applied afterwards by the service, the same
ones as the form and the API.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from exhibitions.errors import FieldError, InvalidInput
from exhibitions.events.regions import all_regions
from exhibitions.exhibitors.spreadsheets import Cell
from exhibitions.exhibitors.tables import LegalForm, Sector
from exhibitions.search import fold
from exhibitions.spreadsheets import restore_text

# Field -> the headers that name it. The first is the one exports write. Headers are
# compared through _key: case, accents, Arabic diacritics, punctuation and spacing ignored.
COLUMNS: dict[str, tuple[str, ...]] = {
    "legal_form": ("Legal form", "legal_form", "Form", "Forme juridique", "Statut juridique", "الشكل القانوني"),
    "name_ar": (
        "Name (Arabic)", "name_ar", "Arabic name", "Nom (arabe)", "Nom en arabe", "Raison sociale (arabe)",
        "الاسم بالعربية", "الاسم (بالعربية)", "الاسم",
    ),
    "name_latin": (
        "Name (Latin)", "name_latin", "Name", "Latin name", "Nom", "Nom (latin)", "Raison sociale", "Dénomination",
        "الاسم باللاتينية", "الاسم (باللاتينية)",
    ),
    "registry_number": (
        "Registry number", "registry_number", "Register number", "N° registre", "Nº registre", "No registre",
        "Numéro de registre", "Numéro d'enregistrement", "N° d'enregistrement", "رقم التسجيل", "رقم السجل",
    ),
    "ice": ("ICE", "Identifiant commun de l'entreprise", "التعريف الموحد للمقاولة", "رقم التعريف الموحد"),
    "region": ("Region", "Région", "Code région", "الجهة"),
    "city": ("City", "Province/city", "Province", "Ville", "Commune", "المدينة", "الإقليم", "الجماعة"),
    "sector": ("Sector", "Secteur", "Secteur d'activité", "القطاع", "قطاع النشاط"),
    "founded_year": ("Year founded", "founded_year", "Founded", "Année de création", "سنة التأسيس"),
    "members_total": (
        "Members", "members_total", "Members (total)", "Membres", "Adhérents", "Nombre d'adhérents",
        "عدد الأعضاء", "عدد المنخرطين",
    ),
    "members_women": (
        "Women members", "members_women", "Women", "Femmes", "Adhérentes", "Nombre de femmes", "عدد النساء",
        "عدد العضوات",
    ),
    "members_youth": (
        "Youth members (under 35)", "members_youth", "Youth members", "Youth", "Jeunes", "Jeunes (moins de 35 ans)",
        "Nombre de jeunes", "عدد الشباب",
    ),
    "declared_women_led": (
        "Declared women-led", "declared_women_led", "Women-led", "Dirigée par des femmes", "تسيرها نساء",
    ),
    "email": ("E-mail", "email", "Courriel", "Adresse e-mail", "البريد الإلكتروني"),
    "phone": ("Phone", "Telephone", "Téléphone", "Tél", "Tel", "الهاتف", "رقم الهاتف"),
}  # fmt: skip

REQUIRED_COLUMNS = ("legal_form", "registry_number", "region", "city", "sector")
NAME_COLUMNS = ("name_ar", "name_latin")
TEXT_FIELDS = {"name_ar": 200, "name_latin": 200, "registry_number": 40, "city": 100, "email": 254, "phone": 30}
COUNT_FIELDS = ("members_total", "members_women", "members_youth")

LEGAL_FORMS: dict[LegalForm, tuple[str, ...]] = {
    LegalForm.cooperative: ("cooperative", "coopérative", "coop", "تعاونية"),
    LegalForm.association: ("association", "جمعية"),
    LegalForm.mutual: ("mutual", "mutuelle", "تعاضدية"),
    LegalForm.company: ("company", "société", "entreprise", "شركة", "مقاولة"),
    LegalForm.public_body: ("public body", "établissement public", "organisme public", "مؤسسة عمومية"),
}
SECTORS: dict[Sector, tuple[str, ...]] = {
    Sector.agriculture: ("agriculture", "الفلاحة", "فلاحة", "الزراعة"),
    Sector.handicrafts: ("handicrafts", "handicraft", "crafts", "artisanat", "الصناعة التقليدية"),
    Sector.fishing: ("fishing", "pêche", "الصيد البحري", "الصيد"),
    Sector.argan: ("argan", "أركان", "الأركان"),
    Sector.food_processing: (
        "food processing", "agroalimentaire", "agro-alimentaire", "transformation alimentaire",
        "الصناعات الغذائية", "التصنيع الغذائي",
    ),
    Sector.textile: ("textile", "النسيج"),
    Sector.services: ("services", "service", "الخدمات"),
    Sector.other: ("other", "autre", "autres", "أخرى"),
}  # fmt: skip
_TRUE = ("yes", "y", "true", "1", "x", "oui", "o", "vrai", "نعم")
_FALSE = ("no", "n", "false", "0", "non", "faux", "لا", "")

_NOT_WORD = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    """How headers and choice values are compared: "N° registre", "n registre" and
    "N°-Registre" alike; "Coopérative" and "cooperative"; "تعاونيّة" and "تعاونية"."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def _lookup(aliases: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for value, names in aliases.items():
        for name in (getattr(value, "value", value), *names):
            table[name] = table[_key(name)] = value
    return table


_HEADERS = _lookup(COLUMNS)
_LEGAL_FORMS = _lookup(LEGAL_FORMS)
_SECTORS = _lookup(SECTORS)


def _region_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for region in all_regions():
        for name in (region.code, region.name_ar, region.name_fr, region.name_en, str(region.number)):
            table[name] = table[_key(name)] = region.code
        table[_key(f"{region.number:02d}")] = region.code
    return table


_REGIONS = _region_lookup()


def export_header(field_name: str) -> str:
    return COLUMNS[field_name][0]


@dataclass(frozen=True)
class Columns:
    """Which field each column of the sheet holds; the columns it did not recognize."""

    fields: dict[int, str]
    headers: dict[str, str]  # field -> the header as the sheet spells it
    ignored: list[str] = field(default_factory=list)


def map_headers(headers: Sequence[str]) -> Columns:
    """The columns, or InvalidInput naming ``file`` when a required one is missing or two
    columns mean the same field."""
    fields: dict[int, str] = {}
    spelled: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[FieldError] = []
    for index, header in enumerate(headers):
        name = _HEADERS.get(_key(header))
        if name is None:
            if header.strip():
                ignored.append(header)
            continue
        if name in spelled:
            errors.append(
                FieldError("file", "duplicate_column", f"columns {spelled[name]!r} and {header!r} both mean {name}")
            )
            continue
        fields[index] = name
        spelled[name] = header
    missing = [name for name in REQUIRED_COLUMNS if name not in spelled]
    if not any(name in spelled for name in NAME_COLUMNS):
        missing.append("name_latin or name_ar")
    for name in missing:
        errors.append(
            FieldError("file", "missing_column", f"no column for {name}; see the sample file for the headers")
        )
    if errors:
        raise InvalidInput(errors)
    return Columns(fields=fields, headers=spelled, ignored=ignored)


@dataclass(frozen=True)
class ParsedRow:
    number: int
    # Only the fields the sheet has a column for; a blank cell is a blank (None) value.
    values: dict[str, Any]
    errors: list[FieldError]


def parse_row(number: int, cells: Sequence[Cell], columns: Columns) -> ParsedRow:
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for index, name in columns.fields.items():
        cell = cells[index] if index < len(cells) else None
        try:
            values[name] = _PARSERS.get(name, _text)(name, cell)
        except _BadCell as bad:
            errors.append(FieldError(name, bad.code, bad.reason))
    return ParsedRow(number=number, values=values, errors=errors)


class _BadCell(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def _as_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # 12345.0 from a sheet is the register number 12345
    if isinstance(cell, str):
        return restore_text(cell.strip())
    return str(cell)


def _text(name: str, cell: Cell) -> str | None:
    text = _as_text(cell)
    if len(text) > TEXT_FIELDS.get(name, 200):
        raise _BadCell("text_too_long", f"at most {TEXT_FIELDS.get(name, 200)} characters")
    return text or None


def _integral(cell: Cell) -> int | None:
    """The whole number a numeric cell holds (a spreadsheet's 1561191000066.0), else None."""
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return None
    if isinstance(cell, float) and not (math.isfinite(cell) and cell.is_integer()):
        return None
    return int(cell)


def _ice(name: str, cell: Cell) -> str | None:
    # A spreadsheet stores a typed ICE as a number and drops its leading zeros: put them back.
    number = _integral(cell)
    if number is not None and 0 <= number < 10**15:
        return f"{number:015d}"
    text = "".join(_as_text(cell).split())
    if len(text) > 20:
        raise _BadCell("invalid_ice", "must be the 15 digits of a valid ICE")
    return text or None


def _phone(name: str, cell: Cell) -> str | None:
    # As a number, 0612345678 became 612345678 and +212612345678 became 212612345678.
    number = _integral(cell)
    if number is not None and number > 0:
        digits = str(number)
        return f"+{digits}" if digits.startswith("212") else f"0{digits}"
    return _text(name, cell)


def _choice(table: dict[str, Any], code: str, reason: str) -> Any:
    def parse(name: str, cell: Cell) -> Any:
        text = _as_text(cell)
        if not text:
            raise _BadCell("required", "must not be blank")
        found = table.get(text)  # most cells are the codes themselves: skip the folding
        if found is None:
            found = table.get(_key(text))
        if found is None:
            raise _BadCell(code, reason)
        return found

    return parse


def _whole_number(cell: Cell) -> int | None:
    if isinstance(cell, bool):
        raise _BadCell("not_a_number", "must be a whole number")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        if not cell.is_integer():
            raise _BadCell("not_a_number", "must be a whole number")
        return int(cell)
    text = "".join(_as_text(cell).split())
    if not text:
        return None
    if text.endswith((".0", ",0")):
        text = text[:-2]
    if not text.isdigit() or not text.isascii():
        raise _BadCell("not_a_number", "must be a whole number")
    return int(text)


def _count(name: str, cell: Cell) -> int:
    number = _whole_number(cell)
    if number is None:
        return 0
    if not 0 <= number <= 1_000_000:
        raise _BadCell("out_of_range", "must be between 0 and 1,000,000")
    return number


def _year(name: str, cell: Cell) -> int | None:
    number = _whole_number(cell)
    if number is not None and not 1900 <= number <= 2100:
        raise _BadCell("out_of_range", "must be a year between 1900 and 2100")
    return number


def _yes_no(name: str, cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = _key(_as_text(cell))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _BadCell("invalid_choice", "must be yes or no")


_PARSERS: dict[str, Any] = {
    "legal_form": _choice(
        _LEGAL_FORMS, "unknown_legal_form", "must be cooperative, association, mutual, company or public_body"
    ),
    "sector": _choice(_SECTORS, "unknown_sector", f"must be one of {', '.join(sector.value for sector in Sector)}"),
    "region": _choice(_REGIONS, "unknown_region", "must be a region code, MA-01 to MA-12, or a region's name"),
    "ice": _ice,
    "phone": _phone,
    "founded_year": _year,
    "members_total": _count,
    "members_women": _count,
    "members_youth": _count,
    "declared_women_led": _yes_no,
}
