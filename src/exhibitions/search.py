"""Text search conditions for Piccolo queries, the same on both engines."""

from __future__ import annotations

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
