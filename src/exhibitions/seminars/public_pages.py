"""The public programme by day, room and track; the visitor's own programme (by their
ticket link) with its star and register buttons; the rooms' live status for the public and
the door staff; and the organizers' publish button."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, PathParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, NotFound
from exhibitions.events import services as event_services
from exhibitions.seminars import services
from exhibitions.seminars.labels import ROLES, SESSION_TYPES, in_language, person_name
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.downloads import private_attachment
from exhibitions.web.i18n import N_, Translator

SessionId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]

LANGUAGE_NAMES = {"ar": N_("Arabic"), "fr": N_("French"), "en": N_("English")}
# Why a visitor's action was refused, by the code the service gives.
REFUSALS = {
    "session_cancelled": N_("This session is cancelled."),
    "registration_not_needed": N_("This session is open to all: no registration is needed."),
    "session_started": N_("This session has started: registration is closed."),
    "ticket_cancelled": N_("This ticket has been cancelled."),
}


@dataclass(frozen=True)
class SessionCard:
    session: services.PublicSession
    title: str
    title_lang: str  # the language the title is shown in (a fallback may differ from the page's)
    abstract: str
    start: datetime  # local
    end: datetime
    room: str
    track: str
    type: str
    languages: str
    people: list[tuple[str, list[str]]]  # (role label, names)
    separator: str  # between the items of a list: the Arabic comma on Arabic pages
    places: services.Places
    room_full_now: bool  # the session is on now and its room's door counts it full
    starred: bool = False
    registration: services.Registration | None = None


def _text_language(texts: Mapping[str, str], language: str) -> str:
    # The order labels.in_language picks in.
    return next((choice for choice in (language, "fr", "ar", "en") if texts.get(choice)), language)


def session_card(
    session: services.PublicSession,
    *,
    programme: services.PublishedProgramme,
    translator: Translator,
    places: Mapping[int, services.Places],
    full_rooms: set[int],
    mine: services.VisitorProgramme | None,
    now: datetime,
) -> SessionCard:
    language = translator.language
    zone = programme.zone
    counted = places.get(session.id, services.NO_PLACES)
    separator = services.comma(language)
    people: dict[str, list[str]] = {}
    for person in session.people:
        people.setdefault(person["role"], []).append(person_name(person["name_ar"], person["name_latin"], language))
    track = session.track
    return SessionCard(
        session=session,
        title=in_language(session.title, language),
        title_lang=_text_language(session.title, language),
        abstract=in_language(session.abstract, language),
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone),
        room=session.room["name"] if session.room else "",
        track=in_language(track["name"], language) if track else "",
        type=translator.gettext(SESSION_TYPES.get(session.type, session.type)),
        languages=separator.join(translator.gettext(LANGUAGE_NAMES.get(code, code)) for code in session.languages),
        people=[(translator.gettext(ROLES[role]), names) for role, names in people.items() if role in ROLES],
        separator=separator,
        places=counted,
        room_full_now=session.room is not None
        and session.room["id"] in full_rooms
        and session.starts_at <= now < session.ends_at,
        starred=mine is not None and session.id in mine.starred,
        registration=mine.registrations.get(session.id) if mine else None,
    )


@dataclass
class RoomColumn:
    name: str
    building: str
    room_id: int | None
    full: bool
    cards: list[SessionCard] = field(default_factory=list)


def _chosen_day(days: list[date], wanted: str | None, today: date) -> date | None:
    if wanted:
        try:
            chosen = date.fromisoformat(wanted)
        except ValueError:
            chosen = None
        if chosen in days:
            return chosen
    if today in days:
        return today
    return days[0] if days else None


def _followed(programme: services.PublishedProgramme, mine: services.VisitorProgramme) -> list[services.PublicSession]:
    """The sessions a visitor starred or registered for, in time order."""
    return [one for one in programme.sessions if one.id in mine.starred or one.id in mine.registrations]


def _return_query(request: Request[Any, Any, Any]) -> str:
    """The day and track a visitor was looking at, for the way back after a button."""
    wanted = {key: request.query_params.get(key, "")[:40] for key in ("day", "track")}
    return urlencode({key: value for key, value in wanted.items() if value})


def _url(path: str, **params: str | None) -> str:
    query = {key: value for key, value in params.items() if value}
    return f"{path}?{urlencode(query)}" if query else path


class PublicProgrammePagesController(Controller):
    include_in_schema = False

    async def _programme_page(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        *,
        mine: services.VisitorProgramme | None,
        status_code: int = 200,
        refusal: str | None = None,
    ) -> Template:
        actor = current_actor(request)
        programme = await services.published_programme(slug=slug, actor=actor)
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=actor)
        translator = translator_for(request, preferred=mine.visitor.language if mine else None)
        now = utcnow()
        zone = programme.zone
        path = request.url.path
        wanted_day, wanted_track = request.query_params.get("day"), request.query_params.get("track")
        track_codes = {track["code"] for track in programme.tracks}
        track = wanted_track if wanted_track in track_codes else None
        day = _chosen_day(programme.days(), wanted_day, now.astimezone(zone).date())
        rooms = await services.room_statuses(programme.exhibition["id"])
        full_rooms = {room.room_id for room in rooms if room.full}
        places = await services.places(programme.exhibition["id"])

        def card(session: services.PublicSession) -> SessionCard:
            return session_card(
                session, programme=programme, translator=translator, places=places, full_rooms=full_rooms,
                mine=mine, now=now,
            )  # fmt: skip

        columns: dict[int | None, RoomColumn] = {
            room["id"]: RoomColumn(room["name"], room["building"], room["id"], room["id"] in full_rooms)
            for room in programme.rooms
        }
        columns[None] = RoomColumn(translator.gettext("Other places"), "", None, False)
        for session in programme.sessions:
            if session.starts_at.astimezone(zone).date() != day:
                continue
            if track is not None and (session.track is None or session.track["code"] != track):
                continue
            columns[session.room["id"] if session.room else None].cards.append(card(session))
        return page(
            request,
            "seminars/programme_page.html",
            status_code=status_code,
            preferred_language=mine.visitor.language if mine else None,
            exhibition=exhibition,
            programme=programme,
            days=[
                {"day": one, "url": _url(path, day=one.isoformat(), track=track), "current": one == day}
                for one in programme.days()
            ],
            day=day,
            tracks=[
                {"code": one["code"], "name": in_language(one["name"], translator.language)} for one in programme.tracks
            ],
            track=track,
            columns=[column for column in columns.values() if column.cards],
            mine=mine,
            my_cards=[card(session) for session in _followed(programme, mine)] if mine else [],
            rooms=rooms,
            refusal=refusal,
            slug=slug,
            return_query=urlencode(
                {
                    key: value
                    for key, value in (("day", day.isoformat() if day else ""), ("track", track or ""))
                    if value
                }
            ),
            published_local=programme.published_at.astimezone(zone),
        )

    @get("/exhibitions/{slug:str}/programme")
    async def programme(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._programme_page(request, slug, mine=None)

    @get("/exhibitions/{slug:str}/programme/rooms")
    async def rooms(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        """The rooms' status, polled by the programme page."""
        rooms = await services.public_room_statuses(slug=slug, actor=current_actor(request))
        return page(request, "seminars/programme_rooms.html", rooms=rooms, slug=slug)

    @get("/tickets/{access_token:str}/programme")
    async def my_programme(self, request: Request[Any, Any, Any], access_token: FromPath[str]) -> Template:
        mine = await services.visitor_programme(access_token=access_token)
        return await self._programme_page(request, mine.visitor.slug, mine=mine)

    @get("/tickets/{access_token:str}/programme.ics")
    async def my_calendar(self, request: Request[Any, Any, Any], access_token: FromPath[str]) -> Response[bytes]:
        """The visitor's starred and registered sessions, for their calendar app."""
        data, filename = await services.visitor_calendar(
            access_token=access_token, base_url=settings_of(request).base_url
        )
        return private_attachment(data, filename=filename, media_type="text/calendar")

    async def _after(
        self, request: Request[Any, Any, Any], access_token: str, session_id: int, refusal: Conflict | None = None
    ) -> Template | Redirect:
        """Back to where the visitor was: the session's card alone for htmx, else the page."""
        mine = await services.visitor_programme(access_token=access_token)
        if refusal is not None or not request.headers.get("hx-request"):
            if refusal is None:
                return Redirect(path=f"/tickets/{access_token}/programme?{_return_query(request)}#session-{session_id}")
            code = refusal.errors[0].code if refusal.errors else ""
            return await self._programme_page(
                request, mine.visitor.slug, mine=mine, status_code=409, refusal=REFUSALS.get(code, refusal.detail)
            )
        programme = await services.published_programme(slug=mine.visitor.slug, actor=None)
        session = programme.session(session_id)
        if session is None:
            raise NotFound(f"no published session {session_id}")
        rooms = await services.room_statuses(programme.exhibition["id"])
        translator = translator_for(request, preferred=mine.visitor.language)
        places = await services.places(programme.exhibition["id"])
        full_rooms = {room.room_id for room in rooms if room.full}
        now = utcnow()

        def card(one: services.PublicSession) -> SessionCard:
            return session_card(
                one, programme=programme, translator=translator, places=places, full_rooms=full_rooms, mine=mine,
                now=now,
            )  # fmt: skip

        return page(
            request, "seminars/programme_session.html", preferred_language=mine.visitor.language, item=card(session),
            mine=mine, my_cards=[card(one) for one in _followed(programme, mine)], oob_mine=True,
            return_query=_return_query(request),
        )  # fmt: skip

    @post("/tickets/{access_token:str}/programme/sessions/{session_id:int}/star")
    async def star(
        self, request: Request[Any, Any, Any], access_token: FromPath[str], session_id: SessionId
    ) -> Template | Redirect:
        try:
            await services.star_session(access_token=access_token, session_id=session_id, now=utcnow())
        except Conflict as exc:
            return await self._after(request, access_token, session_id, refusal=exc)
        return await self._after(request, access_token, session_id)

    @post("/tickets/{access_token:str}/programme/sessions/{session_id:int}/unstar")
    async def unstar(
        self, request: Request[Any, Any, Any], access_token: FromPath[str], session_id: SessionId
    ) -> Template | Redirect:
        await services.unstar_session(access_token=access_token, session_id=session_id)
        return await self._after(request, access_token, session_id)

    @post("/tickets/{access_token:str}/programme/sessions/{session_id:int}/register")
    async def register(
        self, request: Request[Any, Any, Any], access_token: FromPath[str], session_id: SessionId
    ) -> Template | Redirect:
        try:
            await services.register_for_session(access_token=access_token, session_id=session_id, now=utcnow())
        except Conflict as exc:
            return await self._after(request, access_token, session_id, refusal=exc)
        return await self._after(request, access_token, session_id)

    @post("/tickets/{access_token:str}/programme/sessions/{session_id:int}/cancel")
    async def cancel(
        self, request: Request[Any, Any, Any], access_token: FromPath[str], session_id: SessionId
    ) -> Template | Redirect:
        await services.cancel_registration(
            access_token=access_token, session_id=session_id, now=utcnow(), base_url=settings_of(request).base_url
        )
        return await self._after(request, access_token, session_id)


class ProgrammeOrganizerPagesController(Controller):
    path = "/organize/exhibitions/{slug:str}/programme"
    # The services decide: publishing is the organizers', the doors also their gate staff's.
    guards = [requires_login]
    include_in_schema = False

    async def _versions_page(
        self, request: Request[Any, Any, Any], slug: str, *, published: services.PublishedVersion | None = None
    ) -> Template:
        actor = current_actor(request)
        versions = await services.list_versions(slug=slug, actor=actor)
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=actor)
        return page(
            request, "seminars/programme_versions.html", exhibition=exhibition, versions=versions,
            published=published, slug=slug,
        )  # fmt: skip

    @get("/versions")
    async def versions(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._versions_page(request, slug)

    @post("/versions")
    async def publish(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        published = await services.publish_programme(
            slug=slug, actor=current_actor(request), now=utcnow(), base_url=settings_of(request).base_url
        )
        return await self._versions_page(request, slug, published=published)

    @get("/doors")
    async def doors(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        view = await services.door_view(slug=slug, actor=current_actor(request), now=utcnow())
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=current_actor(request))
        return page(
            request, "seminars/programme_doors.html", view=view, exhibition=exhibition, slug=slug, pick=in_language,
            zone=view.updated_at.tzinfo,
        )  # fmt: skip

    @get("/doors/live")
    async def doors_live(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        view = await services.door_view(slug=slug, actor=current_actor(request), now=utcnow())
        return page(
            request, "seminars/programme_door_rooms.html", view=view, slug=slug, pick=in_language,
            zone=view.updated_at.tzinfo,
        )  # fmt: skip
