"""Exhibitors with approved applications and published stands, written straight to the
database where the portal and the stands workflow are not what is under test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exhibitions.accounts import queries as account_queries
from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import User
from exhibitions.badges.tables import BadgeHolder
from tests.conftest import NOW

SLUG = "sess-2027"
API = f"/api/v1/exhibitions/{SLUG}/badges"
PAGES = f"/organize/exhibitions/{SLUG}/badges"
EXHIBITOR_PASSWORD = "exhibitor-password-1"


@dataclass(frozen=True)
class Exhibitor:
    organization_id: int
    application_id: int
    stand_code: str
    actor: Actor | None
    email: str | None


async def _raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await BadgeHolder.raw(sql, *args)  # type: ignore[no-any-return]


async def exhibitor(
    exhibition_id: int,
    number: int,
    *,
    width_cm: int = 300,
    depth_cm: int = 300,
    name_latin: str | None = None,
    name_ar: str | None = None,
    status: str = "approved",
    published: bool = True,
    email: str | None = None,
    language: str = "fr",
) -> Exhibitor:
    """An organization, its application at ``status`` and, unless ``published`` is None, a
    stand of ``width_cm`` × ``depth_cm`` in Hall A (published or not); with ``email``, a
    user who acts for the organization."""
    organization = await _raw(
        "INSERT INTO organization (legal_form, name_latin, name_ar, registry_number, region, city, sector,"
        " created_at, updated_at) VALUES ('cooperative', {}, {}, {}, 'MA-09', 'Taroudant', 'argan', {}, {})"
        " RETURNING id",
        name_latin if name_latin is not None or name_ar is not None else f"Coopérative {number}", name_ar,
        f"{number}/2015", NOW, NOW,
    )  # fmt: skip
    organization_id = int(organization[0]["id"])
    application = await _raw(
        "INSERT INTO application (exhibition, organization, status, created_at, updated_at)"
        " VALUES ({}, {}, {}, {}, {}) RETURNING id",
        exhibition_id, organization_id, status, NOW, NOW,
    )  # fmt: skip
    application_id = int(application[0]["id"])
    hall = await _raw(
        "SELECT h.id FROM hall h JOIN exhibition e ON e.venue = h.venue WHERE e.id = {} AND h.name = 'Hall A'",
        exhibition_id,
    )
    code = f"A{number:02d}"
    stand = await _raw(
        "INSERT INTO stand (exhibition, hall, code, x_cm, y_cm, width_cm, depth_cm, created_at, updated_at)"
        " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}) RETURNING id",
        exhibition_id, hall[0]["id"], code, (number % 10) * 2000, (number // 10) * 2000, width_cm, depth_cm,
        NOW, NOW,
    )  # fmt: skip
    if status == "approved":
        await _raw(
            "INSERT INTO stand_assignment (stand, application, assigned_at, published_at) VALUES ({}, {}, {}, {})",
            stand[0]["id"], application_id, NOW, NOW if published else None,
        )  # fmt: skip
    actor = None
    if email is not None:
        user_id = await account_services.create_user(
            email=email, password=EXHIBITOR_PASSWORD, now=NOW, preferred_language=language
        )
        await _raw(
            'INSERT INTO organization_member (organization, "user", created_at) VALUES ({}, {}, {})',
            organization_id, user_id, NOW,
        )  # fmt: skip
        user = await User.select().where(User.id == user_id).first()
        actor = await account_queries.actor_for_user(user)
    return Exhibitor(organization_id, application_id, code, actor, email)


def organizer_actor(organizer: dict[str, Any]) -> Actor:
    return Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
