"""How the programme's kinds, roles and conflicts are said to people, in their language.

Conflicts are told with the names the reader knows (the room's, the person's in their
script, the session's title in their language) instead of ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from exhibitions.web.i18n import N_, Translator

SESSION_TYPES = {
    "keynote": N_("Keynote"),
    "panel": N_("Panel"),
    "workshop": N_("Workshop"),
    "round_table": N_("Round table"),
}
ROLES = {
    "speaker": N_("Speaker"),
    "moderator": N_("Moderator"),
    "rapporteur": N_("Rapporteur"),
    "discussant": N_("Discussant"),
}
RESPONSES = {
    "invited": N_("Invited"),
    "confirmed": N_("Confirmed"),
    "declined": N_("Declined"),
    "reschedule_requested": N_("Asked for another time"),
}
STATUSES = {"draft": N_("Draft"), "scheduled": N_("Scheduled"), "cancelled": N_("Cancelled")}
SEVERITIES = {"error": N_("Error"), "warning": N_("Warning"), "ignore": N_("Ignored")}
CONFLICT_KINDS = {
    "room_double_booked": N_("Room double-booked"),
    "person_double_booked": N_("Person in two sessions at once"),
    "person_unavailable": N_("Person not available"),
    "outside_opening_hours": N_("Outside opening hours"),
    "room_too_small": N_("Room too small"),
    "travel_too_short": N_("Too little time to move"),
}
_MESSAGES = {
    "room_double_booked": N_("%(room)s holds two sessions at once: %(first)s and %(second)s."),
    "person_double_booked": N_("%(person)s is in two sessions at once: %(first)s and %(second)s."),
    "person_unavailable": N_("%(person)s is not available at the time of %(first)s."),
    "outside_opening_hours": N_("%(first)s is outside the venue's opening hours."),
    "room_too_small": N_("%(room)s seats %(capacity)s, and %(sign_ups)s people signed up for %(first)s."),
    "travel_too_short": N_(
        "%(person)s has %(gap_minutes)s minutes to go from %(first)s to %(second)s, in another building."
    ),
}


@dataclass(frozen=True)
class ProgrammeNames:
    """What the conflicts' ids stand for: titles per language, names per script."""

    sessions: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    people: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # (Arabic script, Latin script)
    rooms: Mapping[int, str] = field(default_factory=dict)


def in_language(texts: Mapping[str, str], language: str) -> str:
    """The text in ``language``, else in French, Arabic or English, whichever exists."""
    for code in (language, "fr", "ar", "en"):
        if texts.get(code):
            return texts[code]
    return ""


def person_name(name_ar: str, name_latin: str, language: str) -> str:
    """The name in the reader's script when there is one: Arabic for Arabic readers."""
    if language == "ar":
        return name_ar or name_latin
    return name_latin or name_ar


def conflict_message(
    kind: str,
    session_ids: tuple[int, ...] | list[int],
    person_id: int | None,
    room_id: int | None,
    detail: Mapping[str, int | str],
    names: ProgrammeNames,
    translator: Translator,
) -> str:
    """One conflict as a sentence in the reader's language."""
    language = translator.language
    titles = [f"« {in_language(names.sessions.get(i, {}), language) or i} »" for i in session_ids]
    person = names.people.get(person_id or 0, ("", ""))
    values: dict[str, object] = {
        "first": titles[0] if titles else "",
        "second": titles[1] if len(titles) > 1 else "",
        "person": person_name(*person, language) or str(person_id),
        "room": names.rooms.get(room_id or 0, str(room_id)),
        "capacity": detail.get("capacity", "?"),
        "sign_ups": detail.get("sign_ups", "?"),
        "gap_minutes": detail.get("gap_minutes", "?"),
    }
    template = _MESSAGES.get(kind)
    return translator.gettext(template) % values if template else kind
