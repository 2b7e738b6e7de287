"""The day × room grid that the frab XML and the c3voc JSON both write, computed once.

Both formats file every event under a day and a room, so two kinds of session are left out
of them: cancelled ones (they are not on the programme any more) and those without a room of
this programme (they have no place in the grid yet). The ICS export keeps both.

A session belongs to the day on which it starts, in the programme's time zone. The days run
without a gap from the programme's first day (or the first session's, if earlier) to its
last; each day starts with its first session and ends with its last one (midnight to
midnight when it has none).
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from exhibitions.search import fold
from exhibitions.seminars.exports.model import (
    ExportProgramme,
    ExportRoom,
    ExportSession,
    distinct_people,
    person_name,
    pick,
    second_language,
    text_language,
)

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_TITLE_LENGTH = 60


@dataclass(frozen=True)
class ScheduleEvent:
    id: int
    guid: str
    date: datetime  # local, with its offset
    start: str  # "HH:MM", local
    duration: str  # "HH:MM"
    room: str
    slug: str
    url: str
    title: str
    subtitle: str  # the title in a second language, when written
    track: str
    type: str
    language: str
    abstract: str
    description: str  # the abstract in the subtitle's language
    persons: tuple[tuple[int, str], ...]  # (id, name)


@dataclass(frozen=True)
class ScheduleDay:
    index: int  # from 1
    date: date
    start: datetime
    end: datetime
    rooms: tuple[tuple[ExportRoom, tuple[ScheduleEvent, ...]], ...]  # every room, in the programme's order


@dataclass(frozen=True)
class Schedule:
    acronym: str
    title: str
    start: date
    end: date
    timeslot_duration: str
    days: tuple[ScheduleDay, ...]


def acronym(slug: str) -> str:
    """The exhibition's slug as a c3voc acronym, whose pattern allows no hyphen inside and
    wants four characters at least (a slug may have three)."""
    return slug.replace("-", "_").ljust(4, "_")


def room_guid(programme: ExportProgramme, room: ExportRoom) -> str:
    """A room's stable UUID, derived from the programme's address and the room's id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{programme.base_url}#room-{room.id}"))


def hours_minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def build_schedule(programme: ExportProgramme) -> Schedule:
    zone = programme.zone
    room_by_id = {room.id: room for room in programme.rooms}
    placed = sorted(
        (session for session in programme.sessions if not session.cancelled and session.room_id in room_by_id),
        key=lambda session: (session.starts_at, session.id),
    )
    conference_acronym = acronym(programme.slug)
    by_day: dict[date, dict[int, list[ScheduleEvent]]] = {}
    bounds: dict[date, tuple[datetime, datetime]] = {}
    minutes = [60]
    for session in placed:
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        room = room_by_id[session.room_id]  # type: ignore[index]
        event = _event(programme, session, room, starts, ends, conference_acronym)
        by_day.setdefault(starts.date(), {}).setdefault(room.id, []).append(event)
        first, last = bounds.get(starts.date(), (starts, ends))
        bounds[starts.date()] = (min(first, starts), max(last, ends))
        minutes += [starts.hour * 60 + starts.minute, int((ends - starts).total_seconds()) // 60]
    first_day = min([programme.starts_on, *by_day])
    last_day = max([programme.starts_on, programme.ends_on, *by_day])
    days = []
    for offset in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        start, end = bounds.get(day) or _whole_day(day, zone)
        rooms_of_day = by_day.get(day, {})
        days.append(
            ScheduleDay(
                index=offset + 1,
                date=day,
                start=start,
                end=end,
                rooms=tuple((room, tuple(rooms_of_day.get(room.id, ()))) for room in programme.rooms),
            )
        )
    # The grid's step: the largest one that every start and duration falls on (at most an hour).
    step = math.gcd(*minutes)
    return Schedule(
        acronym=conference_acronym,
        title=pick(programme.title, programme.language),
        start=first_day,
        end=last_day,
        timeslot_duration=hours_minutes(timedelta(minutes=step)),
        days=tuple(days),
    )


def _whole_day(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(day, time(0), zone), datetime.combine(day + timedelta(days=1), time(0), zone)


def _event(
    programme: ExportProgramme,
    session: ExportSession,
    room: ExportRoom,
    starts: datetime,
    ends: datetime,
    conference_acronym: str,
) -> ScheduleEvent:
    language = programme.language
    title_language = text_language(session.title, language)
    other = second_language(session.title, title_language)
    title = pick(session.title, language)
    return ScheduleEvent(
        id=session.id,
        guid=session.guid,
        date=starts,
        start=f"{starts.hour:02d}:{starts.minute:02d}",
        duration=hours_minutes(ends - starts),
        room=room.name,
        slug=event_slug(conference_acronym, session.id, title),
        url=session.url,
        title=title,
        subtitle="" if other is None else session.title[other],
        track=pick(session.track, language) or session.track_code,
        type=session.type,
        language=session.languages[0] if session.languages else (title_language or language),
        abstract=pick(session.abstract, language),
        description="" if other is None else session.abstract.get(other, ""),
        persons=tuple((person.id, person_name(person, language)) for person in distinct_people(session)),
    )


def event_slug(conference_acronym: str, session_id: int, title: str) -> str:
    """frab's ``{acronym}-{id}-{title words}``: unique through the id, readable where the title
    has Latin letters (an Arabic title adds nothing)."""
    words = _NOT_SLUG.sub("_", fold(title)).strip("_")[:_SLUG_TITLE_LENGTH].strip("_")
    return f"{conference_acronym}-{session_id}" + (f"-{words}" if words else "")
