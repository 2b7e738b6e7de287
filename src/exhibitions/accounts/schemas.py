from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct


class TokenCreate(Struct, forbid_unknown_fields=True):
    email: Annotated[str, Meta(min_length=3, max_length=254)]
    password: Annotated[str, Meta(min_length=1, max_length=1024)]
    name: Annotated[str, Meta(max_length=100)] = ""


class TokenCreated(Struct):
    id: int
    name: str
    token: str


class TokenInfo(Struct):
    id: int
    kind: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class Me(Struct):
    id: int
    email: str
    display_name: str
    preferred_language: str
    roles: list[dict[str, str | int | None]]
