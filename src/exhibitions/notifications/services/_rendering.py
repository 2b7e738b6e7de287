"""Messages rendered at delivery from what a rule stored, and attachments loaded at send time."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from exhibitions.exhibitors.tables import ApplicationEvent
from exhibitions.notifications.emails import Attachment, RenderedEmail, render
from exhibitions.stands.reasons import reason_text
from exhibitions.tickets.tables import Ticket, TicketStatus
from exhibitions.web.i18n import N_, Translator

RULE_TICKET_ISSUED = "ticket_issued"
RULE_APPLICATION_DECIDED = "application_decided"
RULE_STAND_ASSIGNED = "stand_assigned"


class Undeliverable(Exception):
    """Retrying cannot help: the message is failed at once, with this reason."""


_TICKET_FOR_EMAIL = """
SELECT t.id, t.holder_name, t.manual_code, t.access_token, t.first_day, t.day_count, t.status,
       e.title_ar, e.title_fr, e.title_en, e.opens_at, e.closes_at,
       v.name AS venue_name, v.address AS venue_address, v.city AS city
FROM ticket t JOIN exhibition e ON e.id = t.exhibition JOIN venue v ON v.id = e.venue
WHERE t.id = {}
"""


def _subject_id(subject_key: str, kind: str) -> int:
    prefix, _, value = subject_key.partition(":")
    if prefix != kind or not value.isdigit():
        raise Undeliverable(f"subject {subject_key!r} is not a {kind}")
    return int(value)


async def _render_ticket_issued(row: Mapping[str, Any], base_url: str) -> RenderedEmail:
    tickets = await Ticket.raw(_TICKET_FOR_EMAIL, _subject_id(row["subject_key"], "ticket"))
    if not tickets:
        raise Undeliverable(f"{row['subject_key']} no longer exists")
    ticket = tickets[0]
    if ticket["status"] != TicketStatus.valid.value:
        raise Undeliverable(f"{row['subject_key']} was revoked before its e-mail left")
    language = row["language"]
    link = f"{base_url}/tickets/{ticket['access_token']}"
    return render(
        "tickets/ticket_issued",
        language=language,
        values={
            "exhibition": ticket[f"title_{language}"],
            "holder_name": ticket["holder_name"],
            "first_day": ticket["first_day"],
            "last_day": ticket["first_day"] + timedelta(days=ticket["day_count"] - 1),
            "opens_at": ticket["opens_at"],
            "closes_at": ticket["closes_at"],
            "place": ", ".join(
                part for part in (ticket["venue_name"], ticket["venue_address"], ticket["city"]) if part
            ),
            "manual_code": ticket["manual_code"],
            "ticket_url": f"{link}?lang={language}",
            "pdf_url": f"{link}/pdf",
        },
    )


_DECISION_FOR_EMAIL = """
SELECT ev.to_status, ev.reason, a.id AS application, e.slug, e.title_ar, e.title_fr, e.title_en,
       o.name_ar, o.name_latin
FROM application_event ev JOIN application a ON a.id = ev.application
JOIN exhibition e ON e.id = a.exhibition JOIN organization o ON o.id = a.organization
WHERE ev.id = {}
"""

# Said in the recipient's language; marked for extraction, translated at render time.
DECISION_NAMES = {
    "approved": N_("Approved"),
    "waitlisted": N_("On the waiting list"),
    "rejected": N_("Not selected"),
}


async def _render_application_decided(row: Mapping[str, Any], base_url: str) -> RenderedEmail:
    found = await ApplicationEvent.raw(_DECISION_FOR_EMAIL, _subject_id(row["subject_key"], "application_event"))
    if not found:
        raise Undeliverable(f"{row['subject_key']} no longer exists")
    decision = found[0]
    language = row["language"]
    latin_first = language != "ar"
    names = (
        (decision["name_latin"], decision["name_ar"]) if latin_first else (decision["name_ar"], decision["name_latin"])
    )
    return render(
        "exhibitors/application_decided",
        language=language,
        values={
            "exhibition": decision[f"title_{language}"],
            "organization": next(name for name in names if name),
            "decision": Translator(language).gettext(DECISION_NAMES[decision["to_status"]]),
            "reason": decision["reason"],
            # The applicant's page explains every decision; the link opens it in their language.
            "application_url": f"{base_url}/portal/applications/{decision['application']}?lang={language}",
        },
    )


_STAND_FOR_EMAIL = """
SELECT a.id AS application, s.code, h.name AS hall, e.title_ar, e.title_fr, e.title_en, o.name_ar, o.name_latin,
       sa.source, sa.reason
FROM stand_assignment sa JOIN stand s ON s.id = sa.stand JOIN hall h ON h.id = s.hall
JOIN application a ON a.id = sa.application JOIN exhibition e ON e.id = a.exhibition
JOIN organization o ON o.id = a.organization
WHERE sa.application = {}
"""


# Said only in stand_assigned.txt, whose extraction babel skips: marked here for the catalogs.
STAND_ASSIGNED_TEXT = (N_("Your stand at %(exhibition)s"), N_("See your stand on the plan:"), N_("Why this stand:"))


async def _render_stand_assigned(row: Mapping[str, Any], base_url: str) -> RenderedEmail:
    # The stand of the moment: a message queued for a stand since changed says the new one
    # (its own message follows, and the outbox key keeps the two apart).
    found = await ApplicationEvent.raw(_STAND_FOR_EMAIL, _subject_id(row["subject_key"], "application"))
    if not found:
        raise Undeliverable(f"{row['subject_key']} has no stand any more")
    stand = found[0]
    language = row["language"]
    names = (stand["name_latin"], stand["name_ar"]) if language != "ar" else (stand["name_ar"], stand["name_latin"])
    # A stand from an accepted proposal says why the allocator chose it; one placed by hand does not.
    why = json.loads(stand["reason"]) if stand["source"] == "proposal" and stand["reason"] else None
    return render(
        "stands/stand_assigned",
        language=language,
        values={
            "exhibition": stand[f"title_{language}"],
            "organization": next((name for name in names if name), ""),
            "code": stand["code"],
            "hall": stand["hall"],
            "reason": reason_text(why["notes"], Translator(language), why.get("near", ())) if why else "",
            "application_url": f"{base_url}/portal/applications/{stand['application']}?lang={language}",
        },
    )


RENDERERS: dict[str, Callable[[Mapping[str, Any], str], Awaitable[RenderedEmail]]] = {
    RULE_TICKET_ISSUED: _render_ticket_issued,
    RULE_APPLICATION_DECIDED: _render_application_decided,
    RULE_STAND_ASSIGNED: _render_stand_assigned,
}

# Attachments are references ('<kind>:<id>') rendered at send time, so the outbox never
# holds a PDF's bytes. A domain that renders documents adds its kind here.
ATTACHMENT_LOADERS: dict[str, Callable[[str], Awaitable[Attachment]]] = {}


async def load_attachment(reference: str) -> Attachment:
    kind, _, key = reference.partition(":")
    loader = ATTACHMENT_LOADERS.get(kind)
    if loader is None:
        raise Undeliverable(f"no loader for attachments of kind {kind!r}")
    return await loader(key)


async def rendered_message(row: Mapping[str, Any], base_url: str) -> RenderedEmail:
    if row["text_body"] is not None:
        return RenderedEmail(subject=row["subject_line"], text=row["text_body"], html=row["html_body"])
    renderer = RENDERERS.get(row["rule"])
    if renderer is None:
        # A reminder rule's renderer is registered when schedules/reminders.toml is read: a
        # process that only delivers (exhibitions deliver-mail) reads it at its first reminder.
        from exhibitions.notifications.services._reminders import configured_rules, register_renderers

        register_renderers(configured_rules())
        renderer = RENDERERS.get(row["rule"])
    if renderer is None:
        raise Undeliverable(f"rule {row['rule']!r} has no renderer")
    return await renderer(row, base_url)
