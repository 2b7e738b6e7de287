"""The organizers' programme pages: the programme by day and room with every conflict, and
forms for rooms, people (with their availability windows) and sessions (with their people
and roles). Server-rendered forms that work without JavaScript; a form with errors comes
back with what was typed and each error in the reader's language; a session that would
clash comes back with its conflicts."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, FieldError, InvalidInput
from exhibitions.events import services as event_services
from exhibitions.events.services import ExhibitionDetail
from exhibitions.seminars import labels, services
from exhibitions.seminars.schemas import (
    PersonIn,
    PersonUpdate,
    ProgrammeSettingsIn,
    RoomIn,
    RoomUpdate,
    SessionIn,
    SessionUpdate,
    WindowIn,
)
from exhibitions.seminars.validation import person_errors
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.forms import LINE_MESSAGE, message_for, parse_form
from exhibitions.web.i18n import N_, Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
PAGE = "/organize/exhibitions/{slug:str}/programme"
Id = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
# Rows for people on the session form: those listed, and this many empty ones.
SPARE_PEOPLE_ROWS = 3
LANGUAGES = ("ar", "fr", "en")

# The programme's own codes, said to the organizer (the shared ones come from web.forms).
MESSAGES = {
    "ends_not_after_start": N_("The end must be after the start."),
    "missing_time_zone": N_("Give the time with its time zone."),
    "out_of_range": N_("This date is out of range."),
    "title_required": N_("Give a title in at least one language."),
    "name_required": N_("Give the name in Arabic script, in Latin script, or both."),
    "unknown_track": N_("Choose one of the tracks."),
    "unknown_room": N_("Choose one of this exhibition's rooms."),
    "unknown_person": N_("Choose one of the programme's people."),
    "duplicate_person": N_("This person is listed twice."),
    "duplicate_language": N_("Each language once."),
    "unknown_country_code": N_("Enter the two-letter code of a country, like MA or FR."),
    "invalid_international_phone": N_("Enter a phone number with its country code, like +33 6 12 34 56 78."),
    "unknown_user": N_("There is no such account."),
    "room_in_use": N_("Sessions are held in this room: move or delete them first."),
    "room_has_attendance": N_("Visitors were scanned at this room's door: the room is kept."),
    "person_in_use": N_("This person takes part in sessions: take them out of those first."),
    "track_in_use": N_("Sessions are in this track: move them first."),
    "not_a_draft": N_("Only a draft can be deleted: cancel a scheduled session instead."),
    "under_occupancy": N_("More people are in the room now than this capacity."),
    "duplicate": N_("This name is taken already."),
    "unknown_conflict_kind": N_("This kind of conflict is unknown."),
}
AVAILABILITY_EXAMPLE = "2027-05-07 09:00-13:00\n2027-05-08 14:30-18:00"
_WINDOW_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$")
_LINE = re.compile(r"^availability\[(\d+)\]")
_PERSON_ROW = re.compile(r"^people\[(\d+)\]")


def say(error: FieldError, translator: Translator) -> str:
    message = translator.gettext(MESSAGES[error.code]) if error.code in MESSAGES else message_for(error, translator)
    if line := _LINE.match(error.field):
        message = translator.gettext(LINE_MESSAGE) % {"line": int(line[1]) + 1, "message": message}
    return message


def _form_field(error: FieldError) -> str:
    """Where a service's field error shows on the forms."""
    if _LINE.match(error.field):
        return "availability"
    if row := _PERSON_ROW.match(error.field):
        return f"person_{row[1]}"
    return {"starts_at": "starts", "ends_at": "ends", "title": "title_fr", "name": "name_latin"}.get(
        error.field, error.field.split(".")[0]
    )


def field_messages(errors: list[FieldError], translator: Translator) -> dict[str, str]:
    messages: dict[str, str] = {}
    for error in errors:
        messages.setdefault(_form_field(error), say(error, translator))
    return messages


def _local(moment: datetime, time_zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(time_zone))


def _moment(day: str, clock: str, time_zone: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=ZoneInfo(time_zone))
    except ValueError:
        return None


def parse_windows(text: str, time_zone: str) -> tuple[list[WindowIn], list[FieldError]]:
    """One window a line: ``2027-05-07 09:00-13:00``, local time."""
    windows, errors = [], []
    for number, line in enumerate(line for line in text.splitlines() if line.strip()):
        match = _WINDOW_LINE.match(line.strip())
        starts = _moment(match[1], match[2].zfill(5), time_zone) if match else None
        ends = _moment(match[1], match[3].zfill(5), time_zone) if match else None
        if starts is None or ends is None:
            errors.append(FieldError(f"availability[{number}]", "bad_line", "write: 2027-05-07 09:00-13:00"))
            continue
        windows.append(WindowIn(starts_at=starts, ends_at=ends))
    return windows, errors


def windows_text(windows: list[dict[str, Any]], time_zone: str) -> str:
    lines = []
    for window in windows:
        starts, ends = _local(window["starts_at"], time_zone), _local(window["ends_at"], time_zone)
        lines.append(f"{starts:%Y-%m-%d %H:%M}-{ends:%H:%M}")
    return "\n".join(lines)


def person_values(row: dict[str, Any], time_zone: str) -> dict[str, str]:
    keys = ("name_ar", "name_latin", "affiliation", "country", "bio_ar", "bio_fr", "bio_en", "email", "phone",
            "language")  # fmt: skip
    return {**{key: row[key] or "" for key in keys}, "availability": windows_text(row["availability"], time_zone)}


def session_values(row: dict[str, Any], time_zone: str) -> dict[str, str]:
    starts, ends = _local(row["starts_at"], time_zone), _local(row["ends_at"], time_zone)
    values = {key: row[key] for key in ("title_ar", "title_fr", "title_en", "abstract_ar", "abstract_fr",
                                        "abstract_en", "status")}  # fmt: skip
    values |= {
        "type": row["session_type"], "track": row["track_code"], "room_id": str(row["room"] or ""),
        "capacity": str(row["capacity"] or ""), "day": starts.date().isoformat(), "starts": f"{starts:%H:%M}",
        "ends": f"{ends:%H:%M}", "interpretation": "true" if row["interpretation"] else "",
        "needs_registration": "true" if row["needs_registration"] else "",
    }  # fmt: skip
    for language in row["languages"].split(","):
        values[f"lang_{language}"] = "true"
    for index, participation in enumerate(row["people"]):
        values[f"person_{index}"] = str(participation["person"])
        values[f"role_{index}"] = participation["role"]
    return values


def parse_session(form: dict[str, str], time_zone: str) -> tuple[SessionIn | None, list[FieldError]]:
    errors: list[FieldError] = []
    moments: dict[str, datetime] = {}
    for field, clock in (("starts_at", "starts"), ("ends_at", "ends")):
        moment = _moment(form.get("day", ""), form.get(clock, "").strip().zfill(5), time_zone)
        if moment is None:
            errors.append(FieldError(field, "required" if not form.get(clock) else "invalid", "give a day and a time"))
        else:
            moments[field] = moment
    people, index = [], 0
    while f"person_{index}" in form or f"role_{index}" in form:
        person_id = form.get(f"person_{index}", "")
        if person_id.isdigit():
            people.append({"person_id": int(person_id), "role": form.get(f"role_{index}") or "speaker"})
        index += 1
    room = form.get("room_id", "")
    overrides: dict[str, Any] = {
        **moments,
        "languages": [language for language in LANGUAGES if form.get(f"lang_{language}")] or ["fr"],
        "people": people,
        "room_id": int(room) if room.isdigit() else None,
        "interpretation": bool(form.get("interpretation")),
        "needs_registration": bool(form.get("needs_registration")),
    }
    if errors:
        return None, errors
    return parse_form(SessionIn, form, overrides)


class ProgrammePagesController(Controller):
    path = PAGE
    guards = [requires_staff]
    include_in_schema = False

    async def _exhibition(self, request: Request[Any, Any, Any], slug: str) -> ExhibitionDetail:
        # The rooms read first refuses anyone but the exhibition's organizers.
        await services.list_rooms(slug=slug, actor=current_actor(request))
        return await event_services.get_exhibition_detail(slug=slug, actor=current_actor(request))

    def _common(self, exhibition: ExhibitionDetail) -> dict[str, Any]:
        return {
            "slug": exhibition.slug, "exhibition": exhibition, "time_zone": exhibition.row["time_zone"],
            "labels": labels, "in_language": labels.in_language, "person_name": labels.person_name,
        }  # fmt: skip

    @get("/")
    async def programme(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._programme(request, slug)

    async def _programme(
        self, request: Request[Any, Any, Any], slug: str, *, settings_errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:  # fmt: skip
        actor = current_actor(request)
        translator = translator_for(request)
        exhibition = await self._exhibition(request, slug)
        time_zone = exhibition.row["time_zone"]
        rooms = await services.list_rooms(slug=slug, actor=actor)
        sessions = await services.list_sessions(slug=slug, actor=actor)
        checked = await services.programme_conflicts(slug=slug, actor=actor)
        conflicts = checked.described(translator)
        flagged: dict[int, str] = {}
        for conflict in conflicts:
            for session_id in conflict["session_ids"]:
                if flagged.get(session_id) != "error":
                    flagged[session_id] = conflict["severity"]
        by_day: dict[date, dict[int | None, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for row in sessions:
            by_day[_local(row["starts_at"], time_zone).date()][row["room"]].append(row)
        columns = [(room["id"], room["name"]) for room in rooms]
        if any(None in day for day in by_day.values()):
            columns.append((None, translator.gettext("No room yet")))
        return page(
            request, "seminars/programme.html", status_code=status_code, **self._common(exhibition),
            days=sorted(by_day.items()), columns=columns, rooms=rooms, session_count=len(sessions),
            conflicts=conflicts, flagged=flagged, error_count=checked.error_count,
            warning_count=checked.warning_count, local=lambda moment: _local(moment, time_zone),
            settings=await services.get_programme_settings(slug=slug, actor=actor),
            settings_errors=settings_errors or {},
        )  # fmt: skip

    @post("/settings")
    async def save_settings(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        gap = data.get("travel_gap_minutes", "").strip()
        severities = {key[len("severity_") :]: value for key, value in data.items() if key.startswith("severity_")}
        try:
            settings = msgspec.convert(
                {"travel_gap_minutes": int(gap) if gap.isdigit() else -1, "severities": severities},
                ProgrammeSettingsIn,
            )
            await services.set_programme_settings(slug=slug, data=settings, actor=current_actor(request), now=utcnow())
        except (msgspec.ValidationError, InvalidInput):
            message = translator_for(request).gettext("Give a number of minutes from 0 to 240.")
            return await self._programme(
                request, slug, settings_errors={"travel_gap_minutes": message}, status_code=422
            )
        return Redirect(path=f"/organize/exhibitions/{slug}/programme")

    # Rooms ---------------------------------------------------------------------------------

    async def _rooms_page(
        self, request: Request[Any, Any, Any], slug: str, *, edit: int | None = None,
        values: dict[str, Any] | None = None, errors: list[FieldError] | None = None, status_code: int = 200,
    ) -> Template:  # fmt: skip
        exhibition = await self._exhibition(request, slug)
        rooms = await services.list_rooms(slug=slug, actor=current_actor(request))
        current = next((room for room in rooms if room["id"] == edit), None)
        if values is None and current is not None:
            values = {key: str(current[key]) for key in ("name", "building", "capacity")}
        return page(
            request, "seminars/rooms.html", status_code=status_code, **self._common(exhibition), rooms=rooms,
            editing=current, values=values or {}, errors=field_messages(errors or [], translator_for(request)),
        )  # fmt: skip

    @get("/rooms")
    async def rooms(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._rooms_page(request, slug)

    @get("/rooms/{room_id:int}")
    async def room(self, request: Request[Any, Any, Any], slug: FromPath[str], room_id: Id) -> Template:
        await services.get_room(slug=slug, room_id=room_id, actor=current_actor(request))
        return await self._rooms_page(request, slug, edit=room_id)

    @post("/rooms")
    async def create_room(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        parsed, errors = parse_form(RoomIn, data)
        if parsed is not None:
            try:
                await services.create_room(slug=slug, data=parsed, actor=current_actor(request), now=utcnow())
                return Redirect(path=f"/organize/exhibitions/{slug}/programme/rooms")
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        return await self._rooms_page(request, slug, values=data, errors=errors, status_code=422)

    @post("/rooms/{room_id:int}")
    async def update_room(
        self, request: Request[Any, Any, Any], slug: FromPath[str], room_id: Id,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:  # fmt: skip
        parsed, errors = parse_form(RoomIn, data)
        if parsed is not None:
            try:
                changes = msgspec.convert(msgspec.structs.asdict(parsed), RoomUpdate)
                await services.update_room(
                    slug=slug, room_id=room_id, changes=changes, actor=current_actor(request), now=utcnow()
                )
                return Redirect(path=f"/organize/exhibitions/{slug}/programme/rooms")
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        return await self._rooms_page(request, slug, edit=room_id, values=data, errors=errors, status_code=422)

    @post("/rooms/{room_id:int}/delete")
    async def delete_room(
        self, request: Request[Any, Any, Any], slug: FromPath[str], room_id: Id
    ) -> Template | Redirect:
        try:
            await services.delete_room(slug=slug, room_id=room_id, actor=current_actor(request))
        except Conflict as exc:
            return await self._rooms_page(request, slug, edit=room_id, errors=exc.errors, status_code=409)
        return Redirect(path=f"/organize/exhibitions/{slug}/programme/rooms")

    # People --------------------------------------------------------------------------------

    @get("/people")
    async def people(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        invited: Annotated[int | None, QueryParameter(ge=0, le=MAX_ID)] = None,
    ) -> Template:
        exhibition = await self._exhibition(request, slug)
        actor = current_actor(request)
        people = await services.list_people(slug=slug, actor=actor)
        answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for answer in await services.list_responses(slug=slug, actor=actor):
            answers[answer["person"]].append(answer)
        return page(request, "seminars/people.html", **self._common(exhibition), people=people, answers=answers,
                    response_names=labels.RESPONSES, invited=invited,
                    local=lambda moment: _local(moment, exhibition.row["time_zone"]))  # fmt: skip

    @post("/people/invite")
    async def invite_people(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Redirect:
        """E-mail every person who has not been invited yet their signed link (the speakers' service)."""
        settings = settings_of(request)
        queued = await services.invite_people(
            slug=slug, actor=current_actor(request), now=utcnow(), secret_key=settings.secret_key,
            base_url=settings.base_url,
        )  # fmt: skip
        return Redirect(path=f"/organize/exhibitions/{slug}/programme/people?invited={queued}")

    async def _person_page(
        self, request: Request[Any, Any, Any], slug: str, *, person_id: int | None, values: dict[str, Any],
        errors: list[FieldError] | None = None, status_code: int = 200,
    ) -> Template:  # fmt: skip
        exhibition = await self._exhibition(request, slug)
        return page(
            request, "seminars/person_form.html", status_code=status_code, **self._common(exhibition),
            person_id=person_id, values=values, errors=field_messages(errors or [], translator_for(request)),
            example=AVAILABILITY_EXAMPLE,
        )  # fmt: skip

    @get("/people/new")
    async def new_person(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._person_page(request, slug, person_id=None, values={"language": "fr"})

    @get("/people/{person_id:int}")
    async def person(self, request: Request[Any, Any, Any], slug: FromPath[str], person_id: Id) -> Template:
        exhibition = await self._exhibition(request, slug)
        row = await services.get_person(slug=slug, person_id=person_id, actor=current_actor(request))
        return await self._person_page(
            request, slug, person_id=person_id, values=person_values(row, exhibition.row["time_zone"])
        )

    async def _save_person(
        self, request: Request[Any, Any, Any], slug: str, person_id: int | None, data: dict[str, str]
    ) -> Template | Redirect:
        exhibition = await self._exhibition(request, slug)
        windows, errors = parse_windows(data.get("availability", ""), exhibition.row["time_zone"])
        parsed, form_errors = parse_form(PersonIn, data, {"availability": windows, "user_id": None})
        if parsed is not None and errors:  # the service is not called: say the rest of what is wrong too
            errors = [*person_errors(parsed), *errors]
        errors = [*form_errors, *errors]
        if parsed is not None and not errors:
            actor, now = current_actor(request), utcnow()
            try:
                if person_id is None:
                    await services.create_person(slug=slug, data=parsed, actor=actor, now=now)
                else:
                    changes = msgspec.convert(
                        {k: v for k, v in msgspec.structs.asdict(parsed).items() if k != "user_id"}, PersonUpdate,
                        from_attributes=True,
                    )  # fmt: skip
                    await services.update_person(slug=slug, person_id=person_id, changes=changes, actor=actor, now=now)
                return Redirect(path=f"/organize/exhibitions/{slug}/programme/people")
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        return await self._person_page(request, slug, person_id=person_id, values=data, errors=errors,
                                       status_code=422)  # fmt: skip

    @post("/people/new")
    async def create_person(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        return await self._save_person(request, slug, None, data)

    @post("/people/{person_id:int}")
    async def update_person(
        self, request: Request[Any, Any, Any], slug: FromPath[str], person_id: Id,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:  # fmt: skip
        return await self._save_person(request, slug, person_id, data)

    # Sessions ------------------------------------------------------------------------------

    async def _session_page(
        self, request: Request[Any, Any, Any], slug: str, *, session_id: int | None, values: dict[str, Any],
        errors: list[FieldError] | None = None, conflicts: list[dict[str, Any]] | None = None,
        status_code: int = 200, unsaved: int | None = None,
    ) -> Template:  # fmt: skip
        actor = current_actor(request)
        exhibition = await self._exhibition(request, slug)
        people = await services.list_people(slug=slug, actor=actor)
        rows = max(
            [int(key[len("person_") :]) + 1 for key in values if key.startswith("person_") and values[key]] or [0]
        )
        return page(
            request, "seminars/session_form.html", status_code=status_code, **self._common(exhibition),
            session_id=session_id, values=values, errors=field_messages(errors or [], translator_for(request)),
            conflicts=conflicts or [], refused=status_code == 409 and bool(conflicts), unsaved=unsaved,
            rooms=await services.list_rooms(slug=slug, actor=actor),
            tracks=await services.list_tracks(slug=slug, actor=actor), people=people,
            people_rows=range(rows + SPARE_PEOPLE_ROWS), days=[day.day for day in exhibition.days],
        )  # fmt: skip

    @get("/sessions/new")
    async def new_session(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        exhibition = await self._exhibition(request, slug)
        start = exhibition.row["opens_at"]
        values = {"day": exhibition.row["starts_on"].isoformat(), "starts": f"{start:%H:%M}",
                  "ends": f"{start.replace(hour=min(start.hour + 1, 23)):%H:%M}", "type": "panel",
                  "track": "legal_framework", "status": "draft", "lang_fr": "true"}  # fmt: skip
        return await self._session_page(request, slug, session_id=None, values=values)

    @get("/sessions/{session_id:int}")
    async def session(self, request: Request[Any, Any, Any], slug: FromPath[str], session_id: Id) -> Template:
        exhibition = await self._exhibition(request, slug)
        row, checked = await services.get_session(slug=slug, session_id=session_id, actor=current_actor(request))
        return await self._session_page(
            request, slug, session_id=session_id, values=session_values(row, exhibition.row["time_zone"]),
            conflicts=checked.described(translator_for(request)),
        )  # fmt: skip

    async def _save_session(
        self, request: Request[Any, Any, Any], slug: str, session_id: int | None, data: dict[str, str]
    ) -> Template | Redirect:
        exhibition = await self._exhibition(request, slug)
        parsed, errors = parse_session(data, exhibition.row["time_zone"])
        conflicts: list[dict[str, Any]] = []
        status_code = 422
        unsaved: int | None = None
        if parsed is not None:
            actor, now = current_actor(request), utcnow()
            try:
                if session_id is None:
                    row, checked = await services.create_session(slug=slug, data=parsed, actor=actor, now=now)
                else:
                    changes = msgspec.convert(msgspec.structs.asdict(parsed), SessionUpdate, from_attributes=True)
                    row, checked = await services.update_session(
                        slug=slug, session_id=session_id, changes=changes, actor=actor, now=now
                    )
                # Warnings stay in sight: the saved session's page lists them.
                target = f"/organize/exhibitions/{slug}/programme"
                return Redirect(path=f"{target}/sessions/{row['id']}" if checked.conflicts else target)
            except services.ScheduleConflict as exc:
                errors, status_code = [], 409
                conflicts = exc.checked.described(translator_for(request))
                unsaved = exc.session_id if session_id is None else None
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        return await self._session_page(
            request, slug, session_id=session_id, values=data, errors=errors, conflicts=conflicts,
            status_code=status_code, unsaved=unsaved,
        )  # fmt: skip

    @post("/sessions/new")
    async def create_session(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        return await self._save_session(request, slug, None, data)

    @post("/sessions/{session_id:int}")
    async def update_session(
        self, request: Request[Any, Any, Any], slug: FromPath[str], session_id: Id,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:  # fmt: skip
        return await self._save_session(request, slug, session_id, data)

    @post("/sessions/{session_id:int}/delete")
    async def delete_session(
        self, request: Request[Any, Any, Any], slug: FromPath[str], session_id: Id
    ) -> Template | Redirect:
        try:
            await services.delete_session(slug=slug, session_id=session_id, actor=current_actor(request))
        except Conflict as exc:
            exhibition = await self._exhibition(request, slug)
            row, _ = await services.get_session(slug=slug, session_id=session_id, actor=current_actor(request))
            return await self._session_page(
                request, slug, session_id=session_id, values=session_values(row, exhibition.row["time_zone"]),
                errors=exc.errors, status_code=409,
            )  # fmt: skip
        return Redirect(path=f"/organize/exhibitions/{slug}/programme")
