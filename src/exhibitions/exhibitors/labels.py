"""How sectors and legal forms are named to people (translated where they are shown)."""

from __future__ import annotations

from collections.abc import Callable

from exhibitions.exhibitors.tables import LegalForm, Sector
from exhibitions.web.i18n import N_

SECTOR_LABELS = {
    Sector.agriculture.value: N_("Agriculture"),
    Sector.handicrafts.value: N_("Handicrafts"),
    Sector.fishing.value: N_("Fishing"),
    Sector.argan.value: N_("Argan"),
    Sector.food_processing.value: N_("Food processing"),
    Sector.textile.value: N_("Textile"),
    Sector.services.value: N_("Services"),
    Sector.other.value: N_("Other sector"),
}
LEGAL_FORM_LABELS = {
    LegalForm.cooperative.value: N_("Cooperative"),
    LegalForm.association.value: N_("Association"),
    LegalForm.mutual.value: N_("Mutual"),
    LegalForm.company.value: N_("Company"),
    LegalForm.public_body.value: N_("Public body"),
}


def quota_name(label: str, gettext: Callable[[str], str]) -> str:
    """A review quota's label (``women_led``, ``sector handicrafts``, ``region MA-08``) in the
    reader's words: "Women-led", "Sector: Handicrafts", "Region: MA-08"."""
    dimension, _, value = label.partition(" ")
    if dimension == "women_led":
        return gettext("Women-led")
    dimensions = {"region": N_("Region"), "sector": N_("Sector"), "legal_form": N_("Legal form")}
    values = {"sector": SECTOR_LABELS, "legal_form": LEGAL_FORM_LABELS}.get(dimension, {})
    shown = gettext(values[value]) if value in values else value
    return gettext("{dimension}: {value}").format(dimension=gettext(dimensions.get(dimension, dimension)), value=shown)
