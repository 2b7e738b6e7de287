"""Tickets: registration (alone or in a group), reading a ticket and its PDF, checkpoints and
check-in. The one way in."""

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
from exhibitions.tickets.services._documents import TicketPdf, ticket_pdf
from exhibitions.tickets.services._groups import (
    MAX_GROUP_MEMBERS,
    TicketGroup,
    get_group,
    member_errors,
    register_group,
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
    "MAX_GROUP_MEMBERS",
    "CheckInOutcome",
    "OfflineScan",
    "ScannerBundle",
    "TicketGroup",
    "TicketPdf",
    "TicketView",
    "apply_offline_scans",
    "check_in",
    "create_checkpoint",
    "create_device",
    "get_group",
    "get_ticket",
    "list_checkpoints",
    "member_errors",
    "new_manual_code",
    "register_group",
    "register_visitor",
    "revoke_ticket",
    "scanner_bundle",
    "signing_key",
    "ticket_pdf",
]
