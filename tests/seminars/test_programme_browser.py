"""An organizer, in Chromium, adds two rooms and three sessions, sees a clash refused with its
reason, moves the session, and reads the programme in French and Arabic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from exhibitions.seminars.tables import SeminarSession
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD

PROGRAMME = "/organize/exhibitions/sess-2027/programme"


async def test_an_organizer_builds_a_programme_and_a_clash_is_refused(
    live_server: str,
    page: Page,  # noqa: F811
    exhibition: int,
    organizer: dict[str, Any],
    artifacts_dir: Path,
) -> None:
    await page.goto(f"{live_server}{PROGRAMME}/rooms?lang=fr")
    await page.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Salles des séminaires")
    for name, building in (("Salle Ibn Khaldoun", "Pavillon A"), ("Salle Al Massira", "Pavillon B")):
        await page.locator("#f-name").fill(name)
        await page.locator("#f-building").fill(building)
        await page.locator("#f-capacity").fill("80")
        await page.get_by_role("button", name="Ajouter la salle").click()
        await expect(page.get_by_role("row", name=name)).to_be_visible()

    async def add_session(title: str, room: str, starts: str, ends: str) -> None:
        await page.goto(f"{live_server}{PROGRAMME}/sessions/new")
        await page.locator("#f-title_fr").fill(title)
        await page.locator("#f-room_id").select_option(label=f"{room} (80)")
        await page.locator("#f-starts").fill(starts)
        await page.locator("#f-ends").fill(ends)
        await page.get_by_role("button", name="Enregistrer la session").click()

    await add_session("Ouverture", "Salle Ibn Khaldoun", "10:00", "11:00")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Programme des séminaires")
    await add_session("Coopératives et territoires", "Salle Al Massira", "10:00", "11:00")
    await add_session("Atelier juridique", "Salle Ibn Khaldoun", "10:30", "11:30")
    alert = page.locator("#conflicts")
    await expect(alert).to_contain_text("La session n'a pas été enregistrée")
    await expect(alert).to_contain_text(
        "Salle Ibn Khaldoun accueille deux sessions en même temps : « Ouverture » et « Atelier juridique »."
    )
    await expect(page.locator("#f-title_fr")).to_have_value("Atelier juridique")
    await page.screenshot(path=str(artifacts_dir / "programme-refused-fr.png"), full_page=True)
    assert await SeminarSession.count() == 2

    await page.locator("#f-starts").fill("11:00")
    await page.locator("#f-ends").fill("12:00")
    await page.get_by_role("button", name="Enregistrer la session").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Programme des séminaires")
    await expect(page.locator(".session-card")).to_have_count(3)
    await expect(page.locator("#conflicts")).to_contain_text("Aucun conflit dans le programme.")
    await page.screenshot(path=str(artifacts_dir / "programme-fr.png"), full_page=True)
    await page.goto(f"{live_server}{PROGRAMME}?lang=ar")
    await expect(page.get_by_role("heading", level=1)).to_have_text("برنامج الندوات")
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    await page.screenshot(path=str(artifacts_dir / "programme-ar.png"), full_page=True)
    assert await SeminarSession.count() == 3
