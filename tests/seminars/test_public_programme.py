"""The public programme (page and JSON) by day, room and track in three languages; a visitor's
own programme with its star and register buttons; rooms shown full from their door scans."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName
from exhibitions.seminars import services
from exhibitions.seminars.attendance_tables import SessionRegistration, SessionStar
from exhibitions.settings import Settings
from tests.conftest import NOW, ORGANIZER_PASSWORD
from tests.factories import FIRST_DAY, csrf_token
from tests.seminars.attendance_data import (
    CASABLANCA,
    PROGRAMME_API,
    SLUG,
    Programme,
    checkpoint_of,
    local,
    room,
    session,
    update_session,
    usual_programme,
    visitor,
)

PAGE = f"/exhibitions/{SLUG}/programme"
NOON = datetime.combine(FIRST_DAY, time(12, 0), CASABLANCA)


def _actor(organizer: dict[str, Any]) -> Actor:
    return Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))


@pytest.fixture
async def programme(exhibition: int, organizer: dict[str, Any]) -> Programme:
    """The usual programme plus a draft, published as version 1."""
    made = await usual_programme(exhibition)
    await session(
        exhibition, track_id=made.legal, room_id=made.hall_b, starts_at=local(0, 16), title_fr="Brouillon secret",
        status="draft",
    )  # fmt: skip
    await services.publish_programme(slug=SLUG, actor=_actor(organizer), now=NOW, base_url="http://testserver")
    return made


def _titles(html: str) -> list[str]:
    return re.findall(r'<h4 class="session-title"><bdi lang="\w+">([^<]+)</bdi>', html)


async def test_nothing_is_public_before_a_first_version(
    client: httpx.AsyncClient, exhibition: int, settings: Settings, organizer: dict[str, Any]
) -> None:
    await usual_programme(exhibition)
    assert (await client.get(PAGE)).status_code == 404
    assert (await client.get(PROGRAMME_API)).status_code == 404
    # The ticket page leads to the visitor's own programme only once there is one.
    salma = await visitor(settings, "Salma", "salma@example.ma", "fr")
    link = f'<a href="/tickets/{salma["access_token"]}/programme?lang=fr" data-my-programme>Mon programme des séminaires</a>'
    assert link not in (await client.get(f"/tickets/{salma['access_token']}")).text
    await services.publish_programme(slug=SLUG, actor=_actor(organizer), now=NOW, base_url="http://testserver")
    assert link in (await client.get(f"/tickets/{salma['access_token']}")).text


async def test_the_page_shows_one_day_by_room_with_tabs_and_a_track_filter(
    client: httpx.AsyncClient, programme: Programme
) -> None:
    page = await client.get(PAGE, params={"lang": "fr"})
    assert page.status_code == 200
    html = page.text
    day_one, day_two = FIRST_DAY.isoformat(), (FIRST_DAY + timedelta(days=1)).isoformat()
    assert re.findall(r'<a href="[^"]*day=([\d-]+)[^"]*"( aria-current="page")?>', html) == [
        (day_one, ' aria-current="page"'), (day_two, ""),
    ]  # fmt: skip
    # Day one, rooms as columns: the opening in Atlas, the workshop in Rif; no draft, no day two.
    assert re.findall(r'<h3 id="room-\d+"><bdi>([^<]+)</bdi>', html) == ["Salle Atlas", "Salle Rif"]
    assert _titles(html) == ["Ouverture : la loi 112-12 sur les coopératives", "Atelier : financer une coopérative"]
    assert "Brouillon secret" not in html
    assert ">10:00 – 11:00</time>" in html
    assert ">11:30 – 13:00</time>" in html  # local time
    assert "Conférence inaugurale" in html
    assert "Cadre juridique" in html
    assert "Interprétation assurée" in html
    assert "Langues\u00a0: Arabe, Français" in html
    assert '<span class="role">Intervenant:</span> <bdi>Amina Berrada</bdi>' in html
    assert "30 places restantes" in html
    assert "Inscription obligatoire" in html
    assert "/programme/sessions/" not in html  # no buttons without a ticket
    filtered = await client.get(PAGE, params={"lang": "fr", "track": "public-policy"})
    assert _titles(filtered.text) == ["Atelier : financer une coopérative"]
    tomorrow = await client.get(PAGE, params={"lang": "fr", "day": day_two})
    assert _titles(tomorrow.text) == ["Table ronde : les mutuelles"]
    nonsense = await client.get(PAGE, params={"day": "not-a-day", "track": "x" * 500})
    assert nonsense.status_code == 200  # unknown filters show the first day, every track


async def test_the_arabic_page_is_right_to_left_with_arabic_titles(
    client: httpx.AsyncClient, programme: Programme
) -> None:
    html = (await client.get(PAGE, params={"lang": "ar"})).text
    assert '<html lang="ar" dir="rtl">' in html
    assert _titles(html) == ["الافتتاح: القانون 112-12 المتعلق بالتعاونيات", "ورشة: تمويل تعاونية"]
    assert "برنامج الندوات" in html
    assert "محاضرة افتتاحية" in html
    assert '<span class="role">متدخل:</span> <bdi>أمينة برادة</bdi>' in html  # the Arabic-script name first
    english = (await client.get(PAGE, params={"lang": "en"})).text
    # No English title: the French one, marked as French.
    assert '<bdi lang="fr">Ouverture : la loi 112-12 sur les coopératives</bdi>' in english


async def test_the_json_programme(client: httpx.AsyncClient, programme: Programme) -> None:
    answer = await client.get(PROGRAMME_API, params={"track": "public-policy"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["exhibition"], body["version"], body["time_zone"]) == (SLUG, 1, "Africa/Casablanca")
    assert [room["name"] for room in body["rooms"]] == ["Salle Atlas", "Salle Rif"]
    assert body["tracks"] == [
        {
            "code": "legal-framework",
            "name": {"ar": "الإطار القانوني", "fr": "Cadre juridique", "en": "Legal framework"},
        },
        {
            "code": "public-policy",
            "name": {"ar": "السياسات العمومية", "fr": "Politiques publiques", "en": "Public policy"},
        },
    ]
    [workshop] = body["sessions"]
    assert {key: workshop[key] for key in ("id", "title", "type", "track", "room", "status", "languages",
                                           "needs_registration", "capacity", "registered", "waitlisted", "full")} == {
        "id": programme.workshop, "title": {"ar": "ورشة: تمويل تعاونية", "fr": "Atelier : financer une coopérative"},
        "type": "panel", "track": "public-policy", "room": programme.hall_b, "status": "scheduled",
        "languages": ["ar", "fr"], "needs_registration": True, "capacity": 30, "registered": 0, "waitlisted": 0,
        "full": False,
    }  # fmt: skip
    assert workshop["local_start"] == local(0, 11, 30).astimezone(CASABLANCA).isoformat()
    assert workshop["people"] == [
        {
            "name_ar": "أمينة برادة",
            "name_latin": "Amina Berrada",
            "affiliation": "REMESS",
            "country": None,
            "role": "speaker",
        }
    ]
    day_two = await client.get(PROGRAMME_API, params={"day": local(1, 12).astimezone(CASABLANCA).date().isoformat()})
    assert [one["id"] for one in day_two.json()["sessions"]] == [programme.panel]
    assert (await client.get(PROGRAMME_API, params={"day": "31-31-2027"})).status_code == 422


async def test_edits_stay_private_until_published(
    client: httpx.AsyncClient, programme: Programme, organizer: dict[str, Any]
) -> None:
    await update_session(programme.opening, title_fr="Nouveau titre")
    assert "Nouveau titre" not in (await client.get(PAGE)).text
    await services.publish_programme(slug=SLUG, actor=_actor(organizer), now=NOW, base_url="http://testserver")
    assert "Nouveau titre" in (await client.get(PAGE, params={"lang": "fr"})).text


async def test_a_visitor_stars_and_registers_from_their_programme(
    client: httpx.AsyncClient, programme: Programme, settings: Settings
) -> None:
    salma = await visitor(settings, "Salma", "salma@example.ma", "fr")
    mine = f"/tickets/{salma['access_token']}/programme"
    page = await client.get(mine)
    assert page.status_code == 200
    assert "Bonjour Salma" in page.text  # in the ticket's language
    assert "Aucune séance suivie ni inscription pour l&#39;instant." in page.text
    token = csrf_token(page.text)
    starred = await client.post(
        f"{mine}/sessions/{programme.opening}/star?day={FIRST_DAY.isoformat()}", data={"_csrf_token": token}
    )
    assert starred.status_code in (302, 303)
    assert starred.headers["location"] == f"{mine}?day={FIRST_DAY.isoformat()}#session-{programme.opening}"
    # htmx: the card alone comes back, saying what changed.
    card = await client.post(
        f"{mine}/sessions/{programme.workshop}/register", data={"_csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert card.status_code == 200
    assert card.text.lstrip().startswith(f'<li class="card session-card" id="session-{programme.workshop}">')
    assert "Vous êtes inscrit." in card.text
    mine_now = card.text.split('<section id="mine" class="my-sessions" hx-swap-oob="true">')[1]  # "My sessions" too
    assert "Atelier : financer une coopérative</bdi></a>" in mine_now
    assert "29 places restantes" in card.text
    page = await client.get(mine)
    my_list = page.text.split('id="mine"')[1].split("</section>")[0]
    assert "Ouverture : la loi 112-12" in my_list
    assert "★ Suivie" in my_list
    assert "Atelier : financer une coopérative" in my_list
    assert ">Inscrit<" in my_list
    assert [(row["session"]) for row in await SessionStar.select(SessionStar.session)] == [programme.opening]
    # A refusal is said on the page, in the visitor's language.
    refused = await client.post(f"{mine}/sessions/{programme.opening}/register", data={"_csrf_token": token})
    assert refused.status_code == 409
    assert "Cette séance est ouverte à tous : pas besoin de s&#39;inscrire." in refused.text
    unstarred = await client.post(f"{mine}/sessions/{programme.opening}/unstar", data={"_csrf_token": token})
    assert unstarred.status_code in (302, 303)
    cancelled = await client.post(f"{mine}/sessions/{programme.workshop}/cancel", data={"_csrf_token": token})
    assert cancelled.status_code in (302, 303)
    assert await SessionStar.count() == 0
    assert await SessionRegistration.count() == 0
    assert (await client.get("/tickets/no-such-token/programme")).status_code == 404


async def test_a_room_shows_full_once_its_door_has_scanned_in_as_many_as_it_seats(
    client: httpx.AsyncClient, programme: Programme, organizer: dict[str, Any], settings: Settings
) -> None:
    small = await room(programme.exhibition, "Salle Tafilalet", 3)
    await session(
        programme.exhibition, track_id=programme.policy, room_id=small, starts_at=local(0, 14),
        title_fr="Atelier : vendre en ligne",
    )  # fmt: skip
    await services.publish_programme(slug=SLUG, actor=_actor(organizer), now=NOW, base_url="http://testserver")
    device = await client.post(f"/api/v1/exhibitions/{SLUG}/devices", json={"name": "Porte Tafilalet"},
                               headers=organizer["headers"])  # fmt: skip
    scanner = {"Authorization": f"Bearer {device.json()['token']}"}
    door = await checkpoint_of(small)
    people = [await visitor(settings, f"Visiteur {n}", f"v{n}@example.ma") for n in range(4)]

    async def scan(one: dict[str, Any]) -> str:
        answer = await client.post(
            "/api/v1/checkins", json={"code": one["code"], "checkpoint": door, "scanned_at": NOON.isoformat()},
            headers=scanner,
        )  # fmt: skip
        assert answer.status_code == 200, answer.text
        return str(answer.json()["result"])

    def tafilalet(rooms: list[dict[str, Any]]) -> tuple[int, bool]:
        found = next(one for one in rooms if one["id"] == small)
        return found["inside"], found["full"]

    assert [await scan(one) for one in people[:2]] == ["admitted", "admitted"]
    assert tafilalet((await client.get(f"{PROGRAMME_API}/rooms")).json()) == (2, False)
    fragment = await client.get(f"{PAGE}/rooms", params={"lang": "fr"})
    assert 'hx-trigger="every 5s"' in fragment.text
    assert "Salle pleine" not in fragment.text
    assert await scan(people[2]) == "admitted"
    assert tafilalet((await client.get(f"{PROGRAMME_API}/rooms")).json()) == (3, True)
    fragment = await client.get(f"{PAGE}/rooms", params={"lang": "fr"})
    assert re.search(
        rf'data-room="{small}">\s*<bdi>Salle Tafilalet</bdi>\xa0:\s*<strong>Salle pleine</strong>', fragment.text
    )
    assert await scan(people[3]) == "capacity_reached"  # the door turns the fourth away

    # The door staff's view (organizers), polled by htmx.
    await _login(client, organizer["email"], ORGANIZER_PASSWORD)
    doors = await client.get(f"/organize/exhibitions/{SLUG}/programme/doors", params={"lang": "ar"})
    assert doors.status_code == 200
    assert 'hx-get="/organize/exhibitions/sess-2027/programme/doors/live"' in doors.text
    card = doors.text.split(f'data-room="{small}"')[1].split("</li>")[0]
    assert "القاعة ممتلئة" in card
    assert '<strong class="door-inside">3</strong> / 3' in card
    live = await client.get(f"/organize/exhibitions/{SLUG}/programme/doors/live", params={"lang": "fr"})
    assert "Salle pleine" in live.text
    left = await client.post(
        "/api/v1/checkins", json={"code": people[0]["code"], "checkpoint": door, "scanned_at": NOON.isoformat(),
                                  "direction": "out"}, headers=scanner,
    )  # fmt: skip
    assert left.json()["result"] == "exited"
    assert tafilalet((await client.get(f"{PROGRAMME_API}/rooms")).json()) == (2, False)


async def test_the_organizers_publish_from_their_page(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    await usual_programme(exhibition)
    await _login(client, organizer["email"], ORGANIZER_PASSWORD)
    page = await client.get(f"/organize/exhibitions/{SLUG}/programme/versions", params={"lang": "fr"})
    assert "Pas encore publié" in page.text
    published = await client.post(
        f"/organize/exhibitions/{SLUG}/programme/versions", data={"_csrf_token": csrf_token(page.text)}
    )
    assert published.status_code == 200
    assert "La version 1 est publiée." in published.text
    again = await client.post(
        f"/organize/exhibitions/{SLUG}/programme/versions", data={"_csrf_token": csrf_token(page.text)}
    )
    assert "Rien n&#39;a changé depuis la version 1" in again.text


async def test_the_doors_are_for_the_exhibitions_organizers_and_gate_staff(
    client: httpx.AsyncClient, programme: Programme
) -> None:
    doors = f"/organize/exhibitions/{SLUG}/programme/doors"
    for email, role in (("porte@example.ma", RoleName.gate_staff), ("lecteur@example.ma", RoleName.reviewer)):
        user_id = await account_services.create_user(email=email, password="staff-password-1", now=NOW)
        await account_services.grant_role(user_id=user_id, role=role, now=NOW, exhibition_id=programme.exhibition)
    assert (await client.get(doors)).status_code in (302, 303, 401)  # to the login page
    await _login(client, "porte@example.ma", "staff-password-1")
    answer = await client.get(doors, params={"lang": "fr"})
    assert answer.status_code == 200
    assert "Salle Rif" in answer.text
    assert (await client.post(f"/organize/exhibitions/{SLUG}/programme/versions", data={
        "_csrf_token": csrf_token(answer.text)})).status_code == 403  # publishing is the organizers'  # fmt: skip
    await client.post("/logout", data={"_csrf_token": csrf_token(answer.text)})
    await _login(client, "lecteur@example.ma", "staff-password-1")
    assert (await client.get(doors)).status_code == 403


async def _login(client: httpx.AsyncClient, email: str, password: str) -> None:
    login = await client.post(
        "/login",
        data={"email": email, "password": password, "_csrf_token": csrf_token((await client.get("/login")).text)},
    )
    assert login.status_code in (302, 303)


async def test_a_visitors_calendar_holds_their_starred_and_registered_sessions_and_follows_changes(
    client: httpx.AsyncClient, programme: Programme, settings: Settings, organizer: dict[str, Any]
) -> None:
    salma = await visitor(settings, "Salma", "salma@example.ma", "fr")
    api = f"/api/v1/tickets/{salma['access_token']}"
    await client.put(f"{api}/stars/{programme.opening}")
    await client.put(f"{api}/registrations/{programme.workshop}")
    calendar_url = f"/tickets/{salma['access_token']}/programme.ics"
    answer = await client.get(calendar_url)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["cache-control"] == "private, no-store"
    calendar = Calendar.from_ical(answer.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert sorted(events) == ["Atelier : financer une coopérative", "Ouverture : la loi 112-12 sur les coopératives"]
    workshop = events["Atelier : financer une coopérative"]
    assert workshop.decoded("dtstart") == local(0, 11, 30)
    assert str(workshop["location"]).startswith("Salle Rif")
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Africa/Casablanca"
    first_sequence, uid = int(workshop["sequence"]), str(workshop["uid"])

    # Moved and published: the same event (UID), a higher SEQUENCE, the new time.
    await update_session(programme.workshop, ends_at=local(0, 16, 30), starts_at=local(0, 15))
    await services.publish_programme(slug=SLUG, actor=_actor(organizer), now=NOW, base_url="http://testserver")
    moved = {
        str(event["uid"]): event
        for event in Calendar.from_ical((await client.get(calendar_url)).content).walk("VEVENT")
    }[uid]
    assert moved.decoded("dtstart") == local(0, 15)
    assert int(moved["sequence"]) > first_sequence
    assert (await client.get("/tickets/no-such-token/programme.ics")).status_code == 404
