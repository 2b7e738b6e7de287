"""Tickets as one PDF, a page per ticket, in the holder's language.

Rendered by WeasyPrint from ``templates/tickets/ticket_pdf.html`` and
``static/css/ticket-pdf.css``. Plain values in, bytes out: no database, no request. The
template and the stylesheet are the only things a render may read; ``LocalResources``
refuses every other URL, so no value that reaches a document can make the server fetch
a remote address or a local file.
"""

from __future__ import annotations

import asyncio
import mimetypes
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import anyio
import anyio.to_thread
import jinja2
from babel.dates import format_interval
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from exhibitions.events.hours import DayHours
from exhibitions.paths import STATIC_DIR, TEMPLATES_DIR
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


class ResourceRefused(ValueError):
    """A document asked for a URL outside templates/ and static/."""


class LocalResources(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's URL fetcher, narrowed to ``file:`` URLs of files under our roots.

    Symbolic links are resolved before the check, so a link inside static/ that points
    elsewhere is refused too."""

    def __init__(self, roots: Sequence[Path] = (TEMPLATES_DIR, STATIC_DIR)) -> None:
        super().__init__(allowed_protocols=("file",))
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
            raise ResourceRefused(f"refused {url!r}: documents read only our templates and static files")
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise ResourceRefused(f"refused {url!r}: not a file under templates/ or static/")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # WeasyPrint ignores the CSS unicode-bidi property (and so <bdi>), but Pango honours
    # the Unicode isolates: a Latin name or a time range keeps its own order in Arabic.
    environment.filters["isolate"] = lambda text: f"\u2068{text}\u2069"
    environment.filters["ltr"] = lambda text: f"\u2066{text}\u2069"
    return environment


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
    template = _environment().get_template(TEMPLATE)
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


def html_to_pdf(html: str) -> bytes:
    """Relative URLs resolve against static/; anything outside templates/ and static/ is refused."""
    document = HTML(string=html, base_url=STATIC_DIR.resolve().as_uri() + "/", url_fetcher=LocalResources())
    pdf: bytes = document.write_pdf()
    return pdf


def tickets_pdf(tickets: Sequence[TicketPage], place: Place, *, language: str) -> bytes:
    """Blocks for the time of the render: call ``render_tickets_pdf`` from the event loop."""
    return html_to_pdf(tickets_html(tickets, place, language=language))


# A limiter belongs to the event loop it was made in; tests and the CLI run several loops.
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = weakref.WeakKeyDictionary()


async def render_tickets_pdf(tickets: Sequence[TicketPage], place: Place, *, language: str) -> bytes:
    """The PDF, rendered in a worker thread. One render at a time per process: layout holds
    the GIL, so a second thread adds no throughput, and it keeps a burst of group PDFs from
    filling the thread pool that other blocking work shares."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(1)
    render = partial(tickets_pdf, tickets, place, language=language)
    return await anyio.to_thread.run_sync(render, limiter=limiter)
