"""The allocator's reasons said to people: its note codes (``stands/allocation.py``) in the
reader's language, for the allocation page and the stand e-mail alike."""

from __future__ import annotations

from collections.abc import Sequence

from exhibitions.web.i18n import N_, Translator

NOTES = {
    "locked": N_("locked by the organizers"),
    "unchanged": N_("as published"),
    "zone_met": N_("zone preference met"),
    "zone_missed": N_("zone preference not met"),
    "hall_met": N_("hall preference met"),
    "hall_missed": N_("hall preference not met"),
    "sector_neighbours": N_("same sector as neighbours"),
    "region_neighbours": N_("same region as neighbours"),
    "near_met": N_("near the organizations asked for"),
    "near_missed": N_("near request not met"),
    "shared": N_("shares the stand"),
}
# "near Coop Atlas, Coop Safran": the neighbours asked for, by name, when the proposal knows them.
NEAR_NAMED = N_("near %(names)s")
FITS = N_("fits its needs")
# Between two reasons: the Arabic semicolon; French sets a space before its semicolon.
SEPARATORS = {"ar": "؛ ", "fr": " ; "}
# Between two names: the Arabic comma.
COMMAS = {"ar": "، "}
UNPLACED = {
    "no_fitting_stand": N_("no stand fits its size, type and needs"),
    "fitting_stands_taken": N_("every stand that fits is taken"),
}


def reason_text(notes: Sequence[str], translator: Translator, near: Sequence[str] = ()) -> str:
    """The one-line reason, from the solver's note codes (and the names of the neighbours
    asked for that it met), in the reader's language."""
    said = []
    for note in notes:
        if note == "near_met" and near:
            names = COMMAS.get(translator.language, ", ").join(near)
            said.append(translator.gettext(NEAR_NAMED) % {"names": names})
        elif note in NOTES:
            said.append(translator.gettext(NOTES[note]))
    return SEPARATORS.get(translator.language, "; ").join(said) or translator.gettext(FITS)
