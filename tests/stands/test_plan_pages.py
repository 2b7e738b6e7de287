"""A hall's plan pages: the public page, the organizers' page with the drag and drop's data,
the plans fragment of the allocation page, the move a drop sends, and the PDF."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from exhibitions.stands.tables import StandAssignment
from tests.factories import login
from tests.stands.stands_data import API, SLUG, STANDS, application, create, halls, stand
from tests.tickets.pdf import pdf_pages

EDITOR = f"/organize/exhibitions/{SLUG}/plans"
MOVE = f"{EDITOR}/move"


def plan_page_url(hall: int) -> str:
    return f"/exhibitions/{SLUG}/halls/{hall}/plan"


def json_script(html: str, marker: str) -> Any:
    found = re.search(rf'<script type="application/json" {marker}>(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))


async def seats() -> dict[str, list[tuple[int, bool]]]:
    rows = await StandAssignment.raw(
        "SELECT s.code, sa.application, sa.locked FROM stand_assignment sa JOIN stand s ON s.id = sa.stand"
        " ORDER BY s.code, sa.seat"
    )
    found: dict[str, list[tuple[int, bool]]] = {}
    for row in rows:
        found.setdefault(row["code"], []).append((row["application"], bool(row["locked"])))
    return found


@pytest.fixture
async def hall_plan(client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int) -> dict[str, Any]:
    """Hall A: A-1 Argane (its Arabic name set), A-2 Tifawin locked, A-3 free, A-4 shared by
    Amal and Imane, A-5 Souss; every assignment published."""
    hall = (await halls(exhibition))["Hall A"]
    headers = organizer["headers"]
    for number, code in enumerate(("A-1", "A-2", "A-3", "A-4", "A-5")):
        await create(client, headers, stand(hall, code, 4 * number, 0, capacity=2 if code == "A-4" else 1))
    names = ("Coopérative Argane", "Coopérative Tifawin", "Coopérative Amal", "Association Imane", "Coopérative Souss")
    ids = {name.split()[-1].lower(): await application(exhibition, n + 1, name=name) for n, name in enumerate(names)}
    await StandAssignment.raw(
        "UPDATE organization SET name_ar = 'تعاونية أركان' WHERE id = (SELECT organization FROM application WHERE id = {})",
        ids["argane"],
    )
    for key, code, locked in (("argane", "A-1", False), ("tifawin", "A-2", True), ("amal", "A-4", False),
                              ("imane", "A-4", False), ("souss", "A-5", False)):  # fmt: skip
        body = {"application": ids[key], "locked": locked}
        response = await client.put(f"{STANDS}/{code}/assignment", json=body, headers=headers)
        assert response.status_code == 200, response.text
    assert (await client.post(f"{API}/allocation/publish", headers=headers)).status_code == 200
    return {"hall": hall, **ids}


async def test_the_public_page_inlines_the_plan_and_its_data_but_nothing_to_move(
    client: httpx.AsyncClient, hall_plan: dict[str, Any]
) -> None:
    response = await client.get(plan_page_url(hall_plan["hall"]), params={"lang": "fr", "highlight": "A-1"})
    assert response.status_code == 200
    html = response.text
    assert '<html lang="fr" dir="ltr">' in html
    assert "<h1>Plan de Hall A</h1>" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="floor-plan"' in html
    data = json_script(html, 'id="plan-data"')
    assert len(data["stands"]) == 5
    assert data["stands"]["A-1"]["exhibitors"][0]["name_ar"] == "تعاونية أركان"
    assert data["stands"]["A-3"] == {"status": "Libre", "exhibitors": []}
    assert "plan-editor-data" not in html
    assert "plan-drag.js" not in html
    assert "data-plan-editor" not in html
    arabic = await client.get(plan_page_url(hall_plan["hall"]), params={"lang": "ar"})
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert "ابحث عن عارض في المخطط" in arabic.text
    bad = await client.get(plan_page_url(hall_plan["hall"]), params={"colour": "rainbow"})
    assert bad.status_code == 422


async def test_the_organizers_page_carries_what_the_drag_and_drop_needs(
    client: httpx.AsyncClient, hall_plan: dict[str, Any]
) -> None:
    await login(client)
    html = (await client.get(plan_page_url(hall_plan["hall"]), params={"lang": "fr"})).text
    assert '<script src="/static/js/plan-drag.js" defer></script>' in html
    assert re.search(r'<div class="plan-canvas" data-plan-editor data-csrf="[^"]+" data-refresh=', html)
    editor = json_script(html, 'class="plan-editor-data"')
    assert editor["move_url"] == f"{MOVE}?lang=fr"
    assert editor["stands"] == {
        "A-1": [{"application": hall_plan["argane"], "name": "Coopérative Argane", "locked": False}],
        "A-2": [{"application": hall_plan["tifawin"], "name": "Coopérative Tifawin", "locked": True}],
        "A-3": [],
        "A-4": [
            {"application": hall_plan["amal"], "name": "Coopérative Amal", "locked": False},
            {"application": hall_plan["imane"], "name": "Association Imane", "locked": False},
        ],
        "A-5": [{"application": hall_plan["souss"], "name": "Coopérative Souss", "locked": False}],
    }
    assert (
        editor["messages"]["locked"]
        == "Le stand {code} est verrouillé : déverrouillez-le avant de déplacer son exposant."
    )
    arabic = json_script((await client.get(plan_page_url(hall_plan["hall"]), params={"lang": "ar"})).text,
                         'class="plan-editor-data"')  # fmt: skip
    assert arabic["stands"]["A-1"][0]["name"] == "تعاونية أركان"  # the reader's script


async def test_the_allocation_page_loads_the_plans_of_its_halls(
    client: httpx.AsyncClient, hall_plan: dict[str, Any]
) -> None:
    anonymous = await client.get(EDITOR)
    assert anonymous.status_code in (302, 401, 303)
    await login(client)
    allocation = await client.get(f"/organize/exhibitions/{SLUG}/allocation/", params={"lang": "fr"})
    assert f'data-fragment="{EDITOR}?lang=fr"' in allocation.text
    fragment = await client.get(EDITOR, params={"lang": "fr"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert fragment.text.count('<svg xmlns="http://www.w3.org/2000/svg" class="floor-plan"') == 1  # Hall B is empty
    assert "<figcaption>Plan de Hall A</figcaption>" in fragment.text
    editor = json_script(fragment.text, 'class="plan-editor-data"')
    assert sorted(editor["stands"]) == ["A-1", "A-2", "A-3", "A-4", "A-5"]


async def test_dropping_moves_swaps_and_refuses_in_the_organizers_language(
    client: httpx.AsyncClient, hall_plan: dict[str, Any]
) -> None:
    await login(client)
    page = await client.get(plan_page_url(hall_plan["hall"]))
    token = re.search(r'data-csrf="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]

    async def drop(application: Any, code: str, lang: str = "fr") -> tuple[int, dict[str, str]]:
        response = await client.post(
            f"{MOVE}?lang={lang}", data={"application": str(application), "code": code},
            headers={"x-csrftoken": token},
        )  # fmt: skip
        return response.status_code, response.json()

    argane, tifawin, souss = hall_plan["argane"], hall_plan["tifawin"], hall_plan["souss"]
    assert await drop(argane, "A-3") == (
        200, {"outcome": "moved", "code": "A-3", "message": "Coopérative Argane est déplacé sur le stand A-3."}
    )  # fmt: skip
    assert (await seats())["A-3"] == [(argane, False)]
    assert "A-1" not in await seats()
    # Onto a stand whose one place is taken: the two swap.
    assert await drop(argane, "A-5") == (
        200, {"outcome": "swapped", "code": "A-5", "message": "Coopérative Argane et Coopérative Souss ont échangé leurs stands."}
    )  # fmt: skip
    assert ((await seats())["A-5"], (await seats())["A-3"]) == ([(argane, False)], [(souss, False)])
    # Refusals: a locked exhibitor, a locked occupant, a full shared stand, unknown things.
    assert await drop(tifawin, "A-1") == (
        409, {"outcome": "locked", "code": "A-2", "message": "Coopérative Tifawin est verrouillé sur son stand : déverrouillez-le avant de le déplacer."}
    )  # fmt: skip
    assert (await drop(argane, "A-2"))[0] == 409
    status, answer = await drop(souss, "A-4", lang="ar")
    assert (status, answer["outcome"], answer["message"]) == (
        409,
        "full",
        "كل أماكن الرواق A-4 مشغولة: انقل أحد عارضيه أولا.",
    )
    assert (await drop(souss, "Z-9"))[1]["outcome"] == "unknown"
    assert (await drop("x", "A-1"))[0] == 422
    assert await drop(souss, "A-3") == (
        200, {"outcome": "same", "code": "A-3", "message": "Coopérative Souss est déjà sur le stand A-3."}
    )  # fmt: skip
    assert await seats() == {
        "A-2": [(tifawin, True)],
        "A-3": [(souss, False)],
        "A-4": [(hall_plan["amal"], False), (hall_plan["imane"], False)],
        "A-5": [(argane, False)],
    }
    # Without the page's CSRF token nothing moves.
    forged = await client.post(MOVE, data={"application": str(souss), "code": "A-1"})
    assert forged.status_code == 403
    assert "A-1" not in await seats()


async def test_the_pdf_of_a_hall(client: httpx.AsyncClient, hall_plan: dict[str, Any]) -> None:
    response = await client.get(f"{plan_page_url(hall_plan['hall'])}.pdf", params={"lang": "ar"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    plan, index = pdf_pages(response.content)
    assert "تعاونية أركان" in plan
    assert "Coopérative Amal" in index
