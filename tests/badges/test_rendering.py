"""Single badges: every role in Arabic and French, in both sizes; long, mixed and missing
texts; the back of a double-sided badge; the QR read back by a camera's decoder."""

from __future__ import annotations

import io
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from exhibitions.badges.layouts import LAYOUTS
from exhibitions.badges.rendering import _stylesheets, badges_html, render_badge, render_badge_pdf
from exhibitions.badges.views import BADGE_ROLES, BadgeRole, BadgeSize, BadgeView
from exhibitions.paths import STATIC_DIR
from tests.badges.pdf import page_png, page_sizes, region_text, words
from tests.badges.views_data import EXHIBITION, ROLE_LABELS, badge_view

LONG_FRENCH_NAME = (
    "Marie-Françoise Anne-Sophie Élisabeth de La Rochefoucauld-Montmorency "
    "Bensaïd El Ouazzani Chahdi Belkhayat Tazi Lahlou"
)
LONG_ARABIC_NAME = (
    "عبد الرحمن بن محمد بن عبد الله بن إبراهيم بن عبد العزيز الإدريسي الحسني العلوي الشريف الفاسي المكناسي التطواني"
)
MIXED_NAME = "Fatima Zahra الإدريسي بنت محمد El Alaoui"
HYPHENATED_MIXED_NAME = "سكينة Bennani-Smires"


def qr_texts(png: bytes) -> list[str]:
    symbols = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return [symbol.text for symbol in symbols if symbol.format == zxingcpp.BarcodeFormat.QRCode]


def name_text(pdf: bytes, size: BadgeSize, *, rtl: bool, page: int = 1) -> str:
    """The text inside the name's box, as the stylesheet places it."""
    box = LAYOUTS[size].boxes["name"]
    left = {"a6": 6.0, "label": 29.0 if rtl else 4.0}[size]
    top = {"a6": 28.0, "label": 11.0}[size]
    return region_text(pdf, page=page, left=left, top=top, width=box.width, height=box.height)


@pytest.mark.parametrize("size", ["a6", "label"])
@pytest.mark.parametrize("language", ["ar", "fr"])
@pytest.mark.parametrize("role", BADGE_ROLES)
def test_every_role_in_arabic_and_french(role: BadgeRole, language: str, size: BadgeSize) -> None:
    view = badge_view(role, language)
    pdf = render_badge(view, size=size)

    layout = LAYOUTS[size]
    assert page_sizes(pdf) == [(layout.width, layout.height)]
    text = region_text(pdf, page=1, left=0, top=0, width=layout.width, height=layout.height)
    # Poppler splits a word at some Arabic marks ("مسيّ ر"): labels are compared without spaces.
    assert ROLE_LABELS[language][role].replace(" ", "") in text.replace(" ", "")
    assert name_text(pdf, size, rtl=language == "ar") == view.full_name
    assert view.title in text
    assert view.organization in text
    assert EXHIBITION[language][0] in text
    if role == "exhibitor_staff":
        assert "B-12" in text
    else:
        assert "B-12" not in text
    assert qr_texts(page_png(pdf, dpi=150)) == [view.qr_payload]


@pytest.mark.parametrize("size", ["a6", "label"])
@pytest.mark.parametrize(
    ("language", "name"),
    [("fr", LONG_FRENCH_NAME), ("ar", LONG_ARABIC_NAME), ("fr", MIXED_NAME), ("ar", MIXED_NAME)],
)
def test_long_and_mixed_names_fit_their_box_whole(language: str, name: str, size: BadgeSize) -> None:
    view = badge_view("speaker", language, full_name=name)
    pdf = render_badge(view, size=size)

    assert page_sizes(pdf) == [(LAYOUTS[size].width, LAYOUTS[size].height)]
    # The layout engine's own boxes: the name's lines, in order, are the name, and every
    # line lies inside the name's box, which lies inside the badge.
    name_box, lines = name_layout(view, size)
    assert joined_lines([text for text, _rect in lines]) == name
    left, top, right, bottom = name_box
    assert left >= 0
    assert top >= 0
    assert right <= LAYOUTS[size].width
    assert bottom <= LAYOUTS[size].height
    for _text, (line_left, line_top, line_right, line_bottom) in lines:
        assert line_left >= left - 0.01, (line_left, name_box)
        assert line_right <= right + 0.01, (line_right, name_box)
        assert line_top >= top - 0.01, (line_top, name_box)
        assert line_bottom <= bottom + 0.01, (line_bottom, name_box)
    # And the PDF: poppler finds in the name's box exactly the name's letters. (Poppler's
    # order is not the text's where a line changes direction or an Arabic ligature such as
    # "الله" is one glyph, so the letters are compared, not their order.)
    assert sorted(letters(name_text(pdf, size, rtl=language == "ar"))) == sorted(letters(name))


def joined_lines(lines: list[str]) -> str:
    return " ".join(lines)


def letters(text: str) -> str:
    return "".join(character for character in text if character.isalnum())


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_compound_name_is_not_broken_at_its_hyphen(language: str) -> None:
    # Broken after the hyphen, a right-to-left line would show "-Bennani سكينة" over "Smires".
    view = badge_view("exhibitor_staff", language, full_name=HYPHENATED_MIXED_NAME)
    _box, lines = name_layout(view, "label")
    assert [text for text, _rect in lines] in (
        [HYPHENATED_MIXED_NAME],
        ["سكينة", "Bennani-Smires"],
    )


def test_a_long_name_is_smaller_than_a_short_one() -> None:
    short = name_font_size(badge_view("speaker", "fr", full_name="Amina Tazi"))
    long = name_font_size(badge_view("speaker", "fr", full_name=LONG_FRENCH_NAME))
    assert short == 28.0  # the A6 name's largest size
    assert 7.0 <= long < 20.0


def test_an_empty_organization_and_title_leave_no_trace() -> None:
    view = badge_view("press", "fr", organization="", title="")
    pdf = render_badge(view)
    text = region_text(pdf, page=1, left=0, top=0, width=105, height=148)
    assert text == f"{EXHIBITION['fr'][0]} {EXHIBITION['fr'][1]} {view.full_name} Presse"
    assert len(page_sizes(pdf)) == 1


def test_a_double_sided_badge_has_its_back_on_a_second_page() -> None:
    back = ("Programme : ouverture à 10:00, salle Atlas", "Wi-Fi : SSE2027 / solidaire", "برنامج اليوم: الافتتاح 10:00")
    view = badge_view("speaker", "fr", back_lines=back)
    pdf = render_badge(view, size="a6")
    assert page_sizes(pdf) == [(105.0, 148.0), (105.0, 148.0)]
    back_text = region_text(pdf, page=2, left=0, top=0, width=105, height=148)
    # Poppler puts the digits of the Arabic line first: that line is compared by its letters.
    latin = " ".join([EXHIBITION["fr"][0], *back[:2]])
    assert back_text.startswith(latin + " ")
    assert back_text.endswith(" Intervenant")
    assert sorted(letters(back_text[len(latin) : -len(" Intervenant")])) == sorted(letters(back[2]))
    assert qr_texts(page_png(pdf, page=2)) == []


def test_typed_markup_is_text_and_fetches_nothing() -> None:
    name = '<img src="file:///etc/passwd"> <b>Amina</b>'
    pdf = render_badge(
        badge_view("vip", "en", full_name=name, organization='<link rel="stylesheet" href="http://example.com/x.css">')
    )
    text = region_text(pdf, page=1, left=0, top=0, width=105, height=148)
    # Poppler splits a line after "/": spaces aside, the markup is there as text.
    assert name.replace(" ", "") in text.replace(" ", "")
    assert '<linkrel="stylesheet"href="http://example.com/x.css">' in text.replace(" ", "")


def test_arabic_badges_run_right_to_left() -> None:
    pdf = render_badge(badge_view("speaker", "ar"))
    placed = {word: (left, right) for word, left, _top, right, _bottom in words(pdf)}
    # The QR sits on the left in Arabic (on the right in French): the left half of the
    # badge's lower part holds no text, and the role's word is centred.
    assert all(not (86 <= top <= 124 and left < 48) for _word, left, top, _right, _bottom in words(pdf))
    role_left, role_right = placed["لخدتم"] if "لخدتم" in placed else placed["متدخل"]
    assert abs((role_left + role_right) / 2 - 52.5) < 1.0


Rect = tuple[float, float, float, float]


def name_layout(view: BadgeView, size: BadgeSize) -> tuple[Rect, list[tuple[str, Rect]]]:
    """WeasyPrint's own layout of the badge: the name's box and its text boxes, in mm."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from exhibitions.documents import local_resources

    html = badges_html([view], size=size, sheet=False)
    document = HTML(string=html, base_url=STATIC_DIR.resolve().as_uri() + "/", url_fetcher=local_resources())
    page = document.render(stylesheets=_stylesheets(size, False)).pages[0]
    px = 96 / 25.4

    def walk(box: Any) -> Any:
        yield box
        for child in getattr(box, "children", []):
            yield from walk(child)

    name = next(box for box in walk(page._page_box) if box.element_tag == "div" and box.element.get("class") == "name")
    name_rect = (
        name.position_x / px,
        name.position_y / px,
        (name.position_x + name.border_width()) / px,
        (name.position_y + name.border_height()) / px,
    )
    texts = [
        (
            box.text.strip("\u2068\u2069 ").replace("\u2060", ""),
            (
                box.position_x / px,
                box.position_y / px,
                (box.position_x + box.width) / px,
                (box.position_y + box.height) / px,
            ),
        )
        for box in walk(name)
        if isinstance(box, boxes.TextBox) and box.text.strip("\u2068\u2069 ")
    ]
    return name_rect, texts


def name_font_size(view: BadgeView) -> float:
    html = badges_html([view], size="a6", sheet=False)
    style = html.split('class="name" style="font-size: ')[1]
    return float(style.split("pt")[0])


async def test_the_event_loop_renders_a_kiosk_badge_in_a_worker_thread() -> None:
    view = badge_view("organizer", "ar")
    pdf = await render_badge_pdf(view, size="label")
    assert page_sizes(pdf) == [(90.0, 55.0)]
    assert qr_texts(page_png(pdf, dpi=200)) == [view.qr_payload]
