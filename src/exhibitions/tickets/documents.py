"""Tickets as one PDF, a page per ticket, in the holder's language.

Rendered by WeasyPrint from ``templates/tickets/ticket_pdf.html`` and
``static/css/ticket-pdf.css`` through ``exhibitions.documents`` (its locked-down URL
fetcher, its template environment, one render at a time). Plain values in, bytes out: no
database, no request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel.dates import format_interval

from exhibitions.documents import document_environment, html_to_pdf, render_in_thread
from exhibitions.events.hours import DayHours
from exhibitions.tickets.qr import qr_svg
from exhibitions.web.i18n import Translator

TEMPLATE = "tickets/ticket_pdf.html"
# With long names and addresses, this many lines of opening hours still fit the page.
MAX_HOURS_LINES = 8


@dataclass(frozen=True)
class TicketPage:
    """One ticket as its page shows it."""

    holder_name: str
    category: str
    manual_code: str
    code: str
    first_day: date
    last_day: date
    cancelled: bool = False


@dataclass(frozen=True)
class Place:
    """The exhibition as every ticket page shows it, already in the document's language."""

    title: str
    venue_name: str
    venue_address: str
    city: str
    days: Sequence[DayHours]


@dataclass(frozen=True)
class HoursLine:
    when: str
    hours: str
    note: str


def valid_days(first_day: date, last_day: date, translator: Translator) -> str:
    return str(format_interval(first_day, last_day, "yMMMEd", locale=translator.locale))


def hours_lines(days: Sequence[DayHours], first_day: date, last_day: date, translator: Translator) -> list[HoursLine]:
    """A line for each run of consecutive days with the same hours and note, within the
    ticket's days; one "every day" line when they are all alike; at most MAX_HOURS_LINES."""
    runs: list[list[DayHours]] = []
    for day in days:
        if not first_day <= day.day <= last_day:
            continue
        previous = runs[-1][-1] if runs else None
        if previous is not None and (previous.opens_at, previous.closes_at, previous.note) == (
            day.opens_at,
            day.closes_at,
            day.note,
        ):
            runs[-1].append(day)
        else:
            runs.append([day])

    def line(when: str, day: DayHours) -> HoursLine:
        if day.opens_at is None or day.closes_at is None:
            return HoursLine(when, translator.gettext("Closed"), day.note)
        return HoursLine(when, f"{translator.time(day.opens_at)} – {translator.time(day.closes_at)}", day.note)

    if len(runs) == 1:
        return [line(translator.gettext("Every day"), runs[0][0])]
    lines = [
        line(str(format_interval(run[0].day, run[-1].day, "MMMEd", locale=translator.locale)), run[0]) for run in runs
    ]
    if len(lines) > MAX_HOURS_LINES:
        # Keep the ticket on one page: a schedule that changes every day is on the exhibition's page.
        other_days = HoursLine(translator.gettext("Other days"), translator.gettext("see the exhibition's page"), "")
        lines = [*lines[: MAX_HOURS_LINES - 1], other_days]
    return lines


def tickets_html(tickets: Sequence[TicketPage], place: Place, *, language: str) -> str:
    """The document's HTML: what the PDF shows, for a test or a person to read."""
    translator = Translator(language)
    pages = [
        {
            "holder_name": ticket.holder_name,
            "category": ticket.category,
            "manual_code": ticket.manual_code,
            "qr": qr_svg(ticket.code, title=ticket.manual_code),
            "valid_days": valid_days(ticket.first_day, ticket.last_day, translator),
            "hours": hours_lines(place.days, ticket.first_day, ticket.last_day, translator),
            "cancelled": ticket.cancelled,
        }
        for ticket in tickets
    ]
    template = document_environment().get_template(TEMPLATE)
    return template.render(
        lang=language,
        dir=translator.direction,
        _=translator.gettext,
        gettext=translator.gettext,
        ngettext=translator.ngettext,
        comma="، " if language == "ar" else ", ",
        title=place.title,
        venue_name=place.venue_name,
        venue_address=place.venue_address,
        city=place.city,
        tickets=pages,
    )


def tickets_pdf(tickets: Sequence[TicketPage], place: Place, *, language: str) -> bytes:
    """Blocks for the time of the render: call ``render_tickets_pdf`` from the event loop."""
    return html_to_pdf(tickets_html(tickets, place, language=language))


async def render_tickets_pdf(tickets: Sequence[TicketPage], place: Place, *, language: str) -> bytes:
    """The PDF, rendered in a worker thread, one document at a time per process (plans too)."""
    return await render_in_thread(tickets_pdf, tickets, place, language=language)
