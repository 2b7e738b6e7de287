"""The people of a programme (speakers, moderators, rapporteurs, discussants: the role is
per session) and the windows in which they can be there. A person may have an account, or
none: the signed link of the speaker workflow is enough."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.services import normalize_email
from exhibitions.accounts.tables import User
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.seminars import queries
from exhibitions.seminars.schemas import PersonIn, PersonUpdate, WindowIn
from exhibitions.seminars.services._common import INTEGRITY_ERRORS, db, organizers_exhibition, sent_fields
from exhibitions.seminars.tables import PersonAvailability, SeminarPerson
from exhibitions.seminars.validation import international_phone, person_errors, utc


def _email(email: str | None) -> tuple[str | None, list[FieldError]]:
    if email is None or not email.strip():
        return None, []
    try:
        return normalize_email(email), []
    except InvalidInput as exc:
        return None, exc.errors


async def _checked(data: PersonIn) -> dict[Any, Any]:
    """The columns to store, or InvalidInput naming every bad field."""
    email, errors = _email(data.email)
    errors = [*person_errors(data), *errors]
    if data.user_id is not None and not await User.exists().where(User.id == data.user_id):
        errors.append(FieldError("user_id", "unknown_user", f"there is no account {data.user_id}"))
    if errors:
        raise InvalidInput(errors)
    phone = international_phone(data.phone) if data.phone and data.phone.strip() else None
    return {
        SeminarPerson.name_ar: data.name_ar.strip(),
        SeminarPerson.name_latin: data.name_latin.strip(),
        SeminarPerson.affiliation: data.affiliation.strip(),
        SeminarPerson.country: data.country.strip().upper() if data.country and data.country.strip() else None,
        SeminarPerson.bio_ar: data.bio_ar.strip(),
        SeminarPerson.bio_fr: data.bio_fr.strip(),
        SeminarPerson.bio_en: data.bio_en.strip(),
        SeminarPerson.email: email,
        SeminarPerson.phone: phone,
        SeminarPerson.language: data.language,
        SeminarPerson.user: data.user_id,
    }


async def _replace_availability(person_id: int, windows: list[WindowIn]) -> None:
    await PersonAvailability.delete().where(PersonAvailability.person == person_id)
    if windows:
        await PersonAvailability.insert(
            *[
                PersonAvailability(person=person_id, starts_at=utc(w.starts_at), ends_at=utc(w.ends_at))
                for w in sorted(windows, key=lambda w: w.starts_at)
            ]
        )


async def with_availability(exhibition_id: int, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    windows = await queries.availability(exhibition_id)
    return [{**row, "availability": windows.get(row["id"], [])} for row in rows]


async def list_people(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    exhibition = await organizers_exhibition(slug, actor)
    return await with_availability(exhibition["id"], await queries.people(exhibition["id"]))


async def _person(exhibition: dict[str, Any], person_id: int) -> dict[str, Any]:
    row = await queries.person(exhibition["id"], person_id)
    if row is None:
        raise NotFound(f"no person {person_id} in this exhibition")
    return (await with_availability(exhibition["id"], [row]))[0]


async def get_person(*, slug: str, person_id: int, actor: Actor | None) -> dict[str, Any]:
    return await _person(await organizers_exhibition(slug, actor), person_id)


def person_in(row: dict[str, Any]) -> PersonIn:
    """A stored person as the input that would store it again (the base of a partial update)."""
    return PersonIn(
        name_ar=row["name_ar"], name_latin=row["name_latin"], affiliation=row["affiliation"], country=row["country"],
        bio_ar=row["bio_ar"], bio_fr=row["bio_fr"], bio_en=row["bio_en"], email=row["email"], phone=row["phone"],
        language=row["language"], user_id=row["user"],
        availability=[WindowIn(starts_at=w["starts_at"], ends_at=w["ends_at"]) for w in row["availability"]],
    )  # fmt: skip


async def create_person(*, slug: str, data: PersonIn, actor: Actor | None, now: datetime) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    values = await _checked(data)
    async with write_transaction(db()):
        person = SeminarPerson(
            exhibition=exhibition["id"], created_at=now, updated_at=now,
            **{column._meta.name: value for column, value in values.items()},
        )  # fmt: skip
        rows = await SeminarPerson.insert(person).returning(SeminarPerson.id)
        await _replace_availability(rows[0]["id"], data.availability)
    return await _person(exhibition, rows[0]["id"])


async def update_person(
    *, slug: str, person_id: int, changes: PersonUpdate, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    """Only the fields sent change; availability sent replaces every window."""
    exhibition = await organizers_exhibition(slug, actor)
    sent = sent_fields(changes)
    merged = msgspec.structs.replace(person_in(await _person(exhibition, person_id)), **sent)
    values = await _checked(merged)
    async with write_transaction(db()):
        await SeminarPerson.update({**values, SeminarPerson.updated_at: now}).where(SeminarPerson.id == person_id)
        if "availability" in sent:
            await _replace_availability(person_id, merged.availability)
    return await _person(exhibition, person_id)


async def delete_person(*, slug: str, person_id: int, actor: Actor | None) -> None:
    """Only a person who takes part in no session."""
    exhibition = await organizers_exhibition(slug, actor)
    current = await _person(exhibition, person_id)
    reason = "this person takes part in sessions: take them out of those first"
    if current["sessions"]:
        raise Conflict(reason, errors=[FieldError("person_id", "person_in_use", reason)])
    try:
        await SeminarPerson.delete().where(SeminarPerson.id == person_id)
    except INTEGRITY_ERRORS as exc:  # added to a session meanwhile: the foreign key refuses
        raise Conflict(reason, errors=[FieldError("person_id", "person_in_use", reason)]) from exc
