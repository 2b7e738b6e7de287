"""Issue 5's story in Chromium: the organizer generates stands, runs the allocator, accepts
its proposal, moves one stand and locks it; the exhibitor then sees the stand on the plan.
Screenshots of the plan in Arabic and French go to the artifacts directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, expect

from exhibitions.accounts import services as account_services
from exhibitions.stands.tables import StandAssignment
from tests.browser.conftest import CHROMIUM_ARGS, browser, page  # noqa: F401 - fixtures
from tests.conftest import NOW, ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.stands.stands_data import SLUG, application, halls

EXHIBITOR_EMAIL = "tifawin@coop.ma"
EXHIBITOR_PASSWORD = "exhibitor-password-1"


async def _sign_in(page: Page, email: str, password: str) -> None:  # noqa: F811
    await page.get_by_label("E-mail").fill(email)
    await page.get_by_label("Mot de passe").fill(password)
    await page.get_by_role("button", name="Se connecter").click()


async def test_organizer_allocates_moves_and_locks_and_the_exhibitor_sees_the_stand(
    live_server: str,
    browser: Browser,  # noqa: F811
    page: Page,  # noqa: F811
    exhibition: int,
    organizer: dict[str, Any],
    artifacts_dir: Path,
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    tifawin = await application(exhibition, 1, name="Coopérative Tifawin")
    await application(exhibition, 2, name="تعاونية أركان الخير")
    await application(exhibition, 3, name="Coopérative Amal")
    user_id = await account_services.create_user(email=EXHIBITOR_EMAIL, password=EXHIBITOR_PASSWORD, now=NOW)
    await StandAssignment.raw(
        'INSERT INTO organization_member (organization, "user", created_at)'
        " SELECT organization, {}, {} FROM application WHERE id = {}",
        user_id, NOW, tifawin,
    )  # fmt: skip

    # Stands: a grid of 2 × 4.
    await page.goto(f"{live_server}/organize/exhibitions/{SLUG}/stands?lang=fr")
    await _sign_in(page, ORGANIZER_EMAIL, ORGANIZER_PASSWORD)
    await page.locator("#f-grid-prefix").fill("B")
    await page.locator("#f-grid-rows").fill("2")
    await page.locator("#f-grid-columns").fill("4")
    await page.locator("#f-grid-aisle_width").fill("4")
    await page.locator("form[action$='/stands/grid'] button[type=submit]").click()
    await expect(page.locator("table.stands tbody tr")).to_have_count(8)

    # The allocator: compute, accept all.
    await page.goto(f"{live_server}/organize/exhibitions/{SLUG}/allocation/?lang=fr")
    await page.locator("#compute").click()
    await expect(page.locator("#proposal")).to_have_attribute("data-status", "draft")
    await expect(page.locator("#proposed tbody tr")).to_have_count(3)
    await page.locator("#accept-all").click()
    await expect(page.locator("#proposal")).to_have_attribute("data-status", "accepted")
    await expect(page.locator("#assigned tbody tr")).to_have_count(3)

    # Move Tifawin to B-8 (free: 3 of 8 are taken) and lock it there.
    taken = {row["code"] for row in await StandAssignment.raw(
        "SELECT s.code FROM stand_assignment sa JOIN stand s ON s.id = sa.stand")}  # fmt: skip
    target = next(f"B-{n}" for n in range(8, 0, -1) if f"B-{n}" not in taken)
    row = page.locator(f"#assigned tr[data-application='{tifawin}']")
    await row.locator("select[name=code]").select_option(target)
    await row.locator("input[name=locked]").check()
    await row.get_by_role("button").click()
    row = page.locator(f"#assigned tr[data-application='{tifawin}']")
    await expect(row.locator(".code")).to_have_text(target)
    await expect(row).to_contain_text("verrouillé")
    await page.locator("#publish").click()
    [seat] = await StandAssignment.raw(
        "SELECT s.code, sa.locked, sa.published_at FROM stand_assignment sa JOIN stand s ON s.id = sa.stand"
        " WHERE sa.application = {}",
        tifawin,
    )
    assert (seat["code"], bool(seat["locked"]), seat["published_at"] is not None) == (target, True, True)

    # The exhibitor, in a browser of their own, sees the stand highlighted on the plan.
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-MA")
    exhibitor = await context.new_page()
    await exhibitor.goto(f"{live_server}/portal/applications/{tifawin}?lang=fr")
    await _sign_in(exhibitor, EXHIBITOR_EMAIL, EXHIBITOR_PASSWORD)
    await exhibitor.goto(f"{live_server}/portal/applications/{tifawin}?lang=fr")
    await expect(exhibitor.locator("#stand .stand-code")).to_have_text(target)
    plan = exhibitor.locator("#stand img.stand-plan")
    await expect(plan).to_be_visible()
    assert await plan.evaluate("image => image.naturalWidth") > 0  # the SVG loaded
    for language in ("fr", "ar"):
        await exhibitor.goto(f"{live_server}/exhibitions/{SLUG}/halls/{hall}/plan?highlight={target}&lang={language}")
        await expect(exhibitor.locator("svg").first).to_be_visible()
        await exhibitor.screenshot(path=str(artifacts_dir / f"stands-plan-{language}.png"), full_page=True)
    await context.close()
