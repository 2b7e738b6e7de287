"""An exhibitor and an organizer in a real browser: a cooperative signs up, registers, applies
and submits; the organizer sorts the applications, approves one with a reason; the decision
e-mail reaches the SMTP server with a link to the applicant's page, which says "approved"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Dialog, Page, expect

from exhibitions.clock import utcnow
from exhibitions.exhibitors.tables import Application
from exhibitions.notifications.services import deliver_due
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.notifications.conftest import Mailbox, mailbox, smtp_server  # noqa: F401 (fixtures)

EMAIL = "fatima@argan-khair.ma"
PASSWORD = "argan-khair-2027"
REASON = "Première participation, coopérative de femmes"


async def _sign_up_and_register(page: Page, live_server: str) -> None:
    await page.goto(f"{live_server}/signup?lang=fr")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    await page.get_by_label("Votre nom").fill("Fatima Aït Said")
    await page.get_by_role("textbox", name="E-mail", exact=True).fill(EMAIL)
    await page.get_by_label("Mot de passe").fill("court")
    await page.get_by_role("button", name="Créer mon compte").click()
    await expect(page.locator("#e-password")).to_have_text("Le mot de passe doit comporter au moins 10 caractères.")
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Créer mon compte").click()
    await expect(page).to_have_url(f"{live_server}/portal/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace exposant")

    await page.get_by_role("link", name="Enregistrer une organisation").click()
    await page.get_by_label("Forme juridique").select_option("cooperative")
    await page.get_by_label("Nom en arabe").fill("تعاونية أركان الخير")
    await page.get_by_label("Nom en caractères latins").fill("Coopérative Argan Al Khair")
    await page.get_by_label("Numéro de registre").fill("12/2015")
    await page.get_by_label("ICE", exact=True).fill("001561191000067")  # one digit wrong
    await page.get_by_label("Région").select_option("MA-09")
    await page.get_by_label("Province ou ville").fill("Taroudant")
    await page.get_by_label("Secteur").select_option("argan")
    await page.get_by_label("Membres", exact=True).fill("40")
    await page.get_by_label("Membres femmes").fill("35")
    await page.get_by_label("Membres de moins de 35 ans").fill("12")
    await page.get_by_label("Téléphone").fill("05 28 84 12 34")
    await page.get_by_role("button", name="Enregistrer").click()
    await expect(page.locator("#e-ice")).to_have_text(
        "Saisissez les 15 chiffres d'un ICE valide (Identifiant Commun de l'Entreprise)."
    )
    await page.get_by_label("ICE", exact=True).fill("001561191000066")
    await page.get_by_role("button", name="Enregistrer").click()
    await expect(page.get_by_role("status")).to_have_text("Enregistré.")
    await expect(page.get_by_text("Dirigée par des femmes", exact=True)).to_be_visible()  # 35 women of 40


async def _apply_and_submit(page: Page, live_server: str, artifacts_dir: Path) -> str:
    await page.get_by_role("link", name="Mon espace exposant").first.click()
    await page.get_by_role("link", name="Postuler").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Demander à exposer")
    await page.get_by_label("Type de stand").select_option("corner")
    await page.get_by_label("Surface (m²)").fill("12")
    await page.get_by_label("Électricité").check()
    await page.get_by_label("Nous acceptons de partager un stand").check()
    await page.get_by_label("Produits que vous exposerez").fill("Huile d'argan, amlou, savons")
    await page.get_by_role("button", name="Enregistrer le brouillon").click()
    await expect(page.locator(".status-line .tag")).to_have_text("Brouillon")
    await page.get_by_role("button", name="Soumettre pour examen").click()
    await expect(page.locator(".status-line .tag")).to_have_text("Soumise")
    await expect(page.locator(".history li strong")).to_have_text(["Candidature commencée", "Candidature soumise"])
    await page.screenshot(path=str(artifacts_dir / "exhibitor-application-submitted-fr.png"), full_page=True)
    return page.url


async def _organizer_approves(browser: Browser, live_server: str, artifacts_dir: Path) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-MA")
    page = await context.new_page()
    await page.goto(f"{live_server}/login?lang=fr")
    await page.get_by_role("textbox", name="E-mail", exact=True).fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page).to_have_url(f"{live_server}/organize/")
    await page.goto(f"{live_server}/exhibitions/sess-2027")
    await page.get_by_role("link", name="Candidatures des exposants").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Candidatures")
    await page.get_by_role("link", name="Organisation").click()  # sort by name
    await expect(page).to_have_url(re.compile(r"sort=name&dir=asc"))
    await expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Organisation")
    await page.screenshot(path=str(artifacts_dir / "organizer-applications-fr.png"), full_page=True)
    # Ticking every row, then thinking better of the bulk decision, decides nothing.
    await page.get_by_label("Sélectionner toutes les candidatures de cette page").check()
    await expect(page.locator('input[name="application"]').first).to_be_checked()
    messages: list[str] = []

    async def dismiss(dialog: Dialog) -> None:
        messages.append(dialog.message)
        await dialog.dismiss()

    page.once("dialog", dismiss)
    await page.get_by_role("button", name="Appliquer la décision").click()
    await expect(page.locator("tbody .tag")).to_have_text("Soumise")
    assert messages == [
        "Appliquer cette décision à toutes les candidatures cochées ? Chaque demandeur sera prévenu par e-mail."
    ]
    await page.get_by_role("link", name="Coopérative Argan Al Khair").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Coopérative Argan Al Khair")
    await page.get_by_role("combobox", name="Décision").select_option("approved")
    await page.get_by_label("Motif, montré au demandeur").fill(REASON)
    await page.get_by_role("button", name="Décider").click()
    await expect(page.locator(".status-line .tag")).to_have_text("Acceptée")
    await page.screenshot(path=str(artifacts_dir / "organizer-application-approved-fr.png"), full_page=True)
    await context.close()


async def test_a_cooperative_applies_and_an_organizer_approves_it(
    live_server: str,
    page: Page,
    browser: Browser,
    exhibition: int,
    organizer: dict[str, Any],
    mailbox: Mailbox,  # noqa: F811 (the fixture imported above)
    artifacts_dir: Path,
) -> None:
    await _sign_up_and_register(page, live_server)
    application_url = await _apply_and_submit(page, live_server, artifacts_dir)
    assert (await Application.select(Application.status).first())["status"] == "submitted"
    await _organizer_approves(browser, live_server, artifacts_dir)

    # The server's scheduler is off in tests: deliver the outbox here, to the test SMTP server.
    report = await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url=live_server)
    assert report.sent == 1
    [message] = mailbox.messages
    assert message["To"] == EMAIL
    assert message["Subject"] == "Votre candidature au Salon national de l'économie sociale et solidaire"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    link = f"{application_url}?lang=fr"
    assert f"Décision\u00a0: Acceptée\nMotif\u00a0: {REASON}\n" in text.get_content()
    assert text.get_content().endswith(f"{link}\n")

    await page.goto(link)
    await expect(page.locator(".status-line .tag")).to_have_text("Acceptée")
    await expect(page.locator(".history .reason").last).to_have_text(f"Motif\u00a0: {REASON}")
    await expect(page.locator(".history li").last).to_contain_text("par les organisateurs")
    await page.screenshot(path=str(artifacts_dir / "exhibitor-application-approved-fr.png"), full_page=True)
    # The same page in Arabic runs right to left and explains the decision in Arabic.
    await page.goto(f"{application_url}?lang=ar")
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    await expect(page.locator(".status-line .tag")).to_have_text("مقبول")
    await expect(page.locator(".history li").last).to_contain_text("من طرف المنظمين")
    await page.screenshot(path=str(artifacts_dir / "exhibitor-application-approved-ar.png"), full_page=True)
    await page.goto(f"{live_server}/portal/?lang=ar")
    await page.screenshot(path=str(artifacts_dir / "exhibitor-portal-ar.png"), full_page=True)
    await page.get_by_role("link", name="تعاونية أركان الخير").click()
    await expect(page.get_by_label("الاسم بالعربية")).to_have_value("تعاونية أركان الخير")
    await page.screenshot(path=str(artifacts_dir / "exhibitor-organization-ar.png"), full_page=True)
