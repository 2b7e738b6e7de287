"""Seminar programme exports: iCalendar, frab schedule XML and c3voc schedule JSON, pure
functions of an :class:`ExportProgramme` (plain dataclasses the seminars services fill)."""

from exhibitions.seminars.exports.c3voc import to_c3voc_json
from exhibitions.seminars.exports.frab import to_frab_xml
from exhibitions.seminars.exports.ics import to_ics
from exhibitions.seminars.exports.model import ExportPerson, ExportProgramme, ExportRoom, ExportSession, Text

__all__ = [
    "ExportPerson",
    "ExportProgramme",
    "ExportRoom",
    "ExportSession",
    "Text",
    "to_c3voc_json",
    "to_frab_xml",
    "to_ics",
]
