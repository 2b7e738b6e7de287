"""The published programme as the exports' plain dataclasses (``seminars.exports``), and the
files made from it: ICS, frab XML, c3voc JSON, the booklet PDF and the door posters.

Published means what the public programme shows: every session that is no longer a draft
(cancelled ones included, so that subscribed calendars drop them), with its people except
those who declined. The public may read the programme of a published or closed exhibition;
organizers may read their drafts' too.

Each file comes with an ETag, a digest of its bytes: the ICS's DTSTAMP is the programme's last
change rather than the time of the request, so the same programme gives the same bytes and a
calendar that asks again gets 304. PDFs are kept per process under a digest of the programme
they show, so asking again costs the queries, not another render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from exhibitions.accounts.actor import Actor
from exhibitions.cache import TTLCache
from exhibitions.errors import InvalidInput, NotFound
from exhibitions.events import services as event_services
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.seminars import documents
from exhibitions.seminars.exports import (
    ExportPerson,
    ExportProgramme,
    ExportRoom,
    ExportSession,
    to_c3voc_json,
    to_frab_xml,
    to_ics,
)
from exhibitions.seminars.tables import SeminarPerson, SeminarRoom, SeminarSession, SeminarTrack, SessionPerson

LANGUAGES = ("ar", "fr", "en")
PERSON_REFUSAL = "only this exhibition's organizers may export a person's programme"
POSTER_REFUSAL = "only this exhibition's organizers may print door posters"
# Rendered booklets and posters, by a digest of what they show: a PDF takes seconds.
_pdfs: TTLCache[str, bytes] = TTLCache(seconds=600, max_entries=32)


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


def _texts(row: Mapping[str, Any], prefix: str) -> dict[str, str]:
    return {language: row[f"{prefix}_{language}"] for language in LANGUAGES if row[f"{prefix}_{language}"]}


def programme_url(base_url: str, slug: str) -> str:
    """The public programme page, which the exports link to and the documents' QR codes open."""
    return f"{base_url.rstrip('/')}/exhibitions/{slug}/programme"


def programme_from_rows(
    exhibition: Mapping[str, Any],
    *,
    rooms: Sequence[Mapping[str, Any]],
    tracks: Sequence[Mapping[str, Any]],
    sessions: Sequence[Mapping[str, Any]],
    people: Sequence[Mapping[str, Any]],
    base_url: str,
    language: str = "fr",
) -> ExportProgramme:
    """The exports' model of the rows given (already chosen: published sessions, people who
    did not decline, ``people`` in their listed order). Pure."""
    url = programme_url(base_url, exhibition["slug"])
    track_by_id = {track["id"]: track for track in tracks}
    by_session: dict[int, list[tuple[ExportPerson, str]]] = {}
    for row in people:
        person = ExportPerson(
            id=row["person"],
            name=row["name_latin"],
            name_ar=row["name_ar"],
            affiliation=row["affiliation"],
            bio=_texts(row, "bio"),
        )
        by_session.setdefault(row["session"], []).append((person, row["role"]))
    changed = [_utc(exhibition["updated_at"])]
    export_sessions = []
    for row in sessions:
        track = track_by_id[row["track"]]
        changed.append(_utc(row["updated_at"]))
        export_sessions.append(
            ExportSession(
                id=row["id"],
                guid=row["guid"],
                title=_texts(row, "title"),
                abstract=_texts(row, "abstract"),
                type=row["session_type"],
                track=_texts(track, "name"),
                track_code=track["code"],
                room_id=row["room"],
                starts_at=_utc(row["starts_at"]),
                ends_at=_utc(row["ends_at"]),
                people=tuple(by_session.get(row["id"], ())),
                languages=tuple(code for code in row["languages"].split(",") if code),
                interpretation=bool(row["interpretation"]),
                sequence=row["sequence"],
                cancelled=row["status"] == "cancelled",
                url=f"{url}#session-{row['id']}",
            )
        )
    changed += [_utc(room["updated_at"]) for room in rooms]
    changed += [_utc(row["person_updated_at"]) for row in people]
    return ExportProgramme(
        slug=exhibition["slug"],
        title=_texts(exhibition, "title"),
        time_zone=exhibition["time_zone"],
        starts_on=exhibition["starts_on"],
        ends_on=exhibition["ends_on"],
        # The last change to anything the programme shows: it orders versions, and it is the
        # ICS's DTSTAMP, so that an unchanged programme is the same file.
        version=max(changed).strftime("%Y-%m-%dT%H:%M:%SZ"),
        base_url=url,
        host=urlsplit(base_url).hostname or "localhost",
        rooms=tuple(
            ExportRoom(id=room["id"], name=room["name"], building=room["building"], capacity=room["capacity"])
            for room in rooms
        ),
        sessions=tuple(export_sessions),
        language=language,
    )


async def _visible_exhibition(slug: str, actor: Actor | None) -> tuple[dict[str, Any], bool]:
    """The exhibition if ``actor`` may read its programme, and whether the public may."""
    detail = await event_services.get_exhibition_detail(slug=slug, actor=actor)
    return detail.row, detail.row["status"] != ExhibitionStatus.draft.value


async def published_programme(
    exhibition: Mapping[str, Any], *, base_url: str, language: str = "fr", person_id: int | None = None
) -> ExportProgramme:
    """The published programme of ``exhibition`` (a row), or only ``person_id``'s sessions."""
    exhibition_id = exhibition["id"]
    rooms = await SeminarRoom.select().where(SeminarRoom.exhibition == exhibition_id).order_by(SeminarRoom.name)
    tracks = await SeminarTrack.select().where(SeminarTrack.exhibition == exhibition_id)
    published = (SeminarSession.exhibition == exhibition_id) & (SeminarSession.status != "draft")
    if person_id is not None:
        mine = SessionPerson.select(SessionPerson.session).where(
            (SessionPerson.person == person_id) & (SessionPerson.response != "declined")
        )
        published &= SeminarSession.id.is_in([row["session"] for row in await mine] or [0])
    sessions = await SeminarSession.select().where(published).order_by(SeminarSession.starts_at, SeminarSession.id)
    people = await (
        SessionPerson.select(
            SessionPerson.session,
            SessionPerson.person,
            SessionPerson.role,
            SessionPerson.person.name_ar.as_alias("name_ar"),
            SessionPerson.person.name_latin.as_alias("name_latin"),
            SessionPerson.person.affiliation.as_alias("affiliation"),
            SessionPerson.person.bio_ar.as_alias("bio_ar"),
            SessionPerson.person.bio_fr.as_alias("bio_fr"),
            SessionPerson.person.bio_en.as_alias("bio_en"),
            SessionPerson.person.updated_at.as_alias("person_updated_at"),
        )
        .where(
            (SessionPerson.exhibition == exhibition_id)
            & (SessionPerson.response != "declined")
            & SessionPerson.session.is_in([row["id"] for row in sessions] or [0])
        )
        .order_by(SessionPerson.session)
        .order_by(SessionPerson.position)
        .order_by(SessionPerson.id)
    )
    return programme_from_rows(
        exhibition, rooms=rooms, tracks=tracks, sessions=sessions, people=people, base_url=base_url, language=language
    )


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _file(content: bytes, media_type: str, filename: str, *, public: bool) -> ExportFile:
    return ExportFile(content, media_type, filename, _etag(content), public)


def _calendar_name(programme: ExportProgramme, suffix: str = "") -> str:
    title = programme.title.get(programme.language) or next(iter(programme.title.values()), programme.slug)
    return f"{title}{suffix}"


async def programme_ics(*, slug: str, actor: Actor | None, base_url: str, language: str = "fr") -> ExportFile:
    exhibition, public = await _visible_exhibition(slug, actor)
    programme = await published_programme(exhibition, base_url=base_url, language=language)
    stamp = datetime.strptime(programme.version, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    content = to_ics(programme, name=_calendar_name(programme), stamp=stamp)
    return _file(content, "text/calendar", f"programme-{slug}.ics", public=public)


async def person_programme_ics(
    *, slug: str, person_id: int, actor: Actor | None, base_url: str, language: str | None = None
) -> ExportFile:
    """One person's sessions, for an organizer to send them (a person with no sessions gets
    an empty calendar); in the person's language unless ``language`` is given."""
    exhibition = await event_services.managed_exhibition(slug, actor, refusal=PERSON_REFUSAL)
    person = (
        await SeminarPerson.select()
        .where((SeminarPerson.id == person_id) & (SeminarPerson.exhibition == exhibition["id"]))
        .first()
    )
    if person is None:
        raise NotFound(f"no person {person_id} in {slug!r}")
    language = language if language in LANGUAGES else person["language"]
    programme = await published_programme(exhibition, base_url=base_url, language=language, person_id=person_id)
    stamp = datetime.strptime(programme.version, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    name = person["name_ar"] if language == "ar" and person["name_ar"] else person["name_latin"] or person["name_ar"]
    content = to_ics(programme, name=_calendar_name(programme, f" · {name}"), stamp=stamp)
    return _file(content, "text/calendar", f"programme-{slug}-person-{person_id}.ics", public=False)


async def programme_frab_xml(*, slug: str, actor: Actor | None, base_url: str, language: str = "fr") -> ExportFile:
    exhibition, public = await _visible_exhibition(slug, actor)
    programme = await published_programme(exhibition, base_url=base_url, language=language)
    return _file(to_frab_xml(programme), "application/xml", f"programme-{slug}.xml", public=public)


async def programme_c3voc_json(*, slug: str, actor: Actor | None, base_url: str, language: str = "fr") -> ExportFile:
    exhibition, public = await _visible_exhibition(slug, actor)
    programme = await published_programme(exhibition, base_url=base_url, language=language)
    return _file(to_c3voc_json(programme), "application/json", f"programme-{slug}.json", public=public)


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


async def _cached_pdf(key: str, render: Any) -> bytes:
    found = _pdfs.get(key)
    if found is None:
        found = _pdfs.put(key, await render())
    return found


async def booklet_pdf(*, slug: str, actor: Actor | None, base_url: str) -> ExportFile:
    """The printed programme, Arabic and French side by side."""
    exhibition, public = await _visible_exhibition(slug, actor)
    programme = await published_programme(exhibition, base_url=base_url)
    url = programme_url(base_url, slug)
    content = await _cached_pdf(
        _fingerprint("booklet", programme, url),
        lambda: documents.render_booklet_pdf(programme, programme_url=url),
    )
    return _file(content, "application/pdf", f"programme-{slug}.pdf", public=public)


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
    if not any(room["id"] == room_id for room in await _rooms_of(exhibition["id"])):
        raise NotFound(f"no room {room_id} in {slug!r}")
    programme = await published_programme(exhibition, base_url=base_url)
    url = programme_url(base_url, slug)
    content = await _cached_pdf(
        _fingerprint("poster", programme, room_id, day, size, url),
        lambda: documents.render_poster_pdf(programme, room_id=room_id, day=day, programme_url=url, size=size),
    )
    return _file(content, "application/pdf", f"poster-{slug}-room-{room_id}-{day.isoformat()}.pdf", public=False)


async def _rooms_of(exhibition_id: int) -> list[dict[str, Any]]:
    return await SeminarRoom.select(SeminarRoom.id).where(SeminarRoom.exhibition == exhibition_id)  # type: ignore[no-any-return]
