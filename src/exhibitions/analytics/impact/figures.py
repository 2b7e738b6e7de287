"""The impact report's figures: what the exhibition did for cooperatives, women and young
people, read from the rows we already hold. SQL does the counting; the pure functions below
(``quota_results``, ``area_by_region``, ``session_attendance``) turn rows into the report's
tables and are tested on plain values.

Definitions the report states in words (``docs/guide-impact-report.md``):
- an **exhibitor** is an organization whose application to the exhibition is approved;
- **women-led**: the organization declared itself women-led, or women are more than half of
  its members (``exhibitors.validation.is_women_led``, the rule the review uses);
- **youth-led**: young people (under 35) are more than half of its members (the review's
  ``youth_led`` criterion);
- a **visitor** is a valid (not revoked) ticket; a visitor **came** when the ticket was
  admitted at least once at any checkpoint;
- a **seminar session** counts when it is scheduled in a room; its attendance is the number
  of tickets present at the room's door from 30 minutes before it starts until it ends (the
  rule the attendance certificates use).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.events import services as event_services
from exhibitions.exhibitors.review import BASIS_POINTS
from exhibitions.exhibitors.tables import Application
from exhibitions.seminars.services._certificates import ATTENDANCE_EARLY, PRESENT

REFUSAL = "only this exhibition's organizers may download its impact report"
# Dimensions a review quota may have (exhibitors.review.Dimension).
QUOTA_DIMENSIONS = ("women_led", "region", "sector", "legal_form")


@dataclass(frozen=True)
class Count:
    key: str
    count: int


@dataclass(frozen=True)
class QuotaResult:
    """A review quota against the approved exhibitors: ``count`` of ``total`` match it."""

    dimension: str
    value: str  # '' for women_led
    count: int
    total: int
    min_bp: int | None
    max_bp: int | None

    @property
    def share_bp(self) -> int:
        """The share in basis points, rounded half up (0 when there is no exhibitor)."""
        return (2 * self.count * BASIS_POINTS + self.total) // (2 * self.total) if self.total else 0

    @property
    def met(self) -> bool:
        # Compared exactly (count / total against bp / 10000), never through the rounded share.
        above = self.min_bp is None or self.count * BASIS_POINTS >= self.min_bp * self.total
        below = self.max_bp is None or self.count * BASIS_POINTS <= self.max_bp * self.total
        return above and below


@dataclass(frozen=True)
class RegionArea:
    region: str
    exhibitors: int
    stands: int
    area_cm2: int  # a shared stand's area is split equally between its occupants

    @property
    def area_m2(self) -> float:
        return round(self.area_cm2 / 10_000, 2)


@dataclass(frozen=True)
class Origin:
    """Visitors from a region of Morocco (``region`` a code) or from abroad (``region`` is
    ``abroad`` and ``country`` an ISO code)."""

    region: str
    country: str | None
    registered: int
    came: int


@dataclass(frozen=True)
class SessionFigure:
    id: int
    title_ar: str
    title_fr: str
    title_en: str
    starts_at: datetime
    room: str
    capacity: int
    registered: int
    attended: int

    def title(self, language: str) -> str:
        """In ``language``, else French, Arabic, English: a session has at least one title."""
        for candidate in (language, "fr", "ar", "en"):
            text = str(getattr(self, f"title_{candidate}", "") or "")
            if text:
                return text
        return ""


@dataclass(frozen=True)
class ImpactFigures:
    slug: str
    title_ar: str
    title_fr: str
    title_en: str
    kind: str
    region: str | None
    starts_on: date
    ends_on: date
    time_zone: str
    exhibitors: int
    by_region: tuple[Count, ...]
    by_sector: tuple[Count, ...]
    by_legal_form: tuple[Count, ...]
    women_led: int
    youth_led: int
    quotas: tuple[QuotaResult, ...]
    areas: tuple[RegionArea, ...]
    origins: tuple[Origin, ...]
    sessions: tuple[SessionFigure, ...]
    cancelled_sessions: int
    stands: int  # distinct stands assigned (a shared stand once)
    generated_at: datetime
    # No partnerships domain records agreements yet: the report says so and shows no number.
    partnerships_recorded: bool = False

    @property
    def area_m2(self) -> float:
        return round(sum(area.area_cm2 for area in self.areas) / 10_000, 2)

    @property
    def registered(self) -> int:
        return sum(origin.registered for origin in self.origins)

    @property
    def came(self) -> int:
        return sum(origin.came for origin in self.origins)

    def title(self, language: str) -> str:
        return str(getattr(self, f"title_{language}", "") or self.title_fr)


# ---------------------------------------------------------------------------- pure


def fold(groups: Iterable[Mapping[str, Any]], key: str) -> tuple[Count, ...]:
    """Rows of counted groups (``key``, ..., ``n``) summed per value of ``key``: the largest
    count first, ties by value."""
    totals: dict[str, int] = defaultdict(int)
    for group in groups:
        totals[str(group[key])] += int(group["n"])
    return tuple(sorted((Count(value, n) for value, n in totals.items()), key=lambda c: (-c.count, c.key)))


def quota_results(
    quotas: Iterable[Mapping[str, Any]], *, total: int, women_led: int, by_dimension: Mapping[str, Sequence[Count]]
) -> tuple[QuotaResult, ...]:
    """Each quota (rows of review_quota in the organizer's order) against the approved exhibitors."""
    results = []
    for quota in quotas:
        dimension, value = str(quota["dimension"]), str(quota["value"] or "")
        if dimension == "women_led":
            count = women_led
        else:
            count = next((c.count for c in by_dimension.get(dimension, ()) if c.key == value), 0)
        results.append(QuotaResult(dimension, value, count, total, quota["min_bp"], quota["max_bp"]))
    return tuple(results)


def area_by_region(assignments: Iterable[Mapping[str, Any]]) -> tuple[RegionArea, ...]:
    """Rows ``(region, stand, width_cm, depth_cm)``, one per assigned exhibitor, as stands and
    area per region. A stand two exhibitors share counts as a stand for each of their regions
    and gives each half its area (the odd cm² to the first, by region code), so that the
    regions' areas add up to the area allocated."""
    rows = list(assignments)
    occupants: dict[int, list[str]] = defaultdict(list)
    sizes: dict[int, int] = {}
    for row in rows:
        occupants[int(row["stand"])].append(str(row["region"]))
        sizes[int(row["stand"])] = int(row["width_cm"]) * int(row["depth_cm"])
    exhibitors: dict[str, int] = defaultdict(int)
    stands: dict[str, set[int]] = defaultdict(set)
    area: dict[str, int] = defaultdict(int)
    for stand, regions in occupants.items():
        share, rest = divmod(sizes[stand], len(regions))
        for position, region in enumerate(sorted(regions)):
            exhibitors[region] += 1
            stands[region].add(stand)
            area[region] += share + (rest if position == 0 else 0)
    return tuple(
        sorted(
            (RegionArea(region, exhibitors[region], len(stands[region]), area[region]) for region in exhibitors),
            key=lambda row: (-row.area_cm2, row.region),
        )
    )


def _utc(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC)


def session_attendance(sessions: Iterable[Mapping[str, Any]], presences: Iterable[Mapping[str, Any]]) -> dict[int, int]:
    """Session id → distinct tickets present at its room's checkpoint (``presences``: rows of
    checkpoint, ticket, at) from ATTENDANCE_EARLY before its start until its end."""
    by_checkpoint: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for presence in presences:
        by_checkpoint[int(presence["checkpoint"])].append((_utc(presence["at"]), int(presence["ticket"])))
    attended = {}
    for session in sessions:
        opens = _utc(session["starts_at"]) - ATTENDANCE_EARLY
        closes = _utc(session["ends_at"])
        attended[int(session["id"])] = len(
            {ticket for at, ticket in by_checkpoint.get(int(session["checkpoint"]), ()) if opens <= at < closes}
        )
    return attended


# ---------------------------------------------------------------------------- SQL

# The approved exhibitors, counted per combination of the report's dimensions: at most a few
# hundred rows whatever the size of the edition, folded per dimension by ``fold``.
_EXHIBITORS = """
SELECT o.region, o.sector, o.legal_form,
       CASE WHEN o.declared_women_led OR 2 * o.members_women > o.members_total THEN 1 ELSE 0 END AS women_led,
       CASE WHEN o.members_total > 0 AND 2 * o.members_youth > o.members_total THEN 1 ELSE 0 END AS youth_led,
       COUNT(*) AS n
FROM application a JOIN organization o ON o.id = a.organization
WHERE a.exhibition = {} AND a.status = 'approved'
GROUP BY o.region, o.sector, o.legal_form,
         CASE WHEN o.declared_women_led OR 2 * o.members_women > o.members_total THEN 1 ELSE 0 END,
         CASE WHEN o.members_total > 0 AND 2 * o.members_youth > o.members_total THEN 1 ELSE 0 END
"""

_QUOTAS = "SELECT dimension, value, min_bp, max_bp FROM review_quota WHERE exhibition = {} ORDER BY position, id"

_ASSIGNMENTS = """
SELECT o.region, s.id AS stand, s.width_cm, s.depth_cm
FROM stand_assignment sa
JOIN stand s ON s.id = sa.stand
JOIN application a ON a.id = sa.application
JOIN organization o ON o.id = a.organization
WHERE s.exhibition = {} AND a.status = 'approved'
"""

# One row per home region (and country, abroad): tickets, and those admitted at least once.
_ORIGINS = """
SELECT t.home_region, t.country, COUNT(*) AS registered,
       SUM(CASE WHEN EXISTS (SELECT 1 FROM admission ad WHERE ad.ticket = t.id) THEN 1 ELSE 0 END) AS came
FROM ticket t
WHERE t.exhibition = {} AND t.status = 'valid'
GROUP BY t.home_region, t.country
"""

_SESSIONS = """
SELECT ss.id, ss.title_ar, ss.title_fr, ss.title_en, ss.starts_at, ss.ends_at, ss.status,
       r.name AS room, r.checkpoint, COALESCE(ss.capacity, r.capacity) AS capacity,
       (SELECT COUNT(*) FROM session_registration sr
         WHERE sr.session = ss.id AND sr.status = 'registered') AS registered
FROM seminar_session ss JOIN seminar_room r ON r.id = ss.room
WHERE ss.exhibition = {} AND ss.status IN ('scheduled', 'cancelled')
ORDER BY ss.starts_at, ss.id
"""

# Being at a room's door: admitted there, or a scan in that the door accepted.
_PRESENCES = """
SELECT ad.checkpoint, ad.ticket, ad.admitted_at AS at FROM admission ad
JOIN seminar_room r ON r.checkpoint = ad.checkpoint WHERE r.exhibition = {}
UNION ALL
SELECT sc.checkpoint, sc.ticket, sc.scanned_at AS at FROM scan sc
JOIN seminar_room r ON r.checkpoint = sc.checkpoint
WHERE r.exhibition = {} AND sc.ticket IS NOT NULL AND sc.direction = 'in' AND sc.result IN ({}, {})
"""


async def _raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in await Application.raw(sql, *args)]


async def collect_figures(exhibition: Mapping[str, Any], *, now: datetime) -> ImpactFigures:
    """Every figure of the report for ``exhibition`` (its row): no permission check."""
    exhibition_id = exhibition["id"]
    groups = await _raw(_EXHIBITORS, exhibition_id)
    by_dimension = {dimension: fold(groups, dimension) for dimension in ("region", "sector", "legal_form")}
    total = sum(int(group["n"]) for group in groups)
    women_led = sum(int(group["n"]) for group in groups if int(group["women_led"]))
    quotas = quota_results(
        await _raw(_QUOTAS, exhibition_id), total=total, women_led=women_led, by_dimension=by_dimension
    )
    origins = sorted(
        (
            Origin(str(row["home_region"]), row["country"], int(row["registered"]), int(row["came"] or 0))
            for row in await _raw(_ORIGINS, exhibition_id)
        ),
        key=lambda origin: (-origin.registered, origin.region, origin.country or ""),
    )
    assignments = await _raw(_ASSIGNMENTS, exhibition_id)
    session_rows = await _raw(_SESSIONS, exhibition_id)
    held = [row for row in session_rows if row["status"] == "scheduled"]
    attended = session_attendance(held, await _raw(_PRESENCES, exhibition_id, exhibition_id, *PRESENT)) if held else {}
    sessions = tuple(
        SessionFigure(
            id=int(row["id"]),
            title_ar=row["title_ar"],
            title_fr=row["title_fr"],
            title_en=row["title_en"],
            starts_at=_utc(row["starts_at"]),
            room=row["room"],
            capacity=int(row["capacity"]),
            registered=int(row["registered"]),
            attended=attended[int(row["id"])],
        )
        for row in held
    )
    return ImpactFigures(
        slug=exhibition["slug"],
        title_ar=exhibition["title_ar"],
        title_fr=exhibition["title_fr"],
        title_en=exhibition["title_en"],
        kind=exhibition["kind"],
        region=exhibition["region"],
        starts_on=_as_date(exhibition["starts_on"]),
        ends_on=_as_date(exhibition["ends_on"]),
        time_zone=exhibition["time_zone"],
        exhibitors=total,
        by_region=by_dimension["region"],
        by_sector=by_dimension["sector"],
        by_legal_form=by_dimension["legal_form"],
        women_led=women_led,
        youth_led=sum(int(group["n"]) for group in groups if int(group["youth_led"])),
        quotas=quotas,
        areas=area_by_region(assignments),
        origins=tuple(origins),
        sessions=sessions,
        cancelled_sessions=sum(1 for row in session_rows if row["status"] == "cancelled"),
        stands=len({row["stand"] for row in assignments}),
        generated_at=now,
    )


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


async def impact_figures(*, slug: str, actor: Actor | None, now: datetime) -> ImpactFigures:
    """The report's figures for one of the exhibition's organizers: NotFound for an unknown
    exhibition, PermissionDenied for anyone else."""
    exhibition = await event_services.managed_exhibition(slug, actor, refusal=REFUSAL)
    return await collect_figures(exhibition, now=now)
