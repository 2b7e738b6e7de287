"""A published exhibition that takes registrations."""

from __future__ import annotations

from typing import Any

import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionUpdate
from exhibitions.events.tables import ExhibitionStatus
from tests.conftest import NOW
from tests.factories import FIRST_DAY, LAST_DAY, exhibition_create


@pytest.fixture
async def exhibition(organizer: dict[str, Any]) -> int:
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    upcoming = exhibition_create(starts_on=FIRST_DAY, ends_on=LAST_DAY)
    await event_services.create_exhibition(data=upcoming, actor=actor, now=NOW)
    await event_services.update_exhibition(
        slug="sess-2027", changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=actor, now=NOW
    )
    detail = await event_services.get_exhibition_detail(slug="sess-2027", actor=None)
    return int(detail.row["id"])
