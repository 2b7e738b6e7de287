"""The speaker workflow: signed links, each person's page, their answers, and the
invitations, nudges and reminders they get by e-mail.

- A person has one link (seminars/links.py), signed with their current link version;
  :func:`reissue_link` bumps the version and so revokes every earlier link.
- :func:`respond` records an answer for one session: confirmed, another time asked for
  (with a message), or declined.
- :func:`invite_people` queues the ``speaker_invited`` e-mail to everyone with an e-mail
  address and a session awaiting their answer, once per link version.
- :func:`queue_speaker_messages` (ticked every minute) queues what seminars/reminders.py
  says is due: ``speaker_nudge`` and ``session_reminder``.

The three e-mails are rendered when they are queued, not at delivery as a ticket's is:
they carry the signed link, and the delivery pass has no secret key to sign it with (nor
should it). They are queued a minute or so before they leave, so what they say is fresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.notifications import queries as notification_queries
from exhibitions.notifications import services as notifications
from exhibitions.notifications.emails import RenderedEmail, render
from exhibitions.seminars import links, reminders
from exhibitions.seminars.labels import ROLES, in_language, person_name
from exhibitions.seminars.services._common import db, organizers_exhibition
from exhibitions.seminars.speaker_tables import SpeakerLink
from exhibitions.settings import LANGUAGES
from exhibitions.text import control_character_errors
from exhibitions.web.i18n import N_, Translator

RULE_SPEAKER_INVITED = "speaker_invited"
RULE_SPEAKER_NUDGE = "speaker_nudge"
RULE_SESSION_REMINDER = "session_reminder"
RULES = (RULE_SPEAKER_INVITED, RULE_SPEAKER_NUDGE, RULE_SESSION_REMINDER)

ANSWERS = ("confirmed", "reschedule_requested", "declined")
MAX_MESSAGE_LENGTH = 2000


def aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def when_text(starts_at: datetime, ends_at: datetime, time_zone: str, translator: Translator) -> str:
    """``Tuesday 29 December 2026, 10:00 – 11:30`` in the exhibition's zone and the reader's language."""
    zone = ZoneInfo(time_zone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    day = translator.date(start.date())
    times = f"{translator.time(start.time())} – {translator.time(end.time())}"
    if translator.direction == "rtl":
        # Isolated left-to-right (LRI … PDI), the times keep their order in an Arabic line.
        return f"{day}، \u2066{times}\u2069"
    return f"{day}, {times}"


@dataclass(frozen=True)
class CoSpeaker:
    name: str
    role: str


@dataclass(frozen=True)
class SpeakerSession:
    session_person_id: int
    session_id: int
    titles: Mapping[str, str]
    starts_at: datetime
    ends_at: datetime
    room: str
    building: str
    role: str
    response: str
    response_message: str
    responded_at: datetime | None
    cancelled: bool
    co_speakers: tuple[CoSpeaker, ...] = ()

    def title(self, language: str) -> str:
        return in_language(self.titles, language)


@dataclass(frozen=True)
class SpeakerPage:
    """A person and their sessions, as their link (or their account) shows them."""

    person: Mapping[str, Any]
    exhibition: Mapping[str, Any]
    sessions: tuple[SpeakerSession, ...] = field(default=())

    @property
    def language(self) -> str:
        return str(self.person["language"])

    def name(self, language: str) -> str:
        return person_name(self.person["name_ar"], self.person["name_latin"], language)

    def exhibition_title(self, language: str) -> str:
        return in_language({code: self.exhibition[f"title_{code}"] for code in ("ar", "fr", "en")}, language)

    @property
    def time_zone(self) -> str:
        return str(self.exhibition["time_zone"])


_PERSON = """
SELECT p.id, p.exhibition, p.name_ar, p.name_latin, p.email, p.language, p."user" AS user_id,
       e.slug, e.title_ar, e.title_fr, e.title_en, e.time_zone, e.starts_on, e.ends_on,
       v.name AS venue_name, v.city, l.version AS link_version, l.invited_at
FROM seminar_person p JOIN exhibition e ON e.id = p.exhibition JOIN venue v ON v.id = e.venue
LEFT JOIN speaker_link l ON l.person = p.id
WHERE {}
ORDER BY e.starts_on, p.id
"""

_SESSIONS = """
SELECT sp.id AS session_person, sp.person, sp.role, sp.response, sp.response_message, sp.responded_at,
       s.id AS session, s.title_ar, s.title_fr, s.title_en, s.starts_at, s.ends_at, s.status,
       r.name AS room, r.building
FROM session_person sp JOIN seminar_session s ON s.id = sp.session LEFT JOIN seminar_room r ON r.id = s.room
WHERE sp.person IN ({})
ORDER BY s.starts_at, s.id
"""

_CO_SPEAKERS = """
SELECT sp.session, sp.person, sp.role, p.name_ar, p.name_latin
FROM session_person sp JOIN seminar_person p ON p.id = sp.person
WHERE sp.session IN (SELECT session FROM session_person WHERE person IN ({}))
ORDER BY sp.session, sp.position, sp.id
"""


def _placeholders(count: int) -> str:
    return ", ".join(["{}"] * count)


async def _pages(people: list[dict[str, Any]]) -> list[SpeakerPage]:
    if not people:
        return []
    ids = [person["id"] for person in people]
    marks = _placeholders(len(ids))
    sessions = await SpeakerLink.raw(_SESSIONS.format(marks), *ids)
    others = await SpeakerLink.raw(_CO_SPEAKERS.format(marks), *ids)
    by_session: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for other in others:
        by_session[other["session"]].append(other)
    pages = []
    for person in people:
        language = person["language"]
        own = [
            SpeakerSession(
                session_person_id=row["session_person"],
                session_id=row["session"],
                titles={code: row[f"title_{code}"] for code in ("ar", "fr", "en") if row[f"title_{code}"]},
                starts_at=aware(row["starts_at"]),
                ends_at=aware(row["ends_at"]),
                room=row["room"] or "",
                building=row["building"] or "",
                role=row["role"],
                response=row["response"],
                response_message=row["response_message"],
                responded_at=aware(row["responded_at"]) if row["responded_at"] else None,
                cancelled=row["status"] == "cancelled",
                co_speakers=tuple(
                    CoSpeaker(person_name(other["name_ar"], other["name_latin"], language), other["role"])
                    for other in by_session[row["session"]]
                    if other["person"] != person["id"]
                ),
            )
            for row in sessions
            if row["person"] == person["id"]
        ]
        pages.append(SpeakerPage(person=person, exhibition=person, sessions=tuple(own)))
    return pages


async def _person(person_id: int) -> dict[str, Any] | None:
    rows = await SpeakerLink.raw(_PERSON.format("p.id = {}"), person_id)
    return dict(rows[0]) if rows else None


async def _ensure_link(person: Mapping[str, Any], now: datetime) -> int:
    """The person's link version, made (version 1) on first use."""
    if person["link_version"] is not None:
        return int(person["link_version"])
    await SpeakerLink.raw(
        "INSERT INTO speaker_link (exhibition, person, version, nudges_sent, updated_at) VALUES ({}, {}, 1, 0, {})"
        " ON CONFLICT (person) DO NOTHING",
        person["exhibition"], person["id"], now,
    )  # fmt: skip
    rows = await SpeakerLink.raw("SELECT version FROM speaker_link WHERE person = {}", person["id"])
    return int(rows[0]["version"])


def _token(person: Mapping[str, Any], version: int, secret_key: str) -> str:
    link = links.SpeakerLink(
        person_id=person["id"],
        exhibition_id=person["exhibition"],
        expires_on=links.expiry_for(_day(person["ends_on"])),
        version=version,
    )
    return links.sign_link(link, links.link_key(secret_key))


def link_url(base_url: str, token: str, language: str) -> str:
    return f"{base_url}/speakers/{token}?lang={language}"


async def speaker_link(*, person_id: int, secret_key: str, now: datetime) -> str:
    """The person's current link token (made on first use)."""
    person = await _person(person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    version = await _ensure_link(person, now)
    return _token(person, version, secret_key)


async def open_speaker_link(*, token: str, secret_key: str, today: date) -> SpeakerPage:
    """The page behind a link; :class:`links.LinkRefused` for a forged, expired or revoked one."""
    link = links.read_link(token, links.link_key(secret_key), today=today)
    person = await _person(link.person_id)
    if person is None or person["exhibition"] != link.exhibition_id or person["link_version"] != link.version:
        raise links.LinkRefused(links.LinkProblem.revoked)
    [page] = await _pages([person])
    return page


async def speaker_pages_of(*, actor: Actor) -> list[SpeakerPage]:
    """Every seminar person the signed-in user is, with their sessions."""
    rows = await SpeakerLink.raw(_PERSON.format('p."user" = {}'), actor.user_id)
    return await _pages([dict(row) for row in rows])


async def respond(
    *, session_person_id: int, person_id: int, response: str, message: str, now: datetime
) -> dict[str, Any]:
    """Record ``person_id``'s answer for one of their sessions: ``confirmed``,
    ``reschedule_requested`` (a message saying which times suit them is required) or
    ``declined`` (a message is optional). Answering again replaces the answer."""
    message = message.strip()
    errors = control_character_errors({"message": message})
    if response not in ANSWERS:
        errors.append(FieldError("response", "invalid_choice", f"must be one of {', '.join(ANSWERS)}"))
    if response == "reschedule_requested" and not message:
        errors.append(FieldError("message", "message_required", "say which times would suit you"))
    if len(message) > MAX_MESSAGE_LENGTH:
        errors.append(FieldError("message", "text_too_long", f"at most {MAX_MESSAGE_LENGTH} characters"))
    if errors:
        raise InvalidInput(errors)
    updated = await SpeakerLink.raw(
        "UPDATE session_person SET response = {}, response_message = {}, responded_at = {}"
        " WHERE id = {} AND person = {}"
        " AND session IN (SELECT id FROM seminar_session WHERE status <> 'cancelled')"
        " RETURNING id, session, person, response, response_message, responded_at",
        response, message, now, session_person_id, person_id,
    )  # fmt: skip
    if updated:
        return dict(updated[0])
    mine = await SpeakerLink.raw(
        "SELECT id FROM session_person WHERE id = {} AND person = {}", session_person_id, person_id
    )
    if not mine:
        raise NotFound(f"no session {session_person_id} for this person")
    reason = "this session was cancelled"
    raise Conflict(reason, errors=[FieldError("session", "cancelled", reason)])


_RESPONSES = """
SELECT sp.id AS session_person, sp.session, sp.person, sp.role, sp.response, sp.response_message, sp.responded_at,
       s.title_ar, s.title_fr, s.title_en, s.starts_at, p.name_ar, p.name_latin
FROM session_person sp JOIN seminar_session s ON s.id = sp.session JOIN seminar_person p ON p.id = sp.person
WHERE sp.exhibition = {}
ORDER BY s.starts_at, s.id, sp.position, sp.id
"""


async def responses_of(*, exhibition_id: int) -> list[dict[str, Any]]:
    """Every person's answer for every session of the exhibition, in programme order: for
    the organizers' programme page."""
    return [dict(row) for row in await SpeakerLink.raw(_RESPONSES, exhibition_id)]


async def reissue_link(*, slug: str, person_id: int, actor: Actor | None, now: datetime, secret_key: str) -> str:
    """Revoke the person's links and give them a new one (its token). Their next
    invitation (:func:`invite_people`) sends it, and the nudges count again."""
    exhibition = await organizers_exhibition(slug, actor)
    person = await _person(person_id)
    if person is None or person["exhibition"] != exhibition["id"]:
        raise NotFound(f"no person {person_id} in this exhibition")
    async with write_transaction(db()):
        await _ensure_link(person, now)
        rows = await SpeakerLink.raw(
            "UPDATE speaker_link SET version = version + 1, invited_at = NULL, nudges_sent = 0, last_nudged_at = NULL,"
            " updated_at = {} WHERE person = {} RETURNING version",
            now, person_id,
        )  # fmt: skip
    return _token(person, int(rows[0]["version"]), secret_key)


# ---- E-mails ---------------------------------------------------------------------------

# Said only in the .txt e-mails, whose extraction babel skips: marked here for the catalogs.
SPEAKER_EMAIL_TEXT = (
    N_("Please confirm your sessions at %(exhibition)s"),
    N_("Reminder: please answer for your sessions at %(exhibition)s"),
    N_("Reminder: %(title)s, %(when)s"),
    N_("Hello %(name)s,"),
    N_("The organizers of %(exhibition)s have listed you in these sessions:"),
    N_("We have not heard from you yet about these sessions at %(exhibition)s:"),
    N_("For each session, confirm, ask for another time or decline on your page:"),
    N_("This link is yours alone. It opens your page until %(date)s."),
    N_("Your session at %(exhibition)s is coming:"),
    N_("Your page, to change your answer:"),
    N_("Times are local to the exhibition (%(zone)s)."),
)


def _session_lines(
    page: SpeakerPage, sessions: Iterable[SpeakerSession], translator: Translator
) -> list[dict[str, str]]:
    language = translator.language
    return [
        {
            "title": session.title(language),
            "role": translator.gettext(ROLES[session.role]),
            "when": when_text(session.starts_at, session.ends_at, page.time_zone, translator),
            "where": ("، " if translator.direction == "rtl" else ", ").join(
                part
                for part in (session.room, session.building, page.exhibition["venue_name"], page.exhibition["city"])
                if part
            ),
        }
        for session in sessions
    ]


def _render(
    template: str, page: SpeakerPage, sessions: Iterable[SpeakerSession], url: str, **values: Any
) -> RenderedEmail:
    translator = Translator(page.language)
    return render(
        template if "/" in template else f"seminars/{template}",
        language=page.language,
        values={
            "exhibition": page.exhibition_title(page.language),
            "name": page.name(page.language),
            "sessions": _session_lines(page, sessions, translator),
            "link_url": url,
            "expires_on": translator.date(links.expiry_for(_day(page.exhibition["ends_on"]))),
            "zone": page.time_zone,
            **values,
        },
    )


def _awaiting(page: SpeakerPage, now: datetime) -> list[SpeakerSession]:
    return [s for s in page.sessions if s.response == "invited" and not s.cancelled and s.starts_at > now]


async def invite_people(*, slug: str, actor: Actor | None, now: datetime, secret_key: str, base_url: str) -> int:
    """Queue the invitation (their link and their sessions) to everyone of the exhibition
    with an e-mail address and a session awaiting their answer, in their language; how many
    were queued. Once per link version: inviting again reaches only the people added since
    and those whose link was re-issued."""
    exhibition = await organizers_exhibition(slug, actor)
    rows = await SpeakerLink.raw(_PERSON.format("p.exhibition = {} AND p.email IS NOT NULL"), exhibition["id"])
    queued = 0
    for page in await _pages([dict(row) for row in rows]):
        awaiting = _awaiting(page, now)
        if not awaiting or page.person["invited_at"] is not None:
            continue
        async with write_transaction(db()):
            version = await _ensure_link(page.person, now)
            url = link_url(base_url, _token(page.person, version, secret_key), page.language)
            queued_id = await notifications.enqueue(
                rule=RULE_SPEAKER_INVITED, recipient=page.person["email"],
                subject_key=f"seminar_person:{page.person['id']}", occurrence=f"v{version}", language=page.language,
                now=now, exhibition_id=exhibition["id"],
                rendered=_render("speaker_invited", page, awaiting, url),
            )  # fmt: skip
            if queued_id is not None:
                await SpeakerLink.raw(
                    "UPDATE speaker_link SET invited_at = {}, nudges_sent = 0, last_nudged_at = NULL, updated_at = {}"
                    " WHERE person = {} AND version = {}",
                    now, now, page.person["id"], version,
                )  # fmt: skip
                queued += 1
    return queued


@dataclass(frozen=True)
class QueuedMessages:
    nudges: int = 0
    reminders: int = 0


_INVITED = """
SELECT l.person, l.version, l.invited_at, l.nudges_sent, l.last_nudged_at
FROM speaker_link l JOIN seminar_person p ON p.id = l.person
WHERE l.invited_at IS NOT NULL AND l.nudges_sent < {} AND p.email IS NOT NULL
"""
# "until confirmed or the programme is published": no nudge once a version is out.
_NOT_PUBLISHED = " AND NOT EXISTS (SELECT 1 FROM programme_version v WHERE v.exhibition = p.exhibition)"

_UNANSWERED = """
SELECT sp.person, s.starts_at FROM session_person sp JOIN seminar_session s ON s.id = sp.session
JOIN speaker_link l ON l.person = sp.person
WHERE sp.response = 'invited' AND s.status <> 'cancelled' AND s.starts_at > {} AND l.invited_at IS NOT NULL
"""

# Only sessions on the programme (scheduled) are reminded of, and only within the longest
# reminder's reach: the job reads a few rows a minute, not the whole programme.
_APPEARANCES = """
SELECT sp.id, sp.person, sp.session, sp.response, sp.role, s.starts_at, s.status
FROM session_person sp JOIN seminar_session s ON s.id = sp.session JOIN seminar_person p ON p.id = sp.person
WHERE s.status = 'scheduled' AND s.starts_at > {} AND s.starts_at <= {} AND p.email IS NOT NULL
"""


async def _queue(rule: str, page: SpeakerPage, occurrence: str, rendered: RenderedEmail, now: datetime) -> int | None:
    return await notifications.enqueue(
        rule=rule, recipient=page.person["email"], subject_key=f"seminar_person:{page.person['id']}",
        occurrence=occurrence, language=page.language, now=now, exhibition_id=page.person["exhibition"],
        rendered=rendered,
    )  # fmt: skip


async def _page_of(person_id: int, cache: dict[int, SpeakerPage]) -> SpeakerPage | None:
    if person_id not in cache:
        person = await _person(person_id)
        if person is None:
            return None
        [cache[person_id]] = await _pages([person])
    return cache[person_id]


async def queue_speaker_messages(
    *,
    now: datetime,
    secret_key: str,
    base_url: str,
    nudge_rule: reminders.NudgeRule | None = reminders.SPEAKER_NUDGES,
    reminder_rules: tuple[reminders.ReminderRule, ...] = reminders.SESSION_REMINDERS,
) -> QueuedMessages:
    """Queue the nudges and session reminders due at ``now``. Run it as often as you like:
    the outbox key (seminars/reminders.py says which) queues each message once."""
    pages: dict[int, SpeakerPage] = {}
    unanswered: dict[int, list[datetime]] = defaultdict(list)
    for row in await SpeakerLink.raw(_UNANSWERED, now):
        unanswered[row["person"]].append(aware(row["starts_at"]))
    invited = (_INVITED + (_NOT_PUBLISHED if nudge_rule and nudge_rule.until_published else "")).strip()
    invitations = [
        reminders.Invitation(
            person_id=row["person"], version=row["version"], invited_at=aware(row["invited_at"]),
            nudges_sent=row["nudges_sent"],
            last_nudged_at=aware(row["last_nudged_at"]) if row["last_nudged_at"] else None,
            unanswered_starts=tuple(unanswered.get(row["person"], ())),
        )
        for row in (await SpeakerLink.raw(invited, nudge_rule.at_most) if nudge_rule else [])
    ]  # fmt: skip
    nudges = 0
    for nudge in reminders.due_nudges(invitations, now=now, rule=nudge_rule) if nudge_rule else []:
        page = await _page_of(nudge.invitation.person_id, pages)
        if page is None:
            continue
        token = _token(page.person, nudge.invitation.version, secret_key)
        assert nudge_rule is not None
        rendered = _render(nudge_rule.template, page, _awaiting(page, now), link_url(base_url, token, page.language))
        async with write_transaction(db()):
            # Counted only if the link is still the one nudged about (a re-issue starts again).
            counted = await SpeakerLink.raw(
                "UPDATE speaker_link SET nudges_sent = {}, last_nudged_at = {}, updated_at = {}"
                " WHERE person = {} AND version = {} AND nudges_sent = {} RETURNING id",
                nudge.number, now, now, nudge.invitation.person_id, nudge.invitation.version, nudge.number - 1,
            )  # fmt: skip
            if counted and await _queue(RULE_SPEAKER_NUDGE, page, nudge.occurrence, rendered, now) is not None:
                nudges += 1
    horizon = now + max((rule.before for rule in reminder_rules), default=reminders.SESSION_REMINDERS[0].before)
    appearances = [
        reminders.Appearance(
            session_person_id=row["id"], person_id=row["person"], session_id=row["session"],
            starts_at=aware(row["starts_at"]), response=row["response"], cancelled=row["status"] == "cancelled",
            role=row["role"],
        )
        for row in await SpeakerLink.raw(_APPEARANCES, now, horizon)
    ]  # fmt: skip
    due_reminders = reminders.due_reminders(appearances, now=now, rules=reminder_rules)
    # Most ticks find every due reminder queued already (a window lasts days): skip those
    # before rendering rather than let the outbox refuse them after.
    queued = await notification_queries.queued_occurrences(
        rule=RULE_SESSION_REMINDER, subject_keys={f"seminar_person:{due.appearance.person_id}" for due in due_reminders}
    )
    sent = 0
    for due in due_reminders:
        if (f"seminar_person:{due.appearance.person_id}", due.occurrence) in queued:
            continue
        page = await _page_of(due.appearance.person_id, pages)
        if page is None:
            continue
        [session] = [s for s in page.sessions if s.session_person_id == due.appearance.session_person_id]
        version = await _ensure_link(page.person, now)
        url = link_url(base_url, _token(page.person, version, secret_key), page.language)
        translator = Translator(page.language)
        rendered = _render(
            due.rule.template, page, [session], url, title=session.title(page.language),
            when=when_text(session.starts_at, session.ends_at, page.time_zone, translator),
        )  # fmt: skip
        if await _queue(RULE_SESSION_REMINDER, page, due.occurrence, rendered, now) is not None:
            sent += 1
    return QueuedMessages(nudges=nudges, reminders=sent)


SAMPLE_TOKEN = "sample"  # noqa: S105 - not a secret: a sample link that opens no page


async def sample_messages(
    *, exhibition_id: int, audience: str, template: str, base_url: str, now: datetime
) -> dict[str, RenderedEmail]:
    """What a speakers' rule sends, in each language, for the organizers' reminders page: the
    message of the first person it would reach (a speaker, a moderator, or someone who has not
    answered), with a sample in place of their personal link. Empty when it reaches nobody."""
    people = await SpeakerLink.raw(_PERSON.format("p.exhibition = {}"), exhibition_id)
    for page in await _pages(people):
        if audience == "unconfirmed_speakers":
            sessions = _awaiting(page, now)
        else:
            role = "moderator" if audience == "moderators" else "speaker"
            sessions = [s for s in page.sessions if s.role == role and not s.cancelled and s.response != "declined"]
        if sessions:
            break
    else:
        return {}
    first = sessions[0]
    samples = {}
    for language in LANGUAGES:
        shown = replace(page, person={**page.person, "language": language})
        samples[language] = _render(
            template, shown, sessions if audience == "unconfirmed_speakers" else [first],
            link_url(base_url, SAMPLE_TOKEN, language), title=first.title(language),
            when=when_text(first.starts_at, first.ends_at, page.time_zone, Translator(language)),
        )  # fmt: skip
    return samples


async def list_responses(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    """:func:`responses_of` for the exhibition's organizers."""
    exhibition = await organizers_exhibition(slug, actor)
    return await responses_of(exhibition_id=exhibition["id"])
