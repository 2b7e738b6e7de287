"""Who holds a badge: exhibitors' staff requested from the portal within their quota,
speakers and moderators from the seminars, organizers and gate staff from the accounts'
roles, press and VIP guests entered by organizers.

The quota is the database's: a request takes a place with ``UPDATE badge_quota SET used =
used + 1 WHERE used < COALESCE(override, base) RETURNING`` in the transaction that inserts the
badge, so a hundred requests at once for a quota of 3 give exactly 3 badges (on PostgreSQL
they queue on the counter row and each re-reads what it increments; on SQLite the IMMEDIATE
transaction holds the database). A cancellation gives the place back in its transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.badges.quota import staff_badge_quota
from exhibitions.badges.schemas import HolderIn, StaffBadgeIn
from exhibitions.badges.services._common import (
    db,
    organization_name,
    organizers_exhibition,
    raw,
    user_of,
)
from exhibitions.db import write_transaction
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.text import control_character_errors

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
QUOTA_FULL = "quota_full"
NOT_ELIGIBLE = "not_eligible"


def new_lead_id() -> str:
    """22 characters, 128 random bits: says nothing about its holder, cannot be guessed."""
    return secrets.token_urlsafe(16)


def lead_url(base_url: str, lead_id: str) -> str:
    return f"{base_url.rstrip('/')}/leads/{lead_id}"


@dataclass(frozen=True)
class HolderPage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class StaffBadges:
    """An exhibitor's staff badges for one exhibition, and how many more it may request."""

    application: dict[str, Any]
    exhibition: dict[str, Any]
    organization: dict[str, Any]
    stand: dict[str, Any]
    quota: int
    used: int
    holders: list[dict[str, Any]]

    @property
    def left(self) -> int:
        return max(0, self.quota - self.used)


@dataclass(frozen=True)
class SyncReport:
    added: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.added.values())


# Every read names the exhibition: an id of another exhibition finds nothing.
_HOLDERS = """
SELECT h.*, o.name_ar AS organization_name_ar, o.name_latin AS organization_name_latin,
       (SELECT s.code FROM application a JOIN stand_assignment sa ON sa.application = a.id
          JOIN stand s ON s.id = sa.stand
        WHERE a.exhibition = h.exhibition AND a.organization = h.organization
          AND a.status = 'approved' ORDER BY s.code LIMIT 1) AS stand_code,
       (SELECT COUNT(*) FROM badge_batch_item i WHERE i.holder = h.id) AS batches
FROM badge_holder h LEFT JOIN organization o ON o.id = h.organization
WHERE h.exhibition = {}"""


def _text_errors(values: dict[str, str | None]) -> None:
    errors = control_character_errors(values)
    for name in ("full_name",):
        value = values.get(name)
        if value is not None and not value.strip():
            errors.append(FieldError(name, "required", "is required"))
    if errors:
        raise InvalidInput(errors)


def _filters(role: str | None, organization_id: int | None, search: str | None) -> tuple[str, list[Any]]:
    sql, args = "", list[Any]()
    if role:
        sql += " AND h.role = {}"
        args.append(role)
    if organization_id:
        sql += " AND h.organization = {}"
        args.append(organization_id)
    if search and search.strip():
        # Names are few per exhibition (hundreds): folding them here keeps the table simple.
        sql += " AND (LOWER(h.full_name) LIKE {} OR LOWER(COALESCE(o.name_latin, '')) LIKE {}"
        sql += " OR COALESCE(o.name_ar, '') LIKE {} OR LOWER(h.organization_label) LIKE {})"
        pattern = "%" + search.strip().lower().replace("%", "").replace("_", "") + "%"
        args += [pattern, pattern, pattern, pattern]
    return sql, args


async def list_holders(
    *,
    slug: str,
    actor: Actor | None,
    role: str | None = None,
    organization_id: int | None = None,
    search: str | None = None,
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
) -> HolderPage:
    """One page of the exhibition's badge holders, by role, organization and name."""
    exhibition = await organizers_exhibition(slug, actor)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    where, args = _filters(role, organization_id, search)
    counted = await raw(
        "SELECT COUNT(*) AS n FROM badge_holder h LEFT JOIN organization o ON o.id = h.organization"  # noqa: S608 - fixed text and placeholders
        " WHERE h.exhibition = {}" + where,
        exhibition["id"], *args,
    )  # fmt: skip
    rows = await raw(
        _HOLDERS + where + " ORDER BY h.role, LOWER(h.full_name), h.id LIMIT {} OFFSET {}",
        exhibition["id"], *args, per_page, (page - 1) * per_page,
    )  # fmt: skip
    return HolderPage(rows=rows, total=int(counted[0]["n"]), page=page, per_page=per_page)


async def get_holder(*, slug: str, holder_id: int, actor: Actor | None) -> dict[str, Any]:
    exhibition = await organizers_exhibition(slug, actor)
    rows = await raw(_HOLDERS + " AND h.id = {}", exhibition["id"], holder_id)
    if not rows:
        raise NotFound(f"no badge {holder_id}")
    return rows[0]


async def holder_by_lead(lead_id: str) -> dict[str, Any] | None:
    """What the lead page may show about a badge: its role, its organization and its
    exhibition, never the person. No permission check: the id is the key."""
    rows = await raw(
        "SELECT h.role, h.organization_label, o.name_ar AS organization_name_ar,"
        " o.name_latin AS organization_name_latin, e.slug, e.title_ar, e.title_fr, e.title_en"
        " FROM badge_holder h JOIN exhibition e ON e.id = h.exhibition"
        " LEFT JOIN organization o ON o.id = h.organization WHERE h.lead_id = {}",
        lead_id,
    )
    return rows[0] if rows else None


async def _stand_of(exhibition_id: int, organization_id: int) -> dict[str, Any] | None:
    """The published stand of the organization's approved application, if any."""
    rows = await raw(
        "SELECT a.id AS application_id, s.code, s.width_cm, s.depth_cm FROM application a"
        " JOIN stand_assignment sa ON sa.application = a.id JOIN stand s ON s.id = sa.stand"
        " WHERE a.exhibition = {} AND a.organization = {} AND a.status = {}"
        " AND sa.published_at IS NOT NULL ORDER BY s.code LIMIT 1",
        exhibition_id, organization_id, ApplicationStatus.approved.value,
    )  # fmt: skip
    return rows[0] if rows else None


async def _take_staff_place(exhibition_id: int, organization_id: int) -> None:
    """Inside a write transaction: one place of the exhibitor's quota, or Conflict.

    The counter row is made on first need with the stand-size figure, which a later request
    refreshes (a stand reassigned to a bigger one raises it); an organizer's override wins."""
    stand = await _stand_of(exhibition_id, organization_id)
    if stand is None:
        reason = "staff badges are for approved exhibitors whose stand is published"
        raise Conflict(reason, errors=[FieldError("organization_id", NOT_ELIGIBLE, reason)])
    base = staff_badge_quota(int(stand["width_cm"]), int(stand["depth_cm"]))
    await raw(
        "INSERT INTO badge_quota (exhibition, organization, base, used) VALUES ({}, {}, {}, 0)"
        " ON CONFLICT (exhibition, organization) DO UPDATE SET base = excluded.base",
        exhibition_id, organization_id, base,
    )  # fmt: skip
    taken = await raw(
        "UPDATE badge_quota SET used = used + 1 WHERE exhibition = {} AND organization = {}"
        " AND used < COALESCE(override, base) RETURNING used",
        exhibition_id, organization_id,
    )  # fmt: skip
    if not taken:
        reason = "this exhibitor has used every staff badge of its quota"
        raise Conflict(reason, errors=[FieldError("full_name", QUOTA_FULL, reason)])


async def _give_back_staff_place(exhibition_id: int, organization_id: int) -> None:
    await raw(
        "UPDATE badge_quota SET used = used - 1 WHERE exhibition = {} AND organization = {} AND used > 0",
        exhibition_id, organization_id,
    )  # fmt: skip


async def insert_holder(
    *,
    exhibition_id: int,
    role: str,
    full_name: str,
    title: str,
    organization_id: int | None,
    organization_label: str,
    email: str | None,
    language: str,
    source_key: str | None,
    requested_by: int | None,
    now: datetime,
) -> dict[str, Any] | None:
    """The new row, or None when the source key is there already (a sync ran before)."""
    rows = await raw(
        "INSERT INTO badge_holder (exhibition, role, full_name, title, organization, organization_label, email,"
        " language, lead_id, source_key, requested_by, created_at)"
        " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})"
        " ON CONFLICT (exhibition, source_key) DO NOTHING RETURNING *",
        exhibition_id, role, full_name.strip(), title.strip(), organization_id, organization_label.strip(),
        email.strip().lower() if email else None, language, new_lead_id(), source_key, requested_by, now,
    )  # fmt: skip
    return rows[0] if rows else None


async def _organization_exists(organization_id: int) -> bool:
    return bool(await raw("SELECT id FROM organization WHERE id = {}", organization_id))


async def add_holder(*, slug: str, data: HolderIn, actor: Actor | None, now: datetime) -> dict[str, Any]:
    """An organizer enters a badge (press, VIP, staff, or an exhibitor's staff member: the
    last takes a place of that exhibitor's quota like a request from the portal)."""
    exhibition = await organizers_exhibition(slug, actor)
    _text_errors({"full_name": data.full_name, "title": data.title, "organization_label": data.organization_label})
    if data.role == "exhibitor_staff" and data.organization_id is None:
        raise InvalidInput.single("organization_id", "required", "an exhibitor staff badge names its organization")
    if data.organization_id is not None and not await _organization_exists(data.organization_id):
        raise InvalidInput.single("organization_id", "invalid", "no such organization")
    async with write_transaction(db()):
        if data.role == "exhibitor_staff":
            assert data.organization_id is not None
            await _take_staff_place(exhibition["id"], data.organization_id)
        row = await insert_holder(
            exhibition_id=exhibition["id"], role=data.role, full_name=data.full_name, title=data.title,
            organization_id=data.organization_id, organization_label=data.organization_label, email=data.email,
            language=data.language, source_key=None, requested_by=user_of(actor), now=now,
        )  # fmt: skip
    assert row is not None  # no source key, nothing to conflict with
    return row


async def delete_holder(*, slug: str, holder_id: int, actor: Actor | None) -> None:
    """Removes a badge; an exhibitor's staff badge gives its quota place back."""
    exhibition = await organizers_exhibition(slug, actor)
    async with write_transaction(db()):
        deleted = await raw(
            "DELETE FROM badge_holder WHERE id = {} AND exhibition = {} RETURNING role, organization",
            holder_id, exhibition["id"],
        )  # fmt: skip
        if not deleted:
            raise NotFound(f"no badge {holder_id}")
        if deleted[0]["role"] == "exhibitor_staff":
            await _give_back_staff_place(exhibition["id"], deleted[0]["organization"])


# The exhibitor's side --------------------------------------------------------------------------------------


async def _members_application(application_id: int, actor: Actor | None) -> dict[str, Any]:
    """The application if the actor acts for its organization: 404 otherwise (no hint)."""
    if actor is None or actor.device_exhibition_id is not None:
        raise PermissionDenied("sign in first")
    rows = await raw(
        "SELECT a.id, a.status, a.exhibition, a.organization, e.slug, e.title_ar, e.title_fr, e.title_en,"
        " o.name_ar, o.name_latin FROM application a JOIN exhibition e ON e.id = a.exhibition"
        " JOIN organization o ON o.id = a.organization"
        " WHERE a.id = {} AND a.organization IN (SELECT organization FROM organization_member WHERE \"user\" = {})",
        application_id, actor.user_id,
    )  # fmt: skip
    if not rows:
        raise NotFound(f"no application {application_id}")
    return rows[0]


async def staff_badges(*, application_id: int, actor: Actor | None) -> StaffBadges | None:
    """An exhibitor's staff badges and quota; None while the application has no published
    stand (not approved yet, or the plan not published)."""
    application = await _members_application(application_id, actor)
    stand = await _stand_of(application["exhibition"], application["organization"])
    if application["status"] != ApplicationStatus.approved.value or stand is None:
        return None
    counters = await raw(
        "SELECT base, override, used FROM badge_quota WHERE exhibition = {} AND organization = {}",
        application["exhibition"], application["organization"],
    )  # fmt: skip
    base = staff_badge_quota(int(stand["width_cm"]), int(stand["depth_cm"]))
    quota = base if not counters or counters[0]["override"] is None else int(counters[0]["override"])
    used = int(counters[0]["used"]) if counters else 0
    holders = await raw(
        "SELECT h.*, (SELECT COUNT(*) FROM badge_batch_item i WHERE i.holder = h.id) AS batches"
        " FROM badge_holder h WHERE h.exhibition = {} AND h.organization = {} AND h.role = 'exhibitor_staff'"
        " ORDER BY h.created_at, h.id",
        application["exhibition"], application["organization"],
    )  # fmt: skip
    exhibition = {key: application[key] for key in ("slug", "title_ar", "title_fr", "title_en")}
    organization = {"id": application["organization"], "name_ar": application["name_ar"]}
    organization["name_latin"] = application["name_latin"]
    return StaffBadges(
        application=application, exhibition=exhibition, organization=organization, stand=stand,
        quota=quota, used=used, holders=holders,
    )  # fmt: skip


async def request_staff_badge(
    *, application_id: int, data: StaffBadgeIn, actor: Actor | None, now: datetime
) -> dict[str, Any]:
    """An exhibitor asks for one staff badge: Conflict ``quota_full`` past its quota,
    ``not_eligible`` before its application is approved with a published stand."""
    application = await _members_application(application_id, actor)
    _text_errors({"full_name": data.full_name, "title": data.title})
    if application["status"] != ApplicationStatus.approved.value:
        reason = "staff badges are for approved exhibitors whose stand is published"
        raise Conflict(reason, errors=[FieldError("full_name", NOT_ELIGIBLE, reason)])
    async with write_transaction(db()):
        await _take_staff_place(application["exhibition"], application["organization"])
        row = await insert_holder(
            exhibition_id=application["exhibition"], role="exhibitor_staff", full_name=data.full_name,
            title=data.title, organization_id=application["organization"], organization_label="",
            email=data.email, language=data.language, source_key=None, requested_by=user_of(actor), now=now,
        )  # fmt: skip
    assert row is not None
    return row


async def cancel_staff_badge(*, application_id: int, holder_id: int, actor: Actor | None) -> None:
    """An exhibitor cancels one of its staff badges; the place goes back to its quota."""
    application = await _members_application(application_id, actor)
    async with write_transaction(db()):
        deleted = await raw(
            "DELETE FROM badge_holder WHERE id = {} AND exhibition = {} AND organization = {}"
            " AND role = 'exhibitor_staff' RETURNING id",
            holder_id, application["exhibition"], application["organization"],
        )  # fmt: skip
        if not deleted:
            raise NotFound(f"no badge {holder_id}")
        await _give_back_staff_place(application["exhibition"], application["organization"])


async def set_staff_quota(*, slug: str, organization_id: int, quota: int | None, actor: Actor | None) -> dict[str, Any]:
    """An organizer's figure for one exhibitor (None: back to the stand-size rule). Lowering
    it under what is used cancels nobody; the exhibitor just cannot request more."""
    exhibition = await organizers_exhibition(slug, actor)
    stand = await _stand_of(exhibition["id"], organization_id)
    if stand is None:
        reason = "staff badges are for approved exhibitors whose stand is published"
        raise InvalidInput([FieldError("organization_id", NOT_ELIGIBLE, reason)])
    base = staff_badge_quota(int(stand["width_cm"]), int(stand["depth_cm"]))
    async with write_transaction(db()):
        rows = await raw(
            "INSERT INTO badge_quota (exhibition, organization, base, override, used) VALUES ({}, {}, {}, {}, 0)"
            " ON CONFLICT (exhibition, organization) DO UPDATE SET base = excluded.base, override = excluded.override"
            " RETURNING base, override, used",
            exhibition["id"], organization_id, base, quota,
        )  # fmt: skip
    return rows[0]


async def exhibitor_quotas(*, slug: str, actor: Actor | None) -> list[dict[str, Any]]:
    """Every exhibitor with a published stand: its stand, quota (rule and override) and badges."""
    exhibition = await organizers_exhibition(slug, actor)
    rows = await raw(
        "SELECT o.id AS organization_id, o.name_ar, o.name_latin, s.code, s.width_cm, s.depth_cm,"
        " q.override, COALESCE(q.used, 0) AS used FROM application a"
        " JOIN organization o ON o.id = a.organization"
        " JOIN stand_assignment sa ON sa.application = a.id JOIN stand s ON s.id = sa.stand"
        " LEFT JOIN badge_quota q ON q.exhibition = a.exhibition AND q.organization = a.organization"
        " WHERE a.exhibition = {} AND a.status = 'approved' AND sa.published_at IS NOT NULL"
        " ORDER BY s.code",
        exhibition["id"],
    )
    for row in rows:
        row["rule"] = staff_badge_quota(int(row["width_cm"]), int(row["depth_cm"]))
        row["quota"] = row["rule"] if row["override"] is None else int(row["override"])
    return rows


# Syncing from the seminars and the accounts ---------------------------------------------------------------


async def sync_holders(*, slug: str, actor: Actor | None, now: datetime) -> SyncReport:
    """Badges for the programme's speakers and moderators (sessions not cancelled, people
    who did not decline) and the exhibition's organizers and gate staff. Idempotent: the
    unique (exhibition, source key) makes a second run, or two at once, add nobody twice.
    Someone who both speaks and moderates gets one speaker badge."""
    exhibition = await organizers_exhibition(slug, actor)
    people = await raw(
        "SELECT p.id, p.name_ar, p.name_latin, p.affiliation, p.email, p.language,"
        " MIN(CASE WHEN sp.role = 'moderator' THEN 1 ELSE 0 END) AS moderates_only"
        " FROM session_person sp JOIN seminar_person p ON p.id = sp.person"
        " JOIN seminar_session s ON s.id = sp.session"
        " WHERE sp.exhibition = {} AND s.status <> 'cancelled' AND sp.response <> 'declined'"
        " GROUP BY p.id, p.name_ar, p.name_latin, p.affiliation, p.email, p.language ORDER BY p.id",
        exhibition["id"],
    )
    accounts = await raw(
        "SELECT u.id, u.email, u.display_name, u.preferred_language,"
        " MAX(CASE WHEN r.role = 'organizer' THEN 1 ELSE 0 END) AS organizes"
        ' FROM role_grant r JOIN app_user u ON u.id = r."user"'
        " WHERE (r.exhibition = {} OR r.exhibition IS NULL) AND r.role IN ('organizer', 'gate_staff')"
        " AND u.is_active GROUP BY u.id, u.email, u.display_name, u.preferred_language ORDER BY u.id",
        exhibition["id"],
    )
    added = {"speaker": 0, "moderator": 0, "organizer": 0, "staff": 0}
    async with write_transaction(db()):
        for person in people:
            role = "moderator" if person["moderates_only"] else "speaker"
            language = person["language"] if person["language"] in ("ar", "fr", "en") else "fr"
            name = (person["name_ar"] if language == "ar" else person["name_latin"]) or person["name_latin"]
            row = await insert_holder(
                exhibition_id=exhibition["id"], role=role, full_name=name or person["name_ar"], title="",
                organization_id=None, organization_label=person["affiliation"][:200], email=person["email"],
                language=language, source_key=f"person:{person['id']}", requested_by=user_of(actor), now=now,
            )  # fmt: skip
            added[role] += row is not None
        for account in accounts:
            role = "organizer" if account["organizes"] else "staff"
            language = account["preferred_language"] if account["preferred_language"] in ("ar", "fr", "en") else "fr"
            name = (account["display_name"] or "").strip() or account["email"].split("@")[0]
            row = await insert_holder(
                exhibition_id=exhibition["id"], role=role, full_name=name[:200], title="", organization_id=None,
                organization_label="", email=account["email"], language=language,
                source_key=f"user:{account['id']}", requested_by=user_of(actor), now=now,
            )  # fmt: skip
            added[role] += row is not None
    return SyncReport(added=added)


def printed_organization(row: dict[str, Any]) -> str:
    """The organization line of a holder's badge, in its language's script when there is one."""
    if row.get("organization") is not None:
        return organization_name(row.get("organization_name_ar"), row.get("organization_name_latin"), row["language"])
    return str(row.get("organization_label") or "")
