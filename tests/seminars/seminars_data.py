"""Valid seminar inputs to start from, and short ways to make them through the API."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.factories import FIRST_DAY

API = "/api/v1/exhibitions/sess-2027"
CASABLANCA = ZoneInfo("Africa/Casablanca")


def at(day: int, clock: str) -> str:
    """An ISO moment on the exhibition's ``day`` (0 = the first), local time in Casablanca."""
    hours, minutes = (int(part) for part in clock.split(":"))
    moment = datetime.combine(FIRST_DAY + timedelta(days=day), time(hours, minutes), tzinfo=CASABLANCA)
    return moment.isoformat()


def utc_text(day: int, clock: str) -> str:
    """The same moment as the API gives it back: in UTC."""
    return datetime.fromisoformat(at(day, clock)).astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")


def room(name: str = "Salle Ibn Khaldoun", capacity: int = 80, building: str = "Pavillon A") -> dict[str, Any]:
    return {"name": name, "capacity": capacity, "building": building}


def person(name_latin: str = "Amina Berrada", name_ar: str = "أمينة برادة", **extra: Any) -> dict[str, Any]:
    return {"name_latin": name_latin, "name_ar": name_ar, "affiliation": "Université Mohammed V", "country": "MA",
            **extra}  # fmt: skip


def session(
    starts: str = "10:00", ends: str = "11:00", *, day: int = 0, room_id: int | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "type": "panel", "track": "legal_framework", "starts_at": at(day, starts), "ends_at": at(day, ends),
        "title_fr": "Le cadre juridique de l'ESS", "title_ar": "الإطار القانوني للاقتصاد الاجتماعي والتضامني",
        "room_id": room_id, "languages": ["ar", "fr"], **extra,
    }  # fmt: skip


async def post(client: httpx.AsyncClient, headers: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(API + path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def fields(response: httpx.Response) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in response.json().get("errors", [])]
