"""Gate journeys in a real browser: enrol a phone from the organizer's screen, scan a
visitor's ticket on the scanner page, and keep scanning through a network cut."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import qrcode
import zxingcpp
from PIL import Image
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from exhibitions.accounts.actor import Actor
from exhibitions.clock import utcnow
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionUpdate
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.tickets import services
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.tables import Admission, CheckpointKind, CheckpointPolicy, Scan
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.factories import exhibition_create

SLUG = "sess-2027"
PHONE = {"viewport": {"width": 412, "height": 915}, "locale": "fr-MA"}


@pytest.fixture
async def open_today(organizer: dict[str, Any]) -> dict[str, Any]:
    """A published exhibition open now, all day, with one gate: the live server reads the real clock."""
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date()
    data = exhibition_create(
        starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=2), opens_at=time(0, 0),
        closes_at=time(23, 59),
    )  # fmt: skip
    await event_services.create_exhibition(data=data, actor=actor, now=utcnow())
    await event_services.update_exhibition(
        slug=SLUG, changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=actor, now=utcnow()
    )
    gate = await services.create_checkpoint(
        slug=SLUG, name="Porte principale", kind=CheckpointKind.gate, policy=CheckpointPolicy.once_per_day,
        capacity=None, actor=actor,
    )  # fmt: skip
    return {"actor": actor, "gate": gate}


@pytest.fixture
async def phone(browser: Browser) -> Any:
    context = await browser.new_context(**PHONE)  # type: ignore[arg-type]
    yield context
    await context.close()


async def _scan(page: Page, code: str, result: str, text: str) -> None:
    await page.get_by_label("Code du billet").fill(code)
    await page.get_by_role("button", name="Vérifier").click()
    await expect(page.locator("#result")).to_have_attribute("data-result", result)
    await expect(page.locator("#result-text")).to_have_text(text)


async def test_enrol_a_phone_then_scan_a_visitors_ticket_admitted_then_already_admitted(
    live_server: str, page: Page, phone: BrowserContext, open_today: dict[str, Any], artifacts_dir: Path
) -> None:
    # The organizer, on a laptop, enrols a phone.
    await page.set_viewport_size({"width": 1100, "height": 900})
    await page.goto(f"{live_server}/login?lang=fr")
    await page.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.goto(f"{live_server}/exhibitions/{SLUG}")
    await page.get_by_role("link", name="Entrées et scanners").click()
    await page.get_by_label("Nom du téléphone").fill("Porte A, téléphone 1")
    await page.get_by_role("button", name="Enrôler un téléphone").click()
    await expect(page.get_by_role("heading", name="Enrôler le téléphone « Porte A, téléphone 1 »")).to_be_visible()
    # The phone's camera reads the QR code on the organizer's screen.
    [symbol] = zxingcpp.read_barcodes(Image.open(io.BytesIO(await page.locator("#enrolment svg").screenshot())))
    assert symbol.text.startswith(f"{live_server}/scanner#enrol=")

    scanner = await phone.new_page()
    await scanner.goto(symbol.text)
    await expect(scanner.locator("#scanner-message")).to_have_text(f"Ce téléphone scanne désormais pour {SLUG}")
    assert "#enrol=" not in scanner.url  # the secret left the address bar
    await expect(scanner.get_by_label("Point de contrôle")).to_have_value(str(open_today["gate"]["id"]))

    # A visitor registers on their own phone and shows the ticket.
    visitor = await phone.browser.new_context(**PHONE)  # type: ignore[arg-type, union-attr]
    ticket_page = await visitor.new_page()
    await ticket_page.goto(f"{live_server}/exhibitions/{SLUG}/register?lang=fr")
    await ticket_page.get_by_label("Nom complet").fill("Khadija Ait Ouahmane")
    await ticket_page.get_by_label("Téléphone mobile").fill("0612345678")
    await ticket_page.get_by_label("Lieu de résidence").select_option("MA-09")
    await ticket_page.get_by_role("button", name="Obtenir mon billet").click()
    [ticket_symbol] = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(await ticket_page.locator(".qr-box svg").screenshot()))
    )
    await visitor.close()

    # Gate staff type what the camera would read into the manual field.
    await _scan(scanner, ticket_symbol.text, "admitted", "Entrée autorisée")
    await expect(scanner.locator("#result-holder")).to_have_text("Khadija Ait Ouahmane")
    await expect(scanner.locator("#result")).to_have_class("scan-result scan-green")
    await scanner.screenshot(path=str(artifacts_dir / "scanner-admitted-fr.png"), full_page=True)
    await _scan(scanner, ticket_symbol.text, "already_admitted", "Déjà entré")
    await expect(scanner.locator("#result")).to_have_class("scan-result scan-orange")
    await expect(scanner.locator("#result-detail")).to_contain_text("Porte principale")
    await scanner.screenshot(path=str(artifacts_dir / "scanner-already-fr.png"), full_page=True)
    assert await Admission.count() == 1

    # The organizer's page counts the visitor without being reloaded (htmx polls every 5 s).
    await expect(page.locator("#admitted-today")).to_have_text("1", timeout=12_000)
    await page.screenshot(path=str(artifacts_dir / "gates-fr.png"), full_page=True)


async def test_scans_made_while_the_network_is_down_are_checked_on_the_phone_then_uploaded(
    live_server: str, phone: BrowserContext, open_today: dict[str, Any], settings: Any, artifacts_dir: Path
) -> None:
    codes = []
    for number in range(2):
        view, _ = await services.register_visitor(
            slug=SLUG, data=RegistrationIn(name=f"Visiteur {number}", email=f"v{number}@example.ma",
                                           home_region="MA-01"),
            secret_key=settings.secret_key, now=utcnow(),
        )  # fmt: skip
        codes.append(view.code)
    offer = await services.offer_device_enrolment(slug=SLUG, name="Porte B", actor=open_today["actor"], now=utcnow())
    scanner = await phone.new_page()
    await scanner.goto(f"{live_server}/scanner#enrol={offer.secret}")
    await expect(scanner.locator("#scanner-controls")).to_be_visible()
    await scanner.evaluate("navigator.serviceWorker.ready")

    await phone.set_offline(True)
    await _scan(scanner, codes[0], "offline_admitted", "Signature valide (vérifiée hors ligne)")
    await expect(scanner.locator("#offline-banner")).to_be_visible()
    await _scan(scanner, codes[0], "offline_seen", "Déjà scanné sur ce téléphone")
    await _scan(scanner, codes[1][:-3] + "AAA", "invalid", "Billet non valide")  # a forged signature
    await _scan(scanner, "K3XE-MG9U", "unverified", "Code manuel enregistré hors ligne : vérifié au retour du réseau")
    await expect(scanner.locator("#queue-count")).to_have_text("4")
    await scanner.screenshot(path=str(artifacts_dir / "scanner-offline-fr.png"), full_page=True)
    assert await Scan.count() == 0  # nothing reached the server
    # The phone reloads the page with no network: it opens from the cache, the queue is intact.
    await scanner.reload()
    await expect(scanner.locator("#scanner-controls")).to_be_visible()
    await expect(scanner.locator("#offline-banner")).to_be_visible()
    await expect(scanner.locator("#queue-count")).to_have_text("4")
    await _scan(scanner, codes[0], "offline_seen", "Déjà scanné sur ce téléphone")
    await expect(scanner.locator("#queue-count")).to_have_text("5")

    await phone.set_offline(False)
    await expect(scanner.locator("#offline-banner")).to_be_hidden(timeout=15_000)
    await expect(scanner.locator("#scanner-message")).to_have_text("Scans hors ligne envoyés : 5")
    await expect(scanner.locator("#queue-count")).to_have_text("0")
    results = await Scan.select(Scan.result).order_by(Scan.scanned_at)
    assert [row["result"] for row in results] == [
        "admitted",
        "already_admitted",
        "invalid",
        "invalid",
        "already_admitted",
    ]
    assert await Admission.count() == 1


def _camera_feed(text: str, path: Path) -> Path:
    """A Motion-JPEG file showing a ticket's QR code: Chromium plays it as the phone's camera."""
    symbol = qrcode.make(text, border=4).get_image().convert("RGB").resize((420, 420), Image.Resampling.NEAREST)
    frame = Image.new("RGB", (640, 480), "white")
    frame.paste(symbol, (110, 30))
    buffer = io.BytesIO()
    frame.save(buffer, format="JPEG", quality=95)
    path.write_bytes(buffer.getvalue() * 10)
    return path


async def test_the_camera_reads_a_ticket_with_the_self_hosted_decoder(
    live_server: str, open_today: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    view, _ = await services.register_visitor(
        slug=SLUG, data=RegistrationIn(name="Camera", email="camera@example.ma", home_region="MA-01"),
        secret_key=settings.secret_key, now=utcnow(),
    )  # fmt: skip
    offer = await services.offer_device_enrolment(slug=SLUG, name="Porte C", actor=open_today["actor"], now=utcnow())
    feed = _camera_feed(view.code, tmp_path / "camera.mjpeg")
    async with async_playwright() as playwright:
        # Desktop Chromium has no native BarcodeDetector: this exercises the ZXing WebAssembly
        # fallback served from /static/vendor, as on Firefox or an older phone.
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                  f"--use-file-for-fake-video-capture={feed}"],
        )  # fmt: skip
        context = await chromium.new_context(**PHONE)  # type: ignore[arg-type]
        await context.grant_permissions(["camera"], origin=live_server)
        scanner = await context.new_page()
        requested: list[str] = []
        scanner.on("request", lambda request: requested.append(request.url))
        await scanner.goto(f"{live_server}/scanner#enrol={offer.secret}")
        await expect(scanner.locator("#scanner-controls")).to_be_visible()
        await scanner.get_by_role("button", name="Scanner avec l'appareil photo").click()
        await expect(scanner.locator("#result")).to_have_attribute("data-result", "admitted", timeout=20_000)
        await expect(scanner.locator("#result-holder")).to_have_text("Camera")
        await chromium.close()
    assert f"{live_server}/static/vendor/zxing-wasm/zxing_reader.wasm" in requested
    assert all(url.startswith(live_server) for url in requested)  # nothing from a CDN
    assert await Admission.count() == 1
