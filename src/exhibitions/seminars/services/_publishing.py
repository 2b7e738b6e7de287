"""Publishing the programme as numbered versions, the public reading of the latest one, and
the change notices a new version sends.

A version is a snapshot (JSON) of what the public sees: rooms, tracks and every session that
is no longer a draft, with its times, room, status, texts and people. The public programme is
read from the latest snapshot only, so an organizer's edits stay private until published.

Publishing compares the new snapshot with the previous version's. When nothing changed, no
version is stored and nobody is told (publishing twice sends nothing). Otherwise, for each
session that moved, changed room or was cancelled (or withdrawn), its people, the visitors
registered for it and those who starred it each get one message in their language saying what
changed; the outbox key (rule, recipient, ``seminar_session:<id>``, ``<id>:<version>``) makes a
retried publication queue nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.cache import TTLCache
from exhibitions.db import write_transaction
from exhibitions.errors import NotFound
from exhibitions.events import queries as event_queries
from exhibitions.events import services as event_services
from exhibitions.notifications import services as notifications
from exhibitions.notifications.emails import render
from exhibitions.seminars.attendance_tables import ProgrammeVersion
from exhibitions.seminars.exports import ExportPerson, ExportProgramme, ExportRoom, ExportSession
from exhibitions.seminars.labels import in_language
from exhibitions.web.i18n import Translator

RULE_SESSION_CHANGED = "session_changed"
LANGUAGES = ("ar", "fr", "en")
PUBLISH_REFUSAL = "only this exhibition's organizers may publish its programme"


def _db() -> Any:
    return ProgrammeVersion._meta.db


def _utc(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC)


def _texts(row: Mapping[str, Any], prefix: str) -> dict[str, str]:
    """The non-empty translations of a field (``title_ar`` …) as {language: text}."""
    return {language: row[f"{prefix}_{language}"] for language in LANGUAGES if row[f"{prefix}_{language}"]}


# ---------------------------------------------------------------------------------------------
# The snapshot


async def build_snapshot(exhibition_id: int) -> dict[str, Any]:
    """What a version publishes, as plain JSON-ready data, in a stable order."""
    raw = ProgrammeVersion.raw
    rooms = await raw(
        "SELECT id, name, building, capacity FROM seminar_room WHERE exhibition = {} ORDER BY name, id", exhibition_id
    )
    tracks = await raw(
        "SELECT id, code, name_ar, name_fr, name_en, position FROM seminar_track WHERE exhibition = {}"
        " ORDER BY position, code",
        exhibition_id,
    )
    sessions = await raw(
        "SELECT * FROM seminar_session WHERE exhibition = {} AND status <> 'draft' ORDER BY starts_at, id",
        exhibition_id,
    )
    # Who declined is not on the programme.
    people = await raw(
        "SELECT sp.session, sp.role, p.id, p.name_ar, p.name_latin, p.affiliation, p.country,"
        " p.bio_ar, p.bio_fr, p.bio_en"
        " FROM session_person sp JOIN seminar_person p ON p.id = sp.person"
        " WHERE sp.exhibition = {} AND sp.response <> 'declined' ORDER BY sp.session, sp.position, sp.id",
        exhibition_id,
    )
    by_session: dict[int, list[dict[str, Any]]] = {}
    for row in people:
        by_session.setdefault(row["session"], []).append(
            {
                "id": row["id"],
                "name_ar": row["name_ar"],
                "name_latin": row["name_latin"],
                "affiliation": row["affiliation"],
                "country": row["country"],
                "bio": _texts(row, "bio"),
                "role": row["role"],
            }
        )
    return {
        "rooms": [
            {"id": r["id"], "name": r["name"], "building": r["building"], "capacity": r["capacity"]} for r in rooms
        ],
        "tracks": [
            {"id": t["id"], "code": t["code"], "name": _texts(t, "name"), "position": t["position"]} for t in tracks
        ],
        "sessions": [
            {
                "id": s["id"],
                "guid": s["guid"],
                "title": _texts(s, "title"),
                "abstract": _texts(s, "abstract"),
                "type": s["session_type"],
                "track": s["track"],
                "room": s["room"],
                "starts_at": _utc(s["starts_at"]).isoformat(),
                "ends_at": _utc(s["ends_at"]).isoformat(),
                "status": s["status"],
                "languages": [code for code in s["languages"].split(",") if code],
                "interpretation": bool(s["interpretation"]),
                "needs_registration": bool(s["needs_registration"]),
                "capacity": s["capacity"],
                # The calendars' SEQUENCE: what a version published, not what was edited since.
                "sequence": s["sequence"],
                "people": by_session.get(s["id"], []),
            }
            for s in sessions
        ],
    }


def _serialized(snapshot: Mapping[str, Any]) -> str:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------
# What changed between two versions (pure)


@dataclass(frozen=True)
class SessionChange:
    """One session's change between two versions. ``old_*``/``new_*`` are set only for what
    changed; a cancelled (or withdrawn) session has ``cancelled`` and nothing else."""

    session_id: int
    title: Mapping[str, str]
    cancelled: bool = False
    old_starts_at: datetime | None = None
    old_ends_at: datetime | None = None
    new_starts_at: datetime | None = None
    new_ends_at: datetime | None = None
    room_changed: bool = False
    old_room: str = ""  # "" when the session had no room
    new_room: str = ""


def snapshot_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[SessionChange]:
    """The published sessions of ``old`` that moved, changed room, or were cancelled or
    withdrawn in ``new``, by session id. A session new in ``new`` is no change: nobody
    could have followed it yet."""
    if old is None:
        return []
    old_rooms = {room["id"]: room["name"] for room in old["rooms"]}
    new_rooms = {room["id"]: room["name"] for room in new["rooms"]}
    now_published = {session["id"]: session for session in new["sessions"]}
    changes = []
    for before in sorted(old["sessions"], key=lambda session: session["id"]):
        if before["status"] == "cancelled":
            continue
        after = now_published.get(before["id"])
        if after is None or after["status"] == "cancelled":
            changes.append(SessionChange(before["id"], before["title"], cancelled=True))
            continue
        moved = (before["starts_at"], before["ends_at"]) != (after["starts_at"], after["ends_at"])
        room_changed = before["room"] != after["room"]
        if not moved and not room_changed:
            continue
        changes.append(
            SessionChange(
                before["id"],
                after["title"],
                old_starts_at=_utc(before["starts_at"]) if moved else None,
                old_ends_at=_utc(before["ends_at"]) if moved else None,
                new_starts_at=_utc(after["starts_at"]) if moved else None,
                new_ends_at=_utc(after["ends_at"]) if moved else None,
                room_changed=room_changed,
                old_room=old_rooms.get(before["room"], "") if room_changed else "",
                new_room=new_rooms.get(after["room"], "") if room_changed else "",
            )
        )
    return changes


# ---------------------------------------------------------------------------------------------
# Publishing


@dataclass(frozen=True)
class PublishedVersion:
    number: int
    published_at: datetime
    created: bool  # False: nothing changed since this version, which stays the latest
    sessions: int
    changes: int
    notices: int  # messages queued


async def _latest_version(exhibition_id: int) -> dict[str, Any] | None:
    rows = await ProgrammeVersion.raw(
        "SELECT id, number, published_at, snapshot FROM programme_version WHERE exhibition = {}"
        " ORDER BY number DESC LIMIT 1",
        exhibition_id,
    )
    return rows[0] if rows else None


async def publish_programme(*, slug: str, actor: Actor | None, now: datetime, base_url: str) -> PublishedVersion:
    """Store the programme as it stands as the next version, and tell everyone affected by
    what changed since the previous one. Nothing changed: the latest version, unchanged."""
    await event_services.managed_exhibition(slug, actor, refusal=PUBLISH_REFUSAL)
    async with write_transaction(_db()):
        # Locked until commit (PostgreSQL): two publications of one exhibition take turns,
        # so each compares with the version before it and numbers do not collide.
        exhibition = await event_queries.find_exhibition(slug, for_update=True)
        if exhibition is None:
            raise NotFound(f"no exhibition {slug!r}")
        snapshot = await build_snapshot(exhibition["id"])
        serialized = _serialized(snapshot)
        latest = await _latest_version(exhibition["id"])
        if latest is not None and latest["snapshot"] == serialized:
            return PublishedVersion(
                number=latest["number"], published_at=_utc(latest["published_at"]), created=False,
                sessions=len(snapshot["sessions"]), changes=0, notices=0,
            )  # fmt: skip
        number = 1 if latest is None else latest["number"] + 1
        await ProgrammeVersion.raw(
            "INSERT INTO programme_version (exhibition, number, published_at, published_by, snapshot)"
            " VALUES ({}, {}, {}, {}, {})",
            exhibition["id"], number, now, actor.user_id if actor else None, serialized,
        )  # fmt: skip
        changes = snapshot_changes(json.loads(latest["snapshot"]) if latest else None, snapshot)
        notices = 0
        for change in changes:
            notices += await _tell_about(change, exhibition=exhibition, number=number, now=now, base_url=base_url)
    return PublishedVersion(
        number=number, published_at=now, created=True, sessions=len(snapshot["sessions"]), changes=len(changes),
        notices=notices,
    )  # fmt: skip


@dataclass(frozen=True)
class _Recipient:
    email: str
    language: str
    link: str


async def _recipients(session_id: int, *, slug: str, base_url: str) -> list[_Recipient]:
    """The session's people (who have not declined), then the visitors registered for it or
    who starred it; one message per address."""
    people = await ProgrammeVersion.raw(
        "SELECT p.email, p.language FROM session_person sp JOIN seminar_person p ON p.id = sp.person"
        " WHERE sp.session = {} AND sp.response <> 'declined' AND p.email IS NOT NULL ORDER BY sp.position, sp.id",
        session_id,
    )
    visitors = await ProgrammeVersion.raw(
        "SELECT t.email, t.language, t.access_token FROM ticket t WHERE t.status = 'valid' AND t.email IS NOT NULL"
        " AND t.id IN (SELECT ticket FROM session_registration WHERE session = {}"
        "              UNION SELECT ticket FROM session_star WHERE session = {}) ORDER BY t.id",
        session_id, session_id,
    )  # fmt: skip
    found: dict[str, _Recipient] = {}
    for row in people:
        link = f"{base_url}/exhibitions/{slug}/programme?lang={row['language']}"
        found.setdefault(row["email"].lower(), _Recipient(row["email"], row["language"], link))
    for row in visitors:
        link = f"{base_url}/tickets/{row['access_token']}/programme?lang={row['language']}"
        found.setdefault(row["email"].lower(), _Recipient(row["email"], row["language"], link))
    return list(found.values())


def local_range(starts_at: datetime, ends_at: datetime, zone: ZoneInfo, translator: Translator) -> str:
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    day = translator.date(start.date())
    # LRI … PDI keep "10:00 – 11:00" in order inside Arabic text.
    hours = f"\u2066{translator.time(start.time())} – {translator.time(end.time())}\u2069"
    if end.date() != start.date():
        return f"{day} {hours} ({translator.date(end.date())})"
    return f"{day}{comma(translator.language)}{hours}"


def comma(language: str) -> str:
    """What separates the items of a list: the Arabic comma in Arabic."""
    return "، " if language == "ar" else ", "


def _short(text: str, limit: int = 120) -> str:
    # A subject line is at most 300 characters in the outbox; a title may be 300 alone.
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def change_message_values(
    change: SessionChange, *, exhibition: Mapping[str, Any], language: str, link: str
) -> dict[str, Any]:
    """What the ``session_changed`` templates say, in ``language``."""
    translator = Translator(language)
    zone = ZoneInfo(exhibition["time_zone"])
    no_room = translator.gettext("no room")
    old_time = new_time = ""
    if change.old_starts_at and change.old_ends_at and change.new_starts_at and change.new_ends_at:
        old_time = local_range(change.old_starts_at, change.old_ends_at, zone, translator)
        new_time = local_range(change.new_starts_at, change.new_ends_at, zone, translator)
    return {
        "exhibition": exhibition.get(f"title_{language}") or exhibition["title_fr"],
        "title": in_language(change.title, language),
        "short_title": _short(in_language(change.title, language)),
        "cancelled": change.cancelled,
        "moved": bool(old_time),
        "old_time": old_time,
        "new_time": new_time,
        "room_changed": change.room_changed,
        "old_room": change.old_room or no_room,
        "new_room": change.new_room or no_room,
        "link": link,
        "time_zone": exhibition["time_zone"],
    }


async def _tell_about(
    change: SessionChange, *, exhibition: Mapping[str, Any], number: int, now: datetime, base_url: str
) -> int:
    queued = 0
    for recipient in await _recipients(change.session_id, slug=exhibition["slug"], base_url=base_url):
        values = change_message_values(change, exhibition=exhibition, language=recipient.language, link=recipient.link)
        added = await notifications.enqueue(
            rule=RULE_SESSION_CHANGED,
            recipient=recipient.email,
            subject_key=f"seminar_session:{change.session_id}",
            occurrence=f"{change.session_id}:{number}",
            language=recipient.language,
            now=now,
            exhibition_id=exhibition["id"],
            rendered=render("seminars/session_changed", language=recipient.language, values=values),
        )
        queued += added is not None
    return queued


# ---------------------------------------------------------------------------------------------
# Reading what is published


@dataclass(frozen=True)
class PublicSession:
    id: int
    guid: str
    title: Mapping[str, str]
    abstract: Mapping[str, str]
    type: str
    track: Mapping[str, Any] | None
    room: Mapping[str, Any] | None
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    languages: tuple[str, ...]
    interpretation: bool
    needs_registration: bool
    capacity: int | None  # the session's own, else its room's; None: no limit
    people: tuple[Mapping[str, Any], ...]
    sequence: int | None = None  # None: a version published before snapshots kept it


@dataclass(frozen=True)
class PublishedProgramme:
    exhibition: Mapping[str, Any]
    number: int
    published_at: datetime
    rooms: tuple[Mapping[str, Any], ...]
    tracks: tuple[Mapping[str, Any], ...]
    sessions: tuple[PublicSession, ...]
    by_id: Mapping[int, PublicSession] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.exhibition["time_zone"])

    def session(self, session_id: int) -> PublicSession | None:
        return self.by_id.get(session_id)

    def days(self) -> list[date]:
        zone = self.zone
        return sorted({session.starts_at.astimezone(zone).date() for session in self.sessions})


def programme_from_snapshot(
    exhibition: Mapping[str, Any], number: int, published_at: datetime, snapshot: Mapping[str, Any]
) -> PublishedProgramme:
    rooms = {room["id"]: room for room in snapshot["rooms"]}
    tracks = {track["id"]: track for track in snapshot["tracks"]}
    sessions = tuple(
        PublicSession(
            id=s["id"],
            guid=s["guid"],
            title=s["title"],
            abstract=s["abstract"],
            type=s["type"],
            track=tracks.get(s["track"]),
            room=rooms.get(s["room"]) if s["room"] is not None else None,
            starts_at=_utc(s["starts_at"]),
            ends_at=_utc(s["ends_at"]),
            cancelled=s["status"] == "cancelled",
            languages=tuple(s["languages"]),
            interpretation=s["interpretation"],
            needs_registration=s["needs_registration"],
            capacity=s["capacity"] or (rooms[s["room"]]["capacity"] if s["room"] in rooms else None),
            people=tuple(s["people"]),
            sequence=s.get("sequence"),
        )
        for s in snapshot["sessions"]
    )
    return PublishedProgramme(
        exhibition=exhibition, number=number, published_at=published_at, rooms=tuple(snapshot["rooms"]),
        tracks=tuple(snapshot["tracks"]), sessions=sessions, by_id={session.id: session for session in sessions},
    )  # fmt: skip


# Versions never change: a version read is kept, since parsing a big programme (JSON, then a
# dataclass per session) costs more than the query, on every page and registration. Kept by row
# id, publication time and size: an id alone can come back (SQLite reuses the highest id once
# its row is gone, and the tests empty the tables under a running server).
_versions: TTLCache[tuple[int, str, int], PublishedProgramme] = TTLCache(600, max_entries=64)


async def latest_programme(exhibition: Mapping[str, Any]) -> PublishedProgramme | None:
    """The exhibition's latest published version; None before the first."""
    rows = await ProgrammeVersion.raw(
        "SELECT id, number, published_at, length(snapshot) AS size FROM programme_version WHERE exhibition = {}"
        " ORDER BY number DESC LIMIT 1",
        exhibition["id"],
    )
    if not rows:
        return None
    latest = rows[0]
    key = (latest["id"], str(latest["published_at"]), int(latest["size"]))
    read = _versions.get(key)
    if read is None:
        stored = await ProgrammeVersion.raw("SELECT snapshot FROM programme_version WHERE id = {}", latest["id"])
        snapshot = json.loads(stored[0]["snapshot"])
        read = _versions.put(
            key, programme_from_snapshot(exhibition, latest["number"], _utc(latest["published_at"]), snapshot)
        )
    # The exhibition's row as it is now (its titles or time zone may have changed since).
    return replace(read, exhibition=exhibition)


async def export_published(programme: PublishedProgramme, *, base_url: str, language: str) -> ExportProgramme:
    """The published version in the exports' model, versioned by its publication time.
    SEQUENCE is the session's own counter (raised by every edit) as the version published
    it, so it grows whenever what was published changes."""
    exhibition = programme.exhibition
    programme_url = f"{base_url.rstrip('/')}/exhibitions/{exhibition['slug']}/programme"
    sequences = {session.id: session.sequence for session in programme.sessions if session.sequence is not None}
    if len(sequences) < len(programme.sessions):
        # An older version: the rows' counters, which are at least what it published.
        sequences = {
            row["id"]: row["sequence"]
            for row in await ProgrammeVersion.raw(
                "SELECT id, sequence FROM seminar_session WHERE exhibition = {}", exhibition["id"]
            )
        }
    return ExportProgramme(
        slug=exhibition["slug"], title=_texts(exhibition, "title"), time_zone=exhibition["time_zone"],
        starts_on=exhibition["starts_on"], ends_on=exhibition["ends_on"],
        version=programme.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), base_url=programme_url,
        host=urlparse(base_url).hostname or "localhost",
        rooms=tuple(
            ExportRoom(id=room["id"], name=room["name"], building=room["building"], capacity=room["capacity"])
            for room in programme.rooms
        ),
        sessions=tuple(
            ExportSession(
                id=session.id, guid=session.guid, title=session.title, abstract=session.abstract, type=session.type,
                track=session.track["name"] if session.track else {},
                track_code=session.track["code"] if session.track else "",
                room_id=session.room["id"] if session.room else None, starts_at=session.starts_at,
                ends_at=session.ends_at,
                people=tuple(
                    (ExportPerson(id=person["id"], name=person["name_latin"], name_ar=person["name_ar"],
                                  affiliation=person["affiliation"], bio=person.get("bio", {})), person["role"])
                    for person in session.people
                ),
                languages=session.languages, interpretation=session.interpretation,
                sequence=sequences.get(session.id, 0), cancelled=session.cancelled,
                url=f"{programme_url}#session-{session.id}",
            )
            for session in programme.sessions
        ),
        language=language,
    )  # fmt: skip


async def published_programme(*, slug: str, actor: Actor | None) -> PublishedProgramme:
    """The public programme of an exhibition the actor may see; NotFound before it is published."""
    detail = await event_services.get_exhibition_detail(slug=slug, actor=actor)
    programme = await latest_programme(detail.row)
    if programme is None:
        raise NotFound(f"the programme of {slug!r} is not published yet")
    return programme


async def list_versions(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    """The exhibition's versions, newest first, without their snapshots (organizers)."""
    exhibition = await event_services.managed_exhibition(slug, actor, refusal=PUBLISH_REFUSAL)
    rows: Sequence[dict[str, Any]] = await ProgrammeVersion.raw(
        "SELECT v.number, v.published_at, u.email AS published_by FROM programme_version v"
        " LEFT JOIN app_user u ON u.id = v.published_by WHERE v.exhibition = {} ORDER BY v.number DESC",
        exhibition["id"],
    )
    return [{**row, "published_at": _utc(row["published_at"])} for row in rows]
