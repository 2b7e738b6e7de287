"""Attendance certificates: a visitor whose ticket was scanned into seminar sessions gets a PDF
listing them, with a QR code that opens a verification page.

Attendance is read from the check-in record: a session counts when the ticket was scanned in
(admitted, or already inside) at its room's checkpoint from ATTENDANCE_EARLY before it starts
until it ends, or admitted there in that time. Cancelled and draft sessions never count.

**Why a stored row with a random code, not an Ed25519 signature.** A ticket's signature exists
so that a gate can check it offline; a certificate is checked online, by opening its link, so a
signature would add nothing a database row does not give, and it would freeze into the QR code
everything the page must show (the sessions), or leave the page to recompute attendance that
may since have grown. The row keeps exactly what was printed; its code is 144 random bits, so
an unknown code is a forged certificate, and the tickets' keys stay dedicated to tickets (no
second kind of payload under the same keys to tell apart). The same ticket and sessions always
give the same row: ``INSERT … ON CONFLICT DO NOTHING`` on the unique (ticket, sessions digest),
then a read of the row that won, so two downloads at once issue one certificate.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from exhibitions.errors import NotFound
from exhibitions.events import queries as event_queries
from exhibitions.seminars import documents
from exhibitions.seminars.certificate_tables import SeminarCertificate
from exhibitions.seminars.tables import SeminarSession
from exhibitions.settings import LANGUAGES
from exhibitions.tickets.services import get_ticket
from exhibitions.tickets.tables import Admission, Scan

# Door staff start scanning before a session begins.
ATTENDANCE_EARLY = timedelta(minutes=30)
CODE_LENGTH = 24
_CODE = re.compile(r"[A-Za-z0-9_-]{24}")
# What a scan must have said for the visitor to have been in the room.
PRESENT = ("admitted", "already_admitted")


class NothingAttended(NotFound):
    """The ticket was scanned into no session: there is nothing to certify."""


@dataclass(frozen=True)
class RoomSession:
    id: int
    checkpoint_id: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Presence:
    checkpoint_id: int
    at: datetime


def attended_sessions(sessions: Iterable[RoomSession], presences: Sequence[Presence]) -> list[int]:
    """The ids of ``sessions`` a presence falls in (at its room, from ATTENDANCE_EARLY before the
    start until the end), in order. Pure."""
    attended = []
    for session in sessions:
        opens = session.starts_at - ATTENDANCE_EARLY
        if any(
            presence.checkpoint_id == session.checkpoint_id and opens <= presence.at < session.ends_at
            for presence in presences
        ):
            attended.append(session.id)
    return sorted(attended)


def _utc(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC)


async def _presences(ticket_id: int, checkpoint_ids: Sequence[int]) -> list[Presence]:
    if not checkpoint_ids:
        return []
    scans = await Scan.select(Scan.checkpoint, Scan.scanned_at).where(
        (Scan.ticket == ticket_id)
        & Scan.checkpoint.is_in(list(checkpoint_ids))
        & (Scan.direction == "in")
        & Scan.result.is_in(list(PRESENT))
    )
    admissions = await Admission.select(Admission.checkpoint, Admission.admitted_at).where(
        (Admission.ticket == ticket_id) & Admission.checkpoint.is_in(list(checkpoint_ids))
    )
    return [Presence(row["checkpoint"], _utc(row["scanned_at"])) for row in scans] + [
        Presence(row["checkpoint"], _utc(row["admitted_at"])) for row in admissions
    ]


async def _attended(ticket: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The sessions the ticket's holder attended, as the certificate lists them."""
    rows = await SeminarSession.select(
        SeminarSession.id,
        SeminarSession.title_ar,
        SeminarSession.title_fr,
        SeminarSession.title_en,
        SeminarSession.starts_at,
        SeminarSession.ends_at,
        SeminarSession.room.name.as_alias("room_name"),
        SeminarSession.room.checkpoint.as_alias("checkpoint"),
    ).where(
        (SeminarSession.exhibition == ticket["exhibition"])
        & (SeminarSession.status == "scheduled")
        & SeminarSession.room.is_not_null()
    )
    by_id = {row["id"]: row for row in rows}
    presences = await _presences(ticket["id"], sorted({row["checkpoint"] for row in rows}))
    sessions = [RoomSession(row["id"], row["checkpoint"], _utc(row["starts_at"]), _utc(row["ends_at"])) for row in rows]
    attended = sorted(attended_sessions(sessions, presences), key=lambda id_: (_utc(by_id[id_]["starts_at"]), id_))
    return [
        {
            "id": id_,
            "title": {
                language: by_id[id_][f"title_{language}"] for language in LANGUAGES if by_id[id_][f"title_{language}"]
            },
            "starts_at": _utc(by_id[id_]["starts_at"]).isoformat(),
            "ends_at": _utc(by_id[id_]["ends_at"]).isoformat(),
            "room": by_id[id_]["room_name"],
        }
        for id_ in attended
    ]


def _digest(session_ids: Iterable[int]) -> str:
    return hashlib.sha256(",".join(str(id_) for id_ in sorted(session_ids)).encode("ascii")).hexdigest()


async def issue_certificate(*, ticket: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The certificate of what ``ticket`` (a row) attended, issued now unless the same one was
    before. NothingAttended when it attended no session."""
    sessions = await _attended(ticket)
    if not sessions:
        raise NothingAttended("this ticket was scanned into no seminar session: there is no certificate to give")
    digest = _digest(session["id"] for session in sessions)
    await SeminarCertificate.insert(
        SeminarCertificate(
            ticket=ticket["id"],
            code=secrets.token_urlsafe(18),
            sessions_digest=digest,
            holder_name=ticket["holder_name"],
            sessions=json.dumps(sessions, ensure_ascii=False, sort_keys=True),
            issued_at=now,
        )
    ).on_conflict(action="DO NOTHING")
    row = await (
        SeminarCertificate.select()
        .where((SeminarCertificate.ticket == ticket["id"]) & (SeminarCertificate.sessions_digest == digest))
        .first()
    )
    assert row is not None  # inserted above, or by the request that won
    return row  # type: ignore[no-any-return]


@dataclass(frozen=True)
class CertificatePdf:
    filename: str
    content: bytes
    code: str


def verification_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/certificates/{code}"


def _document(
    row: Mapping[str, Any], exhibition: Mapping[str, Any], language: str, base_url: str
) -> documents.Certificate:
    return documents.Certificate(
        holder_name=row["holder_name"],
        exhibition_title=exhibition[f"title_{language}"] or exhibition["title_fr"],
        time_zone=exhibition["time_zone"],
        sessions=tuple(
            documents.AttendedSession(
                title=session["title"],
                starts_at=_utc(session["starts_at"]),
                ends_at=_utc(session["ends_at"]),
                room=session["room"],
            )
            for session in json.loads(row["sessions"])
        ),
        verification_url=verification_url(base_url, row["code"]),
        code=row["code"],
        issued_at=_utc(row["issued_at"]),
    )


async def ticket_certificate(
    *, access_token: str, secret_key: str, base_url: str, now: datetime, language: str | None = None
) -> CertificatePdf:
    """The attendance certificate of the ticket behind a link, in its holder's language unless
    ``language`` is given. NotFound for an unknown link; NothingAttended when it attended nothing."""
    view = await get_ticket(access_token=access_token, secret_key=secret_key)
    row = await issue_certificate(ticket=view.row, now=now)
    exhibition = await event_queries.get_exhibition(view.exhibition_slug)
    language = language if language in LANGUAGES else str(view.row["language"])
    content = await documents.render_certificate_pdf(_document(row, exhibition, language, base_url), language=language)
    return CertificatePdf(f"certificate-{view.exhibition_slug}-{view.row['manual_code']}.pdf", content, row["code"])


@dataclass(frozen=True)
class VerifiedCertificate:
    code: str
    holder_name: str
    exhibition: Mapping[str, Any]
    sessions: tuple[documents.AttendedSession, ...]
    issued_at: datetime


async def verify_certificate(*, code: str) -> VerifiedCertificate:
    """The certificate a code stands for; NotFound for a code we never issued (a forgery)."""
    if not _CODE.fullmatch(code):
        raise NotFound("no certificate has this code")
    row = await (
        SeminarCertificate.select(
            *SeminarCertificate.all_columns(),
            SeminarCertificate.ticket.exhibition.slug.as_alias("slug"),  # type: ignore[union-attr]
        )
        .where(SeminarCertificate.code == code)
        .first()
    )
    if row is None:
        raise NotFound("no certificate has this code")
    exhibition = await event_queries.get_exhibition(row["slug"])
    document = _document(row, exhibition, "fr", "")
    return VerifiedCertificate(code, row["holder_name"], exhibition, document.sessions, document.issued_at)
