"""The sample plan's routes: the SVG, the interactive page and the PDF, in each language."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import httpx

from exhibitions.stands.plan_pages import SAMPLE_STANDS
from tests.tickets.pdf import pdf_pages

SVG = "{http://www.w3.org/2000/svg}"


async def test_the_sample_svg_in_arabic_coloured_by_sector(client: httpx.AsyncClient) -> None:
    response = await client.get("/plans/sample.svg", params={"lang": "ar", "colour": "sector", "highlight": "A-3"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(response.text)  # noqa: S314 - our own output
    assert root.get("data-colour-by") == "sector"
    assert root.get("aria-label") == "مخطط Hall A (sample)"
    stands = [group for group in root.iter(f"{SVG}g") if group.get("data-stand")]
    assert len(stands) == SAMPLE_STANDS
    assert [group.get("data-stand") for group in stands if "highlight" in (group.get("class") or "")] == ["A-3"]


async def test_a_bad_colour_choice_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/plans/sample.svg", params={"colour": "rainbow"})
    assert response.status_code == 422
    assert "colour" in response.text


async def test_the_interactive_page_inlines_the_plan_and_its_data(client: httpx.AsyncClient) -> None:
    response = await client.get("/plans/sample", params={"lang": "fr", "highlight": "A-1"})
    assert response.status_code == 200
    html = response.text
    assert '<html lang="fr" dir="ltr">' in html
    assert "<h1>Plan de Hall A (sample)</h1>" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="floor-plan"' in html
    assert '<script src="/static/js/plan.js" defer></script>' in html
    data = json.loads(re.search(r'<script type="application/json" id="plan-data">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert len(data["stands"]) == SAMPLE_STANDS
    assert data["stands"]["A-1"] == {
        "status": "Attribué",
        "exhibitors": [
            {
                "name_ar": "تعاونية أركان الخير",
                "name_latin": "Coopérative Argane Al Khair",
                "sector": "Agriculture",
                "region": "MA-01",
                "url": "/exhibitions/sample/exhibitors/1",
            }
        ],
    }
    assert data["messages"]["none"] == "Aucun stand ne correspond à votre recherche."
    # The names with markup characters cannot end the script early.
    assert "</b>" not in html
    assert "<Al Bahr>" not in html


async def test_the_interactive_page_in_arabic_is_right_to_left(client: httpx.AsyncClient) -> None:
    response = await client.get("/plans/sample", params={"lang": "ar"})
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "ابحث عن عارض في المخطط" in response.text


async def test_the_sample_pdf(client: httpx.AsyncClient) -> None:
    response = await client.get("/plans/sample.pdf", params={"lang": "fr"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 3  # the plan, then the index on two pages
    assert pages[0].startswith("Salon d'exemple Plan de Hall A (sample) · 60 stands")
    assert "Stands et exposants" in pages[1]
