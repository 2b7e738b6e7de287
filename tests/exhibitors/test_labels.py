"""How a review quota's label reads in each language."""

from __future__ import annotations

import pytest

from exhibitions.exhibitors.labels import quota_name
from exhibitions.web.i18n import Translator


@pytest.mark.parametrize(
    ("language", "label", "shown"),
    [
        ("en", "women_led", "Women-led"),
        ("en", "sector handicrafts", "Sector: Handicrafts"),
        ("fr", "legal_form cooperative", "Forme juridique : Coopérative"),
        ("fr", "region MA-08", "Région : MA-08"),
        ("ar", "women_led", "تقودها نساء"),
    ],
)
def test_quota_name(language: str, label: str, shown: str) -> None:
    assert quota_name(label, Translator(language).gettext) == shown
