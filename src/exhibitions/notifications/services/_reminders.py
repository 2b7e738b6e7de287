"""Reminder rules at work: read ``schedules/reminders.toml`` once, queue what is due, show a preview.

:func:`queue_reminders` (ticked every minute) evaluates every rule for every published
exhibition not over yet. A due rung of a ladder (reminder_rules.py) becomes one outbox row
per recipient, written by a multi-row ``INSERT … ON CONFLICT DO NOTHING`` on the outbox's
unique key: two schedulers, a second evaluation or a restart add nothing. Rows hold only
the reference (``ticket:12``); delivery renders the rule's template in the recipient's
language (the renderers registered here), as it does for a ticket's e-mail.

The speakers', moderators' and unconfirmed speakers' rules are evaluated by the seminars'
job (seminars/services/_speakers.py), which signs each speaker's link; this module reads
and checks them with the rest, and counts their people for the preview.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.errors import ConfigurationError
from exhibitions.events import services as event_services
from exhibitions.notifications import audiences
from exhibitions.notifications.emails import RenderedEmail, render
from exhibitions.notifications.reminder_rules import (
    Rule,
    RuleError,
    due_in_ladder,
    ladders,
    load_rules,
    next_send_time,
)
from exhibitions.notifications.services._rendering import RENDERERS, Undeliverable
from exhibitions.notifications.sms import SmsSender, configured_sender
from exhibitions.notifications.tables import Outbox
from exhibitions.paths import SCHEDULES_DIR, TEMPLATES_DIR
from exhibitions.seminars import reminders as seminar_reminders
from exhibitions.web.i18n import N_

logger = logging.getLogger("exhibitions.notifications")

REMINDERS_FILE = SCHEDULES_DIR / "reminders.toml"
LANGUAGES = ("ar", "fr", "en")
NUDGE_NOTE = N_(
    "Three days after each invitation, then every three days, until an answer or the programme's publication."
)
REMINDERS_REFUSAL = N_("Only the exhibition's organizers see its reminders.")
# Rows per INSERT: few round trips, well under either engine's limit on parameters.
INSERT_CHUNK = 200


async def _raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await Outbox.raw(sql, *args)  # type: ignore[no-any-return]


def read_rules(path: Path = REMINDERS_FILE, templates_dir: Path = TEMPLATES_DIR) -> tuple[Rule, ...]:
    """The rules of ``path``, checked whole (the seminars' share included); a
    ConfigurationError naming the file, the line and the field otherwise."""
    try:
        rules = load_rules(path, templates_dir=templates_dir)
        seminar_reminders.rules_from(rules)
    except RuleError as exc:
        message = str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}"
        raise ConfigurationError(message) from exc
    register_renderers(rules)
    return rules


@cache
def configured_rules() -> tuple[Rule, ...]:
    """The rules of schedules/reminders.toml, read once per process (at start-up)."""
    return read_rules()


# ---------------------------------------------------------------- anchors


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def _time(value: Any) -> time:
    return time.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def exhibition_anchor(anchor: str, exhibition: Mapping[str, Any]) -> datetime | None:
    """The instant of an exhibition-wide anchor, None when the exhibition has no such date.
    The set-up day starts at midnight; the application deadline ends at the next midnight."""
    zone = ZoneInfo(exhibition["time_zone"])
    if anchor == "exhibition_opening":
        return datetime.combine(_day(exhibition["starts_on"]), _time(exhibition["opens_at"]), tzinfo=zone)
    if anchor == "setup_day" and exhibition.get("setup_on"):
        return datetime.combine(_day(exhibition["setup_on"]), time(0), tzinfo=zone)
    if anchor == "application_deadline" and exhibition.get("applications_close_on"):
        return datetime.combine(_day(exhibition["applications_close_on"]) + timedelta(days=1), time(0), tzinfo=zone)
    return None


def _reach(rules: Sequence[Rule]) -> timedelta:
    """How far ahead of an anchor the earliest of these rules can send."""
    return max((timedelta(days=-rule.offset.days + 1) - rule.offset.elapsed for rule in rules), default=timedelta(0))


# ---------------------------------------------------------------- queueing

_LIVE = """
SELECT id, slug, time_zone, starts_on, ends_on, opens_at, setup_on, applications_close_on
FROM exhibition WHERE status = 'published' AND ends_on >= {} ORDER BY id
"""

_ANCHORS = "SELECT id, time_zone, starts_on, opens_at, setup_on, applications_close_on FROM exhibition WHERE id = {}"

_ALREADY = "SELECT recipient, subject_key FROM outbox WHERE rule = {} AND exhibition = {} AND occurrence = {}"

_INSERT_HEAD = (
    "INSERT INTO outbox (exhibition, rule, channel, recipient, subject_key, occurrence, language, next_attempt_at,"
    " created_at) VALUES "
)
_INSERT_TAIL = " ON CONFLICT (rule, recipient, subject_key, occurrence) DO NOTHING RETURNING id"


@dataclass
class QueuedReminders:
    queued: int = 0  # rows written now
    # Rules not sent because their channel has no sender (SMS is off by default).
    skipped_rules: list[str] = field(default_factory=list)


async def _enqueue_due(
    *, rule: Rule, occurrence: str, exhibition_id: int, recipients: Sequence[Mapping[str, Any]], now: datetime
) -> int:
    address = "phone" if rule.channel == "sms" else "email"
    # A rung stays due for days: most ticks find it queued already, and skip it here.
    queued = {
        (row["recipient"], row["subject_key"]) for row in await _raw(_ALREADY, rule.name, exhibition_id, occurrence)
    }
    todo = [r for r in recipients if (r[address], r["subject_key"]) not in queued]
    written = 0
    for start in range(0, len(todo), INSERT_CHUNK):
        chunk = todo[start : start + INSERT_CHUNK]
        values = ", ".join(["({}, {}, {}, {}, {}, {}, {}, {}, {})"] * len(chunk))
        args: list[Any] = []
        for recipient in chunk:
            language = recipient["language"] if recipient["language"] in LANGUAGES else "fr"
            args += [
                exhibition_id,
                rule.name,
                rule.channel,
                recipient[address],
                recipient["subject_key"],
                occurrence,
                language,
                now,
                now,
            ]
        written += len(await _raw(_INSERT_HEAD + values + _INSERT_TAIL, *args))
    return written


async def _recipients(audience: str, channel: str, exhibition_id: int) -> list[dict[str, Any]]:
    if channel == "sms":
        return await audiences.SMS_AUDIENCES[audience](exhibition_id)
    return await audiences.EXHIBITION_AUDIENCES[audience](exhibition_id)


async def queue_reminders(
    *, now: datetime, rules: Sequence[Rule] | None = None, sms: SmsSender | None = None
) -> QueuedReminders:
    """Queue every reminder due at ``now`` for every published exhibition not over yet.
    Run it as often as you like, in as many processes: each message is queued once. SMS
    rules are skipped (and named in the report) while ``sms`` (by default the configured
    sender) is off."""
    rules = configured_rules() if rules is None else tuple(rules)
    sms = configured_sender() if sms is None else sms
    register_renderers(rules)
    report = QueuedReminders()
    grouped = {
        ladder: members for ladder, members in ladders(rules).items() if ladder[0] not in audiences.SEMINAR_AUDIENCES
    }
    for (_, _, channel), members in grouped.items():
        if channel == "sms" and not sms.enabled:
            report.skipped_rules += [rule.name for rule in members]
    for exhibition in await _raw(_LIVE, now.date()):
        zone = ZoneInfo(exhibition["time_zone"])
        for (audience, anchor, channel), members in grouped.items():
            if channel == "sms" and not sms.enabled:
                continue
            if anchor == "session_start":
                sessions = await audiences.sessions_starting(exhibition["id"], after=now, until=now + _reach(members))
                for session in sessions:
                    due = due_in_ladder(
                        members,
                        anchor=_aware(session["starts_at"]),
                        anchor_key=f"session:{session['id']}",
                        zone=zone,
                        now=now,
                    )
                    if due is not None:
                        report.queued += await _enqueue_due(
                            rule=due.rule, occurrence=due.occurrence, exhibition_id=exhibition["id"],
                            recipients=await audiences.session_registrants(session["id"]), now=now,
                        )  # fmt: skip
                continue
            anchor_at = exhibition_anchor(anchor, exhibition)
            if anchor_at is None:
                continue
            due = due_in_ladder(
                members, anchor=anchor_at, anchor_key=f"{anchor}:{exhibition['id']}", zone=zone, now=now
            )
            if due is not None:
                report.queued += await _enqueue_due(
                    rule=due.rule, occurrence=due.occurrence, exhibition_id=exhibition["id"],
                    recipients=await _recipients(audience, channel, exhibition["id"]), now=now,
                )  # fmt: skip
    if report.queued:
        logger.info("reminders queued: %s", report.queued)
    return report


# ---------------------------------------------------------------- rendering at delivery

_EXHIBITION_FOR_EMAIL = """
SELECT e.id, e.title_ar, e.title_fr, e.title_en, e.starts_on, e.ends_on, e.opens_at, e.closes_at, e.time_zone,
       e.setup_on, e.applications_close_on, v.name AS venue_name, v.address AS venue_address, v.city AS city
FROM exhibition e JOIN venue v ON v.id = e.venue WHERE e.id = {}
"""

# One query per visitor's message: delivery renders thousands of them in a row.
_TICKET_FOR_REMINDER = """
SELECT t.id, t.holder_name, t.manual_code, t.access_token, t.first_day, t.status,
       e.title_ar, e.title_fr, e.title_en, e.starts_on, e.ends_on, e.opens_at, e.closes_at, e.time_zone,
       e.setup_on, e.applications_close_on, v.name AS venue_name, v.address AS venue_address, v.city AS city
FROM ticket t JOIN exhibition e ON e.id = t.exhibition JOIN venue v ON v.id = e.venue WHERE t.id = {}
"""

_APPLICATION = """
SELECT a.id, a.status, a.exhibition, o.name_ar, o.name_latin,
       (SELECT s.code FROM stand_assignment sa JOIN stand s ON s.id = sa.stand WHERE sa.application = a.id) AS stand
FROM application a JOIN organization o ON o.id = a.organization WHERE a.id = {}
"""

_REGISTRATION = """
SELECT r.id, r.status, r.exhibition, t.holder_name, t.access_token, t.status AS ticket_status,
       s.title_ar, s.title_fr, s.title_en, s.starts_at, s.ends_at, s.status AS session_status, rm.name AS room
FROM session_registration r JOIN ticket t ON t.id = r.ticket JOIN seminar_session s ON s.id = r.session
LEFT JOIN seminar_room rm ON rm.id = s.room WHERE r.id = {}
"""

_HOLDER = """
SELECT h.id, h.exhibition, h.full_name, o.name_ar, o.name_latin
FROM badge_holder h LEFT JOIN organization o ON o.id = h.organization WHERE h.id = {}
"""


def _subject(subject_key: str, kind: str) -> int:
    prefix, _, value = subject_key.partition(":")
    if prefix != kind or not value.isdigit():
        raise Undeliverable(f"subject {subject_key!r} is not a {kind}")
    return int(value)


def _organization(row: Mapping[str, Any], language: str) -> str:
    names = (row["name_ar"], row["name_latin"]) if language == "ar" else (row["name_latin"], row["name_ar"])
    return next((name for name in names if name), "")


async def _exhibition_values(exhibition_id: int, language: str) -> dict[str, Any]:
    [exhibition] = await _raw(_EXHIBITION_FOR_EMAIL, exhibition_id)
    return _exhibition_of(exhibition, language)


def _exhibition_of(exhibition: Mapping[str, Any], language: str) -> dict[str, Any]:
    return {
        "exhibition": exhibition[f"title_{language}"],
        "starts_on": _day(exhibition["starts_on"]),
        "ends_on": _day(exhibition["ends_on"]),
        "opens_at": _time(exhibition["opens_at"]),
        "closes_at": _time(exhibition["closes_at"]),
        "setup_on": _day(exhibition["setup_on"]) if exhibition["setup_on"] else None,
        "applications_close_on": _day(exhibition["applications_close_on"])
        if exhibition["applications_close_on"]
        else None,
        "zone": exhibition["time_zone"],
        "place": ", ".join(p for p in (exhibition["venue_name"], exhibition["venue_address"], exhibition["city"]) if p),
    }


async def reminder_values(audience: str, subject_key: str, language: str, base_url: str) -> dict[str, Any]:
    """What a reminder's template receives for this subject, in ``language``; Undeliverable
    when the subject is gone or no longer concerned (a revoked ticket, a withdrawn exhibitor)."""
    if audience == "registered_visitors":
        found = await _raw(_TICKET_FOR_REMINDER, _subject(subject_key, "ticket"))
        if not found or found[0]["status"] != "valid":
            raise Undeliverable(f"{subject_key} is no longer a valid ticket")
        ticket = found[0]
        link = f"{base_url}/tickets/{ticket['access_token']}"
        return {
            **_exhibition_of(ticket, language),
            "name": ticket["holder_name"],
            "first_day": _day(ticket["first_day"]),
            "manual_code": ticket["manual_code"],
            "ticket_url": f"{link}?lang={language}",
            "pdf_url": f"{link}/pdf",
        }
    if audience == "approved_exhibitors":
        found = await _raw(_APPLICATION, _subject(subject_key, "application"))
        if not found or found[0]["status"] != "approved":
            raise Undeliverable(f"{subject_key} is no longer approved")
        application = found[0]
        return {
            **await _exhibition_values(application["exhibition"], language),
            "name": _organization(application, language),
            "stand": application["stand"] or "",
            "portal_url": f"{base_url}/portal/applications/{application['id']}?lang={language}",
        }
    if audience == "session_registrants":
        found = await _raw(_REGISTRATION, _subject(subject_key, "session_registration"))
        if not found or found[0]["status"] != "registered" or found[0]["ticket_status"] != "valid":
            raise Undeliverable(f"{subject_key} is no longer a registration")
        registration = found[0]
        if registration["session_status"] == "cancelled":
            raise Undeliverable(f"{subject_key}: the session was cancelled")
        values = await _exhibition_values(registration["exhibition"], language)
        zone = ZoneInfo(values["zone"])
        title = next(
            t
            for t in (
                registration[f"title_{language}"],
                registration["title_fr"],
                registration["title_ar"],
                registration["title_en"],
            )
            if t
        )
        return {
            **values,
            "name": registration["holder_name"],
            "title": title,
            "starts_at": _aware(registration["starts_at"]).astimezone(zone),
            "room": registration["room"] or "",
            "ticket_url": f"{base_url}/tickets/{registration['access_token']}?lang={language}",
        }
    if audience == "exhibitor_staff":
        found = await _raw(_HOLDER, _subject(subject_key, "badge_holder"))
        if not found:
            raise Undeliverable(f"{subject_key} no longer exists")
        holder = found[0]
        return {
            **await _exhibition_values(holder["exhibition"], language),
            "name": holder["full_name"],
            "organization": _organization(holder, language) if holder["name_ar"] or holder["name_latin"] else "",
        }
    raise Undeliverable(f"no reminder values for audience {audience!r}")


def register_renderers(rules: Sequence[Rule]) -> None:
    """Delivery renders a reminder row by its rule's name: one renderer per rule of ours."""
    for rule in rules:
        if rule.audience in audiences.SEMINAR_AUDIENCES:
            continue

        async def _render(row: Mapping[str, Any], base_url: str, rule: Rule = rule) -> RenderedEmail:
            values = await reminder_values(rule.audience, row["subject_key"], row["language"], base_url)
            return render(rule.template, language=row["language"], values=values)

        RENDERERS[rule.name] = _render


# ---------------------------------------------------------------- the organizers' preview


@dataclass(frozen=True)
class RulePreview:
    rule: Rule
    recipients: int | None  # None: counted per session at its time
    next_send: datetime | None
    note: str  # why nothing is sent, or how a repeating rule goes; '' otherwise
    samples: dict[str, RenderedEmail]  # language -> a message as the first recipient gets it


async def _count(rule: Rule, exhibition_id: int, now: datetime) -> int:
    if rule.channel == "sms":
        return len(await audiences.SMS_AUDIENCES[rule.audience](exhibition_id))
    if rule.audience in audiences.EXHIBITION_AUDIENCES:
        return len(await audiences.EXHIBITION_AUDIENCES[rule.audience](exhibition_id))
    if rule.audience in seminar_reminders.AUDIENCE_ROLES:
        roles = tuple(sorted(seminar_reminders.AUDIENCE_ROLES[rule.audience]))
        return await audiences.count_session_people(exhibition_id, roles=roles, now=now)
    if rule.audience == "unconfirmed_speakers":
        return await audiences.count_unconfirmed_speakers(exhibition_id, now=now)
    return 0


SPEAKER_AUDIENCES = ("speakers", "moderators", "unconfirmed_speakers")


async def preview_reminders(*, slug: str, actor: Actor | None, now: datetime, base_url: str) -> list[RulePreview]:
    """Every rule with what it will send for this exhibition: its recipients now, its next
    send time, and a sample message in each language (for our audiences with a recipient)."""
    exhibition = await event_services.managed_exhibition(slug, actor, refusal=REMINDERS_REFUSAL)
    [anchors] = await _raw(_ANCHORS, exhibition["id"])
    zone = ZoneInfo(anchors["time_zone"])
    previews = []
    for rule in configured_rules():
        note = ""
        next_send: datetime | None = None
        samples: dict[str, RenderedEmail] = {}
        if rule.channel == "sms" and not configured_sender().enabled:
            note = N_("SMS is off: this rule is skipped.")
        if rule.anchor == "session_start":
            sessions = await audiences.sessions_starting(exhibition["id"], after=now, until=now + timedelta(days=3660))
            times = [
                t for s in sessions if (t := next_send_time(rule, anchor=_aware(s["starts_at"]), zone=zone, now=now))
            ]
            next_send = min(times, default=None)
        elif rule.anchor == "invitation":
            note = note or NUDGE_NOTE
        else:
            anchor_at = exhibition_anchor(rule.anchor, anchors)
            if anchor_at is None:
                note = note or N_("The exhibition has no date for this anchor yet: nothing is sent.")
            else:
                next_send = next_send_time(rule, anchor=anchor_at, zone=zone, now=now)
        if rule.audience == "session_registrants":
            count: int | None = None
        else:
            count = await _count(rule, exhibition["id"], now)
        if rule.channel == "email" and (
            rule.audience in audiences.EXHIBITION_AUDIENCES or rule.audience == "session_registrants"
        ):
            samples = await _samples(rule, exhibition["id"], base_url)
        elif rule.channel == "email" and rule.audience in SPEAKER_AUDIENCES:
            # Imported here: the seminars' speaker services import this package.
            from exhibitions.seminars.services._speakers import sample_messages

            samples = await sample_messages(
                exhibition_id=exhibition["id"], audience=rule.audience, template=rule.template, base_url=base_url,
                now=now,
            )  # fmt: skip
        previews.append(RulePreview(rule=rule, recipients=count, next_send=next_send, note=note, samples=samples))
    return previews


async def _samples(rule: Rule, exhibition_id: int, base_url: str) -> dict[str, RenderedEmail]:
    if rule.audience == "session_registrants":
        rows = await _raw(
            "SELECT 'session_registration:' || id AS subject_key FROM session_registration"
            " WHERE exhibition = {} AND status = 'registered' ORDER BY id LIMIT 1",
            exhibition_id,
        )
    else:
        rows = (await audiences.EXHIBITION_AUDIENCES[rule.audience](exhibition_id))[:1]
    if not rows:
        return {}
    samples = {}
    for language in LANGUAGES:
        try:
            values = await reminder_values(rule.audience, rows[0]["subject_key"], language, base_url)
        except Undeliverable:
            return {}
        samples[language] = render(rule.template, language=language, values=values)
    return samples
