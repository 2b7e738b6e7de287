"""Tickets: registration, reading a ticket, checkpoints and check-in. The one way in."""

from exhibitions.tickets.services._checkin import (
    CheckInOutcome,
    check_in,
    create_checkpoint,
    create_device,
    list_checkpoints,
)
from exhibitions.tickets.services._registration import (
    MANUAL_CODE_ALPHABET,
    MANUAL_CODE_LENGTH,
    TicketView,
    get_ticket,
    new_manual_code,
    register_visitor,
    signing_key,
)

__all__ = [
    "MANUAL_CODE_ALPHABET",
    "MANUAL_CODE_LENGTH",
    "CheckInOutcome",
    "TicketView",
    "check_in",
    "create_checkpoint",
    "create_device",
    "get_ticket",
    "list_checkpoints",
    "new_manual_code",
    "register_visitor",
    "signing_key",
]
