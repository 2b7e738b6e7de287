"""The organizers' visitor list: search, pagination, CSV export, cancel and replace."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from exhibitions.clock import utcnow
from exhibitions.tickets import services
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.tables import Ticket
from tests.factories import csrf_token, login

API = "/api/v1/exhibitions/sess-2027/tickets"


async def _register(settings: Any, name: str, email: str | None, phone: str | None = None) -> services.TicketView:
    view, _ = await services.register_visitor(
        slug="sess-2027", data=RegistrationIn(name=name, email=email, phone=phone, home_region="MA-01"),
        secret_key=settings.secret_key, now=utcnow(),
    )  # fmt: skip
    return view


async def test_organizers_search_and_page_through_visitors(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int, settings: Any
) -> None:
    amina = await _register(settings, "Amina Belkadi", "amina@example.ma")
    await _register(settings, "يوسف العلوي", None, phone="0612345678")
    for number in range(3):
        await _register(settings, f"Visiteur {number}", f"v{number}@example.ma")
    page = (await client.get(f"{API}?per_page=2", headers=organizer["headers"])).json()
    assert (page["total"], page["page"], page["per_page"]) == (5, 1, 2)
    assert [item["holder_name"] for item in page["items"]] == ["Visiteur 2", "Visiteur 1"]  # newest first
    last = (await client.get(f"{API}?per_page=2&page=3", headers=organizer["headers"])).json()
    assert [item["holder_name"] for item in last["items"]] == ["Amina Belkadi"]
    assert "access_token" not in last["items"][0]

    async def names(query: str) -> list[str]:
        response = await client.get(f"{API}?q={query}", headers=organizer["headers"])
        assert response.status_code == 200
        return [item["holder_name"] for item in response.json()["items"]]

    assert await names("belkadi") == ["Amina Belkadi"]
    assert await names("AMINA@") == ["Amina Belkadi"]
    assert await names("العلوي") == ["يوسف العلوي"]
    assert await names("%2B2126123") == ["يوسف العلوي"]  # the phone as stored, +212…
    code = amina.row["manual_code"]
    assert await names(f"{code[:4].lower()}-{code[4:].lower()}") == ["Amina Belkadi"]
    assert await names("nobody") == []
    anonymous = await client.get(API)
    assert anonymous.status_code == 401


async def test_replacing_a_ticket_revokes_the_old_code_and_issues_a_new_one(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int, settings: Any
) -> None:
    old = await _register(settings, "Amina", "amina@example.ma")
    response = await client.post(f"{API}/{old.row['id']}/replace", headers=organizer["headers"])
    assert response.status_code == 201
    new = response.json()
    assert (new["holder_name"], new["status"]) == ("Amina", "valid")
    assert new["code"] != old.code
    assert new["manual_code"] != old.row["manual_code"]
    rows = await Ticket.select(Ticket.id, Ticket.status, Ticket.replaces, Ticket.email).order_by(Ticket.id)
    assert [(row["status"], row["replaces"], row["email"]) for row in rows] == [
        ("revoked", None, "amina@example.ma"),
        ("valid", old.row["id"], "amina@example.ma"),
    ]
    again = await client.post(f"{API}/{old.row['id']}/replace", headers=organizer["headers"])
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "not_valid"
    # Registering again with the same e-mail finds the replacement, not the cancelled ticket.
    view = await _register(settings, "Amina", "amina@example.ma")
    assert view.row["id"] == rows[1]["id"]
    # The old code is refused at the gate; the scanner bundle lists it.
    device = await client.post(
        "/api/v1/exhibitions/sess-2027/devices", json={"name": "P"}, headers=organizer["headers"]
    )
    bundle = await client.get(
        "/api/v1/exhibitions/sess-2027/scanner-bundle", headers={"Authorization": f"Bearer {device.json()['token']}"}
    )
    assert bundle.json()["revoked"] == [old.row["id"]]
    assert (await client.post(f"{API}/999999/replace", headers=organizer["headers"])).status_code == 404


async def test_the_csv_export_holds_every_visitor_and_defuses_formulas(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int, settings: Any
) -> None:
    await login(client)
    await _register(settings, "فاطمة الزهراء", "fatima@example.ma")
    await _register(settings, '=HYPERLINK("http://evil")', "evil@example.ma")
    response = await client.get("/organize/exhibitions/sess-2027/visitors.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="sess-2027-visitors.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.text.removeprefix("\ufeff"))))
    assert [row["holder_name"] for row in rows] == ["فاطمة الزهراء", '\'=HYPERLINK("http://evil")']
    assert list(rows[0]) == list(services.EXPORT_COLUMNS)
    assert (rows[0]["email"], rows[0]["status"], rows[0]["category"]) == ("fatima@example.ma", "valid", "general")


async def test_the_visitors_page_searches_cancels_and_replaces(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int, settings: Any
) -> None:
    await login(client)
    first = await _register(settings, "Amina", "amina@example.ma")
    await _register(settings, "Karim", "karim@example.ma")
    listing = await client.get("/organize/exhibitions/sess-2027/visitors?lang=fr")
    assert listing.status_code == 200
    assert "<caption>2 billets</caption>" in listing.text
    partial = await client.get("/organize/exhibitions/sess-2027/visitors?q=karim", headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<div id="visitor-results">')
    assert "Karim" in partial.text
    assert "Amina" not in partial.text
    replaced = await client.post(
        f"/organize/exhibitions/sess-2027/visitors/{first.row['id']}/replace",
        data={"_csrf_token": csrf_token(listing.text)},
    )
    assert replaced.status_code == 302
    new = await Ticket.select(Ticket.access_token).where(Ticket.replaces == first.row["id"]).first()
    assert replaced.headers["location"] == f"/tickets/{new['access_token']}"
    karim = await Ticket.select(Ticket.id).where(Ticket.holder_name == "Karim").first()
    cancelled = await client.post(
        f"/organize/exhibitions/sess-2027/visitors/{karim['id']}/revoke", data={"_csrf_token": csrf_token(listing.text)}
    )
    assert cancelled.status_code == 302
    statuses = await Ticket.select(Ticket.holder_name, Ticket.status).order_by(Ticket.id)
    assert [(row["holder_name"], row["status"]) for row in statuses] == [
        ("Amina", "revoked"), ("Karim", "revoked"), ("Amina", "valid"),
    ]  # fmt: skip
    arabic = await client.get("/organize/exhibitions/sess-2027/visitors?lang=ar")
    assert "<caption>3 تذاكر</caption>" in arabic.text
