"""Group registration: a leader registers the people they bring (a cooperative's members, a
school class); everyone gets a ticket, and the leader's link opens all of them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput
from exhibitions.notifications import services as notifications
from exhibitions.text import has_control_characters
from exhibitions.tickets import keys
from exhibitions.tickets.schemas import GroupMemberIn, RegistrationIn
from exhibitions.tickets.services._registration import (
    TicketView,
    contact_errors,
    find_individual_ticket,
    get_ticket,
    new_manual_code,
    open_exhibition,
    signing_key,
    ticket_view,
)
from exhibitions.tickets.tables import SigningKey, Ticket
from exhibitions.tickets.validation import ABROAD

# A coach or two, a school class, a cooperative's members: larger groups register in parts.
# It also bounds the group PDF: 201 pages take about 11 s of CPU here (docs/api.md).
MAX_GROUP_MEMBERS = 200
MAX_NAME_LENGTH = 200

_MEMBER_COLUMNS = (
    "exhibition, access_token, manual_code, holder_name, home_region, country, category, language,"
    " first_day, day_count, key_id, group_leader, created_at"
)
_MEMBER_VALUES = "(" + ", ".join(["{}"] * 13) + ")"

_INSERT_LEADER = """
INSERT INTO ticket (exhibition, access_token, manual_code, holder_name, email, phone, home_region, country,
                    category, language, share_contact, first_day, day_count, key_id, created_at)
VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})
ON CONFLICT DO NOTHING
RETURNING *
"""


@dataclass(frozen=True)
class TicketGroup:
    """A ticket and the tickets of the group it leads (none for a ticket that leads no group),
    members in the order they were registered."""

    leader: TicketView
    members: list[TicketView]

    @property
    def tickets(self) -> list[TicketView]:
        return [self.leader, *self.members]


def member_errors(members: list[GroupMemberIn]) -> list[FieldError]:
    """Every bad member field, each named by its index in ``members`` (from 0)."""
    if not members:
        return [FieldError("members", "no_members", "name at least one person besides the leader")]
    if len(members) > MAX_GROUP_MEMBERS:
        return [
            FieldError(
                "members",
                "too_many_members",
                f"a group has at most {MAX_GROUP_MEMBERS} members; register a larger one in several parts",
            )
        ]
    errors = []
    for index, member in enumerate(members):
        field = f"members[{index}].name"
        if has_control_characters(member.name):
            errors.append(FieldError(field, "control_characters", "must not contain control characters"))
        elif not member.name.strip():
            errors.append(FieldError(field, "required", "must not be blank"))
        elif len(member.name.strip()) > MAX_NAME_LENGTH:
            errors.append(FieldError(field, "name_too_long", f"must be at most {MAX_NAME_LENGTH} characters"))
    return errors


async def register_group(
    *, slug: str, leader: RegistrationIn, members: list[GroupMemberIn], secret_key: str, now: datetime
) -> tuple[TicketGroup, bool]:
    """Tickets for a leader and each member; (the group, True) when tickets were issued.

    Members share the leader's language and region, and take the leader's category unless
    they name theirs. All the tickets are written in one transaction: a bad member leaves
    nothing behind. The same leader e-mail registering again gets the group it registered
    first (a second list of members is not added); a leader who had registered alone
    before brings their group along to that ticket."""
    exhibition = await open_exhibition(slug, now)
    leader_errors, email, phone = contact_errors(leader)
    errors = [FieldError(f"leader.{error.field}", error.code, error.reason) for error in leader_errors]
    errors += member_errors(members)
    if errors:
        raise InvalidInput(errors)
    key_id, private_key = await signing_key(exhibition_id=exhibition["id"], secret_key=secret_key, now=now)
    first_day = exhibition["starts_on"]
    day_count = (exhibition["ends_on"] - first_day).days + 1
    async with write_transaction(Ticket._meta.db):
        leader_row, new_leader = await _leader_ticket(
            exhibition["id"], leader, email, phone, first_day, day_count, key_id, now
        )
        if not new_leader:
            existing = await _member_rows(leader_row["id"])
            if existing:
                return await _group(leader_row, existing, slug, secret_key), False
        member_rows = await _insert_members(leader_row, members, key_id, now)
        # The leader's link opens every ticket of the group. A leader who had registered
        # alone was e-mailed then: the outbox key makes this a no-op.
        await notifications.enqueue_ticket_email(ticket=leader_row, now=now)
    leader_view = ticket_view(leader_row, slug, await _private_key(leader_row, secret_key, key_id, private_key))
    return TicketGroup(leader_view, [ticket_view(row, slug, private_key) for row in member_rows]), True


async def _leader_ticket(
    exhibition_id: int,
    leader: RegistrationIn,
    email: str | None,
    phone: str | None,
    first_day: Any,
    day_count: int,
    key_id: int,
    now: datetime,
) -> tuple[dict[str, Any], bool]:
    """(the leader's ticket, True when new). An existing one is locked until the group is
    written, so that two registrations of one leader cannot both add members."""
    for _ in range(3):
        rows = await Ticket.raw(
            _INSERT_LEADER,
            exhibition_id,
            secrets.token_urlsafe(24),
            new_manual_code(),
            leader.name.strip(),
            email,
            phone,
            leader.home_region,
            leader.country.upper() if leader.home_region == ABROAD and leader.country else None,
            leader.category.value,
            leader.language,
            leader.share_contact,
            first_day,
            day_count,
            key_id,
            now,
        )
        if rows:
            return rows[0], True
        if email is not None:
            existing = await find_individual_ticket(exhibition_id, email, for_update=True)
            if existing is not None:
                return existing, False
        # Otherwise a random code collided with another ticket's: draw again.
    raise Conflict("could not issue a ticket; try again")


async def _insert_members(
    leader: dict[str, Any], members: list[GroupMemberIn], key_id: int, now: datetime
) -> list[dict[str, Any]]:
    """The members' tickets in one statement, in the order given; a member whose random
    code collided with another ticket's draws again."""
    pending = {secrets.token_urlsafe(24): (index, member) for index, member in enumerate(members)}
    issued: dict[int, dict[str, Any]] = {}
    for _ in range(3):
        values: list[Any] = []
        for token, (_, member) in pending.items():
            values += [
                leader["exhibition"],
                token,
                new_manual_code(),
                member.name.strip(),
                leader["home_region"],
                leader["country"],
                member.category.value if member.category is not None else leader["category"],
                leader["language"],
                leader["first_day"],
                leader["day_count"],
                key_id,
                leader["id"],
                now,
            ]
        rows = await Ticket.raw(
            f"INSERT INTO ticket ({_MEMBER_COLUMNS}) VALUES "  # noqa: S608 - placeholders only
            + ", ".join([_MEMBER_VALUES] * len(pending))
            + " ON CONFLICT DO NOTHING RETURNING *",
            *values,
        )
        for row in rows:
            index, _ = pending.pop(row["access_token"])
            issued[index] = row
        if not pending:
            return [issued[index] for index in range(len(members))]
        pending = {secrets.token_urlsafe(24): entry for entry in pending.values()}
    raise Conflict("could not issue the group's tickets; try again")


async def _member_rows(leader_id: int) -> list[dict[str, Any]]:
    return await Ticket.raw(  # type: ignore[no-any-return]
        "SELECT * FROM ticket WHERE group_leader = {} ORDER BY id", leader_id
    )


async def _private_key(row: dict[str, Any], secret_key: str, current_key_id: int, current_key: Any) -> Any:
    if row["key_id"] == current_key_id:
        return current_key
    return (await _private_keys(row["exhibition"], {row["key_id"]}, secret_key))[row["key_id"]]


async def _private_keys(exhibition_id: int, key_ids: set[int], secret_key: str) -> dict[int, Any]:
    rows = await SigningKey.raw(
        "SELECT key_id, private_key_sealed FROM signing_key WHERE exhibition = {}", exhibition_id
    )
    return {
        row["key_id"]: keys.unseal(
            row["private_key_sealed"], secret_key, context=keys.key_context(exhibition_id, row["key_id"])
        )
        for row in rows
        if row["key_id"] in key_ids
    }


async def _group(leader: dict[str, Any], members: list[dict[str, Any]], slug: str, secret_key: str) -> TicketGroup:
    private_keys = await _private_keys(leader["exhibition"], {row["key_id"] for row in [leader, *members]}, secret_key)
    return TicketGroup(
        ticket_view(leader, slug, private_keys[leader["key_id"]]),
        [ticket_view(row, slug, private_keys[row["key_id"]]) for row in members],
    )


async def get_group(*, access_token: str, secret_key: str) -> TicketGroup:
    """The ticket behind a link and, when it leads a group, its members' tickets."""
    ticket = await get_ticket(access_token=access_token, secret_key=secret_key)
    members = await _member_rows(ticket.row["id"])
    if not members:
        return TicketGroup(ticket, [])
    return await _group(ticket.row, members, ticket.exhibition_slug, secret_key)
