"""The seminar programme over the API, for an exhibition's organizers: rooms, tracks, people
and sessions, the whole programme's conflicts, and its settings. Every refusal is a problem
document naming the field; a session that would clash is a 409 listing the conflicts."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody, PathParameter

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.seminars import services
from exhibitions.seminars.schemas import (
    ConflictOut,
    ParticipationOut,
    PersonIn,
    PersonOut,
    PersonUpdate,
    ProgrammeConflictsOut,
    ProgrammeSettingsIn,
    ProgrammeSettingsOut,
    RoomIn,
    RoomOut,
    RoomUpdate,
    SessionIn,
    SessionOut,
    SessionUpdate,
    TrackIn,
    TrackOut,
    TrackUpdate,
    WindowOut,
)
from exhibitions.seminars.tables import Response as PersonResponse
from exhibitions.seminars.tables import Role, SessionStatus, SessionType
from exhibitions.web.context import translator_for

EXHIBITION = "/api/v1/exhibitions/{slug:str}"
RoomId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
PersonId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
SessionId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
TrackCode = Annotated[str, PathParameter(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")]
SESSION_409 = (
    "A session that would have a conflict of severity `error` (see programme/settings) is refused "
    "with a 409 problem document whose `conflicts` member lists them (kind, severity, sessions, person, "
    "room, a message in the Accept-Language); warnings are saved and returned in `conflicts`."
)


def room_out(row: dict[str, Any]) -> RoomOut:
    return RoomOut(
        id=row["id"], name=row["name"], building=row["building"], capacity=row["capacity"],
        checkpoint_id=row["checkpoint"], sessions=int(row["sessions"]),
    )  # fmt: skip


def track_out(row: dict[str, Any]) -> TrackOut:
    return TrackOut(
        code=row["code"], name_ar=row["name_ar"], name_fr=row["name_fr"], name_en=row["name_en"],
        position=row["position"], sessions=int(row["sessions"]),
    )  # fmt: skip


def person_out(row: dict[str, Any]) -> PersonOut:
    return PersonOut(
        id=row["id"], name_ar=row["name_ar"], name_latin=row["name_latin"], affiliation=row["affiliation"],
        country=row["country"], bio_ar=row["bio_ar"], bio_fr=row["bio_fr"], bio_en=row["bio_en"],
        email=row["email"], phone=row["phone"], language=row["language"], user_id=row["user"],
        availability=[WindowOut(w["starts_at"], w["ends_at"]) for w in row["availability"]],
        sessions=int(row["sessions"]),
    )  # fmt: skip


def session_out(
    row: dict[str, Any], checked: services.CheckedConflicts | None = None, request: Request[Any, Any, Any] | None = None
) -> SessionOut:
    conflicts = (
        [ConflictOut(**c) for c in checked.described(translator_for(request))]
        if checked is not None and request is not None
        else []
    )
    return SessionOut(
        id=row["id"], guid=row["guid"], type=SessionType(row["session_type"]), track=row["track_code"],
        starts_at=row["starts_at"], ends_at=row["ends_at"], title_ar=row["title_ar"], title_fr=row["title_fr"],
        title_en=row["title_en"], abstract_ar=row["abstract_ar"], abstract_fr=row["abstract_fr"],
        abstract_en=row["abstract_en"], room_id=row["room"], languages=row["languages"].split(","),
        interpretation=bool(row["interpretation"]), needs_registration=bool(row["needs_registration"]),
        capacity=row["capacity"], status=SessionStatus(row["status"]), sequence=row["sequence"],
        people=[
            ParticipationOut(
                person_id=p["person"], name_ar=p["name_ar"], name_latin=p["name_latin"], role=Role(p["role"]),
                response=PersonResponse(p["response"]), response_message=p["response_message"],
                responded_at=p["responded_at"],
            )
            for p in row["people"]
        ],
        conflicts=conflicts,
    )  # fmt: skip


class SeminarApiController(Controller):
    path = EXHIBITION
    tags = ["seminars"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @get("/rooms", summary="The seminar rooms, each with its door checkpoint (organizers)")
    async def list_rooms(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[RoomOut]:
        return [room_out(row) for row in await services.list_rooms(slug=slug, actor=current_actor(request))]

    @post("/rooms", summary="Add a room, and its checkpoint of kind room for the door staff (organizers)")
    async def create_room(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[RoomIn]
    ) -> Response[RoomOut]:
        row = await services.create_room(slug=slug, data=data, actor=current_actor(request), now=utcnow())
        return Response(room_out(row), status_code=201)

    @get("/rooms/{room_id:int}", summary="One room (organizers)")
    async def get_room(self, request: Request[Any, Any, Any], slug: FromPath[str], room_id: RoomId) -> RoomOut:
        return room_out(await services.get_room(slug=slug, room_id=room_id, actor=current_actor(request)))

    @patch("/rooms/{room_id:int}", summary="Change a room; its checkpoint follows (organizers)")
    async def update_room(
        self, request: Request[Any, Any, Any], slug: FromPath[str], room_id: RoomId, data: JSONBody[RoomUpdate]
    ) -> RoomOut:
        row = await services.update_room(
            slug=slug, room_id=room_id, changes=data, actor=current_actor(request), now=utcnow()
        )
        return room_out(row)

    @delete("/rooms/{room_id:int}", summary="Delete a room without sessions or attendance (organizers)")
    async def delete_room(self, request: Request[Any, Any, Any], slug: FromPath[str], room_id: RoomId) -> None:
        await services.delete_room(slug=slug, room_id=room_id, actor=current_actor(request))

    @get("/tracks", summary="The tracks; the four default ones are made on first need (organizers)")
    async def list_tracks(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[TrackOut]:
        return [track_out(row) for row in await services.list_tracks(slug=slug, actor=current_actor(request))]

    @post("/tracks", summary="Add a track (organizers)")
    async def create_track(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[TrackIn]
    ) -> Response[TrackOut]:
        row = await services.create_track(slug=slug, data=data, actor=current_actor(request))
        return Response(track_out(row), status_code=201)

    @patch("/tracks/{code:str}", summary="Rename or reorder a track (organizers)")
    async def update_track(
        self, request: Request[Any, Any, Any], slug: FromPath[str], code: TrackCode, data: JSONBody[TrackUpdate]
    ) -> TrackOut:
        return track_out(await services.update_track(slug=slug, code=code, changes=data, actor=current_actor(request)))

    @delete("/tracks/{code:str}", summary="Delete a track without sessions (organizers)")
    async def delete_track(self, request: Request[Any, Any, Any], slug: FromPath[str], code: TrackCode) -> None:
        await services.delete_track(slug=slug, code=code, actor=current_actor(request))

    @get("/people", summary="The programme's people with their availability windows (organizers)")
    async def list_people(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[PersonOut]:
        return [person_out(row) for row in await services.list_people(slug=slug, actor=current_actor(request))]

    @post("/people", summary="Add a person: speaker, moderator, rapporteur or discussant (organizers)")
    async def create_person(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[PersonIn]
    ) -> Response[PersonOut]:
        row = await services.create_person(slug=slug, data=data, actor=current_actor(request), now=utcnow())
        return Response(person_out(row), status_code=201)

    @get("/people/{person_id:int}", summary="One person (organizers)")
    async def get_person(self, request: Request[Any, Any, Any], slug: FromPath[str], person_id: PersonId) -> PersonOut:
        return person_out(await services.get_person(slug=slug, person_id=person_id, actor=current_actor(request)))

    @patch("/people/{person_id:int}", summary="Change a person; availability sent replaces every window")
    async def update_person(
        self, request: Request[Any, Any, Any], slug: FromPath[str], person_id: PersonId, data: JSONBody[PersonUpdate]
    ) -> PersonOut:
        row = await services.update_person(
            slug=slug, person_id=person_id, changes=data, actor=current_actor(request), now=utcnow()
        )
        return person_out(row)

    @delete("/people/{person_id:int}", summary="Delete a person who is in no session (organizers)")
    async def delete_person(self, request: Request[Any, Any, Any], slug: FromPath[str], person_id: PersonId) -> None:
        await services.delete_person(slug=slug, person_id=person_id, actor=current_actor(request))

    @get("/sessions", summary="Every session with its people, in time order (organizers)")
    async def list_sessions(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[SessionOut]:
        return [session_out(row) for row in await services.list_sessions(slug=slug, actor=current_actor(request))]

    @post("/sessions", summary="Add a session with its people and their roles (organizers)", description=SESSION_409)
    async def create_session(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[SessionIn]
    ) -> Response[SessionOut]:
        row, checked = await services.create_session(slug=slug, data=data, actor=current_actor(request), now=utcnow())
        return Response(session_out(row, checked, request), status_code=201)

    @get("/sessions/{session_id:int}", summary="One session and the conflicts it has now (organizers)")
    async def get_session(
        self, request: Request[Any, Any, Any], slug: FromPath[str], session_id: SessionId
    ) -> SessionOut:
        row, checked = await services.get_session(slug=slug, session_id=session_id, actor=current_actor(request))
        return session_out(row, checked, request)

    @patch(
        "/sessions/{session_id:int}",
        summary="Change a session; only the fields sent change, and its sequence goes up (organizers)",
        description=SESSION_409,
    )
    async def update_session(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        session_id: SessionId,
        data: JSONBody[SessionUpdate],
    ) -> SessionOut:
        row, checked = await services.update_session(
            slug=slug, session_id=session_id, changes=data, actor=current_actor(request), now=utcnow()
        )
        return session_out(row, checked, request)

    @delete("/sessions/{session_id:int}", summary="Delete a draft session; cancel a scheduled one (organizers)")
    async def delete_session(self, request: Request[Any, Any, Any], slug: FromPath[str], session_id: SessionId) -> None:
        await services.delete_session(slug=slug, session_id=session_id, actor=current_actor(request))

    @get("/programme/conflicts", summary="Every conflict of the whole programme (organizers)")
    async def programme_conflicts(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> ProgrammeConflictsOut:
        checked = await services.programme_conflicts(slug=slug, actor=current_actor(request))
        return ProgrammeConflictsOut(
            errors=checked.error_count,
            warnings=checked.warning_count,
            conflicts=[ConflictOut(**c) for c in checked.described(translator_for(request))],
        )

    @get("/programme/settings", summary="The travel gap and each conflict kind's severity (organizers)")
    async def get_settings(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> ProgrammeSettingsOut:
        return ProgrammeSettingsOut(**await services.get_programme_settings(slug=slug, actor=current_actor(request)))

    @put(
        "/programme/settings",
        summary="Set the travel gap and the severities; kinds not sent go back to their default (organizers)",
    )
    async def set_settings(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[ProgrammeSettingsIn]
    ) -> ProgrammeSettingsOut:
        return ProgrammeSettingsOut(
            **await services.set_programme_settings(slug=slug, data=data, actor=current_actor(request), now=utcnow())
        )
