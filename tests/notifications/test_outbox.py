"""The outbox end to end: registration queues the ticket e-mail once, delivery sends it by
SMTP to a real server on loopback, retries with backoff, gives up, and never sends twice."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.notifications import services
from exhibitions.notifications.emails import Attachment, RenderedEmail
from exhibitions.notifications.services import DeliveryReport, deliver_due, enqueue, retry_delay
from exhibitions.notifications.tables import Outbox
from exhibitions.settings import Settings, SmtpSettings
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.services import register_visitor, replace_ticket
from exhibitions.tickets.tables import Ticket
from exhibitions.web.i18n import Translator
from tests.factories import FIRST_DAY, LAST_DAY
from tests.notifications.conftest import SENDER, Mailbox

URL = "/api/v1/exhibitions/sess-2027/tickets"
BASE_URL = "http://testserver"


def visitor(**overrides: Any) -> dict[str, Any]:
    return {"name": "Fatima Zahra", "email": "Fatima@Example.ma", "home_region": "MA-06", **overrides}


async def register(settings: Settings, now: datetime, **overrides: Any) -> dict[str, Any]:
    data = RegistrationIn(**visitor(**overrides))
    view, _ = await register_visitor(slug="sess-2027", data=data, secret_key=settings.secret_key, now=now)
    return view.row


async def outbox_rows() -> list[dict[str, Any]]:
    return await Outbox.select().order_by(Outbox.id)  # type: ignore[no-any-return]


def deliver(smtp: SmtpSettings, now: datetime, limit: int = 50) -> Any:
    return deliver_due(now=now, smtp=smtp, base_url=BASE_URL, limit=limit)


async def test_registering_with_an_email_queues_exactly_one_message(client: httpx.AsyncClient, exhibition: int) -> None:
    before = utcnow()
    response = await client.post(URL, json=visitor(language="en"))
    assert response.status_code == 201
    ticket = await Ticket.select(Ticket.id).first()
    [row] = await outbox_rows()
    created_at = row.pop("created_at")
    assert before <= created_at <= utcnow()
    assert row == {
        "id": row["id"],
        "exhibition": exhibition,
        "rule": "ticket_issued",
        "channel": "email",
        "recipient": "fatima@example.ma",
        "subject_key": f"ticket:{ticket['id']}",
        "occurrence": "",
        "language": "en",
        "subject_line": None,
        "text_body": None,
        "html_body": None,
        "attachment": None,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": created_at,
        "claimed_at": None,
        "sent_at": None,
        "last_error": None,
    }


async def test_registering_the_same_email_twice_queues_once(client: httpx.AsyncClient, exhibition: int) -> None:
    responses = await asyncio.gather(*(client.post(URL, json=visitor(email=e)) for e in ["a@x.ma", "A@X.ma"] * 3))
    assert sorted(response.status_code for response in responses) == [200] * 5 + [201]
    assert [(row["recipient"], row["status"]) for row in await outbox_rows()] == [("a@x.ma", "pending")]


async def test_a_replacement_ticket_is_emailed_with_its_new_code(
    settings: Settings, organizer: dict[str, Any], exhibition: int, mailbox: Mailbox
) -> None:
    now = utcnow()
    old = await register(settings, now)
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    new = await replace_ticket(
        slug="sess-2027", ticket_id=old["id"], actor=actor, secret_key=settings.secret_key, now=now
    )
    assert [(row["subject_key"], row["recipient"]) for row in await outbox_rows()] == [
        (f"ticket:{old['id']}", "fatima@example.ma"),
        (f"ticket:{new.row['id']}", "fatima@example.ma"),
    ]
    # The first e-mail had not left yet: the cancelled ticket's is dropped, the new one's goes.
    assert await deliver(mailbox.smtp, now) == DeliveryReport(claimed=2, sent=1, failed=1)
    [message] = mailbox.messages
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    assert f"Code manuel\u00a0: {new.row['manual_code']}\n" in text.get_content()


async def test_a_group_emails_its_leader_once_and_its_members_nothing(
    client: httpx.AsyncClient, exhibition: int, mailbox: Mailbox
) -> None:
    leader = {"name": "Khadija", "email": "Coop@Example.ma", "home_region": "MA-09", "language": "ar"}
    body = {"leader": leader, "members": [{"name": "Brahim"}, {"name": "Zineb"}]}
    responses = await asyncio.gather(
        *(client.post("/api/v1/exhibitions/sess-2027/groups", json=body) for _ in range(3))
    )
    assert sorted(response.status_code for response in responses) == [200, 200, 201]
    leader_ticket = await Ticket.select(Ticket.id).where(Ticket.group_leader.is_null()).first()
    assert [(row["recipient"], row["subject_key"], row["language"]) for row in await outbox_rows()] == [
        ("coop@example.ma", f"ticket:{leader_ticket['id']}", "ar"),
    ]
    assert await deliver(mailbox.smtp, utcnow()) == DeliveryReport(claimed=1, sent=1)
    token = responses[0].json()["leader"]["url"].rsplit("/", 1)[1]
    text = mailbox.messages[0].get_body(preferencelist=("plain",))
    assert text is not None
    # The leader's PDF link holds every ticket of the group.
    assert f"\nhttp://testserver/tickets/{token}/pdf\n" in text.get_content()


async def test_a_visitor_with_only_a_phone_queues_nothing(client: httpx.AsyncClient, exhibition: int) -> None:
    response = await client.post(URL, json=visitor(email=None, phone="06 12 34 56 78"))
    assert response.status_code == 201
    assert await Outbox.count() == 0


async def test_the_outbox_key_makes_a_second_enqueue_a_no_op(exhibition: int) -> None:
    now = utcnow()
    message = RenderedEmail(subject="Rappel", text="Demain.\n", html=None)
    first = await enqueue(
        rule="reminder", recipient="Nadia@Coop.ma", subject_key="seminar:4", occurrence="2027-05-08",
        language="fr", now=now, rendered=message,
    )  # fmt: skip
    again = await enqueue(
        rule="reminder", recipient="nadia@coop.ma", subject_key="seminar:4", occurrence="2027-05-08",
        language="fr", now=now, rendered=message,
    )  # fmt: skip
    next_day = await enqueue(
        rule="reminder", recipient="nadia@coop.ma", subject_key="seminar:4", occurrence="2027-05-09",
        language="fr", now=now, rendered=message,
    )  # fmt: skip
    assert first is not None
    assert next_day is not None
    assert again is None
    assert [(row["id"], row["occurrence"]) for row in await outbox_rows()] == [
        (first, "2027-05-08"),
        (next_day, "2027-05-09"),
    ]


async def test_a_rule_without_a_renderer_must_bring_its_message(exhibition: int) -> None:
    with pytest.raises(ValueError, match="rule 'reminder' has no renderer"):
        await enqueue(rule="reminder", recipient="a@x.ma", subject_key="seminar:4", language="fr", now=utcnow())


async def test_delivery_sends_the_ticket_once_in_the_visitors_language(
    settings: Settings, exhibition: int, mailbox: Mailbox
) -> None:
    now = utcnow()
    ticket = await register(settings, now, language="fr")
    assert await deliver(mailbox.smtp, now) == DeliveryReport(claimed=1, sent=1)

    [message] = mailbox.messages
    assert mailbox.envelopes == [("salon@test.ma", ["fatima@example.ma"])]
    assert message["To"] == "fatima@example.ma"
    assert message["From"] == SENDER
    assert message["Subject"] == "Votre billet : Salon national de l'économie sociale et solidaire"
    assert message["Content-Language"] == "fr"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"] == f"<outbox.{(await outbox_rows())[0]['id']}.{int(now.timestamp())}@test.ma>"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    body = text.get_content()
    link = f"http://testserver/tickets/{ticket['access_token']}"
    assert f"Code manuel\u00a0: {ticket['manual_code']}\n" in body
    assert f"\n{link}?lang=fr\n" in body
    assert f"\n{link}/pdf\n" in body
    assert body.startswith("Bonjour Fatima Zahra,\n\nVoici votre billet gratuit pour Salon national")
    html_body = html.get_content()
    assert '<html lang="fr" dir="ltr">' in html_body
    assert f'<a href="{link}?lang=fr"' in html_body
    assert f">{ticket['manual_code']}</strong>" in html_body

    [row] = await outbox_rows()
    assert (row["status"], row["attempts"], row["sent_at"], row["claimed_at"], row["last_error"]) == (
        "sent", 1, now, now, None,
    )  # fmt: skip
    # Sent is final: later passes find nothing, whatever the time.
    assert await deliver(mailbox.smtp, now + timedelta(days=1)) == DeliveryReport()
    assert len(mailbox.messages) == 1


async def test_the_arabic_email_decodes_to_the_exact_arabic_text(
    settings: Settings, exhibition: int, mailbox: Mailbox
) -> None:
    now = utcnow()
    ticket = await register(settings, now, name="فاطمة الزهراء", language="ar")
    await deliver(mailbox.smtp, now)
    [message] = mailbox.messages
    title = "المعرض الوطني للاقتصاد الاجتماعي والتضامني"
    assert message["Subject"] == f"تذكرتك: {title}"
    arabic = Translator("ar")
    link = f"http://testserver/tickets/{ticket['access_token']}"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    assert text.get_content() == (
        "مرحبا فاطمة الزهراء،\n"
        "\n"
        f"إليك تذكرتك المجانية لحضور {title}.\n"
        "\n"
        f"صالحة: {arabic.date(FIRST_DAY)} – {arabic.date(LAST_DAY)}\n"
        "أوقات الفتح: 10:00 – 20:00 (التوقيت المحلي)\n"
        "المكان: Parc des expositions OLM Souissi, Rabat\n"
        "\n"
        "تذكرتك مع رمز QR:\n"
        f"{link}?lang=ar\n"
        "\n"
        "تذكرتك بصيغة PDF للطباعة:\n"
        f"{link}/pdf\n"
        "\n"
        f"رمز الإدخال اليدوي: {ticket['manual_code']}\n"
        "أظهر رمز QR عند المدخل، على هاتفك أو مطبوعا على ورق. إذا تعذرت قراءته بالكاميرا، قدم رمز الإدخال اليدوي.\n"
        "\n"
        "احتفظ بهذه الرسالة لنفسك: روابطها هي تذكرتك.\n"
    )
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    assert '<html lang="ar" dir="rtl">' in html.get_content()
    assert f'<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">{title}</h1>' in html.get_content()


async def test_the_raw_arabic_subject_is_encoded_for_the_wire(
    settings: Settings, exhibition: int, mailbox: Mailbox
) -> None:
    now = utcnow()
    await register(settings, now, language="ar")
    await deliver(mailbox.smtp, now)
    [raw] = mailbox.raw
    subject_line = next(line for line in raw.split(b"\r\n") if line.startswith(b"Subject:"))
    assert subject_line.startswith(b"Subject: =?utf-8?")
    # Seven-bit clean: the Arabic parts travel base64 or quoted-printable through any relay.
    assert raw.isascii()


async def test_smtp_down_puts_the_message_back_with_a_later_attempt(
    settings: Settings, exhibition: int, smtp_down: SmtpSettings
) -> None:
    now = utcnow()
    await register(settings, now)
    assert await deliver(smtp_down, now) == DeliveryReport(claimed=1, retried=1)
    [row] = await outbox_rows()
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("pending", 1, now + timedelta(seconds=30))
    assert row["last_error"].startswith("SMTPConnectError: Error connecting to 127.0.0.1 on port")
    # Not due before its time.
    assert await deliver(smtp_down, now + timedelta(seconds=29)) == DeliveryReport()


async def test_one_unreachable_server_costs_one_connection_attempt_per_pass(
    settings: Settings, exhibition: int, smtp_down: SmtpSettings
) -> None:
    now = utcnow()
    for number in range(3):
        await register(settings, now, email=f"v{number}@x.ma")
    assert await deliver(smtp_down, now) == DeliveryReport(claimed=3, retried=3)
    errors = {row["last_error"] for row in await outbox_rows()}
    assert len(errors) == 1


async def test_the_backoff_doubles_up_to_an_hour_and_the_last_failure_gives_up(
    settings: Settings, exhibition: int, smtp_down: SmtpSettings
) -> None:
    assert [retry_delay(n).total_seconds() for n in range(1, 11)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600,
    ]  # fmt: skip
    now = utcnow()
    await register(settings, now)
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        [row] = await outbox_rows()
        now = row["next_attempt_at"]
        report = await deliver(smtp_down, now)
        [row] = await outbox_rows()
        if attempt < services.MAX_ATTEMPTS:
            assert report == DeliveryReport(claimed=1, retried=1)
            assert (row["status"], row["attempts"]) == ("pending", attempt)
            assert row["next_attempt_at"] == now + retry_delay(attempt)
    assert report == DeliveryReport(claimed=1, failed=1)
    assert (row["status"], row["attempts"]) == ("failed", 10)
    assert await deliver(smtp_down, now + timedelta(days=30)) == DeliveryReport()


async def test_a_failed_message_can_be_given_fresh_attempts(
    settings: Settings, exhibition: int, mailbox: Mailbox
) -> None:
    now = utcnow()
    await register(settings, now)
    await Outbox.update({Outbox.status: "failed", Outbox.attempts: 10, Outbox.last_error: "down"}, force=True)
    assert await services.retry_failed(now=now) == 1
    assert await deliver(mailbox.smtp, now) == DeliveryReport(claimed=1, sent=1)
    [row] = await outbox_rows()
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 1, "down")


async def test_a_permanent_refusal_fails_at_once(settings: Settings, exhibition: int, mailbox: Mailbox) -> None:
    now = utcnow()
    await register(settings, now, email="gone@x.ma")
    await register(settings, now, email="here@x.ma")
    mailbox.refuse.add("gone@x.ma")
    assert await deliver(mailbox.smtp, now) == DeliveryReport(claimed=2, sent=1, failed=1)
    rows = {row["recipient"]: row for row in await outbox_rows()}
    assert (rows["gone@x.ma"]["status"], rows["gone@x.ma"]["attempts"]) == ("failed", 1)
    assert rows["gone@x.ma"]["last_error"].startswith("SMTPRecipientsRefused:")
    assert "550" in rows["gone@x.ma"]["last_error"]
    assert rows["here@x.ma"]["status"] == "sent"
    assert [envelope[1] for envelope in mailbox.envelopes] == [["here@x.ma"]]


async def test_a_ticket_revoked_before_its_email_left_is_not_sent(
    settings: Settings, exhibition: int, mailbox: Mailbox
) -> None:
    now = utcnow()
    ticket = await register(settings, now)
    await Ticket.update({Ticket.status: "revoked", Ticket.revoked_at: now}).where(Ticket.id == ticket["id"])
    assert await deliver(mailbox.smtp, now) == DeliveryReport(claimed=1, failed=1)
    [row] = await outbox_rows()
    assert row["last_error"] == f"Undeliverable: ticket:{ticket['id']} was revoked before its e-mail left"
    assert mailbox.messages == []


async def test_a_claim_left_by_a_dead_delivery_is_taken_again_once_stale(
    settings: Settings, exhibition: int, mailbox: Mailbox
) -> None:
    now = utcnow()
    await register(settings, now)
    # A process claimed the row, then died before recording the outcome.
    await Outbox.update({Outbox.status: "sending", Outbox.claimed_at: now, Outbox.attempts: 1}, force=True)
    assert await deliver(mailbox.smtp, now + timedelta(minutes=9)) == DeliveryReport()
    later = now + services.STALE_CLAIM
    assert await deliver(mailbox.smtp, later) == DeliveryReport(claimed=1, sent=1)
    [row] = await outbox_rows()
    assert (row["status"], row["attempts"], row["claimed_at"]) == ("sent", 2, later)
    assert len(mailbox.messages) == 1


async def test_a_delivery_that_died_during_the_last_attempt_is_given_up(
    settings: Settings, exhibition: int, mailbox: Mailbox
) -> None:
    now = utcnow()
    await register(settings, now)
    await Outbox.update({Outbox.status: "sending", Outbox.claimed_at: now, Outbox.attempts: 10}, force=True)
    later = now + services.STALE_CLAIM
    assert await deliver(mailbox.smtp, later) == DeliveryReport(claimed=1, failed=1)
    [row] = await outbox_rows()
    assert (row["status"], row["attempts"], row["last_error"]) == (
        "failed", 11, "gave up: delivery stopped during the last attempt",
    )  # fmt: skip
    assert mailbox.messages == []


async def test_concurrent_deliveries_send_each_message_exactly_once(
    settings: Settings, exhibition: int, mailbox: Mailbox
) -> None:
    now = utcnow()
    recipients = [f"visitor-{number:02d}@x.ma" for number in range(40)]
    for recipient in recipients:
        await register(settings, now, email=recipient)
    reports = await asyncio.gather(*(deliver(mailbox.smtp, now, limit=7) for _ in range(8)))
    assert sum(report.sent for report in reports) == 40
    assert sum(report.claimed for report in reports) == 40
    assert sorted(message["To"] for message in mailbox.messages) == recipients
    assert {row["status"] for row in await outbox_rows()} == {"sent"}
    assert {row["attempts"] for row in await outbox_rows()} == {1}


async def test_a_pre_rendered_message_with_an_attachment(
    exhibition: int, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def load_programme(key: str) -> Attachment:
        return Attachment(
            filename=f"programme-{key}.pdf", content_type="application/pdf", data=b"%PDF-1.7 " + key.encode()
        )

    monkeypatch.setitem(services.ATTACHMENT_LOADERS, "programme", load_programme)
    now = utcnow()
    await enqueue(
        rule="programme", recipient="press@x.ma", subject_key="exhibition:1", language="en", now=now,
        rendered=RenderedEmail(subject="The programme", text="Attached.\n", html="<p>Attached.</p>"),
        attachment="programme:2027",
    )  # fmt: skip
    assert await deliver(mailbox.smtp, now) == DeliveryReport(claimed=1, sent=1)
    [message] = mailbox.messages
    assert message["Subject"] == "The programme"
    [attachment] = list(message.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content_type()) == ("programme-2027.pdf", "application/pdf")
    assert attachment.get_content() == b"%PDF-1.7 2027"
    assert message.get_body(preferencelist=("plain",)).get_content() == "Attached.\n"  # type: ignore[union-attr]


async def test_an_attachment_nobody_can_render_fails_the_message(exhibition: int, mailbox: Mailbox) -> None:
    now = utcnow()
    await enqueue(
        rule="programme", recipient="press@x.ma", subject_key="exhibition:1", language="en", now=now,
        rendered=RenderedEmail(subject="The programme", text="Attached.\n", html=None), attachment="poster:1",
    )  # fmt: skip
    assert await deliver(mailbox.smtp, now) == DeliveryReport(claimed=1, failed=1)
    [row] = await outbox_rows()
    assert row["last_error"] == "Undeliverable: no loader for attachments of kind 'poster'"
    assert mailbox.messages == []


_VALID_ROW = {
    "rule": "'ticket_issued'",
    "recipient": "'a@x.ma'",
    "subject_key": "'ticket:1'",
    "language": "'fr'",
    "next_attempt_at": "'2027-05-07 09:00:00+00:00'",
    "created_at": "'2027-05-07 09:00:00+00:00'",
}


async def _insert_outbox_row(database: Database, **overrides: str) -> None:
    values = {**_VALID_ROW, **overrides}
    columns = ", ".join(f'"{name}"' for name in values)
    await database.engine.run_ddl(f"INSERT INTO outbox ({columns}) VALUES ({', '.join(values.values())})")


@pytest.mark.parametrize(
    "overrides",
    [
        {"recipient": "'A@x.ma'"},
        {"recipient": "'nobody'"},
        {"language": "'de'"},
        {"status": "'lost'"},
        {"status": "'sending'"},
        {"status": "'sent'"},
        {"attempts": "-1"},
        {"subject_line": "'Sans corps'"},
        {"rule": "''"},
        {"exhibition": "999999"},
    ],
    ids=[
        "upper-case-recipient",
        "not-an-address",
        "unknown-language",
        "unknown-status",
        "sending-without-claim",
        "sent-without-time",
        "negative-attempts",
        "subject-without-body",
        "blank-rule",
        "missing-exhibition",
    ],
)
async def test_the_schema_refuses_rows_delivery_must_never_see(database: Database, overrides: dict[str, str]) -> None:
    with pytest.raises(Exception, match=r"(?i)constraint|violates|check|foreign key"):
        await _insert_outbox_row(database, **overrides)
    assert await Outbox.count() == 0


async def test_the_schema_keeps_one_row_per_key(database: Database) -> None:
    await _insert_outbox_row(database)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await _insert_outbox_row(database, language="'ar'")
    await _insert_outbox_row(database, occurrence="'2027-05-08'")
    assert await Outbox.count() == 2
