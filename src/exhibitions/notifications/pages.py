"""The organizers' reminders page: every rule of schedules/reminders.toml, when it sends next,
to how many people, and a sample of its message in each language."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from exhibitions.accounts.guards import current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.events import queries as event_queries
from exhibitions.notifications import services
from exhibitions.notifications.reminder_rules import Offset
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.i18n import N_, Translator

AUDIENCE_NAMES = {
    "approved_exhibitors": N_("Approved exhibitors"),
    "exhibitor_staff": N_("Exhibitor staff"),
    "speakers": N_("Speakers"),
    "moderators": N_("Moderators"),
    "registered_visitors": N_("Visitors with a ticket"),
    "session_registrants": N_("Visitors registered to a session"),
    "unconfirmed_speakers": N_("Speakers who have not answered"),
}
ANCHOR_NAMES = {
    "exhibition_opening": N_("Opening of the exhibition"),
    "session_start": N_("Start of each session"),
    "setup_day": N_("Stand set-up day"),
    "application_deadline": N_("Last day to apply"),
    "invitation": N_("Invitation"),
}
CHANNEL_NAMES = {"email": N_("E-mail"), "sms": N_("SMS")}


def offset_words(offset: Offset, translator: Translator) -> str:
    """An offset as a person reads it: ``-2d at 09:00`` is "2 days before, at 09:00"."""
    ngettext, after = translator.ngettext, offset.days > 0 or offset.elapsed > timedelta(0)
    if offset.days or offset.at is not None:
        days = abs(offset.days)
        if after:
            words = ngettext("%(num)d day after", "%(num)d days after", days) % {"num": days}
        else:
            words = ngettext("%(num)d day before", "%(num)d days before", days) % {"num": days}
        if offset.at is None:
            return words
        at = translator.gettext("at %(time)s") % {"time": translator.time(offset.at)}
        return f"{words}{'،' if translator.language == 'ar' else ','} {at}"
    minutes = int(abs(offset.elapsed).total_seconds() // 60)
    if minutes % 60:
        if after:
            return ngettext("%(num)d minute after", "%(num)d minutes after", minutes) % {"num": minutes}
        return ngettext("%(num)d minute before", "%(num)d minutes before", minutes) % {"num": minutes}
    hours = minutes // 60
    if after:
        return ngettext("%(num)d hour after", "%(num)d hours after", hours) % {"num": hours}
    return ngettext("%(num)d hour before", "%(num)d hours before", hours) % {"num": hours}


class ReminderPagesController(Controller):
    path = "/organize/exhibitions/{slug:str}/reminders"
    guards = [requires_staff]
    include_in_schema = False

    @get("/")
    async def reminders(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        previews = await services.preview_reminders(
            slug=slug, actor=current_actor(request), now=utcnow(), base_url=settings_of(request).base_url
        )
        exhibition = await event_queries.find_exhibition(slug)
        assert exhibition is not None  # preview_reminders found it
        return page(
            request,
            "notifications/reminders.html",
            slug=slug,
            exhibition=exhibition,
            previews=previews,
            zone=ZoneInfo(exhibition["time_zone"]),
            audience_names=AUDIENCE_NAMES,
            anchor_names=ANCHOR_NAMES,
            channel_names=CHANNEL_NAMES,
            languages={"ar": "العربية", "fr": "Français", "en": "English"},
            offset_words=lambda offset: offset_words(offset, translator_for(request)),
        )
