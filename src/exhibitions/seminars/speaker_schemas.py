"""What the speaker workflow's API answers (organizers only; speakers use their page)."""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct


class InvitationsOut(Struct):
    queued: int  # invitations queued now; people invited before under the same link are not counted


class SpeakerLinkOut(Struct):
    person: int
    url: str  # the new link; every earlier one is refused from now on


class SpeakerResponseOut(Struct):
    session_person: int
    session: int
    person: int
    person_name: str
    session_title: str
    starts_at: datetime
    role: str
    response: str  # invited | confirmed | declined | reschedule_requested
    message: str
    responded_at: datetime | None
