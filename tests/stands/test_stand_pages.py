"""The organizers' stands page: add, generate, assign, lock and free; errors re-shown in
the organizer's language."""

from __future__ import annotations

from typing import Any

import httpx

from exhibitions.stands.tables import Stand, StandAssignment
from tests.factories import csrf_token, login
from tests.stands.stands_data import SLUG, application, halls

PAGE = f"/organize/exhibitions/{SLUG}/stands"


async def test_an_organizer_adds_generates_assigns_locks_and_frees_stands_on_the_page(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall B"]
    coop = await application(exhibition, 1, name="Coopérative Tifawin")
    await login(client)
    shown = await client.get(PAGE, params={"hall": hall})
    assert shown.status_code == 200
    token = csrf_token(shown.text)
    added = await client.post(
        f"{PAGE}/add",
        data={"_csrf_token": token, "hall": str(hall), "code": "S-1", "x": "0", "y": "0", "width": "3,5",
              "depth": "3", "stand_type": "island", "capacity": "2", "power": "true"},
    )  # fmt: skip
    assert (added.status_code, added.headers["location"]) == (302, f"{PAGE}?hall={hall}")
    made = await client.post(
        f"{PAGE}/grid",
        data={"_csrf_token": token, "hall": str(hall), "prefix": "G", "rows": "2", "columns": "3",
              "stand_width": "3", "stand_depth": "3", "aisle_width": "2", "origin_x": "5", "origin_y": "0",
              "first_number": "1", "cross_aisle_every": "0", "cross_aisle_width": "0", "stand_type": "standard",
              "capacity": "1"},
    )  # fmt: skip
    assert made.status_code == 302, made.text
    assert await Stand.count() == 7
    page = await client.get(PAGE, params={"hall": hall})
    assert "G-6" in page.text
    assert "Coopérative Tifawin" in page.text
    assigned = await client.post(
        f"{PAGE}/G-2/assign", data={"_csrf_token": token, "hall": str(hall), "application": str(coop)}
    )
    assert assigned.status_code == 302
    locked = await client.post(f"{PAGE}/G-2/lock", data={"_csrf_token": token, "hall": str(hall), "locked": "true"})
    assert locked.status_code == 302
    rows = await StandAssignment.raw("SELECT application, locked FROM stand_assignment")
    assert [(row["application"], bool(row["locked"])) for row in rows] == [(coop, True)]
    page = await client.get(PAGE, params={"hall": hall})
    assert "🔒" in page.text
    refused = await client.post(f"{PAGE}/G-2/delete", data={"_csrf_token": token, "hall": str(hall)})
    assert refused.status_code == 409
    assert "Ce stand est attribué : libérez-le" in refused.text
    freed = await client.post(f"{PAGE}/G-2/unassign", data={"_csrf_token": token, "hall": str(hall)})
    assert freed.status_code == 302
    assert await StandAssignment.count() == 0


async def test_errors_are_shown_again_in_the_organizers_language(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    hall = (await halls(exhibition))["Hall B"]
    await login(client)
    token = csrf_token((await client.get(PAGE, params={"lang": "fr"})).text)
    outside = await client.post(
        f"{PAGE}/add",
        data={"_csrf_token": token, "hall": str(hall), "code": "S-1", "x": "29", "y": "-1", "width": "0",
              "depth": "3", "stand_type": "standard", "capacity": "1"},
    )  # fmt: skip
    assert outside.status_code == 422
    assert 'value="S-1"' in outside.text  # the form keeps what was typed
    assert "Cette valeur ne doit pas être négative." in outside.text
    assert "Cette dimension doit être supérieure à zéro." in outside.text
    assert "aria-invalid" in outside.text
    assert await Stand.count() == 0
    arabic = await client.get(PAGE, params={"lang": "ar", "hall": hall})
    assert 'dir="rtl"' in arabic.text
    assert 'id="f-add-code"' in arabic.text
    assert 'id="f-grid-prefix"' in arabic.text
    assert "إضافة رواق" in arabic.text


async def test_the_stands_page_is_for_the_exhibitions_organizers(client: httpx.AsyncClient, exhibition: int) -> None:
    anonymous = await client.get(PAGE)
    assert anonymous.status_code in (302, 401)
    exhibition_page = await client.get(f"/exhibitions/{SLUG}")
    assert PAGE not in exhibition_page.text
