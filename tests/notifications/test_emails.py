"""Rendering and message building, without a database or a network."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from exhibitions.notifications.emails import Attachment, build_message, envelope, render, wire_bytes

VALUES: dict[str, Any] = {
    "exhibition": "Salon national",
    "holder_name": "Fatima Zahra",
    "first_day": date(2027, 5, 7),
    "last_day": date(2027, 5, 7),
    "opens_at": time(10),
    "closes_at": time(20),
    "place": "Parc OLM Souissi, Rabat",
    "manual_code": "AC3FK7QX",
    "ticket_url": "http://testserver/tickets/tok?lang=en",
    "pdf_url": "http://testserver/tickets/tok/pdf",
}


@pytest.mark.parametrize(
    ("language", "subject", "direction"),
    [
        ("ar", "تذكرتك: Salon national", "rtl"),
        ("fr", "Votre billet : Salon national", "ltr"),
        ("en", "Your ticket: Salon national", "ltr"),
    ],
)
def test_the_ticket_email_in_each_language(language: str, subject: str, direction: str) -> None:
    rendered = render("tickets/ticket_issued", language=language, values=VALUES)
    assert rendered.subject == subject
    assert rendered.html is not None
    assert f'<html lang="{language}" dir="{direction}">' in rendered.html
    assert f"<title>{subject}</title>" in rendered.html
    assert "AC3FK7QX" in rendered.text
    assert "\nhttp://testserver/tickets/tok/pdf\n" in rendered.text


def test_a_one_day_ticket_names_its_day_once() -> None:
    rendered = render("tickets/ticket_issued", language="en", values=VALUES)
    assert "Valid: Friday, May 7, 2027\n" in rendered.text


def test_names_are_escaped_in_html_and_kept_in_text() -> None:
    values = {**VALUES, "holder_name": "<b>Amine</b> & co"}
    rendered = render("tickets/ticket_issued", language="en", values=values)
    assert rendered.html is not None
    assert "Hello &lt;b&gt;Amine&lt;/b&gt; &amp; co," in rendered.html
    assert rendered.text.startswith("Hello <b>Amine</b> & co,\n")


def test_a_subject_is_one_line_whatever_the_values() -> None:
    rendered = render("tickets/ticket_issued", language="en", values={**VALUES, "exhibition": "Salon\r\nBcc: x@y.z"})
    assert rendered.subject == "Your ticket: Salon Bcc: x@y.z"


def test_a_missing_value_is_an_error_not_a_blank() -> None:
    values = {key: value for key, value in VALUES.items() if key != "manual_code"}
    with pytest.raises(Exception, match="manual_code"):
        render("tickets/ticket_issued", language="en", values=values)


def test_the_message_carries_text_html_and_attachments_in_order() -> None:
    message = build_message(
        sender="Salon <salon@test.ma>",
        recipient="fatima@example.ma",
        language="ar",
        subject="تذكرتك",
        text="نص\n",
        html="<p>نص</p>",
        message_id="<outbox.1.2@test.ma>",
        sent_at=datetime(2027, 5, 7, 9, 30, tzinfo=UTC),
        attachments=(Attachment("billet.pdf", "application/pdf", b"%PDF"),),
    )
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert [part.get_content_type() for part in parsed.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf",
    ]  # fmt: skip
    assert {key: parsed[key] for key in ("From", "To", "Subject", "Date", "Message-ID", "Content-Language")} == {
        "From": "Salon <salon@test.ma>",
        "To": "fatima@example.ma",
        "Subject": "تذكرتك",
        "Date": "Fri, 07 May 2027 09:30:00 +0000",
        "Message-ID": "<outbox.1.2@test.ma>",
        "Content-Language": "ar",
    }


@pytest.mark.parametrize(
    "subject",
    [
        "تذكير: المرجو الرد بشأن جلساتكم في المعرض الوطني للاقتصاد الاجتماعي والتضامني",
        "دعوة: جلساتكم في المعرض الوطني للاقتصاد الاجتماعي والتضامني (Rabat) بشأن جلساتكم",
        "Rappel : merci de répondre pour vos séances au Salon national de l'économie sociale et solidaire",
    ],
)
def test_a_long_subject_keeps_every_space_on_the_wire(subject: str) -> None:
    # The stock SMTP policy's folding turned "بشأن جلساتكم" into "بشأنجلساتكم" (CPython).
    message = build_message(
        sender="Salon <salon@test.ma>",
        recipient="Fatima <fatima@example.ma>",
        language="ar",
        subject=subject,
        text="نص\n",
        html=None,
        message_id="<outbox.1.2@test.ma>",
        sent_at=datetime(2027, 5, 7, 9, 30, tzinfo=UTC),
    )
    raw = wire_bytes(message)
    assert b"\r\n" in raw
    assert email.message_from_bytes(raw, policy=email.policy.default)["Subject"] == subject
    assert envelope(message) == ("salon@test.ma", ["fatima@example.ma"])
