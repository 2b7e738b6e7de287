from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from exhibitions.web.i18n import Translator, choose_language, parse_accept_language

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "exhibitions" / "locale"


def _source_messages() -> set[str]:
    found: set[str] = set()
    methods = [("src/exhibitions/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    jinja = {"extensions": "jinja2.ext.i18n"}
    options = {"templates/**.html": jinja, "templates/**.txt": jinja}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    for _, _, message, _, _ in extract_from_dir(str(ROOT), methods, options_map=options, keywords=keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_interface_string_is_translated(language: str) -> None:
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {
        (message.id[0] if isinstance(message.id, tuple) else message.id)
        for message in catalog
        if message.id and (all(message.string) if isinstance(message.string, tuple) else message.string)
    }
    missing = sorted(_source_messages() - translated)
    assert missing == [], f"run `make messages` and translate: {missing}"


def test_arabic_is_right_to_left_and_plural_aware() -> None:
    arabic = Translator("ar")
    assert arabic.direction == "rtl"
    assert Translator("fr").direction == "ltr"
    assert arabic.gettext("Log in") == "تسجيل الدخول"
    assert [
        arabic.ngettext("%(num)d exhibition", "%(num)d exhibitions", n) % {"num": n} for n in (1, 2, 3, 11, 100)
    ] == [
        "معرض واحد",
        "معرضان",
        "3 معارض",
        "11 معرضا",
        "100 معرض",
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ar-MA,ar;q=0.9,fr;q=0.8", ["ar", "ar", "fr"]),
        ("fr;q=0.5, en", ["en", "fr"]),
        ("*", []),
        ("en;q=0, fr", ["fr"]),
        ("de;q=abc, es", ["es"]),
        ("", []),
    ],
)
def test_accept_language_is_ordered_by_quality(header: str, expected: list[str]) -> None:
    assert parse_accept_language(header) == expected


def test_an_explicit_choice_beats_the_cookie_which_beats_the_browser() -> None:
    assert choose_language(query="ar", cookie="en", accept_language="fr", default="fr") == "ar"
    assert choose_language(query="xx", cookie="en", accept_language="fr", default="fr") == "en"
    assert choose_language(query=None, cookie=None, accept_language="de, en;q=0.2", default="fr") == "en"
    assert choose_language(query=None, cookie=None, accept_language=None, default="ar") == "ar"
