"""The allocation page in Chromium, in French: a bad rule is shown beside its field, the rules
are saved, the proposal's diff plan loads for the signed-in organizer with the newcomers'
names, and the proposal is accepted in two steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from playwright.async_api import Page, expect

from exhibitions.accounts.actor import Actor
from exhibitions.stands import services
from exhibitions.stands.schemas import StandIn
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.conftest import NOW, ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.stands.stands_data import SLUG, application, halls, stand


async def test_rules_saved_diff_drawn_and_a_proposal_accepted_in_two_steps(
    live_server: str,
    page: Page,  # noqa: F811
    exhibition: int,
    organizer: dict[str, Any],
    artifacts_dir: Path,
) -> None:
    hall = (await halls(exhibition))["Hall A"]
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    for code, x in (("A-1", 0), ("A-2", 3), ("A-3", 6)):
        await services.create_stand(slug=SLUG, data=msgspec.convert(stand(hall, code, x, 0), StandIn), actor=actor,
                                    now=NOW)  # fmt: skip
    first = await application(exhibition, 1, name="Coopérative Tifawin")
    await application(exhibition, 2, name="Coopérative Amal")

    await page.goto(f"{live_server}/organize/exhibitions/{SLUG}/allocation/?lang=fr")
    await page.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.goto(f"{live_server}/organize/exhibitions/{SLUG}/allocation/?lang=fr")

    await page.locator("#w-time_limit_s").fill("99")
    await page.locator("#save-rules").click()
    await expect(page.locator("#w-time_limit_s-error")).to_have_text("Saisissez un nombre de secondes de 0,1 à 30.")
    await expect(page.locator("#w-time_limit_s")).to_have_attribute("aria-invalid", "true")
    await page.locator("#w-time_limit_s").fill("2")
    await page.locator("#w-near").fill("40")
    await page.locator("#compute").click()
    await expect(page.locator("#proposal")).to_have_attribute("data-status", "draft")
    await expect(page.locator("#w-near")).to_have_value("40")  # saved, shown again

    diff = page.locator("img.diff-plan")
    await expect(diff).to_be_visible()
    assert await diff.evaluate("image => image.complete && image.naturalWidth > 0")
    await page.screenshot(path=str(artifacts_dir / "allocation-draft-fr.png"), full_page=True)

    await page.locator(f"#proposed tr[data-application='{first}'] input[type=checkbox]").check()
    await page.get_by_role("button", name="Accepter les lignes cochées").click()
    await expect(page.locator("#proposal")).to_have_attribute("data-status", "draft")
    await expect(page.locator(f"#proposed tr[data-application='{first}']")).to_contain_text("acceptée")
    await page.get_by_role("button", name="Accepter le reste").click()
    await expect(page.locator("#proposal")).to_have_attribute("data-status", "accepted")
    await expect(page.locator("#assigned tbody tr")).to_have_count(2)
