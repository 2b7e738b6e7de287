from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from exhibitions.clock import utcnow
from exhibitions.errors import InvalidInput
from exhibitions.settings import Settings
from exhibitions.tickets import services
from exhibitions.tickets.schemas import GroupMemberIn, RegistrationIn
from exhibitions.tickets.tables import Ticket, VisitorCategory
from tests.factories import FIRST_DAY, LAST_DAY, csrf_token
from tests.tickets.pdf import page_png, pdf_pages, qr_codes

URL = "/api/v1/exhibitions/sess-2027/groups"
FORM_URL = "/exhibitions/sess-2027/register/group"

LEADER = {"name": "Khadija Amrani", "email": "Khadija@Coop-Argan.ma", "home_region": "MA-09", "language": "fr"}
MEMBERS = [{"name": "Fatima Ait Said"}, {"name": "يوسف العلوي", "category": "student"}, {"name": "Aicha Oubella"}]


def group(**overrides: Any) -> dict[str, Any]:
    return {"leader": LEADER, "members": MEMBERS, **overrides}


def _ticket_out(row: dict[str, Any], code: str) -> dict[str, Any]:
    return {
        "exhibition": "sess-2027",
        "holder_name": row["holder_name"],
        "category": row["category"],
        "language": "fr",
        "home_region": "MA-09",
        "country": None,
        "first_day": FIRST_DAY.isoformat(),
        "last_day": LAST_DAY.isoformat(),
        "status": "valid",
        "manual_code": row["manual_code"],
        "code": code,
        "url": f"http://testserver/tickets/{row['access_token']}",
    }


async def _rows() -> list[dict[str, Any]]:
    return await Ticket.select(  # type: ignore[no-any-return]
        Ticket.id,
        Ticket.holder_name,
        Ticket.category,
        Ticket.email,
        Ticket.phone,
        Ticket.home_region,
        Ticket.language,
        Ticket.share_contact,
        Ticket.group_leader,
        Ticket.manual_code,
        Ticket.access_token,
    ).order_by(Ticket.id)


async def test_a_group_gets_a_ticket_each_and_one_pdf_for_the_leader(
    client: httpx.AsyncClient, exhibition: int, artifacts_dir: Any
) -> None:
    response = await client.post(URL, json=group())
    assert response.status_code == 201, response.text
    body = response.json()
    leader, *members = await _rows()
    assert [
        (row["holder_name"], row["category"], row["email"], row["phone"], row["home_region"], row["language"],
         row["share_contact"], row["group_leader"])
        for row in [leader, *members]
    ] == [
        ("Khadija Amrani", "general", "khadija@coop-argan.ma", None, "MA-09", "fr", False, None),
        ("Fatima Ait Said", "general", None, None, "MA-09", "fr", False, leader["id"]),
        ("يوسف العلوي", "student", None, None, "MA-09", "fr", False, leader["id"]),
        ("Aicha Oubella", "general", None, None, "MA-09", "fr", False, leader["id"]),
    ]  # fmt: skip
    codes = [body["leader"]["code"], *(member["code"] for member in body["members"])]
    assert body == {
        "leader": _ticket_out(leader, codes[0]),
        "members": [_ticket_out(row, code) for row, code in zip(members, codes[1:], strict=True)],
        "pdf_url": f"http://testserver/api/v1/tickets/{leader['access_token']}/pdf",
    }
    # Each code is the ticket's own: the API hands out the same one for each link.
    for row, code in zip([leader, *members], codes, strict=True):
        assert (await client.get(f"/api/v1/tickets/{row['access_token']}")).json()["code"] == code

    pdf = await client.get(body["pdf_url"])
    assert pdf.status_code == 200
    assert pdf.headers["content-disposition"] == (
        f'attachment; filename="tickets-sess-2027-{leader["manual_code"]}.pdf"'
    )
    (artifacts_dir / "tickets-group-fr.pdf").write_bytes(pdf.content)
    pages = pdf_pages(pdf.content)
    assert len(pages) == 4
    for number, (page, row) in enumerate(zip(pages, [leader, *members], strict=True), start=1):
        assert row["holder_name"] in page
        assert row["manual_code"] in page
        assert page.endswith(f"{number}/4")  # the page counter
    assert qr_codes(page_png(pdf.content, page=3)) == [codes[2]]
    # A member's own link prints only their ticket.
    alone = await client.get(f"/api/v1/tickets/{members[1]['access_token']}/pdf")
    assert alone.headers["content-disposition"] == (
        f'attachment; filename="ticket-sess-2027-{members[1]["manual_code"]}.pdf"'
    )
    [page] = pdf_pages(alone.content)
    assert "يوسف العلوي" in page


async def test_the_same_leader_registering_again_gets_the_same_group(
    client: httpx.AsyncClient, exhibition: int
) -> None:
    first = await client.post(URL, json=group())
    again = await client.post(
        URL, json=group(leader={**LEADER, "email": "KHADIJA@coop-argan.ma"}, members=[{"name": "Someone Else"}])
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert await Ticket.count() == 4


async def test_racing_registrations_of_one_group_write_it_once(client: httpx.AsyncClient, exhibition: int) -> None:
    responses = await asyncio.gather(*(client.post(URL, json=group()) for _ in range(6)))
    assert sorted(response.status_code for response in responses) == [200] * 5 + [201]
    assert len({response.text for response in responses}) == 1
    assert await Ticket.count() == 4


async def test_a_leader_who_registered_alone_brings_a_group_once(client: httpx.AsyncClient, exhibition: int) -> None:
    alone = await client.post("/api/v1/exhibitions/sess-2027/tickets", json=LEADER)
    assert alone.status_code == 201
    first = await client.post(URL, json=group(leader={**LEADER, "language": "ar"}))
    assert first.status_code == 201
    body = first.json()
    # The ticket they had, in the language they chose then; the members share it.
    assert body["leader"] == alone.json()
    assert [member["language"] for member in body["members"]] == ["fr", "fr", "fr"]
    again = await client.post(URL, json=group(members=[{"name": "Another One"}]))
    assert (again.status_code, again.json()) == (200, body)
    assert await Ticket.count() == 4


async def test_every_bad_field_is_named_and_nothing_is_written(client: httpx.AsyncClient, exhibition: int) -> None:
    response = await client.post(
        URL,
        json=group(
            leader={**LEADER, "email": None, "home_region": "MA-13"},
            members=[{"name": "Fatima"}, {"name": "   "}, {"name": "Ali"}, {"name": "Omar\u0000"}],
        ),
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {
            "field": "leader.home_region",
            "code": "unknown_region",
            "reason": "must be a region code (MA-01 to MA-12) or 'abroad'",
        },
        {
            "field": "leader.email",
            "code": "contact_required",
            "reason": "give an e-mail address or a Moroccan phone number",
        },
        {"field": "members[1].name", "code": "required", "reason": "must not be blank"},
        {"field": "members[3].name", "code": "control_characters", "reason": "must not contain control characters"},
    ]
    assert await Ticket.count() == 0


@pytest.mark.parametrize(
    ("members", "error"),
    [
        ([], {"field": "members", "code": "no_members", "reason": "name at least one person besides the leader"}),
        (
            [{"name": f"Élève {number}"} for number in range(201)],
            {
                "field": "members",
                "code": "too_many_members",
                "reason": "a group has at most 200 members; register a larger one in several parts",
            },
        ),
        (
            [{"name": "Fatima"}, {"name": "x" * 201}],
            {"field": "members[1].name", "code": "invalid", "reason": "Expected `str` of length <= 200"},
        ),
        (
            [{"name": "Fatima", "category": "vip"}],
            {"field": "members[0].category", "code": "invalid", "reason": "Invalid enum value 'vip'"},
        ),
    ],
)
async def test_a_group_too_small_or_too_large_is_refused(
    client: httpx.AsyncClient, exhibition: int, members: list[dict[str, Any]], error: dict[str, str]
) -> None:
    response = await client.post(URL, json=group(members=members))
    assert (response.status_code, response.json()["errors"]) == (422, [error])
    assert await Ticket.count() == 0


async def test_the_largest_group_is_written_in_one_go(client: httpx.AsyncClient, exhibition: int) -> None:
    members = [{"name": f"Élève {number:03}"} for number in range(200)]
    response = await client.post(URL, json=group(members=members))
    assert response.status_code == 201
    assert [member["holder_name"] for member in response.json()["members"]] == [m["name"] for m in members]
    assert await Ticket.count() == 201
    assert len({member["manual_code"] for member in response.json()["members"]}) == 200


async def test_the_service_checks_what_a_form_could_send(exhibition: int, settings: Settings) -> None:
    # The page builds members from a text box, past the API's schema: the service holds the rule.
    leader = RegistrationIn(name="Khadija Amrani", home_region="MA-09", email="khadija@coop-argan.ma")
    with pytest.raises(InvalidInput) as raised:
        await services.register_group(
            slug="sess-2027",
            leader=leader,
            members=[GroupMemberIn(name="y" * 201), GroupMemberIn(name="Ali", category=VisitorCategory.press)],
            secret_key=settings.secret_key,
            now=utcnow(),
        )
    assert [(e.field, e.code) for e in raised.value.errors] == [("members[0].name", "name_too_long")]
    assert await Ticket.count() == 0
    registered, created = await services.register_group(
        slug="sess-2027",
        leader=leader,
        members=[GroupMemberIn(name=" Ali "), GroupMemberIn(name="Sara", category=VisitorCategory.press)],
        secret_key=settings.secret_key,
        now=utcnow(),
    )
    assert created is True
    assert [(view.row["holder_name"], view.row["category"]) for view in registered.tickets] == [
        ("Khadija Amrani", "general"),
        ("Ali", "general"),
        ("Sara", "press"),
    ]
    found = await services.get_group(access_token=registered.leader.row["access_token"], secret_key=settings.secret_key)
    assert [view.code for view in found.tickets] == [view.code for view in registered.tickets]


async def test_a_group_registers_on_its_page(client: httpx.AsyncClient, exhibition: int) -> None:
    individual = await client.get("/exhibitions/sess-2027/register?lang=fr")
    assert (
        '<a href="/exhibitions/sess-2027/register/group">Vous venez en groupe (une coopérative, une classe) ?'
        " Inscrivez tout le monde en une fois.</a>" in individual.text
    )
    form = await client.get(f"{FORM_URL}?lang=fr")
    assert form.status_code == 200
    assert "<h1>Inscription de groupe</h1>" in form.text
    response = await client.post(
        FORM_URL,
        data={
            "_csrf_token": csrf_token(form.text),
            "name": "Khadija Amrani",
            "email": "khadija@coop-argan.ma",
            "phone": "",
            "home_region": "MA-09",
            "country": "",
            "category": "professional",
            "language": "fr",
            "members": "Fatima Ait Said\r\n\r\n  يوسف العلوي  \r\nAicha Oubella\r\n",
            "members_category": "student",
        },
    )
    assert response.status_code == 302
    leader, *members = await _rows()
    assert response.headers["location"] == f"/tickets/{leader['access_token']}?lang=fr"
    assert [(row["holder_name"], row["category"]) for row in [leader, *members]] == [
        ("Khadija Amrani", "professional"),
        ("Fatima Ait Said", "student"),
        ("يوسف العلوي", "student"),
        ("Aicha Oubella", "student"),
    ]
    ticket = await client.get(response.headers["location"])
    assert (
        f'<a class="button" href="/tickets/{leader["access_token"]}/pdf?lang=fr" download>'
        "Télécharger tous les billets du groupe (PDF)</a>" in ticket.text
    )
    for row in members:
        assert (
            f'<li><a href="/tickets/{row["access_token"]}"><bdi>{row["holder_name"]}</bdi></a>'
            f' <span class="note" dir="ltr">{row["manual_code"]}</span></li>' in ticket.text
        )
    member_page = await client.get(f"/tickets/{members[0]['access_token']}?lang=fr")
    assert f'href="/tickets/{members[0]["access_token"]}/pdf?lang=fr" download>Télécharger le billet en PDF</a>' in (
        member_page.text
    )
    assert "Votre groupe" not in member_page.text
    pdf = await client.get(f"/tickets/{leader['access_token']}/pdf?lang=fr")
    assert len(pdf_pages(pdf.content)) == 4


async def test_a_bad_group_form_comes_back_with_each_line_named(client: httpx.AsyncClient, exhibition: int) -> None:
    form = await client.get(f"{FORM_URL}?lang=fr")
    typed = {
        "_csrf_token": csrf_token(form.text),
        "name": "Khadija Amrani",
        "email": "",
        "phone": "",
        "home_region": "MA-09",
        "country": "",
        "category": "general",
        "language": "fr",
        "members": "Fatima\n\n" + "x" * 201 + "\nOmar\x07\n",
        "members_category": "",
    }
    response = await client.post(FORM_URL, data=typed)
    assert response.status_code == 422
    assert "Indiquez une adresse e-mail ou un numéro de mobile." in response.text
    assert (
        "Ligne 3 : Un nom compte au plus 200 caractères. "
        "Ligne 4 : Retirez de ce texte les caractères de contrôle invisibles."
    ) in response.text
    assert 'value="Khadija Amrani"' in response.text
    assert "Fatima\n\n" + "x" * 201 in response.text  # what was typed is kept
    assert await Ticket.count() == 0
    empty = await client.post(FORM_URL, data={**typed, "email": "khadija@coop-argan.ma", "members": "\n \n"})
    assert empty.status_code == 422
    assert "Donnez au moins un nom, un par ligne." in empty.text
    assert await Ticket.count() == 0
