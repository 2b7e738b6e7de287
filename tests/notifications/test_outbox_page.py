"""The organizers' outbox page: counts by rule, search and filters, retry, CSV, languages."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import httpx

from exhibitions.clock import utcnow
from exhibitions.notifications import services
from exhibitions.notifications.emails import RenderedEmail
from exhibitions.notifications.tables import Outbox
from tests.factories import csrf_token, login

PAGE = "/organize/exhibitions/sess-2027/outbox"


async def _queue(exhibition: int | None, rule: str, recipient: str, key: str) -> int:
    message_id = await services.enqueue(
        rule=rule, recipient=recipient, subject_key=key, language="fr", now=utcnow(), exhibition_id=exhibition,
        rendered=RenderedEmail(subject=f"Sujet {key}", text="Bonjour\n", html=None),
    )  # fmt: skip
    assert message_id is not None
    return message_id


async def _set(message_id: int, **values: Any) -> None:
    await Outbox.update({getattr(Outbox, column): value for column, value in values.items()}).where(
        Outbox.id == message_id
    )


async def _outbox(exhibition: int) -> dict[str, int]:
    """Three rules in every state, and a message of no exhibition that must not show."""
    ids = {
        "sent": await _queue(exhibition, "ticket_issued", "amina@x.ma", "ticket:1"),
        "failed": await _queue(exhibition, "ticket_issued", "karim@x.ma", "ticket:2"),
        "pending": await _queue(exhibition, "speaker_reminder", "salma@x.ma", "session:1"),
        "failed_2": await _queue(exhibition, "speaker_reminder", "100%_sure@x.ma", "session:2"),
        "sending": await _queue(exhibition, "stand_assigned", "coop@x.ma", "stand:1"),
        "elsewhere": await _queue(None, "ticket_issued", "other@x.ma", "ticket:9"),
    }
    now = utcnow()
    await _set(ids["sent"], status="sent", sent_at=now, attempts=1)
    await _set(ids["failed"], status="failed", attempts=10, last_error="SMTPRecipientRefused: 550 no such mailbox")
    await _set(ids["failed_2"], status="failed", attempts=10, last_error="Connection refused")
    await _set(ids["sending"], status="sending", claimed_at=now, attempts=1)
    await _set(ids["elsewhere"], status="failed", attempts=10)
    return ids


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-message="(\d+)">', html)


async def test_the_counts_by_rule_and_the_list_with_its_filters(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    ids = await _outbox(exhibition)
    await login(client)
    response = await client.get(f"{PAGE}?lang=en")
    assert response.status_code == 200
    html = response.text
    counts = re.findall(r'<tr data-rule="([a-z_]+)">.*?</tr>', html, flags=re.S)
    assert counts == ["speaker_reminder", "stand_assigned", "ticket_issued"]
    cells = {
        rule: re.findall(r'data-status="(\w+)">(\d+)<', re.search(rf'data-rule="{rule}">(.*?)</tr>', html, re.S)[1])  # type: ignore[index]
        for rule in counts
    }
    assert cells == {
        "speaker_reminder": [("pending", "1"), ("sending", "0"), ("sent", "0"), ("failed", "1")],
        "stand_assigned": [("pending", "0"), ("sending", "1"), ("sent", "0"), ("failed", "0")],
        "ticket_issued": [("pending", "0"), ("sending", "0"), ("sent", "1"), ("failed", "1")],
    }
    newest_first = [ids[key] for key in ("sending", "failed_2", "pending", "failed", "sent")]
    assert _rows(html) == [str(message_id) for message_id in newest_first]
    assert "Retry the 2 failed messages" in html
    assert "SMTPRecipientRefused: 550 no such mailbox" in html

    async def shown(query: str) -> list[str]:
        page = await client.get(f"{PAGE}?{query}")
        assert page.status_code == 200, page.text
        return _rows(page.text)

    assert await shown("status=failed") == [str(ids["failed_2"]), str(ids["failed"])]
    assert await shown("rule=ticket_issued") == [str(ids["failed"]), str(ids["sent"])]
    assert await shown("rule=ticket_issued&status=failed") == [str(ids["failed"])]
    assert await shown("q=KARIM") == [str(ids["failed"])]
    assert await shown("q=100%25_") == [str(ids["failed_2"])]  # the wildcards taken literally
    assert await shown("q=%25") == [str(ids["failed_2"])]
    assert await shown("q=nobody") == []
    fragment = await client.get(f"{PAGE}?status=sent", headers={"HX-Request": "true"})
    assert fragment.text.startswith('<div id="outbox-results">')
    assert _rows(fragment.text) == [str(ids["sent"])]


async def test_a_long_outbox_is_paged_keeping_the_filters(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    for number in range(55):
        await _queue(exhibition, "ticket_issued", f"v{number}@x.ma", f"ticket:{number}")
    await login(client)
    first = await client.get(f"{PAGE}?lang=en&rule=ticket_issued")
    assert len(_rows(first.text)) == 50
    assert "55 messages" in first.text
    assert 'href="?rule=ticket_issued&amp;page=2"' in first.text
    second = await client.get(f"{PAGE}?rule=ticket_issued&page=2")
    assert len(_rows(second.text)) == 5


async def test_retry_one_failed_message_then_all_of_them(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    ids = await _outbox(exhibition)
    await login(client)
    listing = await client.get(PAGE)
    token = csrf_token(listing.text)
    response = await client.post(f"{PAGE}/{ids['failed']}/retry", data={"_csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (302, PAGE)
    statuses = {
        row["id"]: (row["status"], row["attempts"])
        for row in await Outbox.select(Outbox.id, Outbox.status, Outbox.attempts)
    }
    assert statuses[ids["failed"]] == ("pending", 0)
    assert statuses[ids["failed_2"]] == ("failed", 10)
    # Not failed any more: nothing to retry, and the page says so rather than pretending.
    again = await client.post(f"{PAGE}/{ids['failed']}/retry", data={"_csrf_token": token})
    assert again.status_code == 404
    sent = await client.post(f"{PAGE}/{ids['sent']}/retry", data={"_csrf_token": token})
    assert sent.status_code == 404

    everything = await client.post(f"{PAGE}/retry", data={"_csrf_token": token})
    assert everything.status_code == 302
    statuses = {
        row["id"]: (row["status"], row["attempts"])
        for row in await Outbox.select(Outbox.id, Outbox.status, Outbox.attempts)
    }
    assert statuses[ids["failed_2"]] == ("pending", 0)
    assert statuses[ids["sent"]] == ("sent", 1)
    assert statuses[ids["elsewhere"]] == ("failed", 10)  # another exhibition's (none) is not ours to retry


async def test_the_csv_export_has_every_message_and_no_formula(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    ids = await _outbox(exhibition)
    formula = await _queue(exhibition, "ticket_issued", "=cmd@x.ma", "ticket:3")
    await login(client)
    response = await client.get(f"{PAGE.removesuffix('/outbox')}/outbox.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="sess-2027-outbox.csv"'
    assert response.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(response.text.removeprefix("\ufeff"))))
    assert list(rows[0]) == [
        "id", "rule", "recipient", "subject_key", "occurrence", "language", "status", "attempts", "created_at",
        "next_attempt_at", "sent_at", "last_error",
    ]  # fmt: skip
    expected = [ids[key] for key in ("sent", "failed", "pending", "failed_2", "sending")] + [formula]
    assert [int(row["id"]) for row in rows] == expected
    assert [row["status"] for row in rows] == ["sent", "failed", "pending", "failed", "sending", "pending"]
    assert rows[1]["last_error"] == "SMTPRecipientRefused: 550 no such mailbox"
    assert rows[-1]["recipient"] == "'=cmd@x.ma"


async def test_the_page_in_arabic_and_french_and_its_refusals(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    await _outbox(exhibition)
    assert (await client.get(PAGE)).status_code in (302, 303, 401)
    await login(client)
    arabic = await client.get(f"{PAGE}?lang=ar")
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert "<h1>صندوق الصادر</h1>" in arabic.text
    assert "إعادة محاولة الرسالتين الفاشلتين" in arabic.text
    french = await client.get(f"{PAGE}?lang=fr")
    assert "<h1>Boîte d&#39;envoi</h1>" in french.text
    assert "Relancer les 2 messages en échec" in french.text
    bad = await client.get(f"{PAGE}?lang=fr&status=lost")
    assert bad.status_code == 422
    assert '<p class="error" id="e-status" role="alert">Choisissez l&#39;une des options.</p>' in bad.text
    assert len(_rows(bad.text)) == 5  # the whole outbox instead
    missing = await client.get("/organize/exhibitions/no-such-fair/outbox")
    assert missing.status_code == 404
