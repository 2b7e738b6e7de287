"""Folding for search: the stored and the searched text fold alike."""

from __future__ import annotations

import pytest

from exhibitions.search import fold


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Coopérative Tifawine", "cooperative tifawine"),
        ("  COOPERATIVE   tifawine ", "cooperative tifawine"),
        ("تعاونيّة", "تعاونيه"),  # shadda dropped, teh marbuta unified
        ("تعاونية", "تعاونيه"),
        ("أرگان", "ارگان"),  # hamza on alef
        ("إيمان", "ايمان"),
        ("مـــدرسة", "مدرسه"),  # tatweel
        ("مستشفى", "مستشفي"),  # alef maksura
        ("ﻻ", "لا"),  # presentation form
    ],
)
def test_fold(typed: str, stored: str) -> None:
    assert fold(typed) == stored
