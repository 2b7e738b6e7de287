"""The programme as c3voc's schedule JSON (frab's ``schedule.json``, the format of
https://c3voc.de/schedule/schema.json), the same grid as the frab XML.

Cancelled sessions and sessions without a room of the programme are omitted (see
``_schedule``). Rooms get a stable UUID derived from the programme's address and their id;
an event without its own page links to the programme's ``base_url``. People are written the
frab way, ``{"id", "public_name"}``.
"""

from __future__ import annotations

import json
from typing import Any

from exhibitions.seminars.exports._schedule import ScheduleEvent, build_schedule, room_guid
from exhibitions.seminars.exports.model import ExportProgramme, ExportRoom


def to_c3voc_json(programme: ExportProgramme) -> bytes:
    schedule = build_schedule(programme)
    document = {
        "schedule": {
            "version": programme.version,
            "base_url": programme.base_url,
            "conference": {
                "acronym": schedule.acronym,
                "title": schedule.title,
                "start": schedule.start.isoformat(),
                "end": schedule.end.isoformat(),
                "daysCount": len(schedule.days),
                "timeslot_duration": schedule.timeslot_duration,
                "time_zone_name": programme.time_zone,
                "rooms": [
                    {"name": room.name, "guid": room_guid(programme, room), "capacity": room.capacity}
                    for room in programme.rooms
                ],
                "days": [
                    {
                        "index": day.index,
                        "date": day.date.isoformat(),
                        "day_start": day.start.isoformat(),
                        "day_end": day.end.isoformat(),
                        "rooms": _rooms(day.rooms, programme.base_url),
                    }
                    for day in schedule.days
                ],
            },
        }
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode() + b"\n"


def _rooms(rooms: tuple[tuple[ExportRoom, tuple[ScheduleEvent, ...]], ...], base_url: str) -> dict[str, Any]:
    by_name: dict[str, list[ScheduleEvent]] = {}
    for room, events in rooms:
        # Two rooms of one name (in two buildings) share the key the format files them under.
        by_name.setdefault(room.name, []).extend(events)
    return {
        name: [_event(event, base_url) for event in sorted(events, key=lambda event: (event.date, event.id))]
        for name, events in by_name.items()
    }


def _event(event: ScheduleEvent, base_url: str) -> dict[str, Any]:
    return {
        "guid": event.guid,
        "id": event.id,
        "date": event.date.isoformat(),
        "start": event.start,
        "duration": event.duration,
        "room": event.room,
        "slug": event.slug,
        "url": event.url or base_url,
        "title": event.title,
        "subtitle": event.subtitle,
        "track": event.track,
        "type": event.type,
        "language": event.language,
        "abstract": event.abstract,
        "description": event.description,
        "persons": [{"id": person_id, "public_name": name} for person_id, name in event.persons],
        "links": [],
    }
