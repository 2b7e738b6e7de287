"""The 12 regions of Morocco (ISO 3166-2:MA), shipped as package data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Region:
    code: str
    number: int
    name_ar: str
    name_fr: str
    name_en: str
    capital: str

    def name(self, language: str) -> str:
        return str(getattr(self, f"name_{language}", self.name_fr))


@cache
def all_regions() -> tuple[Region, ...]:
    raw = json.loads(resources.files("exhibitions.data").joinpath("regions.json").read_text("utf-8"))
    return tuple(Region(**region) for region in raw["regions"])


@cache
def regions_by_code() -> dict[str, Region]:
    return {region.code: region for region in all_regions()}
