"""The outbox and its delivery: the one way e-mail leaves the system.

Writing a message is :func:`enqueue`, one ``INSERT … ON CONFLICT DO NOTHING`` on the
outbox's unique key (rule, recipient, subject_key, occurrence): a rule evaluated twice,
two schedulers or a restart cannot queue a message twice.

Sending is :func:`deliver_due`, and it is **at-least-once**:

1. it *claims* due rows in one statement (``UPDATE … SET status = 'sending' WHERE id IN
   (SELECT … due … FOR UPDATE SKIP LOCKED) RETURNING``), so two deliverers never take the
   same row, and it counts the attempt at the claim;
2. it sends each row by SMTP, then marks it sent.

A process that dies between the server's "250 OK" and step 2 leaves the row in 'sending';
after :data:`STALE_CLAIM` another pass takes it again and the visitor receives a second copy
(with the same Message-ID). We accept that rather than at-most-once (marking sent before
sending), which would silently lose a ticket on every crash: a duplicate e-mail is a
nuisance, a missing ticket is a visitor at the gate without one. SMTP offers no way to ask a
server whether it already accepted a message, so exactly-once is not on offer.

Failures: a permanent refusal (5xx for the recipient or the message) fails the row at once;
anything else (server down, 4xx, timeout) puts it back to 'pending' with an exponential
backoff, and the :data:`MAX_ATTEMPTS`-th failure leaves it 'failed' for a person to look at
(``exhibitions mail-status``, ``exhibitions deliver-mail --retry-failed``).
"""

from exhibitions.notifications.services._delivery import (
    DEFAULT_BATCH,
    MAX_ATTEMPTS,
    STALE_CLAIM,
    DeliveryReport,
    SmtpUnreachable,
    deliver_due,
    retry_delay,
)
from exhibitions.notifications.services._outbox import enqueue, enqueue_ticket_email, retry_failed
from exhibitions.notifications.services._overview import (
    OutboxFilter,
    OutboxPage,
    export_outbox_csv,
    outbox_page,
    retry_failed_messages,
)
from exhibitions.notifications.services._reminders import (
    REMINDERS_FILE,
    QueuedReminders,
    RulePreview,
    configured_rules,
    preview_reminders,
    queue_reminders,
    read_rules,
)
from exhibitions.notifications.services._rendering import (
    ATTACHMENT_LOADERS,
    RULE_APPLICATION_DECIDED,
    RULE_STAND_ASSIGNED,
    RULE_TICKET_ISSUED,
    Undeliverable,
)
from exhibitions.notifications.services._sms import deliver_due_sms

__all__ = [
    "ATTACHMENT_LOADERS",
    "DEFAULT_BATCH",
    "MAX_ATTEMPTS",
    "REMINDERS_FILE",
    "RULE_APPLICATION_DECIDED",
    "RULE_STAND_ASSIGNED",
    "RULE_TICKET_ISSUED",
    "STALE_CLAIM",
    "DeliveryReport",
    "OutboxFilter",
    "OutboxPage",
    "QueuedReminders",
    "RulePreview",
    "SmtpUnreachable",
    "Undeliverable",
    "configured_rules",
    "deliver_due",
    "deliver_due_sms",
    "enqueue",
    "enqueue_ticket_email",
    "export_outbox_csv",
    "outbox_page",
    "preview_reminders",
    "queue_reminders",
    "read_rules",
    "retry_delay",
    "retry_failed",
    "retry_failed_messages",
]
