"""The organizers' view of visitors: search, export, and replacing a ticket."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.notifications import services as notifications
from exhibitions.spreadsheets import BYTE_ORDER_MARK, neutralize
from exhibitions.text import has_control_characters
from exhibitions.tickets import queries
from exhibitions.tickets.services._checkin import _managed_exhibition
from exhibitions.tickets.services._registration import TicketView, new_manual_code, signing_key, ticket_view
from exhibitions.tickets.tables import Ticket

EXPORT_COLUMNS = (
    "id", "holder_name", "email", "phone", "home_region", "country", "category", "language", "share_contact",
    "manual_code", "status", "group_leader", "replaces", "created_at", "revoked_at",
)  # fmt: skip


async def list_visitors(
    *, slug: str, actor: Actor | None, search: str | None, page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of an exhibition's tickets, newest first, and the number that match."""
    exhibition = await _managed_exhibition(slug, actor)
    if search is not None and has_control_characters(search):
        raise InvalidInput.single("q", "control_characters", "must not contain control characters")
    return await queries.list_tickets(
        exhibition_id=exhibition["id"], search=search, limit=per_page, offset=(page - 1) * per_page
    )


async def export_visitors_csv(*, slug: str, actor: Actor | None) -> AsyncIterator[str]:
    """Every ticket as CSV text, in chunks, for a spreadsheet. The byte order mark lets
    Excel read the Arabic names as UTF-8."""
    exhibition = await _managed_exhibition(slug, actor)

    async def chunks() -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write(BYTE_ORDER_MARK)
        writer.writerow(EXPORT_COLUMNS)
        async for row in queries.iter_tickets(exhibition_id=exhibition["id"]):
            # A visitor's "name" must never run as a formula in the organizer's spreadsheet.
            writer.writerow([neutralize(row[column]) for column in EXPORT_COLUMNS])
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return chunks()


async def replace_ticket(
    *, slug: str, ticket_id: int, actor: Actor | None, secret_key: str, now: datetime
) -> TicketView:
    """A new ticket for the same holder; the old one is revoked in the same transaction, so
    exactly one of the two is ever valid. A ticket is replaced once: replace the new one next."""
    exhibition = await _managed_exhibition(slug, actor)
    key_id, private_key = await signing_key(exhibition_id=exhibition["id"], secret_key=secret_key, now=now)
    async with write_transaction(Ticket._meta.db):
        revoked = await Ticket.raw(
            "UPDATE ticket SET status = 'revoked', revoked_at = {} WHERE id = {} AND exhibition = {}"
            " AND status = 'valid' RETURNING *",
            now, ticket_id, exhibition["id"],
        )  # fmt: skip
        if not revoked:
            if not await Ticket.exists().where((Ticket.id == ticket_id) & (Ticket.exhibition == exhibition["id"])):
                raise NotFound(f"no ticket {ticket_id} for this exhibition")
            raise Conflict(
                "this ticket is already cancelled or replaced",
                errors=[FieldError("ticket", "not_valid", "is already cancelled or replaced")],
            )
        old = revoked[0]
        # The random codes may collide with another ticket's (1 in 10^11): draw again.
        for _ in range(3):
            rows = await Ticket.raw(
                "INSERT INTO ticket (exhibition, access_token, manual_code, holder_name, email, phone, home_region,"
                " country, category, language, share_contact, first_day, day_count, key_id, group_leader, replaces,"
                " created_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})"
                " ON CONFLICT DO NOTHING RETURNING *",
                old["exhibition"], secrets.token_urlsafe(24), new_manual_code(), old["holder_name"], old["email"],
                old["phone"], old["home_region"], old["country"], old["category"], old["language"],
                old["share_contact"], old["first_day"], old["day_count"], key_id, old["group_leader"], old["id"], now,
            )  # fmt: skip
            if rows:
                # In the same transaction: the holder is told the new code, or nothing changed.
                await notifications.enqueue_ticket_email(ticket=rows[0], now=now)
                break
        else:
            raise Conflict("could not issue the replacement; try again")
        # A group's members follow their leader's new ticket (it prints the group's PDF).
        await Ticket.raw("UPDATE ticket SET group_leader = {} WHERE group_leader = {}", rows[0]["id"], old["id"])
    return ticket_view(rows[0], slug, private_key)
