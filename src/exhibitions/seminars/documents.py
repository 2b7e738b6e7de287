"""The seminars' printed documents: the bilingual programme booklet, a door poster per room and
day, and a visitor's attendance certificate.

Plain values in (the exports' :class:`ExportProgramme`, or a :class:`Certificate`), bytes out;
no database, no request. Rendered by WeasyPrint from ``templates/seminars/booklet.html``,
``poster.html`` and ``certificate.html`` with ``static/css/seminar-pdf.css``, through the tickets'
locked-down document environment (``html_to_pdf``: only our templates and static files can be
read, whatever text reaches a document).

The booklet and the posters are in Arabic and French together: French on the left, left to
right; Arabic on the right, right to left. WeasyPrint ignores the CSS ``unicode-bidi`` property,
but Pango honours the Unicode isolates, so every name and title is wrapped in FSI…PDI and every
time range in LRI…PDI (the environment's ``isolate`` and ``ltr`` filters): a Latin name or
``10:00 – 11:30`` inside an Arabic line keeps its own order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date

from exhibitions.documents import document_environment, html_to_pdf, render_in_thread
from exhibitions.seminars.exports.model import ExportProgramme, ExportRoom, ExportSession, distinct_people
from exhibitions.seminars.labels import ROLES, SESSION_TYPES
from exhibitions.tickets.qr import qr_svg
from exhibitions.web.i18n import N_, Translator

BOOKLET_TEMPLATE = "seminars/booklet.html"
POSTER_TEMPLATE = "seminars/poster.html"
CERTIFICATE_TEMPLATE = "seminars/certificate.html"
# Columns of a day grid on a portrait A4 page; more rooms continue in another grid below.
GRID_ROOMS = 4
PosterSize = Literal["a4", "a3"]

LANGUAGE_NAMES = {"ar": N_("Arabic"), "fr": N_("French"), "en": N_("English")}


# ---------------------------------------------------------------------------------------------
# The day grid (pure): rooms across, times down


@dataclass(frozen=True)
class GridCell:
    """Sessions of one room that follow or overlap one another, spanning ``rows`` rows.
    No sessions: an empty slot."""

    sessions: tuple[ExportSession, ...] = ()
    rows: int = 1


@dataclass(frozen=True)
class GridRow:
    starts_at: datetime
    # None where a cell above spans this row.
    cells: tuple[GridCell | None, ...]


@dataclass(frozen=True)
class DayGrid:
    rooms: tuple[ExportRoom, ...]
    rows: tuple[GridRow, ...]


def _clusters(sessions: Sequence[ExportSession]) -> list[tuple[datetime, datetime, tuple[ExportSession, ...]]]:
    """Sessions of one room in runs that overlap, so that two sessions a conflict left in one
    room share a cell instead of breaking the table."""
    runs: list[tuple[datetime, datetime, tuple[ExportSession, ...]]] = []
    for session in sorted(sessions, key=lambda session: (session.starts_at, session.id)):
        if runs and session.starts_at < runs[-1][1]:
            start, end, members = runs[-1]
            runs[-1] = (start, max(end, session.ends_at), (*members, session))
        else:
            runs.append((session.starts_at, session.ends_at, (session,)))
    return runs


def day_grids(sessions: Iterable[ExportSession], rooms: Sequence[ExportRoom]) -> list[DayGrid]:
    """The grids of one day's sessions: a column per room that has sessions (in ``rooms``'
    order, at most GRID_ROOMS a grid), a row per moment a session starts or ends. Sessions
    without a room are left to the list below the grid."""
    by_room: dict[int, list[ExportSession]] = {}
    for session in sessions:
        if session.room_id is not None:
            by_room.setdefault(session.room_id, []).append(session)
    used = [room for room in rooms if room.id in by_room]
    grids = []
    for start in range(0, len(used), GRID_ROOMS):
        chunk = used[start : start + GRID_ROOMS]
        runs = {room.id: _clusters(by_room[room.id]) for room in chunk}
        moments = sorted({moment for room_runs in runs.values() for run in room_runs for moment in run[:2]})
        index = {moment: position for position, moment in enumerate(moments)}
        columns: list[list[GridCell | None]] = []
        for room in chunk:
            column: list[GridCell | None] = [GridCell() for _ in moments[:-1]]
            for run_start, run_end, members in runs[room.id]:
                first, last = index[run_start], index[run_end]
                column[first] = GridCell(members, last - first)
                for covered in range(first + 1, last):
                    column[covered] = None
            columns.append(column)
        rows = tuple(
            GridRow(moment, tuple(column[position] for column in columns))
            for position, moment in enumerate(moments[:-1])
        )
        grids.append(DayGrid(tuple(chunk), rows))
    return grids


def sessions_by_day(sessions: Iterable[ExportSession], zone: ZoneInfo) -> dict[date, list[ExportSession]]:
    """Sessions by their local starting day, days in order, each day's sessions by time then room."""
    days: dict[date, list[ExportSession]] = {}
    for session in sorted(sessions, key=lambda session: (session.starts_at, session.room_id or 0, session.id)):
        days.setdefault(session.starts_at.astimezone(zone).date(), []).append(session)
    return dict(sorted(days.items()))


# ---------------------------------------------------------------------------------------------
# What the templates show, already in Arabic and in French


@dataclass(frozen=True)
class Bilingual:
    """One text in French (``latin``: French, else English) and in Arabic; either may be ""."""

    latin: str
    arabic: str

    @classmethod
    def of(cls, text: Mapping[str, str]) -> Bilingual:
        latin = (text.get("fr") or "").strip() or (text.get("en") or "").strip()
        return cls(latin, (text.get("ar") or "").strip())

    @classmethod
    def label(cls, message: str, latin: Translator, arabic: Translator) -> Bilingual:
        return cls(latin.gettext(message), arabic.gettext(message))

    def __bool__(self) -> bool:
        return bool(self.latin or self.arabic)


@dataclass(frozen=True)
class PersonLine:
    name_latin: str
    name_arabic: str
    role: Bilingual
    affiliation: str


@dataclass(frozen=True)
class SessionView:
    id: int
    time: str  # "10:00 – 11:30"
    room: str
    building: str
    type: Bilingual
    track: Bilingual
    title: Bilingual
    abstract: Bilingual
    people: tuple[PersonLine, ...]
    languages: Bilingual
    interpretation: bool
    cancelled: bool


def time_range(session: ExportSession, zone: ZoneInfo) -> str:
    starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    return f"{starts:%H:%M} – {ends:%H:%M}"


def session_view(
    session: ExportSession, rooms: Mapping[int, ExportRoom], zone: ZoneInfo, latin: Translator, arabic: Translator
) -> SessionView:
    room = rooms.get(session.room_id) if session.room_id is not None else None
    people = []
    for person in distinct_people(session):
        roles = [role for someone, role in session.people if someone.id == person.id]
        people.append(
            PersonLine(
                name_latin=person.name.strip() or person.name_ar,
                name_arabic=person.name_ar.strip() or person.name,
                role=Bilingual(
                    ", ".join(latin.gettext(ROLES.get(role, role)) for role in roles),
                    "، ".join(arabic.gettext(ROLES.get(role, role)) for role in roles),
                ),
                affiliation=person.affiliation,
            )
        )
    languages = [LANGUAGE_NAMES.get(code, code) for code in session.languages]
    return SessionView(
        id=session.id,
        time=time_range(session, zone),
        room=room.name if room else "",
        building=room.building if room else "",
        type=Bilingual.label(SESSION_TYPES.get(session.type, session.type), latin, arabic),
        track=Bilingual.of(session.track),
        title=Bilingual.of(session.title),
        abstract=Bilingual.of(session.abstract),
        people=tuple(people),
        languages=Bilingual(
            ", ".join(latin.gettext(name) for name in languages), "، ".join(arabic.gettext(name) for name in languages)
        ),
        interpretation=session.interpretation,
        cancelled=session.cancelled,
    )


@dataclass(frozen=True)
class DayView:
    day: date
    name: Bilingual
    grids: list[DayGrid]
    sessions: list[SessionView]
    views: dict[int, SessionView] = field(default_factory=dict)


def _render(template: str, **context: Any) -> str:
    return document_environment().get_template(template).render(**context)


def _labels(latin: Translator, arabic: Translator) -> Callable[[str], Bilingual]:
    """``label("Room")``: an interface string in both languages of the document."""
    return lambda message: Bilingual.label(message, latin, arabic)


def _day_name(day: date, latin: Translator, arabic: Translator) -> Bilingual:
    return Bilingual(latin.date(day), arabic.date(day))


def _span(first: date, last: date, translator: Translator) -> str:
    """ "13–14 mars 2027", "30 avril – 2 mai 2027": months in full (Babel's interval skeletons
    abbreviate them in French)."""
    if first == last:
        return translator.date(first, "long")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{format_date(last, 'd MMMM y', locale=translator.locale)}"
    start = format_date(first, "d MMMM" if first.year == last.year else "d MMMM y", locale=translator.locale)
    return f"{start} – {format_date(last, 'd MMMM y', locale=translator.locale)}"


def booklet_html(programme: ExportProgramme, *, programme_url: str) -> str:
    """The booklet's HTML: a cover (titles, dates, a QR to the online programme), then for each
    day its grid and the details of its sessions. Cancelled sessions are left out."""
    latin, arabic = Translator("fr"), Translator("ar")
    zone = programme.zone
    rooms = {room.id: room for room in programme.rooms}
    live = [session for session in programme.sessions if not session.cancelled]
    days = []
    for day, sessions in sessions_by_day(live, zone).items():
        views = {session.id: session_view(session, rooms, zone, latin, arabic) for session in sessions}
        days.append(
            DayView(
                day=day,
                name=_day_name(day, latin, arabic),
                grids=day_grids(sessions, programme.rooms),
                sessions=[views[session.id] for session in sessions],
                views=views,
            )
        )
    return _render(
        BOOKLET_TEMPLATE,
        _=_labels(latin, arabic),
        title=Bilingual.of(programme.title),
        dates=Bilingual(
            _span(programme.starts_on, programme.ends_on, latin), _span(programme.starts_on, programme.ends_on, arabic)
        ),
        version=programme.version,
        programme_url=programme_url,
        qr=qr_svg(programme_url),
        days=days,
        zone=zone,
        session_count=len(live),
    )


def booklet_pdf(programme: ExportProgramme, *, programme_url: str) -> bytes:
    """Blocks for the time of the render: call ``render_booklet_pdf`` from the event loop."""
    return html_to_pdf(booklet_html(programme, programme_url=programme_url))


def poster_html(
    programme: ExportProgramme, *, room_id: int, day: date, programme_url: str, size: PosterSize = "a4"
) -> str:
    """A room's door poster for one day: its name, the date, its sessions (cancelled ones
    crossed out, so that nobody waits for them) and a QR to the online programme."""
    latin, arabic = Translator("fr"), Translator("ar")
    zone = programme.zone
    rooms = {room.id: room for room in programme.rooms}
    room = rooms[room_id]
    sessions = [
        session for session in sessions_by_day(programme.sessions, zone).get(day, []) if session.room_id == room_id
    ]
    return _render(
        POSTER_TEMPLATE,
        _=_labels(latin, arabic),
        size=size,
        title=Bilingual.of(programme.title),
        room=room,
        day=_day_name(day, latin, arabic),
        sessions=[session_view(session, rooms, zone, latin, arabic) for session in sessions],
        programme_url=programme_url,
        qr=qr_svg(programme_url),
    )


def poster_pdf(
    programme: ExportProgramme, *, room_id: int, day: date, programme_url: str, size: PosterSize = "a4"
) -> bytes:
    return html_to_pdf(poster_html(programme, room_id=room_id, day=day, programme_url=programme_url, size=size))


# ---------------------------------------------------------------------------------------------
# Attendance certificates


@dataclass(frozen=True)
class AttendedSession:
    title: Mapping[str, str]
    starts_at: datetime
    ends_at: datetime
    room: str


@dataclass(frozen=True)
class Certificate:
    holder_name: str
    exhibition_title: str  # in the certificate's language
    time_zone: str
    sessions: tuple[AttendedSession, ...]
    verification_url: str
    code: str
    issued_at: datetime


def pick_title(title: Mapping[str, str], language: str) -> str:
    """The title in ``language``, else in French, English or Arabic: every session is named."""
    for choice in (language, "fr", "en", "ar"):
        if (title.get(choice) or "").strip():
            return title[choice]
    return ""


def certificate_html(certificate: Certificate, *, language: str) -> str:
    translator = Translator(language)
    zone = ZoneInfo(certificate.time_zone)
    sessions = [
        {
            "day": translator.date(session.starts_at.astimezone(zone).date(), "long"),
            "time": f"{session.starts_at.astimezone(zone):%H:%M} – {session.ends_at.astimezone(zone):%H:%M}",
            "title": pick_title(session.title, language),
            "room": session.room,
        }
        for session in certificate.sessions
    ]
    return _render(
        CERTIFICATE_TEMPLATE,
        lang=language,
        dir=translator.direction,
        _=translator.gettext,
        gettext=translator.gettext,
        ngettext=translator.ngettext,
        certificate=certificate,
        sessions=sessions,
        issued_on=translator.date(certificate.issued_at.astimezone(zone).date(), "long"),
        qr=qr_svg(certificate.verification_url),
    )


def certificate_pdf(certificate: Certificate, *, language: str) -> bytes:
    return html_to_pdf(certificate_html(certificate, language=language))


# ---------------------------------------------------------------------------------------------
# Rendering off the event loop


async def render_pdf(render: Callable[[], bytes]) -> bytes:
    """``render()`` in a worker thread, one PDF at a time per process whichever document it
    is (the shared limiter of ``exhibitions.documents``)."""
    return await render_in_thread(render)


async def render_booklet_pdf(programme: ExportProgramme, *, programme_url: str) -> bytes:
    return await render_pdf(partial(booklet_pdf, programme, programme_url=programme_url))


async def render_poster_pdf(
    programme: ExportProgramme, *, room_id: int, day: date, programme_url: str, size: PosterSize = "a4"
) -> bytes:
    return await render_pdf(
        partial(poster_pdf, programme, room_id=room_id, day=day, programme_url=programme_url, size=size)
    )


async def render_certificate_pdf(certificate: Certificate, *, language: str) -> bytes:
    return await render_pdf(partial(certificate_pdf, certificate, language=language))


def local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants a local day starts and ends (23 or 25 hours long when the offset moves)."""
    return datetime.combine(day, datetime.min.time(), zone), datetime.combine(
        day + timedelta(days=1), datetime.min.time(), zone
    )
