"""An organizer finds a failed e-mail on the outbox page, in a real browser, and retries it."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from exhibitions.clock import utcnow
from exhibitions.notifications import services
from exhibitions.notifications.emails import RenderedEmail
from exhibitions.notifications.tables import Outbox
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD

SLUG = "sess-2027"


async def _queue(exhibition: int, rule: str, recipient: str, status: str, error: str | None = None) -> int:
    message_id = await services.enqueue(
        rule=rule, recipient=recipient, subject_key=f"{rule}:{recipient}", language="fr", now=utcnow(),
        exhibition_id=exhibition, rendered=RenderedEmail(subject="Votre billet", text="Bonjour\n", html=None),
    )  # fmt: skip
    assert message_id is not None
    attempts = 10 if status == "failed" else 1
    sent_at = utcnow() if status == "sent" else None
    await Outbox.update(
        {Outbox.status: status, Outbox.attempts: attempts, Outbox.last_error: error, Outbox.sent_at: sent_at}
    ).where(Outbox.id == message_id)
    return message_id


def _lines(path: Path) -> int:
    return path.read_text(encoding="utf-8-sig").count("\n")


async def test_an_organizer_filters_the_outbox_and_retries_a_failed_message(
    page: Page, live_server: str, exhibition: int, artifacts_dir: Path
) -> None:
    await _queue(exhibition, "ticket_issued", "amina@x.ma", "sent")
    karim = await _queue(
        exhibition, "ticket_issued", "karim@x.ma", "failed", "SMTPRecipientRefused: 550 no such mailbox"
    )
    await _queue(exhibition, "speaker_reminder", "salma@x.ma", "failed", "Connection refused")
    await _queue(exhibition, "speaker_reminder", "youssef@x.ma", "pending")

    await page.goto(f"{live_server}/login?lang=fr")
    await page.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.goto(f"{live_server}/exhibitions/{SLUG}")
    await page.get_by_role("link", name="Boîte d'envoi").click()
    await expect(page.get_by_role("heading", name="Boîte d'envoi", level=1)).to_be_visible()
    counts = page.locator("#outbox-counts")
    await expect(counts.locator('tr[data-rule="ticket_issued"] td[data-status="failed"]')).to_have_text("1")
    await expect(counts.locator('tr[data-rule="speaker_reminder"] td[data-status="pending"]')).to_have_text("1")
    await expect(page.locator("#outbox-messages tbody tr")).to_have_count(4)

    # Filters apply as they change (htmx), without a reload.
    await page.locator("#status").select_option(label="Échec")
    await expect(page.locator("#outbox-messages tbody tr")).to_have_count(2)
    await page.get_by_label("Rechercher par destinataire").fill("karim")
    await expect(page.locator("#outbox-messages tbody tr")).to_have_count(1)
    row = page.locator(f'tr[data-message="{karim}"]')
    await expect(row).to_contain_text("SMTPRecipientRefused: 550 no such mailbox")
    await expect(row).to_contain_text("Échec")

    await row.get_by_role("button", name="Relancer").click()
    await expect(page.get_by_role("heading", name="Boîte d'envoi", level=1)).to_be_visible()
    await expect(page.locator(f'tr[data-message="{karim}"]')).to_contain_text("En attente")
    status = await Outbox.select(Outbox.status, Outbox.attempts).where(Outbox.id == karim).first()
    assert status == {"status": "pending", "attempts": 0}
    await expect(page.get_by_role("button", name="Relancer 1 message en échec")).to_be_visible()

    await page.goto(f"{live_server}/organize/exhibitions/{SLUG}/outbox?lang=ar")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.get_by_role("heading", name="صندوق الصادر", level=1)).to_be_visible()
    await page.screenshot(path=str(artifacts_dir / "outbox-ar.png"), full_page=True)
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="تنزيل الكل (CSV)").click()
    download = await download_info.value
    assert download.suggested_filename == f"{SLUG}-outbox.csv"
    assert _lines(Path(await download.path())) == 5  # the header and four messages
