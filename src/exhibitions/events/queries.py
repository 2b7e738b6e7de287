from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from piccolo.query import OrderByRaw

from exhibitions.errors import NotFound
from exhibitions.events.schemas import SLUG_PATTERN
from exhibitions.events.tables import Exhibition, Hall, OpeningException, Venue
from exhibitions.search import contains_any

_EXHIBITION_COLUMNS = (
    *Exhibition.all_columns(),
    Exhibition.venue.name.as_alias("venue_name"),
    Exhibition.venue.city.as_alias("city"),
    Exhibition.venue.address.as_alias("venue_address"),
)


_SLUG = re.compile(SLUG_PATTERN)

# The public exhibition page and API read these three on every request. Hand-written SQL
# through Piccolo's ``raw`` costs about a third of the query builder's time per call
# (docs/benchmarks.md); the rows have the same keys and types as the builder's.
_FIND_EXHIBITION = """
SELECT e.*, v.name AS venue_name, v.city AS city, v.address AS venue_address
FROM exhibition e JOIN venue v ON v.id = e.venue
WHERE e.slug = {}
"""


async def find_exhibition(slug: str, *, for_update: bool = False) -> dict[str, Any] | None:
    """``for_update`` locks the row until the transaction ends, so that two concurrent edits
    apply one after the other instead of the second overwriting the first with what it read.
    (SQLite needs no row lock: a write transaction there holds the whole database.)"""
    if not _SLUG.fullmatch(slug):
        return None  # cannot exist; and PostgreSQL would refuse some characters outright
    lock = " FOR UPDATE OF e" if for_update and Exhibition._meta.db.engine_type == "postgres" else ""
    rows = await Exhibition.raw(_FIND_EXHIBITION + lock, slug)
    return rows[0] if rows else None


async def get_exhibition(slug: str) -> dict[str, Any]:
    row = await find_exhibition(slug)
    if row is None:
        raise NotFound(f"no exhibition {slug!r}")
    return row


async def list_opening_exceptions(exhibition_id: int) -> list[dict[str, Any]]:
    return await OpeningException.raw(  # type: ignore[no-any-return]
        "SELECT * FROM opening_exception WHERE exhibition = {} ORDER BY day", exhibition_id
    )


async def list_halls(venue_id: int) -> list[dict[str, Any]]:
    return await Hall.raw("SELECT * FROM hall WHERE venue = {} ORDER BY name", venue_id)  # type: ignore[no-any-return]


def _visibility(statuses: Collection[str], also_ids: Collection[int]) -> Any:
    condition: Any = Exhibition.status.is_in(list(statuses))
    if also_ids:
        condition = condition | Exhibition.id.is_in(list(also_ids))
    return condition


async def list_exhibitions(
    *,
    statuses: Collection[str],
    also_ids: Collection[int] = (),
    kind: str | None = None,
    region: str | None = None,
    search: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Exhibitions in ``statuses`` (plus those with ``also_ids``), soonest first and closed ones
    last; and the total count."""
    where = _visibility(statuses, also_ids)
    if kind:
        where = where & (Exhibition.kind == kind)
    if region:
        where = where & (Exhibition.region == region)
    if search:
        columns = (
            Exhibition.title_ar,
            Exhibition.title_fr,
            Exhibition.title_en,
            Exhibition.venue.city,
            Exhibition.slug,
        )
        condition = contains_any(columns, search)
        where = where & condition
    rows = await (
        Exhibition.select(*_EXHIBITION_COLUMNS)
        .where(where)
        # Closed editions after the ones to come: visitors come to the list for what is next.
        .order_by(OrderByRaw("CASE WHEN status = 'closed' THEN 1 ELSE 0 END"))
        .order_by(Exhibition.starts_on)
        .order_by(Exhibition.id)
        .limit(limit)
        .offset(offset)
    )
    total = await Exhibition.count().where(where)
    return rows, int(total)


async def find_venue_id(name: str, city: str) -> int | None:
    row = await Venue.select(Venue.id).where((Venue.name == name) & (Venue.city == city)).first()
    return None if row is None else int(row["id"])
