"""Valid inputs to start from; each test changes only what it is about."""

from __future__ import annotations

from typing import Any

import msgspec

from exhibitions.events.schemas import ExhibitionCreate, HallIn


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
