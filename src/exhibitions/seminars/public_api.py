"""The published programme over the API (public), visitors' stars and registrations (by the
token of their ticket link), and the organizers' programme versions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.params import FromPath, PathParameter, QueryParameter

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.seminars import services
from exhibitions.seminars.attendance_schemas import (
    ProgrammeOut,
    ProgrammePersonOut,
    ProgrammeRoomOut,
    ProgrammeSessionOut,
    ProgrammeTrackOut,
    RegistrationOut,
    StarOut,
    VersionListItem,
    VersionOut,
    VisitorProgrammeOut,
)

PROGRAMME = "/api/v1/exhibitions/{slug:str}/programme"
VISITOR = "/api/v1/tickets/{access_token:str}"
SessionId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


def _base_url(request: Request[Any, Any, Any]) -> str:
    return str(request.app.state.settings.base_url)


def room_out(room: services.RoomStatus) -> ProgrammeRoomOut:
    return ProgrammeRoomOut(
        id=room.room_id, name=room.name, building=room.building, capacity=room.capacity, inside=room.inside,
        full=room.full,
    )  # fmt: skip


def session_out(session: services.PublicSession, places: services.Places, zone: ZoneInfo) -> ProgrammeSessionOut:
    return ProgrammeSessionOut(
        id=session.id, guid=session.guid, title=dict(session.title), abstract=dict(session.abstract),
        type=session.type,  # type: ignore[arg-type]
        track=session.track["code"] if session.track else None,
        room=session.room["id"] if session.room else None, starts_at=session.starts_at, ends_at=session.ends_at,
        local_start=session.starts_at.astimezone(zone).isoformat(),
        status="cancelled" if session.cancelled else "scheduled", languages=list(session.languages),
        interpretation=session.interpretation, needs_registration=session.needs_registration,
        capacity=places.capacity, registered=places.registered, waitlisted=places.waitlisted, full=places.full,
        people=[
            ProgrammePersonOut(
                name_ar=person["name_ar"], name_latin=person["name_latin"], affiliation=person["affiliation"],
                country=person["country"], role=person["role"],
            )
            for person in session.people
        ],
    )  # fmt: skip


def registration_out(registration: services.Registration) -> RegistrationOut:
    return RegistrationOut(
        session=registration.session_id, status=registration.status, waitlist_rank=registration.waitlist_rank
    )


class ProgrammeApiController(Controller):
    tags = ["programme"]

    @get(
        PROGRAMME,
        summary="The published programme: its latest version, with places and rooms' status",
        description="404 until the organizers publish a first version. Filter by local day and track code.",
    )
    async def programme(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        day: Annotated[date | None, QueryParameter(description="a day, in the exhibition's time zone")] = None,
        track: Annotated[str | None, QueryParameter(max_length=40, description="a track's code")] = None,
    ) -> ProgrammeOut:
        actor = current_actor(request)
        programme = await services.published_programme(slug=slug, actor=actor)
        exhibition_id = programme.exhibition["id"]
        places = await services.places(exhibition_id)
        rooms = await services.room_statuses(exhibition_id)
        zone = programme.zone
        sessions = [
            session_out(session, places.get(session.id, services.NO_PLACES), zone)
            for session in programme.sessions
            if (day is None or session.starts_at.astimezone(zone).date() == day)
            and (track is None or (session.track is not None and session.track["code"] == track))
        ]
        return ProgrammeOut(
            exhibition=slug, version=programme.number, published_at=programme.published_at,
            time_zone=programme.exhibition["time_zone"], rooms=[room_out(room) for room in rooms],
            tracks=[ProgrammeTrackOut(code=track["code"], name=track["name"]) for track in programme.tracks],
            sessions=sessions,
        )  # fmt: skip

    @get(PROGRAMME + "/rooms", summary="Each seminar room's occupancy now, and whether it is full")
    async def rooms(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[ProgrammeRoomOut]:
        rooms = await services.public_room_statuses(slug=slug, actor=current_actor(request))
        return [room_out(room) for room in rooms]

    @get(VISITOR + "/programme", summary="A visitor's starred sessions and registrations, by their ticket link")
    async def visitor_programme(self, access_token: FromPath[str]) -> VisitorProgrammeOut:
        mine = await services.visitor_programme(access_token=access_token)
        return VisitorProgrammeOut(
            exhibition=mine.visitor.slug,
            starred=sorted(mine.starred),
            registrations=[registration_out(mine.registrations[key]) for key in sorted(mine.registrations)],
        )

    @put(VISITOR + "/stars/{session_id:int}", summary="Star a published session", status_code=200)
    async def star(self, access_token: FromPath[str], session_id: SessionId) -> StarOut:
        await services.star_session(access_token=access_token, session_id=session_id, now=utcnow())
        return StarOut(session=session_id, starred=True)

    @delete(VISITOR + "/stars/{session_id:int}", summary="Unstar a session")
    async def unstar(self, access_token: FromPath[str], session_id: SessionId) -> None:
        await services.unstar_session(access_token=access_token, session_id=session_id)

    @put(
        VISITOR + "/registrations/{session_id:int}",
        summary="Register for a session: a seat, or the waitlist when it is full",
        description="201 when new (registered or waitlisted), 200 with the registration there is. "
        "409 for a cancelled or started session, or one without registration.",
    )
    async def register(self, access_token: FromPath[str], session_id: SessionId) -> Response[RegistrationOut]:
        registration = await services.register_for_session(
            access_token=access_token, session_id=session_id, now=utcnow()
        )
        return Response(registration_out(registration), status_code=201 if registration.created else 200)

    @delete(
        VISITOR + "/registrations/{session_id:int}",
        summary="Give up a seat or a waitlist place; the first waitlisted visitor takes a freed seat",
    )
    async def cancel(self, request: Request[Any, Any, Any], access_token: FromPath[str], session_id: SessionId) -> None:
        await services.cancel_registration(
            access_token=access_token, session_id=session_id, now=utcnow(), base_url=_base_url(request)
        )


class ProgrammeVersionApiController(Controller):
    tags = ["programme"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @post(
        PROGRAMME + "/versions",
        summary="Publish the programme as a new version, and tell everyone affected what changed (organizers)",
        description="201 with the new version; 200 with the latest one when nothing changed since (nobody is told).",
    )
    async def publish(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[VersionOut]:
        version = await services.publish_programme(
            slug=slug, actor=current_actor(request), now=utcnow(), base_url=_base_url(request)
        )
        out = VersionOut(
            number=version.number, published_at=version.published_at, created=version.created,
            sessions=version.sessions, changes=version.changes, notices=version.notices,
        )  # fmt: skip
        return Response(out, status_code=201 if version.created else 200)

    @get(PROGRAMME + "/versions", summary="The programme's published versions, newest first (organizers)")
    async def versions(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[VersionListItem]:
        rows = await services.list_versions(slug=slug, actor=current_actor(request))
        return [VersionListItem(**row) for row in rows]
