"""Who a reminder rule reaches: one query per audience, across the domains that own the people.

Each recipient is a plain dict with ``subject_key`` (what the message is about; part of the
outbox key), ``email`` and ``language``. Speakers and moderators are the seminars' own job
(seminars/services/_speakers.py), counted here for the organizers' preview only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from exhibitions.badges.queries import list_exhibitor_staff
from exhibitions.notifications.tables import Outbox


async def _raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await Outbox.raw(sql, *args)  # type: ignore[no-any-return]


# Everyone who acts for an approved exhibitor (its portal users, in their language), and the
# organization's own address when it has one. One message per address and application.
_APPROVED_EXHIBITORS = """
SELECT 'application:' || a.id AS subject_key, u.email AS email, u.preferred_language AS language
FROM application a JOIN organization_member m ON m.organization = a.organization JOIN app_user u ON u.id = m."user"
WHERE a.exhibition = {} AND a.status = 'approved' AND u.is_active
UNION
SELECT 'application:' || a.id, o.email, CASE WHEN COALESCE(o.name_latin, '') = '' THEN 'ar' ELSE 'fr' END
FROM application a JOIN organization o ON o.id = a.organization
WHERE a.exhibition = {} AND a.status = 'approved' AND o.email IS NOT NULL
"""

# A group's members share their leader's address: the leader's ticket is the one reminded.
_VISITORS = """
SELECT 'ticket:' || t.id AS subject_key, t.email AS email, t.language AS language
FROM ticket t
WHERE t.exhibition = {} AND t.status = 'valid' AND t.email IS NOT NULL AND t.group_leader IS NULL
"""

_SESSION_REGISTRANTS = """
SELECT 'session_registration:' || r.id AS subject_key, t.email AS email, t.language AS language
FROM session_registration r JOIN ticket t ON t.id = r.ticket
WHERE r.session = {} AND r.status = 'registered' AND t.status = 'valid' AND t.email IS NOT NULL
"""

# Sessions whose start is within reach of a session rule: a few rows a tick, not the programme.
_SESSIONS = """
SELECT s.id, s.starts_at FROM seminar_session s
WHERE s.exhibition = {} AND s.status = 'scheduled' AND s.starts_at > {} AND s.starts_at <= {}
ORDER BY s.starts_at, s.id
"""

_SESSION_PEOPLE = """
SELECT COUNT(DISTINCT p.id) AS n FROM session_person sp JOIN seminar_session s ON s.id = sp.session
JOIN seminar_person p ON p.id = sp.person
WHERE sp.exhibition = {} AND s.status = 'scheduled' AND s.starts_at > {} AND p.email IS NOT NULL
  AND sp.response IN ('confirmed', 'invited') AND sp.role IN ({})
"""

_UNCONFIRMED = """
SELECT COUNT(DISTINCT p.id) AS n FROM session_person sp JOIN seminar_session s ON s.id = sp.session
JOIN seminar_person p ON p.id = sp.person JOIN speaker_link l ON l.person = p.id
WHERE sp.exhibition = {} AND sp.response = 'invited' AND s.status <> 'cancelled' AND s.starts_at > {}
  AND l.invited_at IS NOT NULL AND p.email IS NOT NULL
"""


def _unique(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (subject, address): the outbox key lower-cases the address."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["subject_key"], row["email"].strip().lower())
        seen.setdefault(key, {**row, "email": key[1]})
    return list(seen.values())


async def approved_exhibitors(exhibition_id: int) -> list[dict[str, Any]]:
    return _unique(await _raw(_APPROVED_EXHIBITORS, exhibition_id, exhibition_id))


async def exhibitor_staff(exhibition_id: int) -> list[dict[str, Any]]:
    rows = await list_exhibitor_staff(exhibition_id)
    return _unique(
        [
            {"subject_key": f"badge_holder:{row['holder_id']}", "email": row["email"], "language": row["language"]}
            for row in rows
        ]
    )


async def registered_visitors(exhibition_id: int) -> list[dict[str, Any]]:
    return _unique(await _raw(_VISITORS, exhibition_id))


async def session_registrants(session_id: int) -> list[dict[str, Any]]:
    return _unique(await _raw(_SESSION_REGISTRANTS, session_id))


async def sessions_starting(exhibition_id: int, *, after: datetime, until: datetime) -> list[dict[str, Any]]:
    return await _raw(_SESSIONS, exhibition_id, after, until)


async def count_session_people(exhibition_id: int, *, roles: tuple[str, ...], now: datetime) -> int:
    placeholders = ", ".join(f"'{role}'" for role in roles)  # our own constants, never input
    rows = await _raw(_SESSION_PEOPLE.replace("({})", f"({placeholders})"), exhibition_id, now)
    return int(rows[0]["n"]) if rows else 0


async def count_unconfirmed_speakers(exhibition_id: int, *, now: datetime) -> int:
    rows = await _raw(_UNCONFIRMED, exhibition_id, now)
    return int(rows[0]["n"]) if rows else 0


# The audiences whose people this module lists; per exhibition (None: per session).
EXHIBITION_AUDIENCES = {
    "approved_exhibitors": approved_exhibitors,
    "exhibitor_staff": exhibitor_staff,
    "registered_visitors": registered_visitors,
}
SEMINAR_AUDIENCES = ("speakers", "moderators", "unconfirmed_speakers")


# SMS reaches a phone number (E.164, as the domains store it).
_VISITOR_PHONES = """
SELECT 'ticket:' || t.id AS subject_key, t.phone AS phone, t.language AS language
FROM ticket t
WHERE t.exhibition = {} AND t.status = 'valid' AND t.phone IS NOT NULL AND t.group_leader IS NULL
"""

_EXHIBITOR_PHONES = """
SELECT 'application:' || a.id AS subject_key, o.phone AS phone,
       CASE WHEN COALESCE(o.name_latin, '') = '' THEN 'ar' ELSE 'fr' END AS language
FROM application a JOIN organization o ON o.id = a.organization
WHERE a.exhibition = {} AND a.status = 'approved' AND o.phone IS NOT NULL
"""


async def visitor_phones(exhibition_id: int) -> list[dict[str, Any]]:
    return await _raw(_VISITOR_PHONES, exhibition_id)


async def exhibitor_phones(exhibition_id: int) -> list[dict[str, Any]]:
    return await _raw(_EXHIBITOR_PHONES, exhibition_id)


# The audiences SMS can reach (reminder_rules.SMS_AUDIENCES), each row with its "phone".
SMS_AUDIENCES = {"registered_visitors": visitor_phones, "approved_exhibitors": exhibitor_phones}
