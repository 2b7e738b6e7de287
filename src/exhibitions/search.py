"""Text search conditions for Piccolo queries, the same on both engines."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from piccolo.columns import Column


def contains_any(columns: Sequence[Column], text: str) -> Any:
    """Rows where any of ``columns`` contains ``text``, ignoring case. SQLite's LIKE already
    ignores case (for ASCII letters); PostgreSQL needs ILIKE."""
    pattern = f"%{text.strip()}%"
    insensitive = columns[0]._meta.table._meta.db.engine_type == "postgres"
    condition: Any = None
    for column in columns:
        match = column.ilike(pattern) if insensitive else column.like(pattern)
        condition = match if condition is None else condition | match
    return condition


# Arabic letters people write interchangeably: hamza forms of alef, alef maksura, teh marbuta.
_ARABIC_EQUIVALENTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})


def fold(text: str) -> str:
    """The form a name is stored and searched in: case folded, Latin accents and Arabic
    diacritics (harakat, shadda) dropped, tatweel removed, interchangeable Arabic letters
    unified and spaces collapsed. "Coopérative Tifawine" and "cooperative TIFAWINE" fold
    alike; so do "تعاونيّة" and "تعاونية"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # NFKD splits the hamza off alef (أ → ا + U+0654), so dropping marks also unifies alefs.
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(_ARABIC_EQUIVALENTS).split())


def folded_contains(column: Column, text: str) -> Any:
    """Rows whose folded ``column`` (stored through :func:`fold`) holds every word of ``text``,
    folded alike, in any order. Plain LIKE behaves the same on both engines here, since both
    sides are already lower case; LIKE's wildcards are dropped from the words (the engines
    escape them differently). None when ``text`` has no word."""
    condition: Any = None
    for word in folded_words(text):
        match = column.like(f"%{word}%")
        condition = match if condition is None else condition & match
    return condition


def folded_words(text: str) -> list[str]:
    """The words of ``text`` as :func:`folded_contains` looks for them: folded, without
    LIKE's wildcards (the engines escape them differently)."""
    return fold(text.replace("%", " ").replace("_", " ").replace("\\", " ")).split()
