"""Valid inputs to start from; each test changes only what it is about."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import httpx
import msgspec

from exhibitions.events.schemas import ExhibitionCreate, HallIn

# Registration reads the real clock (it closes once the exhibition is over): exhibitions
# that take registrations in tests stay ahead of it, whatever the day the suite runs.
FIRST_DAY = date.today() + timedelta(days=30)
LAST_DAY = FIRST_DAY + timedelta(days=9)


def csrf_token(html: str) -> str:
    """The CSRF field of the first form on a page, as a browser would send it back."""
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def exhibition_payload(**overrides: Any) -> dict[str, Any]:
    """The JSON body of a valid POST /api/v1/exhibitions."""
    payload: dict[str, Any] = {
        "slug": "sess-2027",
        "kind": "national",
        "title_ar": "المعرض الوطني للاقتصاد الاجتماعي والتضامني",
        "title_fr": "Salon national de l'économie sociale et solidaire",
        "title_en": "National Exhibition of the Social and Solidarity Economy",
        "venue_name": "Parc des expositions OLM Souissi",
        "city": "Rabat",
        "starts_on": "2027-05-07",
        "ends_on": "2027-05-16",
        "opens_at": "10:00:00",
        "closes_at": "20:00:00",
    }
    payload.update(overrides)
    return payload


def exhibition_create(**overrides: Any) -> ExhibitionCreate:
    """The same exhibition as the services take it, with two halls."""
    halls = [HallIn(name="Hall A", area_m2=6000), HallIn(name="Hall B", area_m2=4500)]
    return msgspec.convert(exhibition_payload(**{"halls": halls, **overrides}), ExhibitionCreate)


async def login(client: httpx.AsyncClient) -> None:
    """Sign the test organizer in on the pages (a session cookie, as a browser holds it)."""
    from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD

    form = await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "email": ORGANIZER_EMAIL,
            "password": ORGANIZER_PASSWORD,
            "next": "/organize/",
            "_csrf_token": csrf_token(form.text),
        },
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/organize/"
