"""Applications to exhibit: drafts, submission, decisions and withdrawal, with the trail
of who moved each one, when and why."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import msgspec

from exhibitions.accounts.actor import Actor
from exhibitions.db import write_transaction
from exhibitions.errors import DuplicateValue, FieldError, InvalidTransition, NotFound, PermissionDenied
from exhibitions.events import queries as event_queries
from exhibitions.events.hours import has_ended
from exhibitions.events.permissions import can_manage_exhibition
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.exhibitors import queries
from exhibitions.exhibitors.schemas import ApplicationCreate, ApplicationUpdate
from exhibitions.exhibitors.services import _review
from exhibitions.exhibitors.tables import Application, ApplicationEvent
from exhibitions.exhibitors.workflow import DECISIONS, ApplicationStatus, Party, editable, who_may_move
from exhibitions.notifications import services as notifications

_SELECT = "SELECT a.*, e.slug AS exhibition_slug FROM application a JOIN exhibition e ON e.id = a.exhibition"


async def _row(application_id: int) -> dict[str, Any] | None:
    rows = await Application.raw(_SELECT + " WHERE a.id = {}", application_id)
    return rows[0] if rows else None


async def _parties(row: dict[str, Any], actor: Actor | None) -> set[Party]:
    """What the actor is to this application: a member of the applicant, its organizer, both, or nothing."""
    parties: set[Party] = set()
    if actor is None or actor.device_exhibition_id is not None:
        return parties
    if await queries.is_member(row["organization"], actor.user_id):
        parties.add(Party.applicant)
    if can_manage_exhibition(actor, row["exhibition"]):
        parties.add(Party.organizer)
    return parties


async def _event(application_id: int, from_status: str | None, to_status: str, actor: Actor | None, reason: str,
                 now: datetime) -> int:  # fmt: skip
    """The trail's row; ``actor`` None is the system (the waiting list moving up)."""
    rows = await ApplicationEvent.raw(
        "INSERT INTO application_event (application, from_status, to_status, actor, reason, at)"
        " VALUES ({}, {}, {}, {}, {}, {}) RETURNING id",
        application_id, from_status, to_status, actor.user_id if actor else None, reason.strip(), now,
    )  # fmt: skip
    return int(rows[0]["id"])


_MEMBERS_OF = (
    'SELECT m.organization, u.email, u.preferred_language FROM organization_member m JOIN app_user u ON u.id = m."user"'
    " WHERE m.organization = {} ORDER BY u.id"
)
_MEMBERS_OF_APPLICANTS = (
    'SELECT m.organization, u.email, u.preferred_language FROM organization_member m JOIN app_user u ON u.id = m."user"'
    " WHERE m.organization IN (SELECT organization FROM application WHERE exhibition = {}) ORDER BY u.id"
)


async def members_of(organization_id: int) -> list[dict[str, Any]]:
    """The organization's members (e-mail, language), oldest account first."""
    return await ApplicationEvent.raw(_MEMBERS_OF, organization_id)  # type: ignore[no-any-return]


async def members_of_applicants(exhibition_id: int) -> dict[int, list[dict[str, Any]]]:
    """The members of every organization applying to the exhibition, in one query."""
    rows = await ApplicationEvent.raw(_MEMBERS_OF_APPLICANTS, exhibition_id)
    members: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        members.setdefault(row["organization"], []).append(row)
    return members


async def _tell_members(
    row: dict[str, Any], event_id: int, now: datetime, members: list[dict[str, Any]] | None = None
) -> None:
    """Queue the decision's e-mail to every member of the applying organization, each in their
    own language; the outbox's unique key makes a repeat impossible. ``members``, when the
    caller read them already (deciding many at once)."""
    for member in await members_of(row["organization"]) if members is None else members:
        await notifications.enqueue(
            rule=notifications.RULE_APPLICATION_DECIDED, recipient=member["email"],
            subject_key=f"application_event:{event_id}", language=member["preferred_language"], now=now,
            exhibition_id=row["exhibition"],
        )  # fmt: skip


async def create_application(
    *, slug: str, data: ApplicationCreate, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    """A draft application of an organization the actor acts for (or an organizer)."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None or exhibition["status"] != ExhibitionStatus.published.value:
        raise NotFound(f"no exhibition {slug!r} open for applications")
    if has_ended(exhibition["ends_on"], exhibition["time_zone"], now):
        raise InvalidTransition("this exhibition is over", errors=[FieldError("exhibition", "ended", "is over")])
    if actor is None or actor.device_exhibition_id is not None:
        raise PermissionDenied("sign in to apply")
    member = await queries.is_member(data.organization, actor.user_id)
    if not (member or can_manage_exhibition(actor, exhibition["id"])):
        raise PermissionDenied("you do not act for this organization")
    if await queries.find_organization(data.organization) is None:
        raise NotFound(f"no organization {data.organization}")
    values = msgspec.structs.asdict(data)
    async with write_transaction(Application._meta.db):
        rows = await Application.raw(
            "INSERT INTO application (exhibition, organization, stand_type, stand_area_m2, preferred_zone,"
            " near_organizations, needs_power, needs_water, needs_accessible, accepts_sharing, products,"
            " created_at, updated_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})"
            " ON CONFLICT DO NOTHING RETURNING id",
            exhibition["id"], data.organization, values["stand_type"].value, data.stand_area_m2,
            data.preferred_zone, json.dumps(sorted(set(data.near_organizations))), data.needs_power,
            data.needs_water, data.needs_accessible, data.accepts_sharing, data.products.strip(), now, now,
        )  # fmt: skip
        if not rows:
            raise DuplicateValue(
                "this organization has applied to this exhibition already",
                errors=[FieldError("organization", "duplicate", "has an application here already")],
            )
        await _event(rows[0]["id"], None, ApplicationStatus.draft.value, actor, "", now)
    return await get_application(application_id=rows[0]["id"], actor=actor)


async def get_application(*, application_id: int, actor: Actor | None) -> dict[str, Any]:
    """An application with its history, for the applicant's members and the exhibition's
    organizers; to anyone else it does not exist."""
    row = await _row(application_id)
    if row is None or not await _parties(row, actor):
        raise NotFound(f"no application {application_id}")
    events = await ApplicationEvent.raw(
        "SELECT ev.from_status, ev.to_status, ev.reason, ev.at, ev.actor FROM application_event ev"
        " WHERE ev.application = {} ORDER BY ev.at, ev.id",
        application_id,
    )
    return {**row, "near_organizations": json.loads(row["near_organizations"]), "history": events}


async def update_application(
    *, application_id: int, changes: ApplicationUpdate, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    """Change a draft; once submitted, what was asked stays as it was judged."""
    row = await _row(application_id)
    if row is None or Party.applicant not in await _parties(row, actor):
        raise NotFound(f"no application {application_id}")
    not_draft = InvalidTransition(
        "only a draft can be changed",
        errors=[FieldError("status", "not_draft", f"is {row['status']}: only a draft can be changed")],
    )
    if not editable(ApplicationStatus(row["status"])):
        raise not_draft
    sent = {key: value for key, value in msgspec.structs.asdict(changes).items() if value is not msgspec.UNSET}
    if "stand_type" in sent:
        sent["stand_type"] = sent["stand_type"].value
    if "near_organizations" in sent:
        sent["near_organizations"] = json.dumps(sorted(set(sent["near_organizations"])))
    if "products" in sent:
        sent["products"] = sent["products"].strip()
    if sent:
        assignments = ", ".join(f"{column} = {{}}" for column in sent)
        # Compare-and-set: a submit racing this edit wins or loses whole.
        updated = await Application.raw(
            f"UPDATE application SET {assignments}, updated_at = {{}} WHERE id = {{}} AND status = 'draft'"  # noqa: S608
            " RETURNING id",
            *sent.values(), now, application_id,
        )  # fmt: skip
        if not updated:
            raise not_draft
    return await get_application(application_id=application_id, actor=actor)


async def move_application(
    *, application_id: int, to: ApplicationStatus, actor: Actor | None, reason: str = "", now: datetime
) -> dict[str, Any]:
    """Submit, withdraw or decide. The move is allowed by the workflow for the actor's party,
    and applied by compare-and-set: of two decisions at once, one applies, the other is refused."""
    row = await _row(application_id)
    parties = await _parties(row, actor) if row is not None else set()
    if row is None or not parties:
        raise NotFound(f"no application {application_id}")
    assert actor is not None
    current = ApplicationStatus(row["status"])
    party = who_may_move(current, to)
    if party is None or party not in parties:
        raise InvalidTransition(
            f"an application {current.value} cannot become {to.value} by you",
            errors=[FieldError("status", "invalid_transition", f"cannot go from {current.value} to {to.value}")],
        )
    frees_a_stand = current is ApplicationStatus.approved and to is ApplicationStatus.withdrawn
    async with write_transaction(Application._meta.db):
        if frees_a_stand:
            await _review.lock_review(row["exhibition"])  # before any row lock: see lock_review
        await record_move(row, current, to, actor=actor, reason=reason, now=now)
        if frees_a_stand:
            await _review.promote_from_waitlist(exhibition_id=row["exhibition"], now=now)
    return await get_application(application_id=application_id, actor=actor)


async def record_move(
    row: dict[str, Any], current: ApplicationStatus, to: ApplicationStatus, *, actor: Actor | None, reason: str,
    now: datetime, members: list[dict[str, Any]] | None = None,
) -> None:  # fmt: skip
    """Inside the caller's transaction: the compare-and-set move, its event and, for a
    decision, the members' e-mails. Refused if the status is no longer ``current``."""
    moved = await Application.raw(
        "UPDATE application SET status = {}, updated_at = {},"
        " submitted_at = CASE WHEN {} = 'submitted' THEN {} ELSE submitted_at END"
        " WHERE id = {} AND status = {} RETURNING id",
        to.value, now, to.value, now, row["id"], current.value,
    )  # fmt: skip
    if not moved:
        raise InvalidTransition(
            "the application changed meanwhile; reload it",
            errors=[FieldError("status", "changed", "changed while you were deciding")],
        )
    if current is ApplicationStatus.approved and to is not ApplicationStatus.approved:
        # Only an approved application holds a stand: a withdrawal frees it in the same
        # transaction. Imported here: the stands domain imports this one.
        from exhibitions.stands.services import free_stands_of

        await free_stands_of(row["id"])
    event_id = await _event(row["id"], current.value, to.value, actor, reason, now)
    if to in DECISIONS:
        await _tell_members(row, event_id, now, members)


async def decide_application(
    *, application_id: int, status: ApplicationStatus, reason: str, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    if status not in DECISIONS:
        raise InvalidTransition(
            "a decision is approved, waitlisted or rejected",
            errors=[FieldError("status", "invalid_choice", "must be approved, waitlisted or rejected")],
        )
    return await move_application(application_id=application_id, to=status, actor=actor, reason=reason, now=now)


async def list_applications(*, slug: str, actor: Actor | None, status: str | None) -> list[dict[str, Any]]:
    """The exhibition's applications for its organizers; an exhibitor's own otherwise."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None:
        raise NotFound(f"no exhibition {slug!r}")
    if actor is None or actor.device_exhibition_id is not None:
        raise PermissionDenied("sign in to see applications")
    sql = _SELECT + " WHERE a.exhibition = {}"
    args: list[Any] = [exhibition["id"]]
    if not can_manage_exhibition(actor, exhibition["id"]):
        sql += ' AND a.organization IN (SELECT organization FROM organization_member WHERE "user" = {})'
        args.append(actor.user_id)
    if status:
        sql += " AND a.status = {}"
        args.append(status)
    rows = await Application.raw(sql + " ORDER BY a.id", *args)
    return [{**row, "near_organizations": json.loads(row["near_organizations"]), "history": []} for row in rows]
