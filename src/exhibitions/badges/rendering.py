"""Badges as PDFs: one badge for a kiosk, or A4 sheets of N badges with cut marks.

Plain values in (``BadgeView``), bytes out: no database, no request. WeasyPrint draws
``templates/badges/sheet.html`` with the size's template (``a6.html``, ``label.html``) and
stylesheets (``common.css`` and the size's), through the locked URL fetcher of
``exhibitions.documents``: a badge reads nothing but our templates and static files.

Texts are fitted before the layout (``fitting.py`` with the fonts' shaped widths,
``fonts.py``): each box gets its font size in the HTML, so WeasyPrint lays every badge
out once. A large sheet is cut into chunks of whole pages, rendered by worker processes
(one per core) and joined with pypdf.
"""

from __future__ import annotations

import gc
import io
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from exhibitions.badges.fitting import fit_paragraphs
from exhibitions.badges.fonts import bold_width, line_metrics, regular_width
from exhibitions.badges.layouts import A4, LAYOUTS, POINTS_PER_MM, Layout, Mark, TextBox
from exhibitions.badges.qr import qr_svg
from exhibitions.badges.views import BadgeSize, BadgeView
from exhibitions.documents import document_environment, local_resources, render_in_thread
from exhibitions.paths import STATIC_DIR, TEMPLATES_DIR
from exhibitions.web.i18n import N_, RTL_LANGUAGES, Translator

if TYPE_CHECKING:
    from weasyprint import CSS

TEMPLATE = "badges/sheet.html"
ROLE_LABELS = {
    "exhibitor_staff": N_("Exhibitor"),
    "speaker": N_("Speaker"),
    "moderator": N_("Moderator"),
    "organizer": N_("Organizer"),
    "staff": N_("Staff"),
    "press": N_("Press"),
    "vip": N_("VIP / Partner"),
}
# Badges per WeasyPrint document when a sheet is split: whole A4 pages, small enough to
# keep each worker's memory low and the progress moving, big enough that a document's
# fixed costs (stylesheets, fonts' subsets) are shared by many badges.
CHUNK_PAGES = 15

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Slot:
    x: float
    y: float
    badge: dict[str, Any] | None


@dataclass(frozen=True)
class _Page:
    slots: list[_Slot]
    marks: str  # an SVG element, or ""
    back: bool


def badge_context(view: BadgeView, size: BadgeSize) -> dict[str, Any]:
    """What the size's template reads for one badge: the view's texts, its translated labels,
    its QR as inline SVG and the font size of each text box."""
    layout = LAYOUTS[size]
    translator = Translator(view.language)
    return {
        "role": view.role,
        "language": view.language,
        "direction": "rtl" if view.language in RTL_LANGUAGES else "ltr",
        "full_name": unbroken_hyphens(view.full_name),
        "title": view.title,
        "organization": view.organization,
        "stand_code": view.stand_code,
        "exhibition_name": view.exhibition_name,
        "exhibition_dates": view.exhibition_dates,
        "back_lines": view.back_lines,
        "role_label": translator.gettext(ROLE_LABELS[view.role]),
        "stand_label": translator.gettext("Stand"),
        "qr": qr_svg(view.qr_payload),
        "fits": text_sizes(view, layout),
    }


def unbroken_hyphens(name: str) -> str:
    """A word joiner after each hyphen: "Bennani-Smires" wraps as one word. A break after the
    hyphen looks like two names, and in a right-to-left line the hyphen then moves to the
    line's other end ("-Bennani"); the fitting counts the compound as one word too."""
    return name.replace("-", "-\u2060")


def text_sizes(view: BadgeView, layout: Layout) -> dict[str, str]:
    """The style of each text box of the badge: the largest font size that fits and, for
    the boxes centred vertically, the space above the lines (WeasyPrint's flex boxes put
    right-to-left lines off centre; the fitting knows how many lines there are)."""
    event = (
        [view.exhibition_name, view.exhibition_dates]
        if "\n" not in view.exhibition_name and layout.boxes["event"].height > 10
        else [f"{view.exhibition_name} · {view.exhibition_dates}"]
    )
    return {
        "event": _style(event, layout.boxes["event"], centred=False),
        "name": _style([view.full_name], layout.boxes["name"]),
        "title": _style([view.title], layout.boxes["title"]),
        "organization": _style([view.organization], layout.boxes["organization"]),
        "back": _style([view.exhibition_name, *view.back_lines], layout.boxes["back"], centred=False),
    }


def _style(paragraphs: Sequence[str], box: TextBox, *, centred: bool = True) -> str:
    # A line's real height depends on the fonts its text needs (fonts.line_metrics).
    lines = [line_metrics(paragraph, box.line_height, bold=box.bold) for paragraph in paragraphs]
    pitch = max(line.pitch for line in lines)
    above = max(line.above for line in lines)
    below = max(line.below for line in lines)
    fit = fit_paragraphs(
        paragraphs,
        width=box.width * POINTS_PER_MM,
        height=box.height * POINTS_PER_MM,
        measure=bold_width if box.bold else regular_width,
        max_size=box.max_size,
        min_size=box.min_size,
        line_height=pitch,
        gap=box.gap,
        overhang=above + below,
        max_lines=box.max_lines,
    )
    style = f"font-size: {fit.size:g}pt"
    if centred:
        used = fit.size * (fit.lines * pitch + above + below) / POINTS_PER_MM
        padding = (box.height - used) / 2 + fit.size * above / POINTS_PER_MM
        style += f"; padding-top: {max(padding, 0):.2f}mm"
    return style


def marks_svg(marks: Sequence[Mark]) -> str:
    """The cut marks as one SVG path over the A4 page: a box per mark would cost layout time."""
    width, height = A4
    commands = []
    for mark in marks:
        if mark.height > mark.width:
            commands.append(f"M{mark.x + mark.width / 2:g} {mark.y:g}v{mark.height:g}")
        else:
            commands.append(f"M{mark.x:g} {mark.y + mark.height / 2:g}h{mark.width:g}")
    thickness = min((min(mark.width, mark.height) for mark in marks), default=0.2)
    return (
        f'<svg class="marks" width="{width:g}mm" height="{height:g}mm" viewBox="0 0 {width:g} {height:g}"'
        f' xmlns="http://www.w3.org/2000/svg">'
        f'<path stroke="#000" stroke-width="{thickness:g}" d="{"".join(commands)}"/></svg>'
    )


def _sheet_pages(badges: Sequence[dict[str, Any]], layout: Layout, *, cut_marks: bool) -> list[_Page]:
    marks = marks_svg(layout.cut_marks()) if cut_marks else ""
    pages: list[_Page] = []
    for start in range(0, len(badges), layout.per_sheet):
        group = badges[start : start + layout.per_sheet]
        pages.append(_Page([_Slot(*layout.slot(index), badge) for index, badge in enumerate(group)], marks, False))
        if any(badge["back_lines"] for badge in group):
            slots = [
                _Slot(*layout.slot(index, back=True), badge if badge["back_lines"] else None)
                for index, badge in enumerate(group)
            ]
            pages.append(_Page(slots, marks, True))
    return pages


def _single_pages(badge: dict[str, Any]) -> list[_Page]:
    pages = [_Page([_Slot(0, 0, badge)], "", False)]
    if badge["back_lines"]:
        pages.append(_Page([_Slot(0, 0, badge)], "", True))
    return pages


def badges_html(
    views: Sequence[BadgeView], *, size: BadgeSize = "a6", sheet: bool = True, cut_marks: bool = True
) -> str:
    """The document's HTML: an A4 sheet (``sheet``) or one badge per page."""
    badges = [badge_context(view, size) for view in views]
    if sheet:
        pages = _sheet_pages(badges, LAYOUTS[size], cut_marks=cut_marks)
    else:
        pages = [page for badge in badges for page in _single_pages(badge)]
    template = document_environment().get_template(TEMPLATE)
    return template.render(size=size, pages=pages, title=_document_title(views))


def _document_title(views: Sequence[BadgeView]) -> str:
    if not views:
        return ""
    first = views[0]
    return f"{first.exhibition_name} · {first.full_name}" if len(views) == 1 else first.exhibition_name


@cache
def _stylesheets(size: BadgeSize, sheet: bool) -> list[CSS]:
    """Parsed once per process and reused by every document: parsing is a fixed cost."""
    from weasyprint import CSS

    layout = LAYOUTS[size]
    width, height = A4 if sheet else (layout.width, layout.height)
    page = f"@page {{ size: {width}mm {height}mm; margin: 0 }} .page {{ width: {width}mm; height: {height}mm }}"
    fetcher = local_resources()
    base = (TEMPLATES_DIR / "badges").resolve().as_uri() + "/"
    return [
        CSS(string=page),
        CSS(filename=str(TEMPLATES_DIR / "badges" / "common.css"), base_url=base, url_fetcher=fetcher),
        CSS(filename=str(TEMPLATES_DIR / "badges" / f"{size}.css"), base_url=base, url_fetcher=fetcher),
    ]


_thread_state = threading.local()


def _font_config() -> Any:
    """One font configuration per thread, kept: making one per document rebuilds Pango's
    font map and loses its caches (tens of milliseconds a kiosk badge). Pango's font maps
    are not shared between threads."""
    config = getattr(_thread_state, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _thread_state.font_config = FontConfiguration()
    return config


def _write_pdf(html: str, size: BadgeSize, sheet: bool) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=STATIC_DIR.resolve().as_uri() + "/", url_fetcher=local_resources())
    pdf: bytes = document.write_pdf(stylesheets=_stylesheets(size, sheet), font_config=_font_config())
    return pdf


def render_badge(view: BadgeView, *, size: BadgeSize = "a6") -> bytes:
    """One badge as a PDF whose page is the badge (its back on a second page): for a kiosk's
    printer. Blocks for the render: from the event loop, use documents.render_in_thread."""
    return _write_pdf(badges_html([view], size=size, sheet=False), size, False)


async def render_badge_pdf(view: BadgeView, *, size: BadgeSize = "a6") -> bytes:
    """``render_badge`` from the event loop: in a worker thread, one document at a time per
    process (tickets and plans too), as every PDF the web process makes."""
    return await render_in_thread(render_badge, view, size=size)


def render_sheet(
    views: Sequence[BadgeView],
    *,
    size: BadgeSize = "a6",
    cut_marks: bool = True,
    progress: Progress | None = None,
    processes: int | None = None,
    chunk_pages: int = CHUNK_PAGES,
) -> bytes:
    """Badges N-up on A4 sheets (A6: 4, label: 10) with cut marks; a double-sided badge's
    back is on the next page, mirrored for a long-edge duplex. ``progress(done, total)`` is
    called as chunks of badges are laid out. A batch larger than one chunk is rendered by
    ``processes`` worker processes (default: one per core) and joined."""
    if not views:
        raise ValueError("a sheet needs at least one badge")
    total = len(views)
    per_chunk = LAYOUTS[size].per_sheet * max(chunk_pages, 1)
    chunks = [list(views[start : start + per_chunk]) for start in range(0, total, per_chunk)]
    workers = min(processes or usable_cores(), len(chunks))
    report = progress or (lambda done, total: None)
    report(0, total)
    if workers <= 1:
        parts = []
        done = 0
        for chunk in chunks:
            parts.append(_render_chunk(chunk, size, cut_marks))
            done += len(chunk)
            report(done, total)
    else:
        parts = list(_render_in_processes(chunks, size, cut_marks, workers, report, total))
    return parts[0] if len(parts) == 1 else merge_pdfs(parts)


def usable_cores() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _render_chunk(views: Sequence[BadgeView], size: BadgeSize, cut_marks: bool) -> bytes:
    return _write_pdf(badges_html(views, size=size, sheet=True, cut_marks=cut_marks), size, True)


def _exit_with(requester: int) -> None:
    """In each worker: leave when the process that asked for the sheet is gone. A worker's
    parent is the forkserver, and its pipes stay open in the forkserver's children, so
    nothing else tells a worker that a killed scheduler will never collect its chunk."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(requester, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid is someone else's now: the requester is gone
                os._exit(1)

    threading.Thread(target=watch, name="badges-requester-watch", daemon=True).start()


def _render_chunk_in_worker(views: Sequence[BadgeView], size: BadgeSize, cut_marks: bool) -> bytes:
    pdf = _render_chunk(views, size, cut_marks)
    # The laid-out document is a web of reference cycles: freed now, before the next chunk
    # is laid out, the worker's peak is one chunk's, not two.
    gc.collect()
    return pdf


def _render_in_processes(
    chunks: list[list[BadgeView]], size: BadgeSize, cut_marks: bool, workers: int, report: Progress, total: int
) -> Iterator[bytes]:
    results: dict[int, bytes] = {}
    done = 0
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_process_context(), initializer=_exit_with, initargs=(os.getpid(),)
    ) as pool:
        pending: dict[Future[bytes], int] = {
            pool.submit(_render_chunk_in_worker, chunk, size, cut_marks): index for index, chunk in enumerate(chunks)
        }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                results[index] = future.result()
                done += len(chunks[index])
                report(done, total)
    for index in range(len(chunks)):
        yield results[index]


@cache
def _process_context() -> Any:
    """Workers are forked from a clean server process that has WeasyPrint loaded and warm
    (warm_worker.py): fast to start, and never a fork of a web process's threads and
    sockets. The server lives as long as this process, for the next sheets."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["exhibitions.badges.warm_worker"])
    return context


def warm_up() -> None:
    """Render a badge of each size, left to right and right to left, and throw them away:
    fonts, stylesheets and Pango's caches are then ready for the next documents."""
    for language, name in (("fr", "Amina El Idrissi"), ("ar", "فاطمة الزهراء العمراني")):
        view = BadgeView(
            role="exhibitor_staff",
            full_name=name,
            language=language,
            exhibition_name=name,
            exhibition_dates="2027",
            qr_payload="https://example.ma/warm",
            title=name,
            organization=name,
            stand_code="A-1",
        )
        for size in LAYOUTS:
            _render_chunk([view], size, True)


def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
