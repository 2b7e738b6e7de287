"""SMS reminders: off by default (skipped and counted, nothing queued), and with a sender on,
queued once per phone and sent through it; the sender's choice and the rule file's limits."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from exhibitions.errors import ConfigurationError
from exhibitions.notifications.reminder_rules import RuleError, parse_rules
from exhibitions.notifications.services import deliver_due, deliver_due_sms, queue_reminders
from exhibitions.notifications.sms import ConsoleSender, FileSender, NullSender, configured_sender
from exhibitions.notifications.tables import Outbox
from exhibitions.paths import TEMPLATES_DIR
from exhibitions.settings import Settings
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.services import register_visitor
from tests.notifications.conftest import Mailbox
from tests.notifications.test_reminders import BASE_URL, VISITOR_DUE

SMS_RULE = """
[[rule]]
name = "visitor_sms_day_before"
audience = "registered_visitors"
anchor = "exhibition_opening"
offset = "-1d at 10:00"
channel = "sms"
template = "reminders/visitor_day_before_sms"
"""
RULES = parse_rules(SMS_RULE, templates_dir=TEMPLATES_DIR)


async def _visitor(settings: Settings, **fields: Any) -> dict[str, Any]:
    from datetime import UTC, datetime

    data = RegistrationIn(home_region="MA-06", **fields)
    view, _ = await register_visitor(slug="sess-2027", data=data, secret_key=settings.secret_key, now=datetime.now(UTC))
    return view.row


def test_the_sender_is_chosen_by_the_environment(tmp_path: Path) -> None:
    assert configured_sender("") == NullSender()
    assert configured_sender("null") == NullSender()
    assert configured_sender("console") == ConsoleSender()
    assert configured_sender(f"file:{tmp_path}/sms.log") == FileSender(tmp_path / "sms.log")
    with pytest.raises(ConfigurationError, match=r"EXHIBITIONS_SMS_SENDER='pigeon': use null, console or file:"):
        configured_sender("pigeon")


def test_sms_reaches_only_audiences_with_a_phone_on_file() -> None:
    with pytest.raises(RuleError, match=r":7: rule 'visitor_sms_day_before', field 'channel': SMS reaches"):
        parse_rules(
            SMS_RULE.replace("registered_visitors", "exhibitor_staff").replace("exhibition_opening", "setup_day")
        )


async def test_sms_off_skips_and_counts_the_rule_and_queues_nothing(settings: Settings, exhibition: int) -> None:
    await _visitor(settings, name="Jean Dupont", phone="0612345678", language="fr")
    report = await queue_reminders(now=VISITOR_DUE, rules=RULES, sms=NullSender())
    assert (report.queued, report.skipped_rules) == (0, ["visitor_sms_day_before"])
    assert await Outbox.count().where(Outbox.channel == "sms") == 0
    assert (await deliver_due_sms(now=VISITOR_DUE, sender=NullSender(), base_url=BASE_URL)).claimed == 0


async def test_sms_on_queues_once_per_phone_and_sends_through_the_sender(
    settings: Settings, exhibition: int, tmp_path: Path, mailbox: Mailbox
) -> None:
    await _visitor(settings, name="أمينة العلوي", phone="0612345678", language="ar")
    await _visitor(settings, name="Jean Dupont", email="jean@example.fr", phone="+212 6 61 23 45 67", language="fr")
    await _visitor(settings, name="Sara Bennani", email="sara@example.com", language="en")  # no phone
    sender = FileSender(tmp_path / "sms.log")
    reports = await asyncio.gather(*(queue_reminders(now=VISITOR_DUE, rules=RULES, sms=sender) for _ in range(3)))
    assert sum(r.queued for r in reports) == 2
    rows = await Outbox.select(Outbox.recipient, Outbox.channel, Outbox.language).where(Outbox.channel == "sms")
    assert sorted((r["recipient"], r["language"]) for r in rows) == [("+212612345678", "ar"), ("+212661234567", "fr")]
    # E-mail delivery leaves SMS rows alone; the SMS pass sends them, once.
    await deliver_due(now=VISITOR_DUE, smtp=mailbox.smtp, base_url=BASE_URL)
    assert all(m["To"] != "+212612345678" for m in mailbox.messages)
    report = await deliver_due_sms(now=VISITOR_DUE, sender=sender, base_url=BASE_URL)
    assert (report.claimed, report.sent) == (2, 2)
    lines = sorted((tmp_path / "sms.log").read_text(encoding="utf-8").splitlines())
    assert len(lines) == 2
    assert lines[0].startswith("+212612345678\tيفتح المعرض الوطني للاقتصاد الاجتماعي والتضامني أبوابه غدا.")
    assert lines[1].startswith("+212661234567\tSalon national de l'économie sociale et solidaire ouvre demain.")
    assert f"{BASE_URL}/tickets/" in lines[1]
    assert (
        await deliver_due_sms(now=VISITOR_DUE + timedelta(minutes=1), sender=sender, base_url=BASE_URL)
    ).claimed == 0


class Failing:
    enabled = True

    async def send(self, *, to: str, text: str) -> None:
        raise ConnectionError("gateway down")


async def test_a_failing_sender_retries_with_backoff(settings: Settings, exhibition: int) -> None:
    await _visitor(settings, name="Jean Dupont", phone="0612345678", language="fr")
    await queue_reminders(now=VISITOR_DUE, rules=RULES, sms=Failing())
    report = await deliver_due_sms(now=VISITOR_DUE, sender=Failing(), base_url=BASE_URL)
    assert (report.claimed, report.retried) == (1, 1)
    [row] = await Outbox.select().where(Outbox.channel == "sms")
    assert (row["status"], row["attempts"], row["last_error"]) == ("pending", 1, "ConnectionError: gateway down")
    assert row["next_attempt_at"] == VISITOR_DUE + timedelta(seconds=30)


async def test_a_claim_left_by_a_dead_sms_pass_is_taken_back_after_the_claim_timeout(
    settings: Settings, exhibition: int, tmp_path: Path
) -> None:
    await _visitor(settings, name="Jean Dupont", phone="0612345678", language="fr")
    sender = FileSender(tmp_path / "sms.log")
    await queue_reminders(now=VISITOR_DUE, rules=RULES, sms=sender)
    # A pass that claimed the row and died before sending it.
    await Outbox.update({Outbox.status: "sending", Outbox.claimed_at: VISITOR_DUE}).where(Outbox.channel == "sms")
    later = VISITOR_DUE + timedelta(seconds=30)
    kept = await deliver_due_sms(now=later, sender=sender, base_url=BASE_URL)  # the default: 10 minutes
    assert kept.claimed == 0
    taken = await deliver_due_sms(now=later, sender=sender, base_url=BASE_URL, claim_timeout=timedelta(seconds=20))
    assert (taken.claimed, taken.sent) == (1, 1)
