"""The programme as an iCalendar file (RFC 5545), for the whole exhibition, one person's
sessions or a visitor's starred ones (``sessions=``).

Calendars that subscribe to it update an event they already hold by its UID, which is the
session's guid at the programme's host and never changes, when its SEQUENCE grows: the
services bump ``sequence`` at each published change. Cancelled sessions stay in the file with
STATUS:CANCELLED, which is how a subscribed calendar learns to drop them. Times are written in
the programme's time zone with its VTIMEZONE (Morocco's offset changes around Ramadan, so a
bare UTC offset would be wrong for part of the year), built for the span of the sessions only.

Text is in the programme's language, falling back to any translation there is. The file is
UTF-8; its lines are folded at 75 octets between characters, never inside one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCategory, vDDDTypes, vDuration, vInt, vText, vUri

from exhibitions.clock import utcnow
from exhibitions.seminars.exports.model import (
    ExportProgramme,
    ExportRoom,
    ExportSession,
    distinct_people,
    person_name,
    pick,
)

PRODID = "-//exhibitions//seminar programme//EN"
# How often subscribed calendars should fetch the file again, so a moved session reaches them.
REFRESH = timedelta(hours=1)
LINE_OCTETS = 75


def to_ics(
    programme: ExportProgramme,
    *,
    sessions: Sequence[ExportSession] | None = None,
    name: str,
    stamp: datetime | None = None,
) -> bytes:
    """``stamp`` is the DTSTAMP of every event (when the file was produced); now by default."""
    zone = programme.zone
    chosen = sorted(
        programme.sessions if sessions is None else sessions,
        key=lambda session: (session.starts_at, session.id),
    )
    stamp = utcnow() if stamp is None else stamp
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # RFC 7986's NAME and the older X-WR-CALNAME. Calendar.calendar_name would store them
    # untyped, and an untyped value is written unescaped: a line break in the name broke the file.
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    calendar.refresh_interval = REFRESH
    calendar.add("x-published-ttl", vDuration(REFRESH))
    rooms = {room.id: room for room in programme.rooms}
    dtstamp = vDDDTypes(stamp.astimezone(UTC))
    for session in chosen:
        calendar.add_component(_event(programme, session, rooms, dtstamp))
    if chosen:
        # Only the span of the sessions: Timezone.from_tzinfo walks the zone's transitions.
        first = min(session.starts_at for session in chosen).astimezone(zone) - timedelta(days=1)
        last = max(session.ends_at for session in chosen).astimezone(zone) + timedelta(days=2)
        calendar.subcomponents.insert(
            0, Timezone.from_tzinfo(zone, programme.time_zone, first_date=first.date(), last_date=last.date())
        )
    # icalendar's own folding walks the text a character at a time and took half the time of a
    # 2,000-session export; the same rule on the encoded bytes is ten times faster.
    return b"".join(_folded(line) + b"\r\n" for line in calendar.content_lines(sorted=False) if line)


def _folded(line: str) -> bytes:
    """``line`` folded into pieces of at most 75 octets (RFC 5545 3.1; the space that starts a
    continuation counts), cut between two characters, never inside a UTF-8 sequence, and not
    just after a backslash or caret, since some clients do not join an escape split in two."""
    data = line.encode()
    pieces = []
    start, room = 0, LINE_OCTETS
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80 or (data[cut - 1] in b"\\^" and cut - 1 > start):
            cut -= 1
        pieces.append(data[start:cut])
        start, room = cut, LINE_OCTETS - 1
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def _event(
    programme: ExportProgramme, session: ExportSession, rooms: dict[int, ExportRoom], dtstamp: vDDDTypes
) -> Event:
    # Values go in as icalendar's own types: Event.add then skips guessing each one's type,
    # which halves the time of building the events.
    zone, language = programme.zone, programme.language
    event = Event()
    event.add("uid", vText(f"{session.guid}@{programme.host}"))
    event.add("sequence", vInt(session.sequence))
    event.add("dtstamp", dtstamp)
    event.add("dtstart", vDDDTypes(_calendar_time(session.starts_at, zone)))
    event.add("dtend", vDDDTypes(_calendar_time(session.ends_at, zone)))
    event.add("summary", vText(pick(session.title, language)))
    description = _description(session, language)
    if description:
        event.add("description", vText(description))
    room = rooms.get(session.room_id) if session.room_id is not None else None
    if room is not None:
        event.add("location", vText(f"{room.name}, {room.building}" if room.building else room.name))
    if session.url:
        event.add("url", vUri(session.url))
    event.add("status", vText("CANCELLED" if session.cancelled else "CONFIRMED"))
    track = pick(session.track, language) or session.track_code
    if track:
        event.add("categories", vCategory([track]))
    return event


def _calendar_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """``moment`` in the programme's zone, or in UTC when its local time is ambiguous (the hour
    repeated when the clocks go back, as at Morocco's Ramadan change): a reader takes a repeated
    local time as its first occurrence (RFC 5545 3.3.5), which may be an hour off."""
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def _description(session: ExportSession, language: str) -> str:
    """The abstract, then who speaks, so a phone's calendar shows both."""
    names = ", ".join(person_name(person, language) for person in distinct_people(session))
    return "\n\n".join(part for part in (pick(session.abstract, language), names) if part)
