"""Seminars: rooms, tracks, people, sessions and the programme's conflicts. The one way in."""

from exhibitions.seminars.services._exports import export_person, export_programme, export_session
from exhibitions.seminars.services._people import create_person, delete_person, get_person, list_people, update_person
from exhibitions.seminars.services._programme import (
    CheckedConflicts,
    ScheduleConflict,
    get_programme_settings,
    opening_windows,
    programme_conflicts,
    programme_of,
    registered_counts,
    rules_of,
    set_programme_settings,
)
from exhibitions.seminars.services._rooms import create_room, delete_room, get_room, list_rooms, update_room
from exhibitions.seminars.services._sessions import (
    create_session,
    delete_session,
    get_session,
    list_sessions,
    session_in,
    update_session,
)
from exhibitions.seminars.services._tracks import (
    DEFAULT_TRACKS,
    create_track,
    delete_track,
    ensure_default_tracks,
    list_tracks,
    update_track,
)

__all__ = [
    "DEFAULT_TRACKS",
    "CheckedConflicts",
    "ScheduleConflict",
    "create_person",
    "create_room",
    "create_session",
    "create_track",
    "delete_person",
    "delete_room",
    "delete_session",
    "delete_track",
    "ensure_default_tracks",
    "export_person",
    "export_programme",
    "export_session",
    "get_person",
    "get_programme_settings",
    "get_room",
    "get_session",
    "list_people",
    "list_rooms",
    "list_sessions",
    "list_tracks",
    "opening_windows",
    "programme_conflicts",
    "programme_of",
    "registered_counts",
    "rules_of",
    "session_in",
    "set_programme_settings",
    "update_person",
    "update_room",
    "update_session",
    "update_track",
]
