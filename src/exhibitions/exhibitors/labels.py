"""How sectors and legal forms are named to people (translated where they are shown)."""

from __future__ import annotations

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
