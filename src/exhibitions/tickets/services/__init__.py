"""Tickets: registration, reading a ticket, checkpoints and check-in. The one way in."""

from exhibitions.tickets.services._checkin import (
    CheckInOutcome,
    OfflineScan,
    ScannerBundle,
    apply_offline_scans,
    check_in,
    create_checkpoint,
    create_device,
    list_checkpoints,
    revoke_ticket,
    scanner_bundle,
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
    "OfflineScan",
    "ScannerBundle",
    "TicketView",
    "apply_offline_scans",
    "check_in",
    "create_checkpoint",
    "create_device",
    "get_ticket",
    "list_checkpoints",
    "new_manual_code",
    "register_visitor",
    "revoke_ticket",
    "scanner_bundle",
    "signing_key",
]
