"""The organizers' reminders page: every rule of schedules/reminders.toml, when it sends next,
to how many people, and a sample of its message in each language."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from exhibitions.accounts.guards import current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.events import queries as event_queries
from exhibitions.notifications import services
from exhibitions.web.context import page, settings_of
from exhibitions.web.i18n import N_

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
        )
