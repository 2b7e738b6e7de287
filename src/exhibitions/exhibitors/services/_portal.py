"""What the exhibitor portal and the organizers' applications table read, and bulk decisions.

Reads only, apart from :func:`decide_many`, which applies each decision through
:func:`decide_application` (so each one is its own compare-and-set with its audit row and
e-mail) and reports the ones that could not be applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from exhibitions.events import queries as event_queries
from exhibitions.events import services as event_services
from exhibitions.events.hours import has_ended
from exhibitions.events.permissions import can_manage_exhibition
from exhibitions.events.tables import ExhibitionStatus
from exhibitions.exhibitors import queries
from exhibitions.exhibitors.services._applications import decide_application, get_application
from exhibitions.exhibitors.tables import Application
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.search import folded_words

# Enough for anyone's own list: an exhibitor acts for one organization, rarely a few.
_MY_LIMIT = 200

_MY_APPLICATIONS = """
SELECT a.id, a.status, a.created_at, a.submitted_at, a.updated_at, e.slug AS exhibition_slug,
       e.title_ar, e.title_fr, e.title_en, e.starts_on, e.ends_on, e.time_zone,
       o.id AS organization_id, o.name_ar, o.name_latin
FROM application a
JOIN exhibition e ON e.id = a.exhibition
JOIN organization o ON o.id = a.organization
WHERE a.organization IN (SELECT organization FROM organization_member WHERE "user" = {})
ORDER BY e.starts_on DESC, a.id DESC
LIMIT {}
"""

# The organizers' table: one row per application with the organization's facts.
_TABLE_FROM = """
FROM application a JOIN organization o ON o.id = a.organization
WHERE a.exhibition = {}
"""
_WOMEN_LED = "(CASE WHEN o.declared_women_led OR 2 * o.members_women > o.members_total THEN 1 ELSE 0 END)"
# Sort keys the table offers, each a fixed SQL expression (never text from the request).
SORTS: dict[str, str] = {
    "name": "LOWER(COALESCE(o.name_latin, o.name_ar))",
    "region": "o.region",
    "sector": "o.sector",
    "legal_form": "o.legal_form",
    "women_led": _WOMEN_LED,
    "submitted": "a.submitted_at",
    "status": "a.status",
}


@dataclass(frozen=True)
class ApplicationView:
    """An application with what its page shows around it."""

    application: dict[str, Any]
    exhibition: dict[str, Any]
    organization: dict[str, Any]
    is_organizer: bool
    is_member: bool


@dataclass(frozen=True)
class DecisionFailure:
    application_id: int
    # The first field error's code ("changed", "invalid_transition"), or "not_found".
    code: str


def _require_person(actor: Actor | None) -> Actor:
    if actor is None or actor.device_exhibition_id is not None:
        raise PermissionDenied("sign in first")
    return actor


async def list_member_organizations(*, actor: Actor | None) -> list[dict[str, Any]]:
    """The organizations the actor acts for (an organizer's own, not the whole registry)."""
    person = _require_person(actor)
    rows, _ = await queries.list_organizations(member_of=person.user_id, search=None, limit=_MY_LIMIT, offset=0)
    return rows


async def list_my_applications(*, actor: Actor | None) -> list[dict[str, Any]]:
    """Every application of every organization the actor acts for, newest exhibition first."""
    person = _require_person(actor)
    return await Application.raw(_MY_APPLICATIONS, person.user_id, _MY_LIMIT)  # type: ignore[no-any-return]


async def open_exhibitions(*, now: datetime) -> list[dict[str, Any]]:
    """Published exhibitions not over yet: those that take applications (the rule
    ``create_application`` applies), soonest first."""
    rows, _ = await event_queries.list_exhibitions(
        statuses={ExhibitionStatus.published.value}, also_ids=set(), kind=None, region=None, search=None,
        limit=_MY_LIMIT, offset=0,
    )  # fmt: skip
    open_rows = [row for row in rows if not has_ended(row["ends_on"], row["time_zone"], now)]
    return sorted(open_rows, key=lambda row: (row["starts_on"], row["id"]))


async def application_view(*, application_id: int, actor: Actor | None) -> ApplicationView:
    """An application (404 to anyone but its members and the exhibition's organizers), its
    exhibition and its organization."""
    application = await get_application(application_id=application_id, actor=actor)
    assert actor is not None  # get_application found a party
    exhibition = await event_queries.find_exhibition(application["exhibition_slug"])
    organization = await queries.find_organization(application["organization"])
    if exhibition is None or organization is None:
        raise NotFound(f"no application {application_id}")
    return ApplicationView(
        application=application,
        exhibition=exhibition,
        organization=organization,
        is_organizer=can_manage_exhibition(actor, exhibition["id"]),
        is_member=await queries.is_member(organization["id"], actor.user_id),
    )


async def _managed_exhibition(slug: str, actor: Actor | None) -> dict[str, Any]:
    return await event_services.managed_exhibition(
        slug, actor, refusal="only this exhibition's organizers review its applications"
    )


async def list_exhibition_applications(
    *,
    slug: str,
    actor: Actor | None,
    status: ApplicationStatus | None,
    search: str | None,
    sort: str,
    descending: bool,
    page: int,
    per_page: int,
) -> tuple[list[dict[str, Any]], int]:
    """The organizers' table: applications with their organization's facts, filtered, sorted
    and paginated. Without a status, drafts are left out (nothing to review yet)."""
    exhibition = await _managed_exhibition(slug, actor)
    where = _TABLE_FROM
    args: list[Any] = [exhibition["id"]]
    if status is None:
        where += " AND a.status <> 'draft'"
    else:
        where += " AND a.status = {}"
        args.append(status.value)
    # Every word of the search in the folded names and city, or the registry number as typed.
    for word in folded_words(search or ""):
        where += " AND (o.search_text LIKE {} OR LOWER(o.registry_number) LIKE {})"
        args += [f"%{word}%", f"%{word}%"]
    key = SORTS.get(sort, SORTS["submitted"])
    direction = "DESC" if descending else "ASC"
    # Empty values last either way, the same on both engines; the id keeps pages stable.
    order = f"({key}) IS NULL, {key} {direction}, a.id {direction}"
    rows = await Application.raw(
        "SELECT a.id, a.status, a.stand_type, a.stand_area_m2, a.submitted_at, a.updated_at,"
        " o.id AS organization_id, o.name_ar, o.name_latin, o.region, o.sector, o.legal_form, o.city,"
        f" {_WOMEN_LED} AS women_led {where} ORDER BY {order} LIMIT {{}} OFFSET {{}}",
        *args, per_page, (page - 1) * per_page,
    )  # fmt: skip
    counted = await Application.raw(f"SELECT COUNT(*) AS n {where}", *args)
    return rows, int(counted[0]["n"])


async def count_by_status(*, slug: str, actor: Actor | None) -> dict[str, int]:
    """How many applications are in each status (the filter's figures)."""
    exhibition = await _managed_exhibition(slug, actor)
    rows = await Application.raw(
        "SELECT status, COUNT(*) AS n FROM application WHERE exhibition = {} GROUP BY status", exhibition["id"]
    )
    return {row["status"]: int(row["n"]) for row in rows}


async def decide_many(
    *,
    slug: str,
    application_ids: list[int],
    status: ApplicationStatus,
    reason: str,
    actor: Actor | None,
    now: datetime,
) -> tuple[list[int], list[DecisionFailure]]:
    """The same decision for several applications, one at a time: each applies whole or not
    at all (an application decided meanwhile is refused, not overwritten). Returns (the ids
    decided, the failures with their reasons)."""
    exhibition = await _managed_exhibition(slug, actor)
    decided: list[int] = []
    failures: list[DecisionFailure] = []
    for application_id in dict.fromkeys(application_ids):
        try:
            row = await get_application(application_id=application_id, actor=actor)
            if row["exhibition"] != exhibition["id"]:
                raise NotFound(f"no application {application_id} at {slug!r}")
            await decide_application(application_id=application_id, status=status, reason=reason, actor=actor, now=now)
        except NotFound:
            failures.append(DecisionFailure(application_id, "not_found"))
        except (Conflict, InvalidInput) as exc:
            failures.append(DecisionFailure(application_id, exc.errors[0].code if exc.errors else "invalid"))
        else:
            decided.append(application_id)
    return decided, failures
