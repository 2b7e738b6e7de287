"""The programme as the exports read it (``seminars.exports.model``: plain dataclasses), filled
from the rows, and the files made from it. The formats themselves (ICS, frab XML, c3voc JSON) are
pure functions of it; the booklet and the door posters are ``seminars.documents``.

``export_programme`` is the organizers' view (drafts on request). ``scheduled_programme`` is
what the files show: the latest PUBLISHED version (``_publishing``), the same sessions as the
public page, so that a calendar, the booklet and the page never disagree and an organizer's
unfinished edit reaches nobody before it is published. Cancelled sessions stay in it, so that
subscribed calendars drop them. Before the first publication there is nothing to show the
public (404); the exhibition's organizers get a *preview* from the rows instead (every session
no longer a draft), and a person's own calendar is always that preview, since a speaker must
know a session before the programme is out.

Each file comes with an ETag, a digest of its bytes: the ICS's DTSTAMP is the version's
publication time (the preview's: the last change) rather than the time of the request, so the
same programme gives the same bytes and a calendar that asks again gets 304. PDFs are kept per
process under a digest of the programme they show, so asking again costs the queries, not
another render.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlparse

from exhibitions.accounts.actor import Actor
from exhibitions.cache import TTLCache
from exhibitions.errors import InvalidInput, NotFound
from exhibitions.events import queries as event_queries
from exhibitions.events import services as event_services
from exhibitions.events.permissions import can_manage_exhibition
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.seminars import documents, queries
from exhibitions.seminars.exports import (
    ExportPerson,
    ExportProgramme,
    ExportRoom,
    ExportSession,
    Text,
    to_c3voc_json,
    to_frab_xml,
    to_ics,
)
from exhibitions.seminars.services._common import organizers_exhibition
from exhibitions.seminars.services._publishing import export_published, latest_programme
from exhibitions.seminars.services._speakers import SpeakerPage
from exhibitions.seminars.tables import SessionStatus

LANGUAGES = ("ar", "fr", "en")

PERSON_REFUSAL = "only this exhibition's organizers may export a person's programme"
POSTER_REFUSAL = "only this exhibition's organizers may print door posters"
# Rendered booklets and posters, by a digest of what they show: a PDF takes seconds.
_pdfs: TTLCache[str, bytes] = TTLCache(seconds=600, max_entries=32)


def _text(row: dict[str, Any], prefix: str) -> Text:
    """The row's ``{prefix}_ar``, ``_fr``, ``_en`` columns that hold something."""
    return {language: row[f"{prefix}_{language}"] for language in LANGUAGES if row[f"{prefix}_{language}"]}


def export_person(row: dict[str, Any]) -> ExportPerson:
    return ExportPerson(
        id=row["id"], name=row["name_latin"], name_ar=row["name_ar"], affiliation=row["affiliation"],
        bio=_text(row, "bio"),
    )  # fmt: skip


def export_session(
    row: dict[str, Any], people: dict[int, ExportPerson], participations: list[dict[str, Any]]
) -> ExportSession:
    return ExportSession(
        id=row["id"], guid=row["guid"], title=_text(row, "title"), abstract=_text(row, "abstract"),
        type=row["session_type"], track=_text(row, "track"), track_code=row["track_code"], room_id=row["room"],
        starts_at=row["starts_at"], ends_at=row["ends_at"],
        people=tuple((people[p["person"]], p["role"]) for p in participations),
        languages=tuple(row["languages"].split(",")), interpretation=bool(row["interpretation"]),
        sequence=row["sequence"], cancelled=row["status"] == SessionStatus.cancelled.value,
    )  # fmt: skip


async def export_programme(
    *, slug: str, actor: Actor | None, base_url: str, language: str = "fr", include_drafts: bool = False
) -> ExportProgramme:
    """The exhibition's programme for the exports: scheduled and cancelled sessions (drafts too
    with ``include_drafts``, for the organizers' preview). ``version`` is the time of the latest
    change, so that a re-export of an unchanged programme is the same file."""
    exhibition = await organizers_exhibition(slug, actor)
    shown = {SessionStatus.scheduled.value, SessionStatus.cancelled.value}
    if include_drafts:
        shown.add(SessionStatus.draft.value)
    rows = [row for row in await queries.sessions(exhibition["id"]) if row["status"] in shown]
    people = {row["id"]: export_person(row) for row in await queries.people(exhibition["id"])}
    participations = await queries.participations(exhibition["id"])
    latest = max((row["updated_at"] for row in rows), default=exhibition["updated_at"])
    return ExportProgramme(
        slug=slug, title=_text(exhibition, "title"), time_zone=exhibition["time_zone"],
        starts_on=exhibition["starts_on"], ends_on=exhibition["ends_on"], version=latest.isoformat(),
        base_url=base_url, host=urlparse(base_url).hostname or "localhost",
        rooms=tuple(
            ExportRoom(id=row["id"], name=row["name"], building=row["building"], capacity=row["capacity"])
            for row in await queries.rooms(exhibition["id"])
        ),
        sessions=tuple(export_session(row, people, participations.get(row["id"], [])) for row in rows),
        language=language,
    )  # fmt: skip


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str
    etag: str  # quoted, as the header carries it
    public: bool  # False: a draft's programme or a person's; no shared cache may keep it


def _utc(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC)


def programme_url(base_url: str, slug: str) -> str:
    """The public programme page, which the exports link to and the documents' QR codes open."""
    return f"{base_url.rstrip('/')}/exhibitions/{slug}/programme"


async def _visible_exhibition(slug: str, actor: Actor | None) -> tuple[dict[str, Any], bool]:
    """The exhibition if ``actor`` may read its programme, and whether the public may."""
    detail = await event_services.get_exhibition_detail(slug=slug, actor=actor)
    return detail.row, detail.row["status"] != ExhibitionStatus.draft.value


VERSION_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


async def scheduled_programme(
    exhibition: dict[str, Any], *, base_url: str, actor: Actor | None, language: str = "fr"
) -> tuple[ExportProgramme, bool]:
    """The latest published version of ``exhibition`` (a row) in the exports' model, its
    ``version`` the publication time, and True. Before the first publication: the organizers'
    preview (``preview_programme``) and False, and NotFound for everyone else."""
    published = await latest_programme(exhibition)
    if published is not None:
        return await export_published(published, base_url=base_url, language=language), True
    if actor is not None and actor.device_exhibition_id is None and can_manage_exhibition(actor, exhibition["id"]):
        return await preview_programme(exhibition, base_url=base_url, language=language), False
    raise NotFound(f"the programme of {exhibition['slug']!r} is not published yet")


async def preview_programme(
    exhibition: dict[str, Any], *, base_url: str, language: str = "fr", person_id: int | None = None
) -> ExportProgramme:
    """The programme as the rows stand (every session no longer a draft), or only
    ``person_id``'s sessions. Its ``version`` is the last change to anything it shows (the
    exhibition, a session, a room, a person in it): it is the ICS's DTSTAMP, so that an
    unchanged programme is the same file."""
    exhibition_id = exhibition["id"]
    url = programme_url(base_url, exhibition["slug"])
    participations = {
        session: [row for row in rows if row["response"] != "declined"]
        for session, rows in (await queries.participations(exhibition_id)).items()
    }
    rows = [
        row
        for row in await queries.sessions(exhibition_id)
        if row["status"] != SessionStatus.draft.value
        and (person_id is None or any(p["person"] == person_id for p in participations.get(row["id"], [])))
    ]
    people_rows = await queries.people(exhibition_id)
    people = {row["id"]: export_person(row) for row in people_rows}
    rooms = await queries.rooms(exhibition_id)
    involved = {p["person"] for row in rows for p in participations.get(row["id"], [])}
    changed = [_utc(exhibition["updated_at"])]
    changed += [_utc(row["updated_at"]) for row in rows]
    changed += [_utc(row["updated_at"]) for row in rooms]
    changed += [_utc(row["updated_at"]) for row in people_rows if row["id"] in involved]
    sessions = tuple(
        dataclasses.replace(
            export_session(row, people, participations.get(row["id"], [])), url=f"{url}#session-{row['id']}"
        )
        for row in rows
    )
    return ExportProgramme(
        slug=exhibition["slug"], title=_text(exhibition, "title"), time_zone=exhibition["time_zone"],
        starts_on=exhibition["starts_on"], ends_on=exhibition["ends_on"],
        version=max(changed).strftime(VERSION_FORMAT), base_url=url,
        host=urlparse(base_url).hostname or "localhost",
        rooms=tuple(
            ExportRoom(id=room["id"], name=room["name"], building=room["building"], capacity=room["capacity"])
            for room in rooms
        ),
        sessions=sessions, language=language,
    )  # fmt: skip


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _file(content: bytes, media_type: str, filename: str, *, public: bool) -> ExportFile:
    return ExportFile(content, media_type, filename, _etag(content), public)


def _stamp(programme: ExportProgramme) -> datetime:
    return datetime.strptime(programme.version, VERSION_FORMAT).replace(tzinfo=UTC)


def _calendar_name(programme: ExportProgramme, suffix: str = "") -> str:
    title = programme.title.get(programme.language) or next(iter(programme.title.values()), programme.slug)
    return f"{title}{suffix}"


async def programme_ics(*, slug: str, actor: Actor | None, base_url: str, language: str = "fr") -> ExportFile:
    exhibition, public = await _visible_exhibition(slug, actor)
    programme, published = await scheduled_programme(exhibition, base_url=base_url, actor=actor, language=language)
    content = to_ics(programme, name=_calendar_name(programme), stamp=_stamp(programme))
    return _file(content, "text/calendar", f"programme-{slug}.ics", public=public and published)


async def person_programme_ics(
    *, slug: str, person_id: int, actor: Actor | None, base_url: str, language: str | None = None
) -> ExportFile:
    """One person's sessions, for an organizer to send them (a person with no sessions gets
    an empty calendar); in the person's language unless ``language`` is given."""
    exhibition = await event_services.managed_exhibition(slug, actor, refusal=PERSON_REFUSAL)
    person = await queries.person(exhibition["id"], person_id)
    if person is None:
        raise NotFound(f"no person {person_id} in {slug!r}")
    return await _person_calendar(exhibition, person, base_url=base_url, language=language)


async def speaker_calendar(*, page: SpeakerPage, base_url: str, language: str | None = None) -> ExportFile:
    """A person's own sessions, for them (their link or their account opened ``page``)."""
    exhibition = await event_queries.get_exhibition(page.exhibition["slug"])
    return await _person_calendar(exhibition, page.person, base_url=base_url, language=language)


async def _person_calendar(
    exhibition: dict[str, Any], person: Mapping[str, Any], *, base_url: str, language: str | None
) -> ExportFile:
    """Every session the person is in and has not declined, published or not yet (a speaker
    must know a session before the programme is out); in their language unless asked."""
    language = language if language in LANGUAGES else person["language"]
    programme = await preview_programme(exhibition, base_url=base_url, language=language, person_id=person["id"])
    name = person["name_ar"] if language == "ar" and person["name_ar"] else person["name_latin"] or person["name_ar"]
    content = to_ics(programme, name=_calendar_name(programme, f" · {name}"), stamp=_stamp(programme))
    filename = f"programme-{exhibition['slug']}-person-{person['id']}.ics"
    return _file(content, "text/calendar", filename, public=False)


async def programme_frab_xml(*, slug: str, actor: Actor | None, base_url: str, language: str = "fr") -> ExportFile:
    exhibition, public = await _visible_exhibition(slug, actor)
    programme, published = await scheduled_programme(exhibition, base_url=base_url, actor=actor, language=language)
    return _file(to_frab_xml(programme), "application/xml", f"programme-{slug}.xml", public=public and published)


async def programme_c3voc_json(*, slug: str, actor: Actor | None, base_url: str, language: str = "fr") -> ExportFile:
    exhibition, public = await _visible_exhibition(slug, actor)
    programme, published = await scheduled_programme(exhibition, base_url=base_url, actor=actor, language=language)
    return _file(to_c3voc_json(programme), "application/json", f"programme-{slug}.json", public=public and published)


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


async def _cached_pdf(key: str, render: Callable[[], Awaitable[bytes]]) -> bytes:
    found = _pdfs.get(key)
    if found is None:
        found = _pdfs.put(key, await render())
    return found


async def booklet_pdf(*, slug: str, actor: Actor | None, base_url: str) -> ExportFile:
    """The printed programme, Arabic and French side by side."""
    exhibition, public = await _visible_exhibition(slug, actor)
    programme, published = await scheduled_programme(exhibition, base_url=base_url, actor=actor)
    url = programme_url(base_url, slug)
    content = await _cached_pdf(
        _fingerprint("booklet", programme, url),
        lambda: documents.render_booklet_pdf(programme, programme_url=url),
    )
    return _file(content, "application/pdf", f"programme-{slug}.pdf", public=public and published)


async def poster_pdf(
    *,
    slug: str,
    room_id: int,
    day: date,
    actor: Actor | None,
    base_url: str,
    size: documents.PosterSize = "a4",
) -> ExportFile:
    """A room's door poster for ``day`` (organizers): its published sessions that day."""
    exhibition = await event_services.managed_exhibition(slug, actor, refusal=POSTER_REFUSAL)
    if not exhibition["starts_on"] <= day <= exhibition["ends_on"]:
        raise InvalidInput.single("day", "out_of_range", "is not a day of the exhibition")
    if await queries.room(exhibition["id"], room_id) is None:
        raise NotFound(f"no room {room_id} in {slug!r}")
    programme, _ = await scheduled_programme(exhibition, base_url=base_url, actor=actor)
    url = programme_url(base_url, slug)
    content = await _cached_pdf(
        _fingerprint("poster", programme, room_id, day, size, url),
        lambda: documents.render_poster_pdf(programme, room_id=room_id, day=day, programme_url=url, size=size),
    )
    return _file(content, "application/pdf", f"poster-{slug}-room-{room_id}-{day.isoformat()}.pdf", public=False)
