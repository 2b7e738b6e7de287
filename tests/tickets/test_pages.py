from __future__ import annotations

import re
from typing import Any

import httpx

from exhibitions.tickets.tables import Ticket
from tests.factories import csrf_token

FORM_URL = "/exhibitions/sess-2027/register"


async def test_register_on_the_page_and_land_on_the_ticket(client: httpx.AsyncClient, exhibition: int) -> None:
    form = await client.get(f"{FORM_URL}?lang=ar")
    assert form.status_code == 200
    assert "تسجيل مجاني" in form.text
    response = await client.post(
        FORM_URL,
        data={
            "_csrf_token": csrf_token(form.text),
            "name": "فاطمة الزهراء",
            "email": "",
            "phone": "0612345678",
            "home_region": "MA-09",
            "country": "",
            "category": "student",
            "language": "ar",
            "share_contact": "on",
        },
    )
    assert response.status_code == 302
    row = await Ticket.select().first()
    assert response.headers["location"] == f"/tickets/{row['access_token']}?lang=ar"
    assert (row["phone"], row["category"], row["share_contact"], row["email"]) == (
        "+212612345678",
        "student",
        True,
        None,
    )
    client.cookies.clear()
    ticket = await client.get(f"/tickets/{row['access_token']}")  # no ?lang: the ticket's own language
    assert ticket.status_code == 200
    assert '<html lang="ar" dir="rtl">' in ticket.text
    assert "<bdi>فاطمة الزهراء</bdi>" in ticket.text
    assert f'<strong dir="ltr">{row["manual_code"]}</strong>' in ticket.text
    assert re.search(r'<svg [^>]*viewBox="0 0 \d+ \d+"[^>]*role="img"', ticket.text)
    assert "https://www.openstreetmap.org/search?query=Parc+des+expositions+OLM+Souissi%2C+Rabat" in ticket.text


async def test_a_bad_form_comes_back_in_french_with_every_problem(client: httpx.AsyncClient, exhibition: int) -> None:
    form = await client.get(f"{FORM_URL}?lang=fr")
    response = await client.post(
        FORM_URL,
        data={"_csrf_token": csrf_token(form.text), "name": "Jean", "email": "", "phone": "+33612345678", "home_region": "abroad",
              "country": "", "category": "general", "language": "fr"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Saisissez un numéro de mobile marocain, comme 06 12 34 56 78." in response.text
    assert "Saisissez le code à deux lettres de votre pays de résidence, comme FR." in response.text
    assert 'value="Jean"' in response.text
    assert await Ticket.count() == 0


async def test_an_unknown_ticket_is_a_404_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/tickets/nothing-here?lang=en")
    assert response.status_code == 404
    assert "This page does not exist, or it has moved." in response.text


async def test_the_exhibition_page_invites_to_register(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    page = await client.get("/exhibitions/sess-2027?lang=fr")
    assert (
        '<a class="button button-large" href="/exhibitions/sess-2027/register">S&#39;inscrire gratuitement</a>'
        in page.text
    )
