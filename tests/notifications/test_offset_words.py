"""The reminders page says each rule's offset in the reader's language."""

from __future__ import annotations

import pytest

from exhibitions.notifications.pages import offset_words
from exhibitions.notifications.reminder_rules import parse_offset
from exhibitions.web.i18n import Translator


@pytest.mark.parametrize(
    ("text", "fr", "ar", "en"),
    [
        ("-2d at 09:00", "2 jours avant, à 09:00", "قبل يومين، على الساعة 09:00", "2 days before, at 09:00"),
        ("-1d at 10:00", "1 jour avant, à 10:00", "قبل يوم واحد، على الساعة 10:00", "1 day before, at 10:00"),
        ("-7d", "7 jours avant", "قبل 7 أيام", "7 days before"),
        ("-2h", "2 heures avant", "قبل ساعتين", "2 hours before"),
        ("-90m", "90 minutes avant", "قبل 90 دقيقة", "90 minutes before"),
        ("+3d", "3 jours après", "بعد 3 أيام", "3 days after"),
        ("-1h", "1 heure avant", "قبل ساعة واحدة", "1 hour before"),
    ],
)
def test_offsets_read_as_words(text: str, fr: str, ar: str, en: str) -> None:
    offset = parse_offset(text)
    assert offset_words(offset, Translator("fr")) == fr
    assert offset_words(offset, Translator("ar")) == ar
    assert offset_words(offset, Translator("en")) == en
