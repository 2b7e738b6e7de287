"""The organizers' applications table: sorting, filters, search, pages, bulk decisions, and
one application's page with its decision form."""

from __future__ import annotations

import re
from typing import Any

import httpx

from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName
from exhibitions.clock import utcnow
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionUpdate
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.exhibitors import services
from exhibitions.exhibitors.tables import Application, ApplicationEvent
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.notifications.tables import Outbox
from tests.conftest import NOW
from tests.exhibitors.test_portal import (
    EXHIBITOR_PASSWORD,
    draft_of,
    exhibitor_actor,
    organization_of,
    sign_in,
    text_of,
)
from tests.factories import FIRST_DAY, LAST_DAY, csrf_token, exhibition_create, login

TABLE = "/organize/exhibitions/sess-2027/applications"
# (e-mail, names, region, sector, legal form, members total, women)
APPLICANTS = [
    ("a@example.ma", {"name_latin": "Zitoun Coop", "name_ar": None}, "MA-02", "agriculture", "cooperative", 10, 8),
    ("b@example.ma", {"name_latin": "Argan Tiznit", "name_ar": "أركان تيزنيت"}, "MA-09", "argan", "cooperative", 10, 2),
    ("c@example.ma", {"name_latin": None, "name_ar": "جمعية النسيج"}, "MA-05", "textile", "association", 6, 1),
    ("d@example.ma", {"name_latin": "Mutuelle Bahr", "name_ar": None}, "MA-01", "fishing", "mutual", 20, 0),
]  # fmt: skip


def organizer_actor(organizer: dict[str, Any]) -> Actor:
    return Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))


async def another_exhibition(organizer: dict[str, Any]) -> int:
    """A second published exhibition, with its own organizers."""
    actor = organizer_actor(organizer)
    data = exhibition_create(
        slug="oriental-2027", kind="regional", region="MA-02", starts_on=FIRST_DAY, ends_on=LAST_DAY
    )
    await event_services.create_exhibition(data=data, actor=actor, now=NOW)
    await event_services.update_exhibition(
        slug="oriental-2027", changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=actor, now=NOW
    )
    return int((await event_services.get_exhibition_detail(slug="oriental-2027", actor=None)).row["id"])


async def applications(*, submit: bool = True) -> list[int]:
    """The four applicants, each with a submitted application (in the order above)."""
    ids = []
    for number, (email, names, region, sector, form, total, women) in enumerate(APPLICANTS):
        actor = await exhibitor_actor(email)
        organization = await organization_of(
            actor, **names, region=region, sector=sector, legal_form=form, members_total=total, members_women=women,
            members_youth=0, registry_number=f"R-{number}", ice=None, declared_women_led=False,
        )  # fmt: skip
        draft = await draft_of(actor, organization["id"])
        if submit:
            await services.move_application(
                application_id=draft["id"], to=ApplicationStatus.submitted, actor=actor, now=utcnow()
            )
        ids.append(draft["id"])
    return ids


def names_in_table(html: str) -> list[str]:
    return [text_of(cell) for cell in re.findall(r'applications/\d+"><bdi>(.*?)</bdi>', html)]


async def test_the_table_sorts_by_each_column_both_ways(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    await applications()
    await login(client)
    by_name = await client.get(f"{TABLE}?sort=name&dir=asc&lang=fr")
    assert by_name.status_code == 200
    # Latin name first on a French page, the Arabic one when there is no Latin name.
    assert names_in_table(by_name.text) == ["Argan Tiznit", "Mutuelle Bahr", "Zitoun Coop", "جمعية النسيج"]
    assert 'aria-sort="ascending"' in by_name.text
    assert 'href="?sort=name&amp;dir=desc"' in by_name.text  # the sorted header flips
    reversed_names = await client.get(f"{TABLE}?sort=name&dir=desc&lang=fr")
    assert names_in_table(reversed_names.text) == ["جمعية النسيج", "Zitoun Coop", "Mutuelle Bahr", "Argan Tiznit"]
    region = await client.get(f"{TABLE}?sort=region&lang=fr")
    assert names_in_table(region.text) == ["Mutuelle Bahr", "Zitoun Coop", "جمعية النسيج", "Argan Tiznit"]
    # Women-led: Zitoun (8 of 10) only; ties keep the application order.
    women = await client.get(f"{TABLE}?sort=women_led&dir=desc&lang=fr")
    assert names_in_table(women.text)[0] == "Zitoun Coop"
    sector = await client.get(f"{TABLE}?sort=sector&lang=fr")
    assert names_in_table(sector.text) == ["Zitoun Coop", "Argan Tiznit", "Mutuelle Bahr", "جمعية النسيج"]
    legal = await client.get(f"{TABLE}?sort=legal_form&dir=desc&lang=fr")
    assert names_in_table(legal.text)[0] == "Mutuelle Bahr"
    submitted = await client.get(f"{TABLE}?sort=submitted&lang=fr")
    assert names_in_table(submitted.text) == ["Zitoun Coop", "Argan Tiznit", "جمعية النسيج", "Mutuelle Bahr"]
    # An unknown sort key falls back to the submission date, never into the SQL.
    odd = await client.get(f"{TABLE}?sort=id%3BDROP%20TABLE&lang=fr")
    assert odd.status_code == 200
    assert names_in_table(odd.text) == names_in_table(submitted.text)


async def test_filters_search_and_drafts(client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int) -> None:
    ids = await applications()
    late = await exhibitor_actor("late@example.ma")
    late_org = await organization_of(late, registry_number="LATE-1", ice=None, name_latin="Coopérative Tardive")
    await draft_of(late, late_org["id"])
    await services.decide_application(
        application_id=ids[1], status=ApplicationStatus.approved, reason="", actor=organizer_actor(organizer),
        now=utcnow(),
    )  # fmt: skip
    await login(client)
    everything = await client.get(f"{TABLE}?lang=fr")
    assert "Coopérative Tardive" not in everything.text  # drafts are not for review yet
    assert "4 candidatures" in everything.text
    assert "Toutes les candidatures soumises (4)" in everything.text
    approved = await client.get(f"{TABLE}?status=approved&lang=fr")
    assert names_in_table(approved.text) == ["Argan Tiznit"]
    drafts = await client.get(f"{TABLE}?status=draft&lang=fr")
    assert names_in_table(drafts.text) == ["Coopérative Tardive"]
    # Accent-, case- and script-insensitive search on names and city, and the registry number.
    assert names_in_table((await client.get(f"{TABLE}?q=ARGAN&lang=fr")).text) == ["Argan Tiznit"]
    assert names_in_table((await client.get(f"{TABLE}?q=النسيج&lang=fr")).text) == ["جمعية النسيج"]
    assert names_in_table((await client.get(f"{TABLE}?q=r-3&lang=fr")).text) == ["Mutuelle Bahr"]
    assert names_in_table((await client.get(f"{TABLE}?q=tardive&status=draft&lang=fr")).text) == ["Coopérative Tardive"]
    nothing = await client.get(f"{TABLE}?q=nobody%25&lang=fr")
    assert "Aucune candidature ne correspond." in nothing.text
    bad_status = await client.get(f"{TABLE}?status=accepted&lang=fr")
    assert bad_status.status_code == 422


async def test_the_table_pages_by_fifty_keeping_the_sort(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    from exhibitions.exhibitors import organize_pages

    organize_pages.APPLICATIONS_PER_PAGE, saved = 3, organize_pages.APPLICATIONS_PER_PAGE
    try:
        await applications()
        await login(client)
        first = await client.get(f"{TABLE}?sort=name&lang=fr")
        assert names_in_table(first.text) == ["Argan Tiznit", "Mutuelle Bahr", "Zitoun Coop"]
        assert 'href="?sort=name&amp;dir=asc&amp;page=2"' in first.text
        second = await client.get(f"{TABLE}?sort=name&dir=asc&page=2&lang=fr")
        assert names_in_table(second.text) == ["جمعية النسيج"]
    finally:
        organize_pages.APPLICATIONS_PER_PAGE = saved


async def test_a_bulk_decision_applies_to_each_ticked_application_and_reports_the_others(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    ids = await applications()
    # One was withdrawn meanwhile: it cannot be approved, and the others still are.
    member = await account_services.authenticate_password(email="c@example.ma", password=EXHIBITOR_PASSWORD, now=NOW)
    await services.move_application(application_id=ids[2], to=ApplicationStatus.withdrawn, actor=member, now=utcnow())
    await login(client)
    table = await client.get(f"{TABLE}?status=&lang=fr")
    response = await client.post(
        f"{TABLE}/decisions?lang=fr",
        data={"application": [str(ids[0]), str(ids[1]), str(ids[2])], "decision": "approved",
              "reason": "Quota régional respecté", "_csrf_token": csrf_token(table.text)},
    )  # fmt: skip
    assert response.status_code == 200
    page = text_of(response.text)
    assert "2 candidatures décidées : Acceptée." in page
    assert "1 candidature n'a pas été décidée" in page
    assert f"#{ids[2]} : Ce changement de statut n'est pas permis." in page
    statuses = {row["id"]: row["status"] for row in await Application.select(Application.id, Application.status)}
    assert statuses == {ids[0]: "approved", ids[1]: "approved", ids[2]: "withdrawn", ids[3]: "submitted"}
    reasons = await ApplicationEvent.select(ApplicationEvent.reason).where(ApplicationEvent.to_status == "approved")
    assert [row["reason"] for row in reasons] == ["Quota régional respecté"] * 2
    assert await Outbox.count() == 2  # one e-mail per decided applicant's member


async def test_a_bulk_decision_needs_a_ticked_application_and_a_decision(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    await applications()
    await login(client)
    table = await client.get(f"{TABLE}?lang=fr")
    none = await client.post(
        f"{TABLE}/decisions?lang=fr", data={"decision": "approved", "_csrf_token": csrf_token(table.text)}
    )
    assert none.status_code == 422
    assert "Cochez au moins une candidature." in none.text
    ids = [row["id"] for row in await Application.select(Application.id)]
    bogus = await client.post(
        f"{TABLE}/decisions?lang=fr",
        data={"application": str(ids[0]), "decision": "withdrawn", "_csrf_token": csrf_token(table.text)},
    )
    assert bogus.status_code == 422
    assert "Choisissez l'une des options." in text_of(bogus.text)
    assert await ApplicationEvent.count().where(ApplicationEvent.to_status == "withdrawn") == 0


async def test_the_application_page_shows_the_facts_and_takes_a_decision(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    ids = await applications()
    await login(client)
    url = f"{TABLE}/{ids[0]}"
    detail = await client.get(f"{url}?lang=fr")
    assert detail.status_code == 200
    page = text_of(detail.text)
    assert "10 membres, dont 8 femmes et 0 de moins de 35 ans" in page
    assert "Dirigée par des femmes Oui" in page
    assert "Agriculture" in page
    assert "Coopérative" in page
    decided = await client.post(
        f"{url}/decision",
        data={"status": "waitlisted", "reason": "Quota du secteur atteint", "_csrf_token": csrf_token(detail.text)},
    )
    assert decided.status_code == 302
    assert decided.headers["location"] == url
    after = text_of((await client.get(f"{url}?lang=fr")).text)
    assert "Mise sur liste d'attente par les organisateurs" in after
    assert "Motif : Quota du secteur atteint" in after
    # From the waiting list only approval or rejection remain; a second waitlisting is refused.
    again = await client.post(
        f"{url}/decision", data={"status": "waitlisted", "reason": "", "_csrf_token": csrf_token(detail.text)}
    )
    assert again.status_code == 422
    assert await ApplicationEvent.count().where(ApplicationEvent.to_status == "waitlisted") == 1


async def test_an_organizer_of_another_exhibition_cannot_see_this_ones_applications(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    ids = await applications()
    other_exhibition = await another_exhibition(organizer)
    other = await account_services.create_user(email="other-organizer@example.ma", password=EXHIBITOR_PASSWORD, now=NOW)
    await account_services.grant_role(user_id=other, role=RoleName.organizer, now=NOW, exhibition_id=other_exhibition)
    await sign_in(client, "other-organizer@example.ma")
    assert (await client.get(TABLE)).status_code == 403
    assert (await client.get(f"{TABLE}/{ids[0]}")).status_code == 404
