"""The speakers' e-mails, delivered to a real SMTP server on loopback in each person's
language: the invitation with their link, the nudges, and the reminders before a session."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.notifications.services import deliver_due, preview_reminders
from exhibitions.notifications.tables import Outbox
from exhibitions.seminars.links import expiry_for
from exhibitions.seminars.services import _speakers as speakers
from exhibitions.seminars.tables import SeminarSession
from exhibitions.settings import Settings
from exhibitions.web.i18n import Translator
from tests.notifications.conftest import Mailbox, mailbox, smtp_server  # noqa: F401 - fixtures
from tests.seminars.speakers_data import Programme, programme

BASE = "http://testserver"
LRI, PDI = "\u2066", "\u2069"


def _organizer(organizer: dict[str, Any]) -> Actor:
    return Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))


def _plain(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _html(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("html",))
    assert body is not None
    return str(body.get_content())


async def _deliver(server: Mailbox, now: datetime) -> dict[str, EmailMessage]:
    """Send what is due; the messages received, by recipient."""
    server.messages.clear()
    await deliver_due(now=now, smtp=server.smtp, base_url=BASE)
    return {str(message["To"]): message for message in server.messages}


async def _link_url(settings: Settings, person: int, language: str, now: datetime) -> str:
    token = await speakers.speaker_link(person_id=person, secret_key=settings.secret_key, now=now)
    return f"{BASE}/speakers/{token}?lang={language}"


async def _invite(organizer: dict[str, Any], settings: Settings, now: datetime) -> int:
    return await speakers.invite_people(
        slug="sess-2027", actor=_organizer(organizer), now=now, secret_key=settings.secret_key, base_url=BASE
    )


async def _tick(settings: Settings, now: datetime) -> speakers.QueuedMessages:
    return await speakers.queue_speaker_messages(now=now, secret_key=settings.secret_key, base_url=BASE)


async def test_each_person_is_invited_in_their_language_once_per_link(
    exhibition: int,
    organizer: dict[str, Any],
    settings: Settings,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    p = await programme(exhibition)
    now = p.starts["opening"] - timedelta(days=30)
    assert await _invite(organizer, settings, now) == 3
    received = await _deliver(mailbox, now)
    assert sorted(received) == ["amina@univ.ma", "claire@ess.fr", "john@coop.org"]

    amina = received["amina@univ.ma"]
    # The outbox holds the subject as written; a long Arabic subject loses a space in
    # Python's header folding on its way out (see the lane report), so compare it there.
    subjects = {
        row["recipient"]: row["subject_line"] for row in await Outbox.select(Outbox.recipient, Outbox.subject_line)
    }
    assert subjects["amina@univ.ma"] == "المرجو تأكيد جلساتكم في المعرض الوطني للاقتصاد الاجتماعي والتضامني"
    amina_url = await _link_url(settings, p.people["amina"], "ar", now)
    assert _plain(amina) == (
        "مرحبا أمينة برادة،\n"
        "\n"
        "أدرجكم منظمو المعرض الوطني للاقتصاد الاجتماعي والتضامني في الجلسات التالية:\n"
        "\n"
        "- الإطار القانوني للاقتصاد التضامني (متدخل)\n"
        f"  الجمعة، 7 ماي 2027، {LRI}10:00 – 11:30{PDI}\n"
        "  Salle Ibn Khaldoun، Pavillon A، Parc des expositions OLM Souissi، Rabat\n"
        "\n"
        "- ورشة التعاونيات النسائية (متدخل)\n"
        f"  الجمعة، 7 ماي 2027، {LRI}15:00 – 16:00{PDI}\n"
        "  Atelier 2، Pavillon B، Parc des expositions OLM Souissi، Rabat\n"
        "\n"
        "المواعيد بالتوقيت المحلي للمعرض (Africa/Casablanca).\n"
        "\n"
        "لكل جلسة، أكدوا حضوركم أو اطلبوا موعدا آخر أو اعتذروا، في صفحتكم:\n"
        f"{amina_url}\n"
        "\n"
        f"هذا الرابط خاص بكم وحدكم. يفتح صفحتكم إلى غاية {_expiry_ar(p)}.\n"
    )
    assert '<html lang="ar" dir="rtl">' in _html(amina)
    assert f'href="{amina_url}"' in _html(amina)

    claire = received["claire@ess.fr"]
    assert claire["Subject"] == "Merci de confirmer vos séances – Salon national de l'économie sociale et solidaire"
    claire_url = await _link_url(settings, p.people["claire"], "fr", now)
    assert _plain(claire).startswith(
        "Bonjour Claire Dubois,\n"
        "\n"
        "Les organisateurs de « Salon national de l'économie sociale et solidaire » vous ont inscrit aux séances"
        " suivantes :\n"
        "\n"
        "- Le cadre juridique de l'économie solidaire (Modérateur)\n"
        "  vendredi 7 mai 2027, 10:00 – 11:30\n"
        "  Salle Ibn Khaldoun, Pavillon A, Parc des expositions OLM Souissi, Rabat\n"
        "\n"
        "Horaires à l'heure locale du salon (Africa/Casablanca).\n"
        "\n"
        "Pour chaque séance, confirmez, demandez un autre horaire ou déclinez sur votre page :\n"
        f"{claire_url}\n"
    )
    john = received["john@coop.org"]
    assert john["Subject"] == "Please confirm your sessions at National Exhibition of the Social and Solidarity Economy"
    assert "- Atelier des coopératives de femmes (Discussant)\n  Friday, May 7, 2027, 15:00 – 16:00\n" in _plain(john)

    # Inviting again reaches no one: each link is sent once.
    assert await _invite(organizer, settings, now + timedelta(hours=1)) == 0
    # A re-issued link is sent, and only it.
    reissued = await speakers.reissue_link(
        slug="sess-2027", person_id=p.people["claire"], actor=_organizer(organizer), now=now,
        secret_key=settings.secret_key,
    )  # fmt: skip
    assert await _invite(organizer, settings, now + timedelta(hours=2)) == 1
    again = await _deliver(mailbox, now + timedelta(hours=2))
    assert list(again) == ["claire@ess.fr"]
    assert f"{BASE}/speakers/{reissued}?lang=fr" in _plain(again["claire@ess.fr"])
    assert claire_url not in _plain(again["claire@ess.fr"])


def _expiry_ar(p: Programme) -> str:
    return Translator("ar").date(expiry_for(p.last_day))


async def test_people_who_have_not_answered_get_two_nudges_three_days_apart(
    exhibition: int,
    organizer: dict[str, Any],
    settings: Settings,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    p = await programme(exhibition)
    invited = p.starts["opening"] - timedelta(days=30)
    await _invite(organizer, settings, invited)
    await _deliver(mailbox, invited)
    # John answers; Amina confirms one of her two sessions and still owes an answer.
    await speakers.respond(
        session_person_id=p.appearances[("john", "workshop")], person_id=p.people["john"], response="declined",
        message="", now=invited,
    )  # fmt: skip
    await speakers.respond(
        session_person_id=p.appearances[("amina", "opening")], person_id=p.people["amina"], response="confirmed",
        message="", now=invited,
    )  # fmt: skip
    assert await _tick(settings, invited + timedelta(days=3) - timedelta(minutes=1)) == speakers.QueuedMessages()
    first = invited + timedelta(days=3)
    assert await _tick(settings, first) == speakers.QueuedMessages(nudges=2)
    assert await _tick(settings, first) == speakers.QueuedMessages()  # the job runs again: nothing more
    nudged = await _deliver(mailbox, first)
    assert sorted(nudged) == ["amina@univ.ma", "claire@ess.fr"]
    claire = nudged["claire@ess.fr"]
    assert claire["Subject"] == (
        "Rappel : merci de répondre pour vos séances – Salon national de l'économie sociale et solidaire"
    )
    assert _plain(claire) == (
        "Bonjour Claire Dubois,\n"
        "\n"
        "Nous n'avons pas encore votre réponse pour ces séances de « Salon national de l'économie sociale et"
        " solidaire » :\n"
        "\n"
        "- Le cadre juridique de l'économie solidaire (Modérateur)\n"
        "  vendredi 7 mai 2027, 10:00 – 11:30\n"
        "  Salle Ibn Khaldoun, Pavillon A, Parc des expositions OLM Souissi, Rabat\n"
        "\n"
        "Horaires à l'heure locale du salon (Africa/Casablanca).\n"
        "\n"
        "Pour chaque séance, confirmez, demandez un autre horaire ou déclinez sur votre page :\n"
        f"{await _link_url(settings, p.people['claire'], 'fr', first)}\n"
    )
    # Amina is nudged about the session she has not answered, not the one she confirmed.
    assert "ورشة التعاونيات النسائية" in _plain(nudged["amina@univ.ma"])
    assert "الإطار القانوني للاقتصاد التضامني" not in _plain(nudged["amina@univ.ma"])

    assert await _tick(settings, first + timedelta(days=3) - timedelta(minutes=1)) == speakers.QueuedMessages()
    await speakers.respond(
        session_person_id=p.appearances[("amina", "workshop")], person_id=p.people["amina"], response="confirmed",
        message="", now=first,
    )  # fmt: skip
    assert await _tick(settings, first + timedelta(days=3)) == speakers.QueuedMessages(nudges=1)
    assert list(await _deliver(mailbox, first + timedelta(days=3))) == ["claire@ess.fr"]
    # Two nudges at most.
    assert await _tick(settings, first + timedelta(days=9)) == speakers.QueuedMessages()
    assert await Outbox.count().where(Outbox.rule == "speaker_nudge") == 3


async def test_reminders_leave_seven_days_one_day_and_two_hours_before_once_each(
    exhibition: int,
    settings: Settings,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    p = await programme(exhibition)
    opening = p.starts["opening"]
    await speakers.respond(
        session_person_id=p.appearances[("john", "workshop")], person_id=p.people["john"], response="declined",
        message="", now=opening - timedelta(days=20),
    )  # fmt: skip
    # Nothing a minute before the first offset of the opening session.
    assert await _tick(settings, opening - timedelta(days=7, minutes=1)) == speakers.QueuedMessages()
    # At 7 days: Amina and Claire for the opening; the workshop's 7 days come 5 hours later.
    assert await _tick(settings, opening - timedelta(days=7)) == speakers.QueuedMessages(reminders=2)
    assert await _tick(settings, opening - timedelta(days=7)) == speakers.QueuedMessages()  # twice: sends once
    assert sorted(await _deliver(mailbox, opening - timedelta(days=7))) == ["amina@univ.ma", "claire@ess.fr"]
    assert await _deliver(mailbox, opening - timedelta(days=7)) == {}
    # John declined: only Amina for the workshop.
    assert await _tick(settings, p.starts["workshop"] - timedelta(days=7)) == speakers.QueuedMessages(reminders=1)

    one_day = await _tick(settings, opening - timedelta(days=1))
    assert one_day == speakers.QueuedMessages(reminders=2)
    received = await _deliver(mailbox, opening - timedelta(days=1))
    claire = received["claire@ess.fr"]
    assert (
        claire["Subject"] == "Rappel : Le cadre juridique de l'économie solidaire, vendredi 7 mai 2027, 10:00 – 11:30"
    )
    assert _plain(claire) == (
        "Bonjour Claire Dubois,\n"
        "\n"
        "Votre séance approche (Salon national de l'économie sociale et solidaire) :\n"
        "\n"
        "- Le cadre juridique de l'économie solidaire (Modérateur)\n"
        "  vendredi 7 mai 2027, 10:00 – 11:30\n"
        "  Salle Ibn Khaldoun, Pavillon A, Parc des expositions OLM Souissi, Rabat\n"
        "\n"
        "Horaires à l'heure locale du salon (Africa/Casablanca).\n"
        "\n"
        "Votre page, pour modifier votre réponse :\n"
        f"{await _link_url(settings, p.people['claire'], 'fr', opening)}\n"
    )
    # Two hours before the opening: its 2-hour reminders, and Amina's day-before for the workshop.
    assert await _tick(settings, opening - timedelta(hours=2)) == speakers.QueuedMessages(reminders=3)
    assert await _tick(settings, opening - timedelta(hours=2) + timedelta(minutes=1)) == speakers.QueuedMessages()
    await _deliver(mailbox, opening - timedelta(hours=2))
    assert len(mailbox.messages) == 3
    assert await _tick(settings, opening) == speakers.QueuedMessages()  # started: no more

    # A session moved later gets its reminders again, at the new time; the old ones are not resent.
    moved = p.starts["workshop"] + timedelta(days=1)
    await SeminarSession.update(
        {SeminarSession.starts_at: moved, SeminarSession.ends_at: moved + timedelta(hours=1)}
    ).where(SeminarSession.id == p.sessions["workshop"])
    assert await _tick(settings, moved - timedelta(days=1)) == speakers.QueuedMessages(reminders=1)
    received = await _deliver(mailbox, moved - timedelta(days=1))
    assert list(received) == ["amina@univ.ma"]
    assert "السبت، 8 ماي 2027" in _plain(received["amina@univ.ma"])
    occurrences = sorted(
        row["occurrence"]
        for row in await Outbox.select(Outbox.occurrence).where(Outbox.recipient == "amina@univ.ma")
        if row["occurrence"].startswith(f"session:{p.sessions['workshop']}:")
    )
    workshop = p.sessions["workshop"]
    assert occurrences == [
        f"session:{workshop}:1d:20270507T1400Z",
        f"session:{workshop}:1d:20270508T1400Z",
        f"session:{workshop}:7d:20270507T1400Z",
    ]


async def test_invitations_nudges_and_reminders_racing_each_other_queue_each_message_once(
    exhibition: int, organizer: dict[str, Any], settings: Settings
) -> None:
    p = await programme(exhibition)
    invited = p.starts["opening"] - timedelta(days=8)
    # Two organizers press "invite" at once: three invitations, not six.
    assert sorted(await asyncio.gather(*(_invite(organizer, settings, invited) for _ in range(2)))) == [0, 3]
    # Four schedulers tick at once, three days later: three nudges and, five days before
    # the sessions, the 7-day reminder of each of the four appearances, each once.
    ticks = await asyncio.gather(*(_tick(settings, invited + timedelta(days=3)) for _ in range(4)))
    assert sum(tick.nudges for tick in ticks) == 3
    assert sum(tick.reminders for tick in ticks) == 4
    counts = {rule: await Outbox.count().where(Outbox.rule == rule) for rule in speakers.RULES}
    assert counts == {"speaker_invited": 3, "speaker_nudge": 3, "session_reminder": 4}


async def test_the_reminders_page_shows_what_speakers_and_moderators_get_with_a_sample_link(
    exhibition: int, organizer: dict[str, Any]
) -> None:
    p = await programme(exhibition)
    now = p.starts["opening"] - timedelta(days=30)
    previews = {
        preview.rule.name: preview
        for preview in await preview_reminders(slug="sess-2027", actor=_organizer(organizer), now=now, base_url=BASE)
    }
    speaker = previews["speaker_session_7d"].samples
    # The first speaker is Amina (her first session, the opening), shown in every language.
    assert sorted(speaker) == ["ar", "en", "fr"]
    assert "Amina Berrada" in speaker["fr"].text
    assert "أمينة برادة" in speaker["ar"].text
    assert "Le cadre juridique de l'économie solidaire" in speaker["fr"].text
    assert f"{BASE}/speakers/{speakers.SAMPLE_TOKEN}?lang=en" in speaker["en"].text
    moderator = previews["moderator_session_1d"].samples
    assert "Claire Dubois" in moderator["fr"].text
    # Nobody has answered yet: the nudge lists the person's sessions awaiting an answer.
    nudge = previews["speaker_unconfirmed"].samples
    assert "Amina Berrada" in nudge["en"].text
    assert "Atelier des coopératives de femmes" in nudge["fr"].text
    # No token reached the outbox or a real link: the sample opens nothing.
    assert await Outbox.count() == 0
