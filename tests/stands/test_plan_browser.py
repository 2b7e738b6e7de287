"""The interactive sample plan in Debian's chromium: the panel, the search, the Arabic page."""

from __future__ import annotations

import re
from pathlib import Path

from exhibitions.stands.plan_sample import sample_plan
from playwright.async_api import Browser, Page, expect

from exhibitions.search import fold
from exhibitions.stands.plan_pages import SAMPLE_STANDS
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures

# The examples of tests/test_search.py, and a few more: the page's fold must agree with the server's.
FOLD_EXAMPLES = [
    "Coopérative Tifawine",
    "  COOPERATIVE   tifawine ",
    "تعاونيّة",
    "تعاونية",
    "أرگان",
    "إيمان",
    "مـــدرسة",
    "مستشفى",
    "ﻻ",
    'Pêcheurs <Al Bahr> & "Amal"',
    "آمنة ٱلخير",
    "ÉCOLE Ça",
]


def matching_codes(query: str) -> list[str]:
    """The sample stands whose code or exhibitors' names hold every folded word of ``query``."""
    _, stands = sample_plan(SAMPLE_STANDS)
    words = fold(query).split()
    codes = []
    for stand in stands:
        haystack = fold(" ".join([stand.code, *(f"{e.name_ar} {e.name_latin}" for e in stand.exhibitors)]))
        if all(word in haystack for word in words):
            codes.append(stand.code)
    return codes


async def test_the_page_folds_search_text_as_the_server_does(live_server: str, page: Page) -> None:  # noqa: F811
    await page.goto(f"{live_server}/plans/sample?lang=fr")
    folded = await page.evaluate("examples => examples.map(text => window.planFold(text))", FOLD_EXAMPLES)
    assert folded == [fold(example) for example in FOLD_EXAMPLES]


async def test_hover_tap_keyboard_and_search_on_the_french_plan(
    live_server: str,
    browser: Browser,  # noqa: F811
    artifacts_dir: Path,
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-MA", has_touch=True)
    tab = await context.new_page()
    await tab.goto(f"{live_server}/plans/sample?lang=fr&colour=sector")
    panel = tab.locator("#plan-panel")
    await expect(panel).to_be_hidden()

    await tab.locator('[data-stand="A-1"]').hover()
    await expect(panel).to_be_visible()
    await expect(panel.locator("h2")).to_have_text("Stand A-1")
    await expect(panel.locator(".plan-name-latin")).to_have_text("Coopérative Argane Al Khair")
    await expect(panel.locator(".plan-name-ar")).to_have_text("تعاونية أركان الخير")
    await expect(panel.locator(".plan-details")).to_have_text("Agriculture · Région MA-01")
    await expect(panel.get_by_role("link", name="Page de l'exposant")).to_have_attribute(
        "href", "/exhibitions/sample/exhibitors/1"
    )

    await tab.locator('[data-stand="A-2"]').tap()
    await expect(panel.locator(".plan-name-latin")).to_have_text("Coopérative Tifawine")

    # Keyboard: a stand takes the focus; Enter shows its panel; Escape closes it.
    await tab.locator('[data-stand="A-3"]').focus()
    await tab.keyboard.press("Enter")
    await expect(panel.locator("h2")).to_have_text("Stand A-3")
    await tab.keyboard.press("Escape")
    await expect(panel).to_be_hidden()

    expected = matching_codes("cooperative argane")
    assert len(expected) > 1
    await tab.get_by_label("Trouver un exposant sur le plan").fill("cooperative ARGANE")
    matches = tab.locator(".stand.match")
    await expect(matches).to_have_count(len(expected))
    assert [await match.get_attribute("data-stand") for match in await matches.all()] == expected
    await expect(tab.locator("#plan-matches")).to_have_text(f"Stands correspondants : {len(expected)}")
    await tab.screenshot(path=str(artifacts_dir / "plan-fr.png"), full_page=True)

    await tab.get_by_label("Trouver un exposant sur le plan").fill("zzz")
    await expect(matches).to_have_count(0)
    await expect(tab.locator("#plan-matches")).to_have_text("Aucun stand ne correspond à votre recherche.")
    await context.close()


async def test_the_arabic_plan_is_right_to_left_and_finds_names_typed_without_hamza(
    live_server: str,
    browser: Browser,  # noqa: F811
    artifacts_dir: Path,
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-MA")
    tab = await context.new_page()
    await tab.goto(f"{live_server}/plans/sample?lang=ar&highlight=A-5")
    assert await tab.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The directory's link: the stand is highlighted and its panel open.
    await expect(tab.locator("#plan-panel h2")).to_have_text("الرواق A-5")
    await expect(tab.locator('[data-stand="A-5"]')).to_have_class(re.compile(r"\bhighlight shown$"))
    expected = matching_codes("اركان")
    assert expected == matching_codes("أركان")
    assert len(expected) > 1
    await tab.get_by_label("ابحث عن عارض في المخطط").fill("اركان")
    await expect(tab.locator(".stand.match")).to_have_count(len(expected))
    await tab.screenshot(path=str(artifacts_dir / "plan-ar.png"), full_page=True)
    await context.close()
