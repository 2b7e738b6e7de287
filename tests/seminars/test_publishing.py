"""Publishing the programme as versions, and telling everyone affected what changed: the
session's people, its registered visitors and those who starred it, each in their language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from exhibitions.accounts import services as account_services
from exhibitions.accounts.tables import TokenKind
from exhibitions.clock import utcnow
from exhibitions.notifications.services import deliver_due
from exhibitions.notifications.tables import Outbox
from exhibitions.seminars import services
from exhibitions.seminars.attendance_tables import ProgrammeVersion
from exhibitions.settings import Settings
from tests.conftest import NOW
from tests.factories import FIRST_DAY
from tests.notifications.conftest import Mailbox, mailbox, smtp_server  # noqa: F401 - fixtures
from tests.seminars.attendance_data import (
    PROGRAMME_API,
    Programme,
    local,
    update_session,
    usual_programme,
    visitor,
)

VERSIONS = f"{PROGRAMME_API}/versions"
BASE_URL = "http://testserver"
T0 = datetime(2027, 5, 7, 9, tzinfo=UTC)


def _snapshot(
    *sessions: dict[str, Any], rooms: tuple[tuple[int, str], ...] = ((1, "Atlas"), (2, "Rif"))
) -> dict[str, Any]:
    return {"rooms": [{"id": id_, "name": name} for id_, name in rooms], "tracks": [], "sessions": list(sessions)}


def _session(id_: int, start: datetime, room: int | None = 1, status: str = "scheduled") -> dict[str, Any]:
    return {
        "id": id_, "title": {"fr": f"Séance {id_}"}, "room": room, "status": status,
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
    }  # fmt: skip


def test_changes_are_moves_room_changes_and_cancellations_of_what_was_published() -> None:
    old = _snapshot(
        _session(1, T0), _session(2, T0, room=2), _session(3, T0), _session(4, T0), _session(5, T0, status="cancelled"),
        _session(6, T0),
    )  # fmt: skip
    new = _snapshot(
        _session(1, T0 + timedelta(hours=2)),  # moved
        _session(2, T0, room=None),  # out of its room
        _session(3, T0, status="cancelled"),
        # 4 withdrawn (deleted, or back to draft): cancelled for whoever followed it
        _session(5, T0, status="cancelled"),  # cancelled before: nothing new
        _session(6, T0),  # unchanged
        _session(7, T0),  # new: nobody followed it yet
    )
    assert services.snapshot_changes(old, new) == [
        services.SessionChange(
            1, {"fr": "Séance 1"}, old_starts_at=T0, old_ends_at=T0 + timedelta(hours=1),
            new_starts_at=T0 + timedelta(hours=2), new_ends_at=T0 + timedelta(hours=3),
        ),
        services.SessionChange(2, {"fr": "Séance 2"}, room_changed=True, old_room="Rif", new_room=""),
        services.SessionChange(3, {"fr": "Séance 3"}, cancelled=True),
        services.SessionChange(4, {"fr": "Séance 4"}, cancelled=True),
    ]  # fmt: skip
    assert services.snapshot_changes(None, new) == []  # a first version changes nothing


async def test_publishing_stores_a_version_and_publishing_again_unchanged_stores_none(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    made = await usual_programme(exhibition)
    assert (await client.get(PROGRAMME_API)).status_code == 404  # nothing public before a first version
    first = await client.post(VERSIONS, headers=organizer["headers"])
    assert first.status_code == 201
    assert {key: value for key, value in first.json().items() if key != "published_at"} == {
        "number": 1, "created": True, "sessions": 3, "changes": 0, "notices": 0,
    }  # fmt: skip
    again = await client.post(VERSIONS, headers=organizer["headers"])
    assert again.status_code == 200
    assert (again.json()["number"], again.json()["created"]) == (1, False)
    await update_session(made.opening, abstract_fr="Ce que la loi 112-12 change.")
    second = await client.post(VERSIONS, headers=organizer["headers"])
    assert (second.status_code, second.json()["number"], second.json()["changes"]) == (201, 2, 0)
    listed = await client.get(VERSIONS, headers=organizer["headers"])
    assert [(row["number"], row["published_by"]) for row in listed.json()] == [
        (2, organizer["email"]), (1, organizer["email"]),
    ]  # fmt: skip
    assert await ProgrammeVersion.count() == 2
    assert await Outbox.count() == 0


async def test_only_the_exhibitions_organizers_publish(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    await usual_programme(exhibition)
    user_id = await account_services.create_user(email="visitor@example.ma", password="visitor-password-1", now=NOW)
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    refused = await client.post(VERSIONS, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    assert (await client.post(VERSIONS)).status_code == 401
    assert (
        await client.post("/api/v1/exhibitions/no-such/programme/versions", headers=organizer["headers"])
    ).status_code == 404
    assert await ProgrammeVersion.count() == 0


async def _follow(client: httpx.AsyncClient, settings: Settings, made: Programme) -> dict[str, dict[str, Any]]:
    """Visitors: Salma (fr) registers for the workshop, Karim (ar) stars it and the opening,
    Nadia (fr) stars the panel, Omar (no e-mail) registers for the workshop."""
    people = {
        "salma": await visitor(settings, "Salma", "salma@example.ma", "fr"),
        "karim": await visitor(settings, "Karim", "karim@example.ma", "ar"),
        "nadia": await visitor(settings, "Nadia", "nadia@example.ma", "fr"),
        "omar": await visitor(settings, "Omar", None, phone="+212 6 12 34 56 78"),
    }
    api = "/api/v1/tickets/{}/{}/{}"
    for name, kind, session_id in (
        ("salma", "registrations", made.workshop), ("karim", "stars", made.workshop), ("karim", "stars", made.opening),
        ("nadia", "stars", made.panel), ("omar", "registrations", made.workshop),
    ):  # fmt: skip
        answer = await client.put(api.format(people[name]["access_token"], kind, session_id))
        assert answer.status_code in (200, 201), answer.text
    return people


async def test_a_moved_a_re_roomed_and_a_cancelled_session_are_told_to_everyone_affected_in_their_language(
    client: httpx.AsyncClient,
    exhibition: int,
    organizer: dict[str, Any],
    settings: Settings,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    made = await usual_programme(exhibition)
    await client.post(VERSIONS, headers=organizer["headers"])
    people = await _follow(client, settings, made)
    # The workshop moves from 11:30 to 15:00 and to the Atlas room; the opening is unchanged;
    # the panel (tomorrow) is cancelled.
    await update_session(made.workshop, ends_at=local(0, 16, 30), starts_at=local(0, 15), room=made.hall_a)
    await update_session(made.panel, status="cancelled")
    published = await client.post(VERSIONS, headers=organizer["headers"])
    assert published.status_code == 201
    assert {key: published.json()[key] for key in ("number", "changes", "notices")} == {
        "number": 2, "changes": 2, "notices": 5,
    }  # fmt: skip
    rows = await Outbox.raw("SELECT recipient, subject_key, occurrence, language, rule FROM outbox ORDER BY id")
    assert [(row["recipient"], row["subject_key"], row["occurrence"], row["language"]) for row in rows] == [
        # The workshop: its speaker, then Salma (registered) and Karim (starred); Omar has no e-mail.
        ("amina@remess.ma", f"seminar_session:{made.workshop}", f"{made.workshop}:2", "fr"),
        ("salma@example.ma", f"seminar_session:{made.workshop}", f"{made.workshop}:2", "fr"),
        ("karim@example.ma", f"seminar_session:{made.workshop}", f"{made.workshop}:2", "ar"),
        # The panel: its moderator (Arabic), and Nadia who starred it.
        ("youssef@remess.ma", f"seminar_session:{made.panel}", f"{made.panel}:2", "ar"),
        ("nadia@example.ma", f"seminar_session:{made.panel}", f"{made.panel}:2", "fr"),
    ]
    assert {row["rule"] for row in rows} == {"session_changed"}

    report = await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url=BASE_URL)
    assert report.sent == 5
    messages = {(message["To"], message["Subject"]): message for message in mailbox.messages}
    day = FIRST_DAY
    french_day = _french_date(day)

    salma = messages[("salma@example.ma", "Changement de programme : Atelier : financer une coopérative")]
    assert _text(salma) == (
        "Bonjour,\n"
        "\n"
        "La séance « Atelier : financer une coopérative » du Salon national de l'économie sociale et solidaire a"
        " changé.\n"
        "\n"
        f"Horaire\u00a0: {french_day}, \u206611:30 – 13:00\u2069 → {french_day}, \u206615:00 – 16:30\u2069\n"
        "\n"
        "Salle\u00a0: Salle Rif → Salle Atlas\n"
        "\n"
        "Horaires à l'heure locale du salon (Africa/Casablanca).\n"
        "\n"
        "Voir le programme :\n"
        f"{BASE_URL}/tickets/{people['salma']['access_token']}/programme?lang=fr\n"
    )
    karim = messages[("karim@example.ma", "تغيير في البرنامج: ورشة: تمويل تعاونية")]
    arabic_day = _arabic_date(day)
    assert _text(karim) == (
        "مرحبا،\n"
        "\n"
        "تغيّرت جلسة «ورشة: تمويل تعاونية» في المعرض الوطني للاقتصاد الاجتماعي والتضامني.\n"
        "\n"
        f"الموعد: {arabic_day}، \u206611:30 – 13:00\u2069 → {arabic_day}، \u206615:00 – 16:30\u2069\n"
        "\n"
        "القاعة: Salle Rif → Salle Atlas\n"
        "\n"
        "المواعيد بالتوقيت المحلي للمعرض (Africa/Casablanca).\n"
        "\n"
        "الاطلاع على البرنامج:\n"
        f"{BASE_URL}/tickets/{people['karim']['access_token']}/programme?lang=ar\n"
    )
    assert 'dir="rtl"' in karim.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    speaker = messages[("amina@remess.ma", "Changement de programme : Atelier : financer une coopérative")]
    assert _text(speaker).endswith(f"{BASE_URL}/exhibitions/sess-2027/programme?lang=fr\n")
    youssef = messages[("youssef@remess.ma", "إلغاء: مائدة مستديرة: التعاضديات")]
    assert _text(youssef).startswith(
        "مرحبا،\n\nأُلغيت جلسة «مائدة مستديرة: التعاضديات» في المعرض الوطني للاقتصاد الاجتماعي والتضامني.\n\n"
    )
    nadia = messages[("nadia@example.ma", "Annulée : Table ronde : les mutuelles")]
    assert "La séance « Table ronde : les mutuelles » du Salon national" in _text(nadia)

    # Publishing the same programme again tells nobody anything.
    again = await client.post(VERSIONS, headers=organizer["headers"])
    assert (again.status_code, again.json()["number"], again.json()["notices"]) == (200, 2, 0)
    assert await Outbox.count() == 5


def _text(message: Any) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[no-any-return]


def _french_date(day: Any) -> str:
    from exhibitions.web.i18n import Translator

    return Translator("fr").date(day)


def _arabic_date(day: Any) -> str:
    from exhibitions.web.i18n import Translator

    return Translator("ar").date(day)
