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
from exhibitions.tickets.services._devices import (
    EnrolledDevice,
    EnrolmentOffer,
    complete_device_enrolment,
    list_devices,
    offer_device_enrolment,
    revoke_device,
)
from exhibitions.tickets.services._documents import TicketPdf, ticket_pdf
from exhibitions.tickets.services._groups import (
    MAX_GROUP_MEMBERS,
    TicketGroup,
    get_group,
    member_errors,
    register_group,
)
from exhibitions.tickets.services._live import LiveCounts, QuarterHour, live_counts, quarter_hours
from exhibitions.tickets.services._registration import (
    MANUAL_CODE_ALPHABET,
    MANUAL_CODE_LENGTH,
    TicketView,
    get_ticket,
    new_manual_code,
    register_visitor,
    signing_key,
)
from exhibitions.tickets.services._visitors import (
    EXPORT_COLUMNS,
    export_visitors_csv,
    list_visitors,
    replace_ticket,
)

__all__ = [
    "EXPORT_COLUMNS",
    "MANUAL_CODE_ALPHABET",
    "MANUAL_CODE_LENGTH",
    "MAX_GROUP_MEMBERS",
    "CheckInOutcome",
    "EnrolledDevice",
    "EnrolmentOffer",
    "LiveCounts",
    "OfflineScan",
    "QuarterHour",
    "ScannerBundle",
    "TicketGroup",
    "TicketPdf",
    "TicketView",
    "apply_offline_scans",
    "check_in",
    "complete_device_enrolment",
    "create_checkpoint",
    "create_device",
    "export_visitors_csv",
    "get_group",
    "get_ticket",
    "list_checkpoints",
    "list_devices",
    "list_visitors",
    "live_counts",
    "member_errors",
    "new_manual_code",
    "offer_device_enrolment",
    "quarter_hours",
    "register_group",
    "register_visitor",
    "replace_ticket",
    "revoke_device",
    "revoke_ticket",
    "scanner_bundle",
    "signing_key",
    "ticket_pdf",
]
