"""Attendance certificates: attendance read from real check-ins at the rooms' checkpoints, the
PDF from the ticket's link, its QR code's verification page, and forged codes refused."""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.clock import utcnow
from exhibitions.seminars.certificate_tables import SeminarCertificate
from exhibitions.seminars.services._certificates import (
    Presence,
    RoomSession,
    attended_sessions,
    issue_certificate,
)
from exhibitions.tickets import services as tickets
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.tables import Ticket
from tests.conftest import NOW
from tests.factories import FIRST_DAY
from tests.seminars.documents_data import SECOND_DAY, Programme, add_session, local, seed_programme
from tests.tickets.pdf import page_png, pdf_pages, qr_codes

TITLE_AR = "المعرض الوطني للاقتصاد الاجتماعي والتضامني"


def test_a_session_counts_from_half_an_hour_before_it_until_it_ends() -> None:
    starts = local(FIRST_DAY, 10)
    sessions = [
        RoomSession(1, checkpoint_id=7, starts_at=starts, ends_at=starts + timedelta(hours=1)),
        RoomSession(2, checkpoint_id=8, starts_at=starts, ends_at=starts + timedelta(hours=1)),
        RoomSession(3, checkpoint_id=7, starts_at=starts + timedelta(hours=2), ends_at=starts + timedelta(hours=3)),
    ]
    assert attended_sessions(sessions, [Presence(7, starts - timedelta(minutes=30))]) == [1]
    assert attended_sessions(sessions, [Presence(7, starts - timedelta(minutes=31))]) == []
    assert attended_sessions(sessions, [Presence(7, starts + timedelta(hours=1))]) == []  # it has ended
    assert attended_sessions(sessions, [Presence(8, starts + timedelta(minutes=59))]) == [2]
    assert attended_sessions(sessions, [Presence(7, starts + timedelta(minutes=90))]) == [3]  # early for the next
    assert attended_sessions(sessions, [Presence(7, starts), Presence(7, starts + timedelta(hours=2))]) == [1, 3]


@pytest.fixture
async def programme(exhibition: int) -> Programme:
    return await seed_programme(exhibition)


@pytest.fixture
async def device(organizer: dict[str, Any], exhibition: int) -> Actor:
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    token_id, _ = await tickets.create_device(slug="sess-2027", name="Porte salle", actor=actor, now=NOW)
    return Actor(user_id=organizer["id"], email="", token_id=token_id, device_exhibition_id=exhibition)


async def _visitor(settings: Any, name: str, email: str, language: str = "ar") -> tickets.TicketView:
    view, _ = await tickets.register_visitor(
        slug="sess-2027", data=RegistrationIn(name=name, email=email, home_region="MA-04", language=language),
        secret_key=settings.secret_key, now=utcnow(),
    )  # fmt: skip
    return view


async def _scan(device: Actor, view: tickets.TicketView, room: dict[str, Any], at: Any, direction: str = "in") -> str:
    outcome = await tickets.check_in(
        device=device, code=view.code, checkpoint_id=room["checkpoint"], direction=direction, scanned_at=at,
        now=at + timedelta(minutes=1),
    )  # fmt: skip
    return outcome.result.value


async def test_a_visitor_gets_a_certificate_of_what_they_attended_and_its_qr_verifies_it(
    client: httpx.AsyncClient, programme: Programme, device: Actor, settings: Any, artifacts_dir: Path
) -> None:
    fatima = await _visitor(settings, "فاطمة الزهراء Benali", "fatima@example.ma")
    atlas, rif = programme.rooms["atlas"], programme.rooms["rif"]
    assert await _scan(device, fatima, atlas, local(FIRST_DAY, 10, 5)) == "admitted"
    assert await _scan(device, fatima, atlas, local(FIRST_DAY, 11, 40), direction="out") == "exited"
    assert await _scan(device, fatima, rif, local(FIRST_DAY, 13, 50)) == "admitted"
    token = fatima.row["access_token"]

    response = await client.get(f"/tickets/{token}/certificate.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "private, no-store"
    manual = fatima.row["manual_code"]
    assert response.headers["content-disposition"] == f'attachment; filename="certificate-sess-2027-{manual}.pdf"'
    (artifacts_dir / "seminar-certificate-ar.pdf").write_bytes(response.content)
    png = page_png(response.content, 1, dpi=100)
    (artifacts_dir / "seminar-certificate-ar.png").write_bytes(png)
    (page,) = pdf_pages(response.content)
    assert "شهادة حضور" in page
    assert "فاطمة الزهراء Benali" in page
    assert TITLE_AR in page
    assert "التمويل التضامني" in page
    assert "المتعلق بالتعاونيات" in page  # the opening's Arabic title
    assert "10:00 – 11:30" in page
    assert "14:00 – 15:00" in page
    (row,) = await SeminarCertificate.select()
    url = f"http://testserver/certificates/{row['code']}"
    assert qr_codes(png) == [url]
    assert url in "".join(page.split())  # the address may wrap

    # The same sessions: the same certificate, whether downloaded again or in French.
    french = await client.get(f"/tickets/{token}/certificate.pdf?lang=fr")
    assert "Attestation de présence" in pdf_pages(french.content)[0]
    assert await SeminarCertificate.count() == 1

    check = await client.get(f"/certificates/{row['code']}?lang=fr")
    assert check.status_code == 200
    assert "Cette attestation est authentique." in check.text
    assert "فاطمة الزهراء Benali" in check.text
    assert "Salon national de l&#39;économie sociale et solidaire" in check.text
    assert "Ouverture : la loi 112-12 sur les coopératives" in check.text
    assert "التمويل التضامني" in check.text


async def test_more_sessions_later_make_a_new_certificate_and_the_first_still_verifies(
    client: httpx.AsyncClient, programme: Programme, device: Actor, settings: Any
) -> None:
    karim = await _visitor(settings, "Karim Alaoui", "karim@example.ma", language="fr")
    assert await _scan(device, karim, programme.rooms["atlas"], local(FIRST_DAY, 10, 0)) == "admitted"
    first = await issue_certificate(ticket=karim.row, now=NOW)
    later = await add_session(
        programme.exhibition_id, track=programme.tracks["legal"]["id"], room=programme.rooms["rif"]["id"],
        starts_at=local(SECOND_DAY, 11), ends_at=local(SECOND_DAY, 12), title_fr="Clôture",
    )  # fmt: skip
    assert await _scan(device, karim, programme.rooms["rif"], local(SECOND_DAY, 11, 10)) == "admitted"
    second = await issue_certificate(ticket=karim.row, now=NOW + timedelta(days=1))
    assert second["code"] != first["code"]
    old = await client.get(f"/certificates/{first['code']}?lang=fr")
    assert "Ouverture" in old.text
    assert "Clôture" not in old.text
    new = await client.get(f"/certificates/{second['code']}?lang=fr")
    assert "Ouverture" in new.text
    assert "Clôture" in new.text
    assert later["id"] > 0


async def test_two_downloads_at_once_issue_one_certificate(programme: Programme, device: Actor, settings: Any) -> None:
    nadia = await _visitor(settings, "Nadia", "nadia@example.ma")
    assert await _scan(device, nadia, programme.rooms["rif"], local(FIRST_DAY, 14, 10)) == "admitted"
    rows = await asyncio.gather(*(issue_certificate(ticket=nadia.row, now=NOW) for _ in range(5)))
    assert len({row["code"] for row in rows}) == 1
    assert await SeminarCertificate.count() == 1


async def test_nothing_attended_is_said_plainly(
    client: httpx.AsyncClient, programme: Programme, device: Actor, settings: Any
) -> None:
    late = await _visitor(settings, "Youssef", "youssef@example.ma", language="fr")
    # After the opening ended, and the cancelled workshop's slot: neither counts.
    assert await _scan(device, late, programme.rooms["atlas"], local(FIRST_DAY, 12, 0)) == "admitted"
    # Still inside from the day before (no exit scanned): present, but the session was cancelled.
    assert await _scan(device, late, programme.rooms["atlas"], local(SECOND_DAY, 10, 30)) == "already_admitted"
    response = await client.get(f"/tickets/{late.row['access_token']}/certificate.pdf")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Aucune session de séminaire n&#39;est enregistrée pour ce billet" in response.text
    assert await SeminarCertificate.count() == 0
    assert (await client.get("/tickets/not-a-ticket/certificate.pdf")).status_code == 404


@pytest.mark.parametrize("code", [secrets.token_urlsafe(18), "short", "x" * 300, "<img src=x onerror=alert(1)>"])
async def test_forged_codes_are_refused(
    client: httpx.AsyncClient, programme: Programme, device: Actor, settings: Any, code: str
) -> None:
    visitor = await _visitor(settings, "Salma", "salma@example.ma")
    await _scan(device, visitor, programme.rooms["rif"], local(FIRST_DAY, 14, 0))
    genuine = await issue_certificate(ticket=visitor.row, now=NOW)
    response = await client.get(f"/certificates/{code}", params={"lang": "en"})
    assert response.status_code == 404
    assert "We did not issue this certificate." in response.text
    assert "<img src=x" not in response.text
    assert "Salma" not in response.text
    # One character changed is a forgery too.
    tampered = genuine["code"][:-1] + ("A" if genuine["code"][-1] != "A" else "B")
    assert (await client.get(f"/certificates/{tampered}")).status_code == 404


async def test_a_deleted_ticket_takes_its_certificates_with_it(
    programme: Programme, device: Actor, settings: Any
) -> None:
    visitor = await _visitor(settings, "Omar", "omar@example.ma")
    await _scan(device, visitor, programme.rooms["rif"], local(FIRST_DAY, 14, 0))
    await issue_certificate(ticket=visitor.row, now=NOW)
    await Ticket.delete().where(Ticket.id == visitor.row["id"])
    assert await SeminarCertificate.count() == 0
