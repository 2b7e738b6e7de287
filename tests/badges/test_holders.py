"""Badge holders: exhibitors' staff within the quota the database holds, cancellations,
organizers' additions, and holders synced from the seminars and the accounts."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from exhibitions.accounts import services as account_services
from exhibitions.accounts.tables import RoleName
from exhibitions.badges import queries, services
from exhibitions.badges.schemas import HolderIn, StaffBadgeIn
from exhibitions.badges.tables import BadgeHolder, BadgeQuota
from exhibitions.db import Database
from exhibitions.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.badges.badges_data import SLUG, exhibitor, organizer_actor
from tests.conftest import NOW


def staff(name: str, **fields: Any) -> StaffBadgeIn:
    return StaffBadgeIn(full_name=name, **fields)


async def test_an_exhibitor_requests_staff_badges_up_to_its_stand_quota(exhibition: int) -> None:
    shop = await exhibitor(exhibition, 1, width_cm=300, depth_cm=500, email="coop1@test.ma")  # 15 m²: 3 badges
    for name in ("Fatima Zahra", "Hassan Alaoui", "Imane Berrada"):
        await services.request_staff_badge(
            application_id=shop.application_id, data=staff(name, email=f"{name[:3].lower()}@x.ma"),
            actor=shop.actor, now=NOW,
        )  # fmt: skip
    with pytest.raises(Conflict) as refused:
        await services.request_staff_badge(
            application_id=shop.application_id, data=staff("Quatrième"), actor=shop.actor, now=NOW
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [("full_name", "quota_full")]
    view = await services.staff_badges(application_id=shop.application_id, actor=shop.actor)
    assert view is not None
    assert (view.quota, view.used, view.left) == (3, 3, 0)
    assert [h["full_name"] for h in view.holders] == ["Fatima Zahra", "Hassan Alaoui", "Imane Berrada"]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", h["lead_id"]) for h in view.holders)
    assert len({h["lead_id"] for h in view.holders}) == 3

    # Cancelling gives the place back; the next request takes it.
    await services.cancel_staff_badge(
        application_id=shop.application_id, holder_id=view.holders[0]["id"], actor=shop.actor
    )
    await services.request_staff_badge(
        application_id=shop.application_id, data=staff("Karim Idrissi"), actor=shop.actor, now=NOW
    )
    counter = await BadgeQuota.select().first()
    assert counter is not None
    assert counter["used"] == 3
    assert await BadgeHolder.count() == 3


async def test_simultaneous_requests_get_exactly_the_quota(exhibition: int, database: Database) -> None:
    shop = await exhibitor(exhibition, 2, width_cm=300, depth_cm=300, email="coop2@test.ma")  # 9 m²: 2 badges
    outcomes = await asyncio.gather(
        *(
            services.request_staff_badge(
                application_id=shop.application_id, data=staff(f"Employé {n}"), actor=shop.actor, now=NOW
            )
            for n in range(25)
        ),
        return_exceptions=True,
    )
    created = [o for o in outcomes if isinstance(o, dict)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(created) == 2
    assert len(refused) == 23
    assert all(o.errors[0].code == "quota_full" for o in refused)
    assert await BadgeHolder.count() == 2
    counter = await BadgeQuota.select(BadgeQuota.used).first()
    assert counter == {"used": 2}


async def test_an_organizer_raises_one_exhibitors_quota(exhibition: int, organizer: dict[str, Any]) -> None:
    shop = await exhibitor(exhibition, 3, email="coop3@test.ma")
    actor = organizer_actor(organizer)
    row = await services.set_staff_quota(slug=SLUG, organization_id=shop.organization_id, quota=4, actor=actor)
    assert (row["base"], row["override"], row["used"]) == (2, 4, 0)
    for n in range(4):
        await services.request_staff_badge(
            application_id=shop.application_id, data=staff(f"Staff {n}"), actor=shop.actor, now=NOW
        )
    with pytest.raises(Conflict):
        await services.request_staff_badge(
            application_id=shop.application_id, data=staff("Staff 5"), actor=shop.actor, now=NOW
        )
    quotas = await services.exhibitor_quotas(slug=SLUG, actor=actor)
    assert [(q["code"], q["rule"], q["quota"], q["used"]) for q in quotas] == [("A03", 2, 4, 4)]
    # Back to the rule: nobody is cancelled, but no more can be requested.
    await services.set_staff_quota(slug=SLUG, organization_id=shop.organization_id, quota=None, actor=actor)
    view = await services.staff_badges(application_id=shop.application_id, actor=shop.actor)
    assert view is not None
    assert (view.quota, view.used, view.left) == (2, 4, 0)


async def test_only_an_approved_exhibitor_with_a_published_stand_may_request(exhibition: int) -> None:
    waiting = await exhibitor(exhibition, 4, status="submitted", email="coop4@test.ma")
    unpublished = await exhibitor(exhibition, 5, published=False, email="coop5@test.ma")
    for shop in (waiting, unpublished):
        assert await services.staff_badges(application_id=shop.application_id, actor=shop.actor) is None
        with pytest.raises(Conflict) as refused:
            await services.request_staff_badge(
                application_id=shop.application_id, data=staff("Nadia"), actor=shop.actor, now=NOW
            )
        assert refused.value.errors[0].code == "not_eligible"
    assert await BadgeHolder.count() == 0


async def test_another_organizations_member_sees_nothing(exhibition: int) -> None:
    mine = await exhibitor(exhibition, 6, email="coop6@test.ma")
    other = await exhibitor(exhibition, 7, email="coop7@test.ma")
    with pytest.raises(NotFound):
        await services.request_staff_badge(
            application_id=mine.application_id, data=staff("Intrus"), actor=other.actor, now=NOW
        )
    with pytest.raises(NotFound):
        await services.staff_badges(application_id=mine.application_id, actor=other.actor)
    with pytest.raises(PermissionDenied):
        await services.staff_badges(application_id=mine.application_id, actor=None)


async def test_organizers_add_press_and_staff_badges_and_removing_one_frees_its_place(
    exhibition: int, organizer: dict[str, Any]
) -> None:
    actor = organizer_actor(organizer)
    shop = await exhibitor(exhibition, 8, name_ar="تعاونية أركان", name_latin=None)
    press = await services.add_holder(
        slug=SLUG, data=HolderIn(role="press", full_name="Leïla Benali", organization_label="Le Matin"),
        actor=actor, now=NOW,
    )  # fmt: skip
    assert press["organization"] is None
    assert press["organization_label"] == "Le Matin"
    first = await services.add_holder(
        slug=SLUG, data=HolderIn(role="exhibitor_staff", full_name="سعيد", organization_id=shop.organization_id,
                                 language="ar"),
        actor=actor, now=NOW,
    )  # fmt: skip
    await services.add_holder(
        slug=SLUG, data=HolderIn(role="exhibitor_staff", full_name="Said B", organization_id=shop.organization_id),
        actor=actor, now=NOW,
    )  # fmt: skip
    with pytest.raises(Conflict):
        await services.add_holder(
            slug=SLUG, data=HolderIn(role="exhibitor_staff", full_name="Third", organization_id=shop.organization_id),
            actor=actor, now=NOW,
        )  # fmt: skip
    with pytest.raises(InvalidInput) as missing:
        await services.add_holder(slug=SLUG, data=HolderIn(role="exhibitor_staff", full_name="X"), actor=actor, now=NOW)
    assert [(e.field, e.code) for e in missing.value.errors] == [("organization_id", "required")]
    await services.delete_holder(slug=SLUG, holder_id=first["id"], actor=actor)
    assert (await BadgeQuota.select(BadgeQuota.used).first()) == {"used": 1}
    page = await services.list_holders(slug=SLUG, actor=actor, role="exhibitor_staff")
    assert [(r["full_name"], r["stand_code"], services.printed_organization(r)) for r in page.rows] == [
        ("Said B", "A08", "تعاونية أركان")
    ]


async def test_the_holders_list_searches_filters_and_pages(exhibition: int, organizer: dict[str, Any]) -> None:
    actor = organizer_actor(organizer)
    for n in range(7):
        await services.add_holder(
            slug=SLUG, data=HolderIn(role="vip" if n % 2 else "press", full_name=f"Invité {n}"), actor=actor, now=NOW
        )
    await services.add_holder(slug=SLUG, data=HolderIn(role="press", full_name="Amina Tazi"), actor=actor, now=NOW)
    first = await services.list_holders(slug=SLUG, actor=actor, per_page=3)
    assert (first.total, first.pages, len(first.rows)) == (8, 3, 3)
    last = await services.list_holders(slug=SLUG, actor=actor, per_page=3, page=3)
    assert len(last.rows) == 2
    vips = await services.list_holders(slug=SLUG, actor=actor, role="vip")
    assert [r["full_name"] for r in vips.rows] == ["Invité 1", "Invité 3", "Invité 5"]
    found = await services.list_holders(slug=SLUG, actor=actor, search="TAZI")
    assert [r["full_name"] for r in found.rows] == ["Amina Tazi"]
    with pytest.raises(PermissionDenied):
        await services.list_holders(slug=SLUG, actor=None)


async def test_speakers_moderators_organizers_and_gate_staff_are_synced_once(
    exhibition: int, organizer: dict[str, Any]
) -> None:
    actor = organizer_actor(organizer)
    track = await BadgeHolder.raw(
        "INSERT INTO seminar_track (exhibition, code, name_fr) VALUES ({}, 'ess', 'ESS') RETURNING id", exhibition
    )
    people = {}
    for key, name_ar, name_latin, language in (
        ("speaker", "نادية", "Nadia Fassi", "ar"), ("both", "", "Omar Kettani", "fr"),
        ("moderator", "", "Sara Lahlou", "en"), ("declined", "", "Rachid Amrani", "fr"),
    ):  # fmt: skip
        rows = await BadgeHolder.raw(
            "INSERT INTO seminar_person (exhibition, name_ar, name_latin, affiliation, email, language, created_at,"
            " updated_at) VALUES ({}, {}, {}, 'Université Mohammed V', {}, {}, {}, {}) RETURNING id",
            exhibition, name_ar, name_latin, f"{key}@seminar.ma", language, NOW, NOW,
        )  # fmt: skip
        people[key] = rows[0]["id"]
    starts = datetime(2027, 4, 1, 10, 0, tzinfo=UTC)
    ends = datetime(2027, 4, 1, 11, 0, tzinfo=UTC)
    sessions = []
    for number in (1, 2):
        rows = await BadgeHolder.raw(
            "INSERT INTO seminar_session (exhibition, guid, title_fr, session_type, track, starts_at, ends_at,"
            " status, created_at, updated_at) VALUES ({}, {}, 'Table ronde', 'panel', {}, {}, {}, 'scheduled', {}, {})"
            " RETURNING id",
            exhibition, f"b3f6a1e0-0000-4000-8000-00000000000{number}", track[0]["id"], starts, ends, NOW, NOW,
        )  # fmt: skip
        sessions.append(rows[0]["id"])
    # Omar speaks in the first session and moderates the second: one speaker badge.
    for position, (session, key, role, response) in enumerate(
        ((0, "speaker", "speaker", "confirmed"), (0, "both", "speaker", "invited"), (1, "both", "moderator", "invited"),
         (1, "moderator", "moderator", "confirmed"), (0, "declined", "speaker", "declined"))
    ):  # fmt: skip
        await BadgeHolder.raw(
            "INSERT INTO session_person (exhibition, session, person, role, position, response)"
            " VALUES ({}, {}, {}, {}, {}, {})",
            exhibition, sessions[session], people[key], role, position, response,
        )  # fmt: skip
    gate = await account_services.create_user(email="gate@test.ma", password="gate-password-1", now=NOW)
    await account_services.grant_role(user_id=gate, role=RoleName.gate_staff, exhibition_id=exhibition, now=NOW)

    report = await services.sync_holders(slug=SLUG, actor=actor, now=NOW)
    assert report.added == {"speaker": 2, "moderator": 1, "organizer": 1, "staff": 1}
    again = await services.sync_holders(slug=SLUG, actor=actor, now=NOW)
    assert again.total == 0
    rows = (
        await BadgeHolder.select(
            BadgeHolder.role, BadgeHolder.full_name, BadgeHolder.language, BadgeHolder.organization_label
        )
        .order_by(BadgeHolder.role)
        .order_by(BadgeHolder.full_name)
    )
    assert [(r["role"], r["full_name"], r["language"]) for r in rows] == [
        ("moderator", "Sara Lahlou", "en"),
        ("organizer", "Organisatrice", "fr"),
        ("speaker", "Omar Kettani", "fr"),
        ("speaker", "نادية", "ar"),
        ("staff", "gate", "fr"),
    ]
    assert {r["organization_label"] for r in rows if r["role"] in ("speaker", "moderator")} == {"Université Mohammed V"}


async def test_exhibitor_staff_with_an_email_are_the_reminders_audience(exhibition: int) -> None:
    shop = await exhibitor(exhibition, 9, name_latin="Coopérative Tiwizi", email="coop9@test.ma")
    await services.request_staff_badge(
        application_id=shop.application_id, data=staff("Aicha", email="Aicha@Tiwizi.ma", language="ar"),
        actor=shop.actor, now=NOW,
    )  # fmt: skip
    await services.request_staff_badge(
        application_id=shop.application_id, data=staff("Sans e-mail"), actor=shop.actor, now=NOW
    )
    rows = await queries.list_exhibitor_staff(exhibition)
    assert [
        (r["email"], r["language"], r["full_name"], r["organization_id"], r["organization_name"]) for r in rows
    ] == [("aicha@tiwizi.ma", "ar", "Aicha", shop.organization_id, "Coopérative Tiwizi")]


async def test_a_lead_id_names_the_organization_never_the_person(exhibition: int) -> None:
    shop = await exhibitor(exhibition, 10, name_latin="Coopérative Assafa", email="coop10@test.ma")
    row = await services.request_staff_badge(
        application_id=shop.application_id, data=staff("Youssef Amrani", email="y@assafa.ma"),
        actor=shop.actor, now=NOW,
    )  # fmt: skip
    found = await services.holder_by_lead(row["lead_id"])
    assert found is not None
    assert found["role"] == "exhibitor_staff"
    assert found["organization_name_latin"] == "Coopérative Assafa"
    assert "Youssef" not in repr(found)
    assert "assafa.ma" not in repr(found)
    assert await services.holder_by_lead("A" * 22) is None
