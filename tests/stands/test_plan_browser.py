"""A hall's interactive plan in Debian's chromium: the panel, the search, the Arabic page; and
organizers moving exhibitors by dragging stands (mouse, finger, keyboard)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, expect

from exhibitions.search import fold
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.stands.stands_data import SLUG
from tests.stands.test_plan_pages import hall_plan, plan_page_url, seats

__all__ = ["hall_plan"]  # the fixture, shared

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


async def signed_in(
    browser: Browser,  # noqa: F811
    live_server: str,
    language: str,
    *,
    touch: bool = False,
) -> tuple[BrowserContext, Page]:
    viewport = {"width": 1280, "height": 900}
    context = await browser.new_context(viewport=viewport, locale=f"{language}-MA", has_touch=touch)  # type: ignore[arg-type]
    tab = await context.new_page()
    await tab.goto(f"{live_server}/login?lang=fr")
    await tab.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await tab.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await tab.get_by_role("button", name="Se connecter").click()
    await tab.wait_for_url(re.compile(r"/organize/"))
    return context, tab


async def drag(tab: Page, source: str, target: str, screenshot: Path | None = None) -> None:
    """Press on ``source``, move in steps to ``target`` (a screenshot there), release."""
    await tab.locator(source).scroll_into_view_if_needed()
    start = await tab.locator(source).bounding_box()
    end = await tab.locator(target).bounding_box()
    assert start is not None
    assert end is not None
    await tab.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    await tab.mouse.down()
    await tab.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=8)
    if screenshot is not None:
        await tab.screenshot(path=str(screenshot), full_page=True)
    await tab.mouse.up()


async def test_the_page_folds_search_text_as_the_server_does(
    live_server: str,
    page: Page,  # noqa: F811
    hall_plan: dict[str, Any],
) -> None:
    await page.goto(f"{live_server}{plan_page_url(hall_plan['hall'])}?lang=fr")
    folded = await page.evaluate("examples => examples.map(text => window.planFold(text))", FOLD_EXAMPLES)
    assert folded == [fold(example) for example in FOLD_EXAMPLES]


async def test_hover_tap_keyboard_and_search_on_the_french_plan(
    live_server: str,
    browser: Browser,  # noqa: F811
    hall_plan: dict[str, Any],
    artifacts_dir: Path,
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-MA", has_touch=True)
    tab = await context.new_page()
    await tab.goto(f"{live_server}{plan_page_url(hall_plan['hall'])}?lang=fr")
    panel = tab.locator("#plan-panel")
    await expect(panel).to_be_hidden()
    await tab.locator('[data-stand="A-1"]').hover()
    await expect(panel).to_be_visible()
    await expect(panel.locator("h2")).to_have_text("Stand A-1")
    await expect(panel.locator(".plan-name-latin")).to_have_text("Coopérative Argane")
    await expect(panel.locator(".plan-name-ar")).to_have_text("تعاونية أركان")
    await expect(panel.locator(".plan-details")).to_have_text("Argan · Région MA-09")
    await tab.locator('[data-stand="A-4"]').tap()
    await expect(panel.locator(".plan-name-latin")).to_have_text(["Coopérative Amal", "Association Imane"])
    # Keyboard: a stand takes the focus; Enter shows its panel; Escape closes it.
    await tab.locator('[data-stand="A-5"]').focus()
    await tab.keyboard.press("Enter")
    await expect(panel.locator("h2")).to_have_text("Stand A-5")
    await tab.keyboard.press("Escape")
    await expect(panel).to_be_hidden()
    await tab.get_by_label("Trouver un exposant sur le plan").fill("  COOPERATIVE ")
    matches = tab.locator(".stand.match")
    await expect(matches).to_have_count(4)
    assert [await match.get_attribute("data-stand") for match in await matches.all()] == ["A-1", "A-2", "A-4", "A-5"]
    await expect(tab.locator("#plan-matches")).to_have_text("Stands correspondants : 4")
    await tab.get_by_label("Trouver un exposant sur le plan").fill("zzz")
    await expect(matches).to_have_count(0)
    await expect(tab.locator("#plan-matches")).to_have_text("Aucun stand ne correspond à votre recherche.")
    # The public page has nothing to drag.
    assert await tab.locator("[data-plan-editor]").count() == 0
    await tab.screenshot(path=str(artifacts_dir / "plan-fr.png"), full_page=True)
    await context.close()


async def test_the_arabic_plan_is_right_to_left_and_finds_names_typed_without_hamza(
    live_server: str,
    browser: Browser,  # noqa: F811
    hall_plan: dict[str, Any],
    artifacts_dir: Path,
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-MA")
    tab = await context.new_page()
    await tab.goto(f"{live_server}{plan_page_url(hall_plan['hall'])}?lang=ar&highlight=A-5")
    assert await tab.evaluate("getComputedStyle(document.body).direction") == "rtl"
    await expect(tab.locator("#plan-panel h2")).to_have_text("الرواق A-5")
    await expect(tab.locator('[data-stand="A-5"]')).to_have_class(re.compile(r"\bhighlight shown$"))
    await tab.get_by_label("ابحث عن عارض في المخطط").fill("اركان")
    await expect(tab.locator(".stand.match")).to_have_count(1)
    await tab.screenshot(path=str(artifacts_dir / "plan-ar.png"), full_page=True)
    await context.close()


async def test_an_organizer_drags_a_stand_onto_a_free_one_and_a_locked_one_stays(
    live_server: str,
    browser: Browser,  # noqa: F811
    hall_plan: dict[str, Any],
    artifacts_dir: Path,
) -> None:
    context, tab = await signed_in(browser, live_server, "fr")
    await tab.goto(f"{live_server}/organize/exhibitions/{SLUG}/allocation/?lang=fr")
    editor = tab.locator("#plan-editor")
    await expect(editor.locator("svg.floor-plan")).to_have_count(1)
    await expect(tab.locator(".plan-drag-hint")).to_contain_text("Faites glisser un stand sur un autre")

    await drag(tab, '#plan-editor [data-stand="A-1"]', '#plan-editor [data-stand="A-3"]',
               artifacts_dir / "plan-drag-fr.png")  # fmt: skip
    status = tab.locator(".plan-drag-status")
    await expect(status).to_have_text("Coopérative Argane est déplacé sur le stand A-3.")
    assert (await seats())["A-3"] == [(hall_plan["argane"], False)]
    # The plan and the table of assignments show it without a reload.
    await expect(editor.locator('[data-stand="A-3"]')).to_have_attribute("data-status", "assigned")
    await expect(editor.locator('[data-stand="A-1"]')).to_have_attribute("data-status", "free")
    await expect(tab.locator(f"#assigned tr[data-application='{hall_plan['argane']}'] .code")).to_have_text("A-3")
    await expect(editor.locator('[data-stand="A-3"]')).to_be_focused()

    # A locked stand does not move: the page says why, the database is unchanged.
    await drag(tab, '#plan-editor [data-stand="A-2"]', '#plan-editor [data-stand="A-1"]')
    await expect(status).to_have_text("Le stand A-2 est verrouillé : déverrouillez-le avant de déplacer son exposant.")
    await expect(editor.locator(".drop-target")).to_have_count(0)
    assert (await seats())["A-2"] == [(hall_plan["tifawin"], True)]
    assert "A-1" not in await seats()
    await tab.screenshot(path=str(artifacts_dir / "plan-drag-locked-fr.png"), full_page=True)
    await context.close()


async def test_an_organizer_swaps_by_finger_and_moves_by_keyboard_on_the_arabic_hall_plan(
    live_server: str,
    browser: Browser,  # noqa: F811
    hall_plan: dict[str, Any],
    artifacts_dir: Path,
) -> None:
    context, tab = await signed_in(browser, live_server, "ar", touch=True)
    await tab.goto(f"{live_server}{plan_page_url(hall_plan['hall'])}?lang=ar")
    canvas = tab.locator(".plan-canvas")
    status = tab.locator(".plan-drag-status")
    await expect(canvas.locator(".stand.movable")).to_have_count(3)

    # A finger: touch events through the DevTools protocol (Chromium turns them into pointer events).
    cdp = await context.new_cdp_session(tab)
    await canvas.locator('[data-stand="A-1"]').scroll_into_view_if_needed()
    start = await canvas.locator('[data-stand="A-1"]').bounding_box()
    end = await canvas.locator('[data-stand="A-5"]').bounding_box()
    assert start is not None
    assert end is not None
    points = [(start["x"] + start["width"] / 2 + (end["x"] - start["x"]) * step / 8, start["y"] + start["height"] / 2)
              for step in range(9)]  # fmt: skip
    await cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": points[0][0], "y": points[0][1]}]}
    )
    for x, y in points[1:]:
        await cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    await expect(canvas.locator('[data-stand="A-5"]')).to_have_class(re.compile(r"\bdrop-target drop-swap\b"))
    await tab.screenshot(path=str(artifacts_dir / "plan-drag-ar.png"), full_page=True)
    await cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    await expect(status).to_have_text("تبادل تعاونية أركان وCoopérative Souss رواقيهما.")
    assert ((await seats())["A-5"], (await seats())["A-1"]) == (
        [(hall_plan["argane"], False)], [(hall_plan["souss"], False)]
    )  # fmt: skip
    # The panel's data follows: A-1 now shows Souss.
    await canvas.locator('[data-stand="A-1"]').hover()
    await expect(tab.locator("#plan-panel .plan-name-latin")).to_have_text("Coopérative Souss")

    # The keyboard: M on a stand, an arrow to the next one, Enter.
    await canvas.locator('[data-stand="A-1"]').focus()
    await tab.keyboard.press("m")
    await expect(status).to_have_text("نقل عارض الرواق A-1: اختر الرواق الذي تنقله إليه واضغط Enter.")
    await canvas.locator('[data-stand="A-3"]').focus()
    await expect(canvas.locator('[data-stand="A-3"]')).to_have_class(re.compile(r"\bdrop-target\b"))
    await tab.keyboard.press("Enter")
    await expect(status).to_have_text("نُقل Coopérative Souss إلى الرواق A-3.")
    assert (await seats())["A-3"] == [(hall_plan["souss"], False)]
    # Escape puts a picked stand down.
    await canvas.locator('[data-stand="A-3"]').focus()
    await tab.keyboard.press("m")
    await tab.keyboard.press("Escape")
    await expect(status).to_have_text("أُلغي النقل.")
    await expect(canvas.locator(".drag-source")).to_have_count(0)
    await tab.screenshot(path=str(artifacts_dir / "plan-keyboard-ar.png"), full_page=True)
    await context.close()
