"""Visitor registration and tickets. The one way in for pages and API."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from exhibitions.accounts.services import normalize_email
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.events import queries as event_queries
from exhibitions.events.hours import has_ended
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.notifications import services as notifications
from exhibitions.tickets import keys, signing
from exhibitions.tickets.schemas import RegistrationIn
from exhibitions.tickets.tables import SigningKey, Ticket
from exhibitions.tickets.validation import ABROAD, registration_errors

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: read aloud at a gate or typed on a phone, nothing is confused.
MANUAL_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
MANUAL_CODE_LENGTH = 8


@dataclass(frozen=True)
class TicketView:
    row: dict[str, Any]
    exhibition_slug: str
    code: str

    @property
    def last_day(self) -> date:
        first_day: date = self.row["first_day"]
        return first_day + timedelta(days=self.row["day_count"] - 1)


# The registration hot path: hand-written SQL costs a fraction of the query builder's time
# (docs/benchmarks.md). ON CONFLICT without a target also covers the partial unique index
# on (exhibition, email) and a collision of the random codes.
_INSERT_TICKET = """
INSERT INTO ticket (exhibition, access_token, manual_code, holder_name, email, phone, home_region, country,
                    category, language, share_contact, first_day, day_count, key_id, created_at)
VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})
ON CONFLICT DO NOTHING
RETURNING *
"""


# Valid tickets only: a cancelled or replaced ticket keeps its e-mail in the record.
_FIND_INDIVIDUAL = (
    "SELECT * FROM ticket WHERE exhibition = {} AND email = {} AND group_leader IS NULL AND status = 'valid'"
)


def new_manual_code() -> str:
    return "".join(secrets.choice(MANUAL_CODE_ALPHABET) for _ in range(MANUAL_CODE_LENGTH))


async def signing_key(*, exhibition_id: int, secret_key: str, now: datetime) -> tuple[int, Any]:
    """The exhibition's current key (id, private key), made on first use. The unique key
    (exhibition, key id) settles two first uses at once."""
    row = await _current_key(exhibition_id)
    if row is None:
        private = keys.new_private_key()
        await SigningKey.insert(
            SigningKey(
                exhibition=exhibition_id,
                key_id=0,
                public_key=keys.public_hex(private),
                private_key_sealed=keys.seal(private, secret_key, context=keys.key_context(exhibition_id, 0)),
                created_at=now,
            )
        ).on_conflict(action="DO NOTHING")
        row = await _current_key(exhibition_id)
        assert row is not None
    private_key = keys.unseal(
        row["private_key_sealed"], secret_key, context=keys.key_context(exhibition_id, row["key_id"])
    )
    return int(row["key_id"]), private_key


async def _current_key(exhibition_id: int) -> dict[str, Any] | None:
    # On every registration: hand-written SQL costs a fraction of the query builder's time.
    rows = await SigningKey.raw(
        "SELECT key_id, private_key_sealed FROM signing_key WHERE exhibition = {} AND retired_at IS NULL"
        " ORDER BY key_id DESC LIMIT 1",
        exhibition_id,
    )
    return rows[0] if rows else None


def contact_errors(data: RegistrationIn) -> tuple[list[FieldError], str | None, str | None]:
    """(errors, the e-mail lower-cased, the phone in E.164) for a visitor's fields."""
    email_error = None
    email = None
    if data.email is not None and data.email.strip():
        try:
            email = normalize_email(data.email)
        except InvalidInput as exc:
            email_error = exc.errors[0]
    errors, phone = registration_errors(
        name=data.name, email_error=email_error, phone=data.phone, home_region=data.home_region, country=data.country
    )
    if email is None and phone is None and email_error is None and not any(e.field == "phone" for e in errors):
        errors.append(FieldError("email", "contact_required", "give an e-mail address or a Moroccan phone number"))
    return errors, email, phone


async def open_exhibition(slug: str, now: datetime) -> dict[str, Any]:
    """The exhibition's row, when it takes registrations now."""
    exhibition = await event_queries.find_exhibition(slug)
    if exhibition is None or exhibition["status"] != ExhibitionStatus.published.value:
        raise NotFound(f"no exhibition {slug!r} open for registration")
    if has_ended(exhibition["ends_on"], exhibition["time_zone"], now):
        raise Conflict(
            "this exhibition is over; registration is closed",
            errors=[FieldError("form", "registration_closed", "this exhibition is over")],
        )
    return exhibition


async def find_individual_ticket(exhibition_id: int, email: str, *, for_update: bool = False) -> dict[str, Any] | None:
    """The ticket an e-mail registered for itself (group members are not found by e-mail).
    ``for_update`` locks it until the transaction ends (PostgreSQL; on SQLite a write
    transaction holds the whole database already)."""
    lock = " FOR UPDATE" if for_update and Ticket._meta.db.engine_type == "postgres" else ""
    rows = await Ticket.raw(_FIND_INDIVIDUAL + lock, exhibition_id, email)
    return rows[0] if rows else None


async def register_visitor(
    *, slug: str, data: RegistrationIn, secret_key: str, now: datetime
) -> tuple[TicketView, bool]:
    """A ticket for a visitor; (the ticket, True) when new. The same e-mail registering again
    for the same exhibition gets its first ticket back, not a second one."""
    exhibition = await open_exhibition(slug, now)
    errors, email, phone = contact_errors(data)
    if errors:
        raise InvalidInput(errors)
    key_id, private_key = await signing_key(exhibition_id=exhibition["id"], secret_key=secret_key, now=now)
    first_day = exhibition["starts_on"]
    day_count = (exhibition["ends_on"] - first_day).days + 1
    for _ in range(3):
        # The ticket and its e-mail commit together: a crash between them never leaves a
        # ticket whose holder is not told (and on PostgreSQL one commit costs less than two).
        async with write_transaction(Ticket._meta.db):
            rows = await Ticket.raw(
                _INSERT_TICKET,
                exhibition["id"],
                secrets.token_urlsafe(24),
                new_manual_code(),
                data.name.strip(),
                email,
                phone,
                data.home_region,
                data.country.upper() if data.home_region == ABROAD and data.country else None,
                data.category.value,
                data.language,
                data.share_contact,
                first_day,
                day_count,
                key_id,
                now,
            )
            if rows:
                await notifications.enqueue_ticket_email(ticket=rows[0], now=now)
        if rows:
            return ticket_view(rows[0], slug, private_key), True
        if email is not None:
            existing = await find_individual_ticket(exhibition["id"], email)
            if existing is not None:
                return ticket_view(existing, slug, private_key), False
        # Otherwise a random code collided with another ticket's: draw again.
    raise Conflict("could not issue a ticket; try again")


def ticket_view(row: dict[str, Any], slug: str, private_key: Any) -> TicketView:
    claims = signing.TicketClaims(
        key_id=row["key_id"],
        exhibition_id=row["exhibition"],
        ticket_id=row["id"],
        first_day=row["first_day"],
        day_count=row["day_count"],
    )
    return TicketView(row=row, exhibition_slug=slug, code=signing.sign(claims, private_key))


async def get_ticket(*, access_token: str, secret_key: str) -> TicketView:
    """The ticket behind an unguessable link."""
    if len(access_token) > 64:
        raise NotFound("no such ticket")
    row = await (
        Ticket.select(*Ticket.all_columns(), Ticket.exhibition.slug.as_alias("exhibition_slug"))
        .where(Ticket.access_token == access_token)
        .first()
    )
    if row is None:
        raise NotFound("no such ticket")
    key = await (
        SigningKey.select(SigningKey.private_key_sealed)
        .where((SigningKey.exhibition == row["exhibition"]) & (SigningKey.key_id == row["key_id"]))
        .first()
    )
    assert key is not None  # a ticket is only ever issued under a stored key
    private_key = keys.unseal(
        key["private_key_sealed"], secret_key, context=keys.key_context(row["exhibition"], row["key_id"])
    )
    return ticket_view(row, row.pop("exhibition_slug"), private_key)
