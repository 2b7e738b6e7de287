"""Exhibitions: create, change, publish, close, and read with permission. The one way in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from msgspec import UNSET

from exhibitions.accounts.actor import Actor
from exhibitions.accounts.services import grant_role
from exhibitions.accounts.tables import RoleName
from exhibitions.db import write_transaction
from exhibitions.errors import (
    Conflict,
    DuplicateValue,
    FieldError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from exhibitions.events import queries
from exhibitions.events.hours import DayHours, ExceptionDay, daily_schedule
from exhibitions.events.permissions import can_create_exhibition, can_manage_exhibition, can_view_exhibition
from exhibitions.events.regions import Region, regions_by_code
from exhibitions.events.schemas import ExhibitionCreate, ExhibitionUpdate, HallIn, OpeningExceptionIn
from exhibitions.events.tables import Exhibition, ExhibitionStatus, Hall, OpeningException, Venue
from exhibitions.events.validation import ExhibitionFields, exhibition_field_errors
from exhibitions.text import control_character_errors, has_control_characters

# Forward only: a published edition may be closed, never silently turned back into a draft.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ExhibitionStatus.draft.value: {ExhibitionStatus.published.value},
    ExhibitionStatus.published.value: {ExhibitionStatus.closed.value},
    ExhibitionStatus.closed.value: set(),
}


@dataclass(frozen=True)
class ExhibitionDetail:
    row: dict[str, Any]
    region: Region | None
    halls: list[dict[str, Any]]
    days: list[DayHours]

    @property
    def slug(self) -> str:
        return str(self.row["slug"])

    def title(self, language: str) -> str:
        return str(self.row.get(f"title_{language}") or self.row["title_fr"])


def _minute(value: time) -> time:
    # Times are compared as text on SQLite: one precision keeps "10:00:00" < "10:30:00" true.
    return value.replace(second=0, microsecond=0, tzinfo=None)


def _validate(fields: ExhibitionFields) -> None:
    errors = exhibition_field_errors(fields)
    if errors:
        raise InvalidInput(errors)


async def _venue_id(name: str, city: str, address: str) -> int:
    """The venue with this name in this city, created if new (the unique key decides races)."""
    await Venue.insert(Venue(name=name, city=city, address=address)).on_conflict(action="DO NOTHING")
    venue_id = await queries.find_venue_id(name, city)
    assert venue_id is not None  # inserted above or already there; venues are never deleted here
    if address:
        await Venue.update({Venue.address: address}).where(Venue.id == venue_id)
    return venue_id


async def _add_halls(venue_id: int, halls: list[HallIn]) -> None:
    for hall in halls:
        await Hall.insert(Hall(venue=venue_id, name=hall.name.strip(), area_m2=hall.area_m2)).on_conflict(
            action="DO NOTHING"
        )


async def _replace_exceptions(exhibition_id: int, exceptions: list[OpeningExceptionIn]) -> None:
    await OpeningException.delete().where(OpeningException.exhibition == exhibition_id)
    for exception in exceptions:
        await OpeningException.insert(
            OpeningException(
                exhibition=exhibition_id,
                day=exception.day,
                opens_at=_minute(exception.opens_at) if exception.opens_at else None,
                closes_at=_minute(exception.closes_at) if exception.closes_at else None,
                note=exception.note.strip(),
            )
        )


async def create_exhibition(*, data: ExhibitionCreate, actor: Actor | None, now: datetime) -> str:
    """Create a draft exhibition; return its slug."""
    if not can_create_exhibition(actor):
        raise PermissionDenied("only organizers may create exhibitions")
    assert actor is not None
    slug = data.slug.strip().lower()
    if address_errors := control_character_errors({"venue_address": data.venue_address}):
        raise InvalidInput(address_errors)
    _validate(
        ExhibitionFields(
            kind=data.kind.value,
            region=data.region,
            title_ar=data.title_ar,
            title_fr=data.title_fr,
            title_en=data.title_en,
            venue_name=data.venue_name,
            city=data.city,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            time_zone=data.time_zone,
            opens_at=data.opens_at,
            closes_at=data.closes_at,
            opening_exceptions=data.opening_exceptions,
            halls=data.halls,
            setup_on=data.setup_on,
            applications_close_on=data.applications_close_on,
        )
    )
    async with write_transaction(Exhibition._meta.db):
        venue_id = await _venue_id(data.venue_name.strip(), data.city.strip(), data.venue_address.strip())
        rows = await (
            Exhibition.insert(
                Exhibition(
                    slug=slug,
                    kind=data.kind.value,
                    region=data.region,
                    title_ar=data.title_ar.strip(),
                    title_fr=data.title_fr.strip(),
                    title_en=data.title_en.strip(),
                    venue=venue_id,
                    starts_on=data.starts_on,
                    ends_on=data.ends_on,
                    time_zone=data.time_zone,
                    opens_at=_minute(data.opens_at),
                    closes_at=_minute(data.closes_at),
                    status=ExhibitionStatus.draft.value,
                    created_at=now,
                    updated_at=now,
                    setup_on=data.setup_on,
                    applications_close_on=data.applications_close_on,
                )
            )
            .on_conflict(target=Exhibition.slug, action="DO NOTHING")
            .returning(Exhibition.id)
        )
        if not rows:
            raise DuplicateValue(
                f"an exhibition with slug {slug!r} already exists",
                errors=[FieldError("slug", "duplicate", "is already used by another exhibition")],
            )
        exhibition_id = int(rows[0]["id"])
        await _replace_exceptions(exhibition_id, data.opening_exceptions)
        await _add_halls(venue_id, data.halls)
        if not actor.has_role(RoleName.organizer):
            await grant_role(user_id=actor.user_id, role=RoleName.organizer, exhibition_id=exhibition_id, now=now)
    return slug


def _merged(current: dict[str, Any], exceptions: list[dict[str, Any]], changes: ExhibitionUpdate) -> ExhibitionFields:
    def pick(name: str, fallback: Any) -> Any:
        value = getattr(changes, name)
        return fallback if value is UNSET else value

    kind = pick("kind", current["kind"])
    return ExhibitionFields(
        kind=kind.value if hasattr(kind, "value") else kind,
        region=pick("region", current["region"]),
        title_ar=pick("title_ar", current["title_ar"]),
        title_fr=pick("title_fr", current["title_fr"]),
        title_en=pick("title_en", current["title_en"]),
        venue_name=pick("venue_name", current["venue_name"]),
        city=pick("city", current["city"]),
        starts_on=pick("starts_on", current["starts_on"]),
        ends_on=pick("ends_on", current["ends_on"]),
        time_zone=pick("time_zone", current["time_zone"]),
        opens_at=pick("opens_at", current["opens_at"]),
        closes_at=pick("closes_at", current["closes_at"]),
        opening_exceptions=pick(
            "opening_exceptions",
            [
                OpeningExceptionIn(day=e["day"], opens_at=e["opens_at"], closes_at=e["closes_at"], note=e["note"])
                for e in exceptions
            ],
        ),
        halls=pick("halls", []),
        setup_on=pick("setup_on", current.get("setup_on")),
        applications_close_on=pick("applications_close_on", current.get("applications_close_on")),
    )


async def update_exhibition(*, slug: str, changes: ExhibitionUpdate, actor: Actor | None, now: datetime) -> str:
    """Change an exhibition; a status change must follow ALLOWED_TRANSITIONS. Returns the slug."""
    async with write_transaction(Exhibition._meta.db):
        current = await queries.find_exhibition(slug, for_update=True)
        if current is None or not can_view_exhibition(actor, current["id"], current["status"]):
            raise NotFound(f"no exhibition {slug!r}")
        if not can_manage_exhibition(actor, current["id"]):
            raise PermissionDenied("only this exhibition's organizers may change it")
        exceptions = await queries.list_opening_exceptions(current["id"])
        fields = _merged(current, exceptions, changes)
        _validate(fields)
        values: dict[Any, Any] = {
            Exhibition.kind: fields.kind,
            Exhibition.region: fields.region,
            Exhibition.title_ar: fields.title_ar.strip(),
            Exhibition.title_fr: fields.title_fr.strip(),
            Exhibition.title_en: fields.title_en.strip(),
            Exhibition.starts_on: fields.starts_on,
            Exhibition.ends_on: fields.ends_on,
            Exhibition.time_zone: fields.time_zone,
            Exhibition.opens_at: _minute(fields.opens_at),
            Exhibition.closes_at: _minute(fields.closes_at),
            Exhibition.updated_at: now,
            Exhibition.setup_on: fields.setup_on,
            Exhibition.applications_close_on: fields.applications_close_on,
        }
        if changes.status is not UNSET and changes.status.value != current["status"]:
            if changes.status.value not in ALLOWED_TRANSITIONS[current["status"]]:
                raise InvalidTransition(
                    f"an exhibition cannot go from {current['status']} to {changes.status.value}",
                    errors=[
                        FieldError(
                            "status",
                            "invalid_transition",
                            f"cannot go from {current['status']} to {changes.status.value}",
                        )
                    ],
                )
            values[Exhibition.status] = changes.status.value
        if changes.venue_address is not UNSET and (
            errors := control_character_errors({"venue_address": changes.venue_address})
        ):
            raise InvalidInput(errors)
        venue_changed = any(getattr(changes, name) is not UNSET for name in ("venue_name", "city", "venue_address"))
        venue_id = current["venue"]
        if venue_changed:
            address = current["venue_address"] if changes.venue_address is UNSET else changes.venue_address
            venue_id = await _venue_id(fields.venue_name.strip(), fields.city.strip(), address.strip())
            values[Exhibition.venue] = venue_id
        # The status in WHERE makes a concurrent status change lose cleanly instead of being overwritten.
        updated = await (
            Exhibition.update(values)
            .where((Exhibition.id == current["id"]) & (Exhibition.status == current["status"]))
            .returning(Exhibition.id)
        )
        if not updated:
            raise Conflict("the exhibition changed while you were editing it; reload and try again")
        if changes.opening_exceptions is not UNSET:
            await _replace_exceptions(current["id"], changes.opening_exceptions)
        if changes.halls is not UNSET:
            await _add_halls(venue_id, changes.halls)
    return slug


async def opening_schedule(exhibition: dict[str, Any]) -> list[DayHours]:
    """Each day of an exhibition row with its hours, the per-day exceptions applied."""
    exceptions = await queries.list_opening_exceptions(exhibition["id"])
    return daily_schedule(
        exhibition["starts_on"],
        exhibition["ends_on"],
        exhibition["opens_at"],
        exhibition["closes_at"],
        [ExceptionDay(e["day"], e["opens_at"], e["closes_at"], e["note"]) for e in exceptions],
    )


async def managed_exhibition(slug: str, actor: Actor | None, *, refusal: str) -> dict[str, Any]:
    """The exhibition ``slug`` for one of its organizers: NotFound when there is none,
    PermissionDenied saying ``refusal`` to anyone else (scanner devices included)."""
    exhibition = await queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    if actor is None or actor.device_exhibition_id is not None or not can_manage_exhibition(actor, exhibition["id"]):
        raise PermissionDenied(refusal)
    return exhibition


async def get_exhibition_detail(*, slug: str, actor: Actor | None) -> ExhibitionDetail:
    row = await queries.find_exhibition(slug)
    if row is None or not can_view_exhibition(actor, row["id"], row["status"]):
        raise NotFound(f"no exhibition {slug!r}")
    halls = await queries.list_halls(row["venue"])
    days = await opening_schedule(row)
    region = regions_by_code().get(row["region"]) if row["region"] else None
    return ExhibitionDetail(row=row, region=region, halls=halls, days=days)


def visible_draft_ids(actor: Actor | None) -> tuple[bool, set[int]]:
    """(sees every draft, ids of the drafts it may see besides)."""
    if actor is None:
        return False, set()
    if actor.has_role(RoleName.organizer) or actor.has_role(RoleName.reviewer):
        return True, set()
    ids = {
        exhibition_id
        for exhibition_id, role in actor.roles
        if exhibition_id is not None and role in ("organizer", "reviewer")
    }
    return False, ids


async def list_visible_exhibitions(
    *,
    actor: Actor | None,
    include_drafts: bool = False,
    kind: str | None = None,
    region: str | None = None,
    search: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[dict[str, Any]], int]:
    statuses = {ExhibitionStatus.published.value, ExhibitionStatus.closed.value}
    also: set[int] = set()
    if include_drafts:
        all_drafts, also = visible_draft_ids(actor)
        if all_drafts:
            statuses.add(ExhibitionStatus.draft.value)
    if search is not None and has_control_characters(search):
        raise InvalidInput.single("q", "control_characters", "must not contain control characters")
    if region is not None and region not in regions_by_code():
        raise InvalidInput.single("region", "unknown_region", f"{region!r} is not a region code (MA-01 to MA-12)")
    return await queries.list_exhibitions(
        statuses=statuses,
        also_ids=also,
        kind=kind,
        region=region,
        search=search or None,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
