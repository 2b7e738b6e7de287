"""Tracks: the four themes of the national programme, made for an exhibition the first time
its tracks are needed, and any the organizers add."""

from __future__ import annotations

from typing import Any

import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.seminars import queries
from exhibitions.seminars.schemas import TrackIn, TrackUpdate
from exhibitions.seminars.services._common import INTEGRITY_ERRORS, organizers_exhibition, refused, sent_fields
from exhibitions.seminars.tables import SeminarTrack
from exhibitions.text import control_character_errors

# (code, Arabic, French, English): the themes the issue names, in the programme's order.
DEFAULT_TRACKS = (
    ("legal_framework", "الإطار القانوني", "Cadre juridique", "Legal framework"),
    ("public_policy", "السياسات العمومية", "Politiques publiques", "Public policy"),
    ("initiatives", "المبادرات", "Initiatives", "Initiatives"),
    ("international_partnership", "الشراكة والتعاون الدولي", "Partenariat et coopération internationale",
     "Partnership and international cooperation"),
)  # fmt: skip


async def ensure_default_tracks(exhibition_id: int) -> None:
    """An exhibition without tracks gets the four defaults (the unique code decides a race);
    once it has some, the organizers' choices stand, deletions included."""
    if await queries.tracks(exhibition_id):
        return
    await SeminarTrack.insert(
        *[
            SeminarTrack(exhibition=exhibition_id, code=code, name_ar=ar, name_fr=fr, name_en=en, position=index * 10)
            for index, (code, ar, fr, en) in enumerate(DEFAULT_TRACKS)
        ]
    ).on_conflict(action="DO NOTHING")


def _errors(data: TrackIn) -> list[FieldError]:
    errors = control_character_errors({"name_ar": data.name_ar, "name_fr": data.name_fr, "name_en": data.name_en})
    if not (data.name_ar.strip() or data.name_fr.strip() or data.name_en.strip()):
        errors.append(FieldError("name", "name_required", "give the name in at least one of name_ar, name_fr, name_en"))
    return errors


async def list_tracks(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    exhibition = await organizers_exhibition(slug, actor)
    await ensure_default_tracks(exhibition["id"])
    return await queries.tracks(exhibition["id"])


async def _track(exhibition: dict[str, Any], code: str) -> dict[str, Any]:
    await ensure_default_tracks(exhibition["id"])
    row = await queries.track(exhibition["id"], code)
    if row is None:
        raise NotFound(f"no track {code!r} in this exhibition")
    return row


async def create_track(*, slug: str, data: TrackIn, actor: Actor | None) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    if errors := _errors(data):
        raise InvalidInput(errors)
    await ensure_default_tracks(exhibition["id"])
    try:
        await SeminarTrack.insert(
            SeminarTrack(
                exhibition=exhibition["id"], code=data.code, name_ar=data.name_ar.strip(),
                name_fr=data.name_fr.strip(), name_en=data.name_en.strip(), position=data.position,
            )
        )  # fmt: skip
    except Exception as exc:
        raise (refused(exc) or exc) from None
    return await _track(exhibition, data.code)


async def update_track(*, slug: str, code: str, changes: TrackUpdate, actor: Actor | None) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    current = await _track(exhibition, code)
    base = TrackIn(
        code=code, name_ar=current["name_ar"], name_fr=current["name_fr"], name_en=current["name_en"],
        position=current["position"],
    )  # fmt: skip
    merged = msgspec.structs.replace(base, **sent_fields(changes))
    if errors := _errors(merged):
        raise InvalidInput(errors)
    await SeminarTrack.update(
        {
            SeminarTrack.name_ar: merged.name_ar.strip(),
            SeminarTrack.name_fr: merged.name_fr.strip(),
            SeminarTrack.name_en: merged.name_en.strip(),
            SeminarTrack.position: merged.position,
        }
    ).where(SeminarTrack.id == current["id"])
    return await _track(exhibition, code)


async def delete_track(*, slug: str, code: str, actor: Actor | None) -> None:
    exhibition = await organizers_exhibition(slug, actor)
    current = await _track(exhibition, code)
    reason = "sessions are in this track: move them to another track first"
    if current["sessions"]:
        raise Conflict(reason, errors=[FieldError("track", "track_in_use", reason)])
    try:
        await SeminarTrack.delete().where(SeminarTrack.id == current["id"])
    except INTEGRITY_ERRORS as exc:  # a session put in the track meanwhile: the foreign key refuses
        raise Conflict(reason, errors=[FieldError("track", "track_in_use", reason)]) from exc
