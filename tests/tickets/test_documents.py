from __future__ import annotations

import asyncio
import threading
from datetime import date, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from babel.dates import format_interval

from exhibitions.documents import ResourceRefused, html_to_pdf, local_resources
from exhibitions.events.hours import DayHours
from exhibitions.paths import STATIC_DIR, TEMPLATES_DIR
from exhibitions.tickets.documents import HoursLine, Place, TicketPage, hours_lines, render_tickets_pdf, tickets_pdf
from exhibitions.tickets.tables import Ticket
from exhibitions.web.i18n import Translator
from tests.factories import FIRST_DAY, LAST_DAY
from tests.tickets.pdf import page_png, pdf_fonts, pdf_pages, qr_codes, word_boxes

URL = "/api/v1/exhibitions/sess-2027/tickets"

TITLES = {
    "ar": "المعرض الوطني للاقتصاد الاجتماعي والتضامني",
    "fr": "Salon national de l'économie sociale et solidaire",
    "en": "National Exhibition of the Social and Solidarity Economy",
}


async def _register(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await client.post(URL, json={"home_region": "MA-06", "email": "visitor@example.ma", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    body["token"] = body["url"].rsplit("/", 1)[1]
    return body


@pytest.mark.parametrize(
    ("language", "name", "category", "expected"),
    [
        (
            "fr",
            "Jean-Baptiste Ouédraogo",
            "professional",
            [
                "Billet d'entrée gratuit",
                TITLES["fr"],
                "Jean-Baptiste Ouédraogo",
                "Professionnel ou acheteur",
                "Code",
                "{code}",
                "Présentez cette page à l'entrée, imprimée ou sur votre téléphone. Si la caméra ne peut pas lire le code QR, donnez le code ci-dessus.",
                "Valable",
                "{valid}",
                "Comment s'y rendre",
                "Parc des expositions OLM Souissi",
                "Rabat",
                "Horaires d'ouverture (Heure locale)",
                "Tous les jours 10:00 – 20:00",
                "Ce billet est personnel : son code fait entrer une seule personne.",
                "1 / 1",
            ],
        ),
        (
            "en",
            "Amina El Idrissi",
            "press",
            [
                "Free entry ticket",
                TITLES["en"],
                "Amina El Idrissi",
                "Press",
                "Code",
                "{code}",
                "Show this page at the entrance, printed or on your phone. If the camera cannot read the QR code, give the code above.",
                "Valid",
                "{valid}",
                "How to get there",
                "Parc des expositions OLM Souissi",
                "Rabat",
                "Opening hours (Local time)",
                "Every day 10:00 – 20:00",
                "This ticket is personal: its code admits one person.",
                "1 / 1",
            ],
        ),
    ],
)
async def test_the_pdf_ticket_reads_in_the_holders_language_and_its_qr_decodes_to_the_signed_code(
    client: httpx.AsyncClient,
    exhibition: int,
    artifacts_dir: Path,
    tmp_path: Path,
    language: str,
    name: str,
    category: str,
    expected: list[str],
) -> None:
    ticket = await _register(client, name=name, language=language, category=category)
    client.cookies.clear()
    response = await client.get(f"/tickets/{ticket['token']}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="ticket-sess-2027-{ticket["manual_code"]}.pdf"'
    )
    assert response.headers["cache-control"] == "private, no-store"
    png = _keep_samples(artifacts_dir, f"ticket-{language}", response.content)
    valid = format_interval(FIRST_DAY, LAST_DAY, "yMMMEd", locale={"fr": "fr_MA", "en": "en"}[language])
    lines = [line.format(code=ticket["manual_code"], valid=valid) for line in expected]
    assert pdf_pages(response.content, raw=True) == [" ".join(" ".join(lines).split())]  # Babel's thin spaces
    assert qr_codes(png) == [ticket["code"]]
    assert "DejaVu-Sans-Mono-Bold" in pdf_fonts(response.content, tmp_path)  # the manual code
    assert word_boxes(response.content)[name.split()[0]][0] < 100  # left to right, from the left edge


async def test_the_arabic_pdf_ticket_runs_right_to_left_in_an_arabic_font(
    client: httpx.AsyncClient, exhibition: int, artifacts_dir: Path, tmp_path: Path
) -> None:
    ticket = await _register(client, name="فاطمة الزهراء بنعلي", language="ar", category="student")
    response = await client.get(f"/tickets/{ticket['token']}/pdf")
    png = _keep_samples(artifacts_dir, "ticket-ar", response.content)
    # Poppler's reading order puts side-by-side columns where it likes, but gives every
    # phrase in logical order: each comes out whole, as typed.
    [text] = pdf_pages(response.content)
    for phrase in [
        "تذكرة دخول مجانية " + TITLES["ar"] + " فاطمة الزهراء بنعلي طالب الرمز " + ticket["manual_code"],
        "أظهر هذه الصفحة عند المدخل",
        "صالحة",
        "كيف تصل",
        "أوقات الفتح (التوقيت المحلي)",
        "كل يوم 10:00 – 20:00",
        "هذه التذكرة شخصية",
    ]:
        assert phrase in text
    # Drawn right to left from the right edge (an A4 page is 595 points wide).
    words = word_boxes(response.content)
    assert words["فاطمة"][0] > words["الزهراء"][0] > words["بنعلي"][0]
    assert words["فاطمة"][1] > 500
    assert qr_codes(png) == [ticket["code"]]
    fonts = pdf_fonts(response.content, tmp_path)
    assert {"Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold", "DejaVu-Sans-Mono-Bold"} <= fonts


def _keep_samples(artifacts_dir: Path, name: str, pdf: bytes) -> bytes:
    """Keep the PDF and its first page as a picture for a person to look at; the picture."""
    (artifacts_dir / f"{name}.pdf").write_bytes(pdf)
    png = page_png(pdf)
    (artifacts_dir / f"{name}.png").write_bytes(png)
    return png


async def test_the_api_serves_the_same_pdf_as_the_page(client: httpx.AsyncClient, exhibition: int) -> None:
    ticket = await _register(client, name="Amina El Idrissi", language="en")
    page = await client.get(f"/tickets/{ticket['token']}/pdf")
    api = await client.get(f"/api/v1/tickets/{ticket['token']}/pdf")
    assert (api.status_code, api.headers["content-type"]) == (200, "application/pdf")
    assert api.headers["content-disposition"] == page.headers["content-disposition"]
    assert api.content == page.content


async def test_another_language_can_be_asked_for(client: httpx.AsyncClient, exhibition: int) -> None:
    ticket = await _register(client, name="Amina El Idrissi", language="en")
    page = await client.get(f"/tickets/{ticket['token']}/pdf?lang=fr")
    api = await client.get(f"/api/v1/tickets/{ticket['token']}/pdf?language=fr")
    assert page.content == api.content
    assert pdf_pages(page.content)[0].startswith("Billet d'entrée gratuit Salon national")
    unknown = await client.get(f"/tickets/{ticket['token']}/pdf?lang=de")  # not ours: the holder's
    assert pdf_pages(unknown.content)[0].startswith("Free entry ticket National Exhibition")


async def test_a_cancelled_ticket_prints_without_its_qr_code(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    ticket = await _register(client, name="Amina El Idrissi", language="en")
    row = await Ticket.select(Ticket.id).where(Ticket.access_token == ticket["token"]).first()
    revoked = await client.post(
        f"/api/v1/exhibitions/sess-2027/tickets/{row['id']}/revoke", headers=organizer["headers"]
    )
    assert revoked.status_code == 200
    pdf = (await client.get(f"/api/v1/tickets/{ticket['token']}/pdf")).content
    [text] = pdf_pages(pdf)
    assert text.startswith(
        "Free entry ticket National Exhibition of the Social and Solidarity Economy Amina El Idrissi Visitor This ticket has been cancelled. Valid "
    )
    assert ticket["manual_code"] not in text
    assert qr_codes(page_png(pdf)) == []


async def test_an_unknown_ticket_has_no_pdf(client: httpx.AsyncClient) -> None:
    api = await client.get("/api/v1/tickets/not-a-ticket/pdf")
    assert (api.status_code, api.headers["content-type"], api.json()["type"]) == (
        404,
        "application/problem+json",
        "urn:exhibitions:problem:not-found",
    )
    page = await client.get("/tickets/not-a-ticket/pdf?lang=en")
    assert page.status_code == 404
    assert "This page does not exist, or it has moved." in page.text


def test_hours_are_grouped_into_runs_of_alike_days() -> None:
    days = [
        DayHours(date(2027, 5, 7), time(10), time(20)),
        DayHours(date(2027, 5, 8), time(10), time(20)),
        DayHours(date(2027, 5, 9), None, None, "Aïd"),
        DayHours(date(2027, 5, 10), time(14, 30), time(20), "Friday prayer"),
        DayHours(date(2027, 5, 11), time(10), time(20)),
    ]
    assert hours_lines(days, date(2027, 5, 7), date(2027, 5, 11), Translator("fr")) == [
        HoursLine("ven. 7\u2009–\u2009sam. 8 mai", "10:00 – 20:00", ""),
        HoursLine("dim. 9 mai", "Fermé", "Aïd"),
        HoursLine("lun. 10 mai", "14:30 – 20:00", "Friday prayer"),
        HoursLine("mar. 11 mai", "10:00 – 20:00", ""),
    ]
    # A ticket for some of the days shows only theirs.
    assert hours_lines(days, date(2027, 5, 7), date(2027, 5, 8), Translator("ar")) == [
        HoursLine("كل يوم", "10:00 – 20:00", "")
    ]


def test_the_url_fetcher_serves_our_files_only(tmp_path: Path) -> None:
    fetcher = local_resources()
    stylesheet = (STATIC_DIR / "css" / "ticket-pdf.css").resolve()
    response = fetcher.fetch(stylesheet.as_uri())
    assert (response.content_type, response.read()) == ("text/css", stylesheet.read_bytes())
    response.close()
    template = (TEMPLATES_DIR / "tickets" / "ticket_pdf.html").resolve()
    assert fetcher.fetch(template.as_uri()).read() == template.read_bytes()
    outside = tmp_path / "static-link.css"
    outside.write_text("body { color: red }")
    for url in [
        "http://127.0.0.1/style.css",
        "https://example.com/style.css",
        "ftp://example.com/style.css",
        "data:text/css,body{color:red}",
        "file:///etc/passwd",
        f"{(STATIC_DIR / 'css').resolve().as_uri()}/../../../../../../etc/passwd",
        f"{(STATIC_DIR / 'css').resolve().as_uri()}/missing.css",
        (STATIC_DIR / "css").resolve().as_uri(),  # a directory
        f"file://example.com{stylesheet}",
        outside.as_uri(),
    ]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_a_document_cannot_make_the_server_fetch_anything_else(tmp_path: Path) -> None:
    requests: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { background: red }")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for documents")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        pdf = html_to_pdf(
            f"""<html><head><link rel="stylesheet" href="{base}/style.css">
            <style>@import url("{base}/import.css"); p {{ background: url("{base}/bg.png") }}</style></head>
            <body><p>Hello</p><img src="{base}/image.png"><img src="{secret.as_uri()}">
            <iframe src="{secret.as_uri()}"></iframe><object data="{base}/object"></object></body></html>"""
        )
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []
    assert pdf_pages(pdf) == ["Hello"]


async def test_rendering_leaves_the_event_loop_free() -> None:
    place = Place("Salon", "Parc", "", "Rabat", [DayHours(date(2027, 5, 7), time(10), time(20))])
    tickets = [
        TicketPage(f"Visiteur {n}", "general", f"CODE{n:04}", "EXAMPLE", date(2027, 5, 7), date(2027, 5, 7))
        for n in range(20)
    ]
    ticks = 0
    rendering = asyncio.create_task(render_tickets_pdf(tickets, place, language="fr"))
    while not rendering.done():
        ticks += 1
        await asyncio.sleep(0.005)
    pdf = await rendering
    assert len(pdf_pages(pdf)) == 20
    # Twenty pages take a good half second; a render in the loop would let it tick once or twice.
    assert ticks >= 5


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_long_ticket_still_fits_one_page(language: str, artifacts_dir: Path) -> None:
    # Long, but real: a regional market's full name, a triple-barrelled name, an address with
    # directions, and hours that change often (Ramadan, Friday prayer, a closing day).
    days = [
        DayHours(
            date(2027, 3, 1) + timedelta(days=n),
            None if n == 12 else time(10 + n % 3),
            None if n == 12 else time(20),
            ["", "Horaires de Ramadan, rupture du jeûne", "Prière du vendredi : fermeture de 12h à 14h30"][n % 3],
        )
        for n in range(14)
    ]
    place = Place(
        "المعرض الجهوي للاقتصاد الاجتماعي والتضامني لجهة الدار البيضاء - سطات، الدورة الخامسة عشرة للتعاونيات والجمعيات",
        "Parc international des expositions de l'Office des foires et expositions de Casablanca",
        "Boulevard de la Corniche, en face de la mosquée Hassan II, entrée par la porte nord, parking gratuit",
        "Casablanca",
        days,
    )
    holder = "Mohammed Amine Ben Abdelkader El Ouazzani Touhami Alaoui"
    tickets = [
        TicketPage(holder, "institutional", "3A4F7KQX", "EXAMPLE" * 12, date(2027, 3, 1), date(2027, 3, 14)),
        TicketPage(
            "فاطمة الزهراء بنت عبد القادر الإدريسي الحسني",
            "student",
            "HJK4M7QR",
            "X",
            date(2027, 3, 1),
            date(2027, 3, 14),
        ),
    ]
    pdf = tickets_pdf(tickets, place, language=language)
    (artifacts_dir / f"ticket-long-{language}.pdf").write_bytes(pdf)
    (artifacts_dir / f"ticket-long-{language}.png").write_bytes(page_png(pdf))
    pages = pdf_pages(pdf)
    assert len(pages) == 2
    assert hours_lines(days, date(2027, 3, 1), date(2027, 3, 14), Translator(language))[-1] == HoursLine(
        {"ar": "الأيام الأخرى", "fr": "Autres jours"}[language],
        {"ar": "انظر صفحة المعرض", "fr": "voir la page du salon"}[language],
        "",
    )
