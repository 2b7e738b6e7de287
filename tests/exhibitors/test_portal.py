"""The exhibitor portal: sign up, register the organization, apply, follow the application."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from html import unescape
from typing import Any

import httpx
import msgspec

from exhibitions.accounts import queries as account_queries
from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import User
from exhibitions.app import create_app
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.exhibitors import services
from exhibitions.exhibitors.schemas import ApplicationCreate, OrganizationCreate
from exhibitions.exhibitors.tables import Application, ApplicationEvent, Organization, OrganizationMember
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.settings import Settings
from tests.conftest import NOW
from tests.exhibitors.test_api import COOPERATIVE
from tests.factories import csrf_token

EXHIBITOR_PASSWORD = "exhibitor-password-1"
DECIDED_AT = datetime(2027, 1, 5, 13, 0, tzinfo=UTC)


async def sign_in(client: httpx.AsyncClient, email: str, password: str = EXHIBITOR_PASSWORD) -> None:
    """Log in on the pages, as a browser does (the session cookie stays in the client)."""
    form = await client.get("/login")
    response = await client.post(
        "/login",
        data={"email": email, "password": password, "next": "/portal/", "_csrf_token": csrf_token(form.text)},
    )
    assert response.status_code == 302, response.text


async def exhibitor_actor(email: str, language: str = "fr") -> Actor:
    user_id = await account_services.create_user(
        email=email, password=EXHIBITOR_PASSWORD, now=NOW, preferred_language=language
    )
    user = await User.select().where(User.id == user_id).first()
    return await account_queries.actor_for_user(user)


async def organization_of(actor: Actor, **overrides: Any) -> dict[str, Any]:
    data = msgspec.convert({**COOPERATIVE, **overrides}, OrganizationCreate)
    return await services.create_organization(data=data, actor=actor, now=NOW)


async def draft_of(actor: Actor, organization_id: int, **overrides: Any) -> dict[str, Any]:
    data = msgspec.convert({"organization": organization_id, **overrides}, ApplicationCreate)
    # The exhibition fixture runs a month from today: apply today.
    return await services.create_application(slug="sess-2027", data=data, actor=actor, now=utcnow())


def organization_form(csrf: str, **overrides: str) -> dict[str, str]:
    form = {key: str(value) for key, value in COOPERATIVE.items()}
    form.update({"_csrf_token": csrf, "declared_women_led": "on"})
    form.update(overrides)
    return form


def text_of(html: str) -> str:
    """The page's words without tags, spaces collapsed: what a reader sees."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def test_signing_up_opens_a_session_and_lands_on_the_portal(client: httpx.AsyncClient, database: Any) -> None:
    form = await client.get("/signup?lang=ar")
    assert form.status_code == 200
    assert 'dir="rtl"' in form.text
    assert '<option value="ar" lang="ar" selected>' in form.text  # the page's language by default
    created = await client.post(
        "/signup",
        data={"display_name": "فاطمة", "email": "Fatima@Argan-Khair.ma", "password": EXHIBITOR_PASSWORD,
              "preferred_language": "ar", "_csrf_token": csrf_token(form.text)},
    )  # fmt: skip
    assert created.status_code == 302
    assert created.headers["location"] == "/portal/"
    user = await User.select(User.email, User.display_name, User.preferred_language).first()
    assert user == {"email": "fatima@argan-khair.ma", "display_name": "فاطمة", "preferred_language": "ar"}
    portal = await client.get("/portal/")
    assert portal.status_code == 200
    assert "سجلوا تعاونيتكم" in portal.text or "فضاء العارض" in portal.text


async def test_sign_up_errors_are_shown_in_the_page_language_and_nothing_is_written(
    client: httpx.AsyncClient, database: Any
) -> None:
    await account_services.create_user(email="taken@example.ma", password=EXHIBITOR_PASSWORD, now=NOW)
    form = await client.get("/signup?lang=fr")
    short = await client.post(
        "/signup", data={"email": "new@example.ma", "password": "short", "_csrf_token": csrf_token(form.text)}
    )
    assert short.status_code == 422
    assert "Le mot de passe doit comporter au moins 10 caractères." in short.text
    assert 'value="new@example.ma"' in short.text  # what was typed stays
    taken = await client.post(
        "/signup",
        data={"email": "TAKEN@example.ma", "password": EXHIBITOR_PASSWORD, "_csrf_token": csrf_token(form.text)},
    )
    assert taken.status_code == 422
    assert "Un compte existe déjà avec cet e-mail : connectez-vous." in text_of(taken.text)
    assert "exhibitions_session" not in taken.cookies
    assert await User.count() == 1
    no_csrf = await client.post("/signup", data={"email": "x@example.ma", "password": EXHIBITOR_PASSWORD})
    assert no_csrf.status_code == 403


async def test_an_exhibitor_logging_in_lands_on_the_portal_and_an_organizer_on_the_dashboard(
    client: httpx.AsyncClient, organizer: dict[str, Any]
) -> None:
    await exhibitor_actor("fatima@argan-khair.ma")
    for email, password, landing in (
        ("fatima@argan-khair.ma", EXHIBITOR_PASSWORD, "/portal/"),
        (organizer["email"], "organizer-password-1", "/organize/"),
    ):
        form = await client.get("/login")
        response = await client.post(
            "/login", data={"email": email, "password": password, "_csrf_token": csrf_token(form.text)}
        )
        assert (response.status_code, response.headers["location"]) == (302, landing)


async def test_registering_an_organization_names_each_bad_field_in_french_then_saves(
    client: httpx.AsyncClient, exhibition: int
) -> None:
    await exhibitor_actor("fatima@argan-khair.ma")
    await sign_in(client, "fatima@argan-khair.ma")
    form = await client.get("/portal/organizations/new?lang=fr")
    assert form.status_code == 200
    assert "Souss-Massa" in form.text  # regions by their names
    bad = await client.post(
        "/portal/organizations/new",
        data=organization_form(
            csrf_token(form.text), ice="001561191000067", phone="12", members_women="50", name_ar="", name_latin=""
        ),
    )
    assert bad.status_code == 422
    page = text_of(bad.text)
    for message in (
        "Saisissez les 15 chiffres d'un ICE valide",
        "Saisissez un numéro de téléphone marocain",
        "Ce nombre ne peut pas dépasser le nombre total de membres.",
        "Indiquez le nom en arabe ou en caractères latins.",
    ):
        assert message in page, message
    assert 'id="e-ice"' in bad.text
    assert 'id="e-phone"' in bad.text
    assert await Organization.count() == 0
    saved = await client.post("/portal/organizations/new", data=organization_form(csrf_token(form.text)))
    assert saved.status_code == 302
    row = await Organization.select().first()
    assert saved.headers["location"] == f"/portal/organizations/{row['id']}?saved=1"
    assert (row["phone"], row["declared_women_led"], row["region"]) == ("+212528841234", True, "MA-09")
    assert await OrganizationMember.count() == 1
    edit = await client.get(saved.headers["location"])
    assert "Enregistré." in edit.text
    assert f'href="/portal/organizations/{row["id"]}/products"' in edit.text
    # Clearing an optional field on the form clears it.
    changed = await client.post(
        f"/portal/organizations/{row['id']}",
        data=organization_form(csrf_token(edit.text), phone="", city="Agadir", declared_women_led=""),
    )
    assert changed.status_code == 302
    after = await Organization.select().first()
    assert (after["phone"], after["city"], after["declared_women_led"]) == (None, "Agadir", False)


async def test_an_exhibitor_applies_edits_submits_and_follows_the_decision(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    fatima = await exhibitor_actor("fatima@argan-khair.ma")
    organization = await organization_of(fatima)
    await sign_in(client, "fatima@argan-khair.ma")
    public = await client.get("/exhibitions/sess-2027?lang=fr")
    assert 'href="/portal/exhibitions/sess-2027/apply"' in public.text  # from the exhibition's own page too
    home = await client.get("/portal/?lang=fr")
    assert 'href="/portal/exhibitions/sess-2027/apply"' in home.text
    form = await client.get("/portal/exhibitions/sess-2027/apply")
    assert f'name="organization" value="{organization["id"]}"' in form.text  # one organization: no choice
    bad = await client.post(
        "/portal/exhibitions/sess-2027/apply",
        data={"organization": str(organization["id"]), "stand_type": "standard", "stand_area_m2": "1000",
              "_csrf_token": csrf_token(form.text)},
    )  # fmt: skip
    assert bad.status_code == 422
    assert 'id="e-stand_area_m2"' in bad.text
    created = await client.post(
        "/portal/exhibitions/sess-2027/apply",
        data={"organization": str(organization["id"]), "stand_type": "corner", "stand_area_m2": "12",
              "preferred_zone": "Hall A", "needs_power": "on", "accepts_sharing": "on",
              "products": "Huile d'argan, amlou", "_csrf_token": csrf_token(form.text)},
    )  # fmt: skip
    assert created.status_code == 302
    row = await Application.select().first()
    assert created.headers["location"] == f"/portal/applications/{row['id']}"
    assert (row["stand_type"], row["stand_area_m2"], row["needs_power"], row["needs_water"], row["accepts_sharing"]) == (
        "corner", 12, True, False, True,
    )  # fmt: skip
    url = created.headers["location"]
    twice = await client.post(
        "/portal/exhibitions/sess-2027/apply",
        data={"organization": str(organization["id"]), "stand_type": "standard", "stand_area_m2": "9",
              "_csrf_token": csrf_token(form.text)},
    )  # fmt: skip
    assert twice.status_code == 422
    assert "Cette organisation a déjà postulé à ce salon" in text_of(twice.text)
    assert await Application.count() == 1
    draft = await client.get(url)
    assert "Brouillon" in draft.text
    assert f'action="{url}/submit"' in draft.text
    edit = await client.get(f"{url}/edit")
    edited = await client.post(
        f"{url}/edit",
        data={"stand_type": "standard", "stand_area_m2": "9", "needs_water": "on", "products": "Amlou",
              "_csrf_token": csrf_token(edit.text)},
    )  # fmt: skip
    assert edited.status_code == 302
    row = await Application.select().first()
    assert (row["stand_type"], row["needs_power"], row["needs_water"], row["products"], row["preferred_zone"]) == (
        "standard", False, True, "Amlou", None,
    )  # fmt: skip
    submitted = await client.post(f"{url}/submit", data={"_csrf_token": csrf_token(draft.text)})
    assert submitted.status_code == 302
    page = await client.get(url)
    assert "Soumise" in text_of(page.text)
    assert f'href="{url}/edit"' not in page.text  # no more changes once submitted
    # Editing after submission is refused, the form says why, and nothing changes.
    late = await client.post(
        f"{url}/edit", data={"stand_type": "island", "stand_area_m2": "9", "_csrf_token": csrf_token(page.text)}
    )
    assert late.status_code == 422
    assert (await Application.select(Application.stand_type).first())["stand_type"] == "standard"
    # The organizers decide; the page explains it without naming anyone, in the exhibition's time.
    organizer_actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    await services.decide_application(
        application_id=row["id"], status=ApplicationStatus.approved, reason="Produits du terroir, première participation",
        actor=organizer_actor, now=DECIDED_AT,
    )  # fmt: skip
    decided = text_of((await client.get(url)).text)
    assert "Acceptée" in decided or "Approuvée" in decided
    assert "Motif : Produits du terroir, première participation" in decided
    assert "par les organisateurs" in decided
    assert organizer["email"] not in decided
    assert "5 jan. 2027, 14:00:00" in decided  # 13:00 UTC is 14:00 in Casablanca (UTC+1 outside Ramadan)


async def test_withdrawing_asks_for_confirmation_and_keeps_the_reason(
    client: httpx.AsyncClient, exhibition: int
) -> None:
    fatima = await exhibitor_actor("fatima@argan-khair.ma")
    organization = await organization_of(fatima)
    application = await draft_of(fatima, organization["id"])
    await services.move_application(
        application_id=application["id"], to=ApplicationStatus.submitted, actor=fatima, now=utcnow()
    )
    await sign_in(client, "fatima@argan-khair.ma")
    url = f"/portal/applications/{application['id']}"
    confirm = await client.get(f"{url}/withdraw?lang=fr")
    assert confirm.status_code == 200
    assert "Oui, retirer la candidature" in confirm.text
    assert (await Application.select(Application.status).first())["status"] == "submitted"
    done = await client.post(
        f"{url}/withdraw", data={"reason": "Récolte en retard", "_csrf_token": csrf_token(confirm.text)}
    )
    assert done.status_code == 302
    assert (await Application.select(Application.status).first())["status"] == "withdrawn"
    last = await ApplicationEvent.select().order_by(ApplicationEvent.id, ascending=False).first()
    assert (last["to_status"], last["reason"]) == ("withdrawn", "Récolte en retard")
    # Withdrawing twice is refused on the page, not a 500.
    again = await client.post(f"{url}/withdraw", data={"_csrf_token": csrf_token(confirm.text)})
    assert again.status_code == 409
    assert "Ce changement de statut n'est pas permis." in text_of(again.text)


async def test_a_stranger_gets_404_on_someone_elses_organization_and_application(
    client: httpx.AsyncClient, exhibition: int
) -> None:
    fatima = await exhibitor_actor("fatima@argan-khair.ma")
    organization = await organization_of(fatima)
    application = await draft_of(fatima, organization["id"])
    await exhibitor_actor("stranger@example.ma")
    await sign_in(client, "stranger@example.ma")
    for path in (
        f"/portal/organizations/{organization['id']}",
        f"/portal/applications/{application['id']}",
        f"/portal/applications/{application['id']}/edit",
        f"/portal/applications/{application['id']}/withdraw",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Argan" not in response.text
    home = await client.get("/portal/")
    assert "Argan" not in home.text


async def test_sign_up_is_rate_limited_like_every_public_write(settings: Settings, database: Database) -> None:
    app = create_app(replace(settings, public_rate_limit=2), database=database)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as strict:
        form = await strict.get("/signup")
        statuses = []
        for number in range(3):
            response = await strict.post(
                "/signup",
                data={"email": f"coop{number}@example.ma", "password": EXHIBITOR_PASSWORD,
                      "_csrf_token": csrf_token(form.text)},
            )  # fmt: skip
            statuses.append(response.status_code)
            strict.cookies.delete("exhibitions_session")
    assert statuses == [302, 302, 429]
    assert await User.count() == 2
