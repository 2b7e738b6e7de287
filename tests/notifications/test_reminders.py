"""Reminder rules against the database: the audiences, queueing once however often and by how
many at once, delivery to a real SMTP server on loopback in each language, and start-up checks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from exhibitions.db import Database
from exhibitions.errors import ConfigurationError
from exhibitions.notifications.services import configured_rules, deliver_due, queue_reminders, read_rules
from exhibitions.notifications.tables import Outbox
from exhibitions.settings import Settings
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.services import register_visitor
from tests.factories import FIRST_DAY
from tests.notifications.conftest import Mailbox

CASABLANCA = ZoneInfo("Africa/Casablanca")
BASE_URL = "http://testserver"
# The visitors' rule: "-1d at 10:00" before the opening (FIRST_DAY at 10:00, local time).
VISITOR_DUE = datetime.combine(FIRST_DAY - timedelta(days=1), time(10, 0), tzinfo=CASABLANCA).astimezone(UTC)
OPENING = datetime.combine(FIRST_DAY, time(10, 0), tzinfo=CASABLANCA).astimezone(UTC)


async def register(settings: Settings, email: str, language: str, name: str) -> dict[str, Any]:
    data = RegistrationIn(name=name, email=email, home_region="MA-06", language=language)
    view, _ = await register_visitor(slug="sess-2027", data=data, secret_key=settings.secret_key, now=datetime.now(UTC))
    return view.row


async def reminder_rows(rule: str) -> list[dict[str, Any]]:
    return await Outbox.select().where(Outbox.rule == rule).order_by(Outbox.id)  # type: ignore[no-any-return]


@pytest.fixture
async def visitors(settings: Settings, exhibition: int) -> list[dict[str, Any]]:
    return [
        await register(settings, "amina@example.ma", "ar", "أمينة العلوي"),
        await register(settings, "jean@example.fr", "fr", "Jean Dupont"),
        await register(settings, "sara@example.com", "en", "Sara Bennani"),
    ]


async def test_visitors_get_the_day_before_reminder_once_however_often_and_by_how_many(
    database: Database, exhibition: int, visitors: list[dict[str, Any]]
) -> None:
    now = VISITOR_DUE + timedelta(minutes=3)
    first = await queue_reminders(now=now)
    assert first.queued == 3
    # Again, and four schedulers at once, and a restart an hour later: nothing more.
    assert (await queue_reminders(now=now)).queued == 0
    reports = await asyncio.gather(*(queue_reminders(now=now + timedelta(seconds=i)) for i in range(4)))
    assert [r.queued for r in reports] == [0, 0, 0, 0]
    assert (await queue_reminders(now=now + timedelta(hours=1))).queued == 0
    rows = await reminder_rows("visitor_day_before")
    stamp = VISITOR_DUE.strftime("%Y%m%dT%H%MZ")
    assert sorted((r["recipient"], r["subject_key"], r["occurrence"], r["language"]) for r in rows) == sorted(
        (v["email"], f"ticket:{v['id']}", f"exhibition_opening:{exhibition}:{stamp}", v["language"]) for v in visitors
    )


async def test_concurrent_evaluation_with_the_outbox_emptied_between_checks_still_writes_one_row(
    database: Database, exhibition: int, visitors: list[dict[str, Any]]
) -> None:
    # Two evaluations that both found nothing queued race to the INSERT: the unique key decides.
    now = VISITOR_DUE + timedelta(minutes=1)
    reports = await asyncio.gather(*(queue_reminders(now=now) for _ in range(6)))
    assert sum(r.queued for r in reports) == 3
    assert len(await reminder_rows("visitor_day_before")) == 3


async def test_nothing_before_the_send_time_nor_from_the_opening_on(
    database: Database, exhibition: int, visitors: list[dict[str, Any]]
) -> None:
    assert (await queue_reminders(now=VISITOR_DUE - timedelta(minutes=1))).queued == 0
    assert (await queue_reminders(now=OPENING)).queued == 0
    assert (await queue_reminders(now=OPENING + timedelta(days=2))).queued == 0
    # A scheduler that was down since the day before: sent once, late, before the opening.
    assert (await queue_reminders(now=OPENING - timedelta(minutes=5))).queued == 3


async def test_a_revoked_ticket_is_not_reminded(
    database: Database, exhibition: int, visitors: list[dict[str, Any]]
) -> None:
    await Outbox.raw(
        "UPDATE ticket SET status = 'revoked', revoked_at = {} WHERE id = {}", VISITOR_DUE, visitors[1]["id"]
    )
    assert (await queue_reminders(now=VISITOR_DUE)).queued == 2


async def test_delivered_in_each_language_with_the_ticket_and_arabic_right_to_left(
    database: Database, exhibition: int, visitors: list[dict[str, Any]], mailbox: Mailbox
) -> None:
    now = VISITOR_DUE + timedelta(minutes=1)
    await queue_reminders(now=now)
    await Outbox.raw("DELETE FROM outbox WHERE rule = 'ticket_issued'")
    report = await deliver_due(now=now, smtp=mailbox.smtp, base_url=BASE_URL)
    assert (report.sent, report.failed) == (3, 0)
    by_recipient = {message["To"]: message for message in mailbox.messages}
    assert set(by_recipient) == {"amina@example.ma", "jean@example.fr", "sara@example.com"}
    arabic = by_recipient["amina@example.ma"]
    assert arabic["Subject"] == "غدا: المعرض الوطني للاقتصاد الاجتماعي والتضامني"
    assert arabic["Content-Language"] == "ar"
    html = arabic.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert 'dir="rtl"' in html
    assert "أمينة العلوي" in html
    french = by_recipient["jean@example.fr"]
    assert french["Subject"] == "Demain : Salon national de l'économie sociale et solidaire"
    text = french.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    ticket = next(v for v in visitors if v["email"] == "jean@example.fr")
    assert f"{BASE_URL}/tickets/{ticket['access_token']}?lang=fr" in text
    assert f"{BASE_URL}/tickets/{ticket['access_token']}/pdf" in text
    assert ticket["manual_code"] in text
    english = by_recipient["sara@example.com"]
    assert english["Subject"] == "Tomorrow: National Exhibition of the Social and Solidarity Economy"
    # Every message has its own Message-ID, and queueing again sends nothing more.
    assert len({m["Message-ID"] for m in mailbox.messages}) == 3
    await queue_reminders(now=now + timedelta(minutes=5))
    assert (await deliver_due(now=now + timedelta(minutes=5), smtp=mailbox.smtp, base_url=BASE_URL)).claimed == 0


async def _approved_exhibitor(exhibition: int, email: str | None) -> int:
    now = datetime.now(UTC)
    [org] = await Outbox.raw(
        "INSERT INTO organization (legal_form, name_ar, name_latin, registry_number, region, city, sector, email,"
        " created_at, updated_at) VALUES ('cooperative', 'تعاونية أركان', 'Coopérative Argan', {}, 'MA-09', 'Agadir',"
        " 'argan', {}, {}, {}) RETURNING id",
        f"R-{email}", email, now, now,
    )  # fmt: skip
    [application] = await Outbox.raw(
        "INSERT INTO application (exhibition, organization, status, created_at, updated_at)"
        " VALUES ({}, {}, 'approved', {}, {}) RETURNING id",
        exhibition, org["id"], now, now,
    )  # fmt: skip
    return int(application["id"])


async def test_approved_exhibitors_are_reminded_two_days_before_the_setup_day(
    database: Database, exhibition: int, mailbox: Mailbox
) -> None:
    setup_on = FIRST_DAY - timedelta(days=1)
    await Outbox.raw("UPDATE exhibition SET setup_on = {} WHERE id = {}", setup_on, exhibition)
    application = await _approved_exhibitor(exhibition, "argan@example.ma")
    await _approved_exhibitor(exhibition, None)  # no address: nobody to write to
    [waiting] = await Outbox.raw("SELECT MAX(id) AS id FROM application")
    await Outbox.raw("UPDATE application SET status = 'waitlisted' WHERE id = {}", waiting["id"])
    due = datetime.combine(setup_on - timedelta(days=2), time(9, 0), tzinfo=CASABLANCA).astimezone(UTC)
    assert (await queue_reminders(now=due - timedelta(seconds=1))).queued == 0
    assert (await queue_reminders(now=due)).queued == 1
    [row] = await reminder_rows("exhibitor_setup_d2")
    assert (row["recipient"], row["subject_key"], row["language"]) == (
        "argan@example.ma",
        f"application:{application}",
        "fr",
    )
    report = await deliver_due(now=due, smtp=mailbox.smtp, base_url=BASE_URL, limit=500)
    assert report.failed == 0
    [message] = [m for m in mailbox.messages if m["To"] == "argan@example.ma"]
    assert message["Subject"].startswith("Montage des stands le ")
    assert "Coopérative Argan" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


async def test_no_setup_day_no_reminder(database: Database, exhibition: int) -> None:
    await _approved_exhibitor(exhibition, "argan@example.ma")
    assert (await queue_reminders(now=OPENING - timedelta(days=3))).queued == 0


def test_the_shipped_rules_are_read_at_start_up() -> None:
    assert [rule.name for rule in configured_rules()][:2] == ["exhibitor_setup_d2", "visitor_day_before"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'offset = "-2d at 09:00"',
            'offset = "two days before"',
            r"reminders.toml:19: rule 'exhibitor_setup_d2', field 'offset'",
        ),
        (
            'audience = "registered_visitors"',
            'audience = "visitors"',
            r"reminders.toml:25: rule 'visitor_day_before', field 'audience'",
        ),
        (
            'template = "reminders/visitor_day_before"',
            'template = "reminders/gone"',
            r"reminders.toml:28: rule 'visitor_day_before', field 'template'",
        ),
    ],
)
def test_a_bad_rule_stops_the_start_up_naming_file_line_and_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    from exhibitions.paths import SCHEDULES_DIR

    text = (SCHEDULES_DIR / "reminders.toml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "reminders.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message):
        read_rules(bad)


def test_a_speaker_rule_with_a_local_hour_is_refused(tmp_path: Path) -> None:
    from exhibitions.paths import SCHEDULES_DIR

    text = (SCHEDULES_DIR / "reminders.toml").read_text(encoding="utf-8")
    bad = tmp_path / "reminders.toml"
    bad.write_text(text.replace('offset = "-7d"', 'offset = "-7d at 09:00"', 1), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"rule 'speaker_session_7d', field 'offset'"):
        read_rules(bad)


async def test_the_anchor_dates_are_set_and_checked_through_the_api(
    client: Any, exhibition: int, organizer: dict[str, Any]
) -> None:
    url = "/api/v1/exhibitions/sess-2027"
    setup, deadline = FIRST_DAY - timedelta(days=1), FIRST_DAY - timedelta(days=20)
    response = await client.patch(
        url,
        json={"setup_on": setup.isoformat(), "applications_close_on": deadline.isoformat()},
        headers=organizer["headers"],
    )
    assert response.status_code == 200, response.text
    shown = (await client.get(url)).json()
    assert (shown["setup_on"], shown["applications_close_on"]) == (setup.isoformat(), deadline.isoformat())
    late = await client.patch(
        url,
        json={"setup_on": (FIRST_DAY + timedelta(days=1)).isoformat(), "applications_close_on": FIRST_DAY.isoformat()},
        headers=organizer["headers"],
    )
    assert late.status_code == 422
    assert late.headers["content-type"].startswith("application/problem+json")
    assert sorted((e["field"], e["code"]) for e in late.json()["errors"]) == [
        ("applications_close_on", "deadline_after_opening"),
        ("setup_on", "setup_after_opening"),
    ]
    [row] = await Outbox.raw("SELECT setup_on, applications_close_on FROM exhibition WHERE id = {}", exhibition)
    assert (str(row["setup_on"]), str(row["applications_close_on"])) == (setup.isoformat(), deadline.isoformat())
    cleared = await client.patch(url, json={"setup_on": None}, headers=organizer["headers"])
    assert cleared.status_code == 200
    assert (await client.get(url)).json()["setup_on"] is None


async def test_a_process_that_only_delivers_renders_reminders_too(
    database: Database, exhibition: int, visitors: list[dict[str, Any]], mailbox: Mailbox
) -> None:
    from exhibitions.notifications.services._rendering import RENDERERS

    await queue_reminders(now=VISITOR_DUE)
    # As in `exhibitions deliver-mail`, which never read the rules: no renderer registered yet.
    del RENDERERS["visitor_day_before"]
    report = await deliver_due(now=VISITOR_DUE, smtp=mailbox.smtp, base_url=BASE_URL, limit=500)
    assert report.failed == 0
    assert "visitor_day_before" in RENDERERS
    assert len([m for m in mailbox.messages if m["Subject"].startswith(("Tomorrow", "Demain", "غدا"))]) == 3


async def test_exhibitor_staff_with_a_badge_are_reminded_of_the_setup_day(
    database: Database, exhibition: int, mailbox: Mailbox
) -> None:
    from exhibitions.notifications.reminder_rules import parse_rules
    from exhibitions.paths import TEMPLATES_DIR

    rules = parse_rules(
        '[[rule]]\nname = "staff_setup_d1"\naudience = "exhibitor_staff"\nanchor = "setup_day"\n'
        'offset = "-1d at 08:00"\ntemplate = "reminders/staff_setup"\n',
        templates_dir=TEMPLATES_DIR,
    )
    setup_on = FIRST_DAY - timedelta(days=1)
    await Outbox.raw("UPDATE exhibition SET setup_on = {} WHERE id = {}", setup_on, exhibition)
    application = await _approved_exhibitor(exhibition, "argan@example.ma")
    [org] = await Outbox.raw("SELECT organization FROM application WHERE id = {}", application)
    now = datetime.now(UTC)
    for n, (name, email, language) in enumerate(
        [
            ("خديجة أيت", "khadija@example.ma", "ar"),
            ("Youssef Amrani", "youssef@example.ma", "fr"),
            ("Sans courriel", None, "fr"),
        ]
    ):
        await Outbox.raw(
            "INSERT INTO badge_holder (exhibition, role, full_name, organization, email, language, lead_id, source_key,"
            " created_at) VALUES ({}, 'exhibitor_staff', {}, {}, {}, {}, {}, {}, {})",
            exhibition, name, org["organization"], email, language, f"{n:022d}", f"staff:{n}", now,
        )  # fmt: skip
    due = datetime.combine(setup_on - timedelta(days=1), time(8, 0), tzinfo=CASABLANCA).astimezone(UTC)
    assert (await queue_reminders(now=due, rules=rules)).queued == 2
    assert (await queue_reminders(now=due, rules=rules)).queued == 0
    await deliver_due(now=due, smtp=mailbox.smtp, base_url=BASE_URL, limit=500)
    [arabic] = [m for m in mailbox.messages if m["To"] == "khadija@example.ma"]
    assert arabic["Subject"].startswith("تجهيز الأروقة يوم ")
    text = arabic.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "خديجة أيت" in text
    assert "تعاونية أركان" in text
