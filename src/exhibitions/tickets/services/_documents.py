"""Tickets as a PDF: what a ticket link downloads."""

from __future__ import annotations

from dataclasses import dataclass

from exhibitions.events import services as event_services
from exhibitions.settings import LANGUAGES
from exhibitions.tickets import documents
from exhibitions.tickets.services._groups import get_group
from exhibitions.tickets.tables import TicketStatus


@dataclass(frozen=True)
class TicketPdf:
    filename: str
    content: bytes


async def ticket_pdf(*, access_token: str, secret_key: str, language: str | None = None) -> TicketPdf:
    """The ticket behind a link as a PDF, one page per ticket: for a group's leader, their
    ticket and then each member's. In the holder's language unless ``language`` is given."""
    group = await get_group(access_token=access_token, secret_key=secret_key)
    leader = group.leader
    language = language if language in LANGUAGES else str(leader.row["language"])
    exhibition = await event_services.get_exhibition_detail(slug=leader.exhibition_slug, actor=None)
    place = documents.Place(
        title=exhibition.title(language),
        venue_name=exhibition.row["venue_name"],
        venue_address=exhibition.row["venue_address"] or "",
        city=exhibition.row["city"],
        days=exhibition.days,
    )
    pages = [
        documents.TicketPage(
            holder_name=view.row["holder_name"],
            category=view.row["category"],
            manual_code=view.row["manual_code"],
            code=view.code,
            first_day=view.row["first_day"],
            last_day=view.last_day,
            cancelled=view.row["status"] != TicketStatus.valid.value,
        )
        for view in group.tickets
    ]
    content = await documents.render_tickets_pdf(pages, place, language=language)
    stem = "tickets" if group.members else "ticket"
    return TicketPdf(f"{stem}-{leader.exhibition_slug}-{leader.row['manual_code']}.pdf", content)
