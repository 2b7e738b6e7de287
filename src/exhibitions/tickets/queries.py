"""Reads of tickets for organizers: the searchable visitor list and its export."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from exhibitions.search import contains_any
from exhibitions.tickets.tables import Ticket

_LIST_COLUMNS = (
    Ticket.id,
    Ticket.holder_name,
    Ticket.email,
    Ticket.phone,
    Ticket.home_region,
    Ticket.country,
    Ticket.category,
    Ticket.language,
    Ticket.share_contact,
    Ticket.manual_code,
    Ticket.status,
    Ticket.group_leader,
    Ticket.replaces,
    Ticket.created_at,
    Ticket.revoked_at,
    Ticket.access_token,
)


def _matching(exhibition_id: int, search: str | None) -> Any:
    where: Any = Ticket.exhibition == exhibition_id
    if search and search.strip():
        text = search.strip()
        # Staff read manual codes aloud: spaces and dashes are not part of them.
        manual_code = Ticket.manual_code == text.replace(" ", "").replace("-", "").upper()
        condition = manual_code | contains_any((Ticket.holder_name, Ticket.email, Ticket.phone), text)
        where = where & condition
    return where


async def list_tickets(
    *, exhibition_id: int, search: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Tickets of an exhibition, newest first, and how many match in all."""
    where = _matching(exhibition_id, search)
    rows = (
        await Ticket.select(*_LIST_COLUMNS)
        .where(where)
        .order_by(Ticket.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    total = await Ticket.count().where(where)
    return rows, int(total)


async def iter_tickets(*, exhibition_id: int, batch: int = 2000) -> AsyncIterator[dict[str, Any]]:
    """Every ticket of an exhibition, oldest first, a batch at a time (exports of any size)."""
    last_id = 0
    while True:
        rows = await (
            Ticket.select(*_LIST_COLUMNS)
            .where((Ticket.exhibition == exhibition_id) & (Ticket.id > last_id))
            .order_by(Ticket.id)
            .limit(batch)
        )
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        last_id = rows[-1]["id"]
