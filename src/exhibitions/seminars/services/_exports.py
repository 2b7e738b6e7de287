"""The programme as the exports read it (``seminars.exports.model``: plain dataclasses), filled
from the rows. The formats themselves (ICS, frab XML, c3voc JSON) are pure functions of it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from exhibitions.accounts.actor import Actor
from exhibitions.seminars import queries
from exhibitions.seminars.exports import ExportPerson, ExportProgramme, ExportRoom, ExportSession, Text
from exhibitions.seminars.services._common import organizers_exhibition
from exhibitions.seminars.tables import SessionStatus

LANGUAGES = ("ar", "fr", "en")


def _text(row: dict[str, Any], prefix: str) -> Text:
    """The row's ``{prefix}_ar``, ``_fr``, ``_en`` columns that hold something."""
    return {language: row[f"{prefix}_{language}"] for language in LANGUAGES if row[f"{prefix}_{language}"]}


def export_person(row: dict[str, Any]) -> ExportPerson:
    return ExportPerson(
        id=row["id"], name=row["name_latin"], name_ar=row["name_ar"], affiliation=row["affiliation"],
        bio=_text(row, "bio"),
    )  # fmt: skip


def export_session(
    row: dict[str, Any], people: dict[int, ExportPerson], participations: list[dict[str, Any]]
) -> ExportSession:
    return ExportSession(
        id=row["id"], guid=row["guid"], title=_text(row, "title"), abstract=_text(row, "abstract"),
        type=row["session_type"], track=_text(row, "track"), track_code=row["track_code"], room_id=row["room"],
        starts_at=row["starts_at"], ends_at=row["ends_at"],
        people=tuple((people[p["person"]], p["role"]) for p in participations),
        languages=tuple(row["languages"].split(",")), interpretation=bool(row["interpretation"]),
        sequence=row["sequence"], cancelled=row["status"] == SessionStatus.cancelled.value,
    )  # fmt: skip


async def export_programme(
    *, slug: str, actor: Actor | None, base_url: str, language: str = "fr", include_drafts: bool = False
) -> ExportProgramme:
    """The exhibition's programme for the exports: scheduled and cancelled sessions (drafts too
    with ``include_drafts``, for the organizers' preview). ``version`` is the time of the latest
    change, so that a re-export of an unchanged programme is the same file."""
    exhibition = await organizers_exhibition(slug, actor)
    shown = {SessionStatus.scheduled.value, SessionStatus.cancelled.value}
    if include_drafts:
        shown.add(SessionStatus.draft.value)
    rows = [row for row in await queries.sessions(exhibition["id"]) if row["status"] in shown]
    people = {row["id"]: export_person(row) for row in await queries.people(exhibition["id"])}
    participations = await queries.participations(exhibition["id"])
    latest = max((row["updated_at"] for row in rows), default=exhibition["updated_at"])
    return ExportProgramme(
        slug=slug, title=_text(exhibition, "title"), time_zone=exhibition["time_zone"],
        starts_on=exhibition["starts_on"], ends_on=exhibition["ends_on"], version=latest.isoformat(),
        base_url=base_url, host=urlparse(base_url).hostname or "localhost",
        rooms=tuple(
            ExportRoom(id=row["id"], name=row["name"], building=row["building"], capacity=row["capacity"])
            for row in await queries.rooms(exhibition["id"])
        ),
        sessions=tuple(export_session(row, people, participations.get(row["id"], [])) for row in rows),
        language=language,
    )  # fmt: skip
