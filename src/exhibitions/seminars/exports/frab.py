"""The programme as frab's schedule XML (the Pentabarf "schedule.xml" that c3voc's tools,
Giggity, ConfClerk and the recording pipelines read), valid against c3voc's
``schedule.xml.xsd``.

Cancelled sessions are omitted, and so are sessions without a room of the programme (see
``_schedule``). Titles, abstracts and tracks are in the programme's language, falling back to
any translation there is; a second language, when written, goes to ``subtitle`` and
``description``. Times are local to the programme's time zone, with their offset. Durations
stop at 99:59, the longest the schema can write.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from exhibitions.seminars.exports._schedule import ScheduleEvent, build_schedule
from exhibitions.seminars.exports.model import ExportProgramme

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def to_frab_xml(programme: ExportProgramme) -> bytes:
    schedule = build_schedule(programme)
    root = ET.Element("schedule")
    _child(root, "version", programme.version)
    conference = ET.SubElement(root, "conference")
    _child(conference, "title", schedule.title)
    _child(conference, "acronym", schedule.acronym)
    _child(conference, "start", schedule.start.isoformat())
    _child(conference, "end", schedule.end.isoformat())
    _child(conference, "days", str(len(schedule.days)))
    _child(conference, "timeslot_duration", schedule.timeslot_duration)
    for day in schedule.days:
        day_element = ET.SubElement(
            root,
            "day",
            index=str(day.index),
            date=day.date.isoformat(),
            start=day.start.isoformat(),
            end=day.end.isoformat(),
        )
        for room, events in day.rooms:
            room_element = ET.SubElement(day_element, "room", name=_clean(room.name))
            for event in events:
                _event(room_element, event)
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"


def _event(parent: ET.Element, event: ScheduleEvent) -> None:
    element = ET.SubElement(parent, "event", id=str(event.id), guid=_clean(event.guid))
    _child(element, "date", event.date.isoformat())
    _child(element, "start", event.start)
    _child(element, "duration", _frab_duration(event.duration))
    _child(element, "room", event.room)
    _child(element, "slug", event.slug)
    _child(element, "title", event.title)
    _child(element, "subtitle", event.subtitle)
    _child(element, "track", event.track)
    _child(element, "type", event.type)
    _child(element, "language", event.language)
    _child(element, "abstract", event.abstract)
    _child(element, "description", event.description)
    persons = ET.SubElement(element, "persons")
    for person_id, name in event.persons:
        _child(persons, "person", name, id=str(person_id))
    links = ET.SubElement(element, "links")
    if event.url:
        _child(links, "link", event.title, href=_clean(event.url))


def _frab_duration(duration: str) -> str:
    """The schema's durations have two digits of hours at most: a session of 100 hours or more
    (no seminar, but nothing forbids it) is written as the longest it can say."""
    return duration if len(duration) <= 5 else "99:59"


def _child(parent: ET.Element, tag: str, text: str, **attributes: str) -> None:
    ET.SubElement(parent, tag, attributes).text = _clean(text)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)
