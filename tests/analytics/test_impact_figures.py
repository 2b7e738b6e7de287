"""The impact report's figures, computed by hand on the fixture of impact_data.py, on the
engine the run uses (SQLite or PostgreSQL); and the pure functions on plain rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.analytics.impact import figures as impact
from exhibitions.analytics.impact.figures import Count, Origin, QuotaResult, RegionArea
from exhibitions.errors import NotFound, PermissionDenied
from tests.analytics import impact_data
from tests.seminars.attendance_data import local

MOMENT = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def _organizer(user_id: int, exhibition: int | None = None) -> Actor:
    return Actor(user_id=user_id, email="o@example.ma", roles=frozenset({(exhibition, "organizer")}))


async def test_every_figure_matches_the_hand_count(exhibition: int, organizer: dict[str, Any]) -> None:
    await impact_data.build(exhibition)
    found = await impact.impact_figures(slug="sess-2027", actor=_organizer(organizer["id"]), now=MOMENT)

    assert found.exhibitors == 5  # the submitted and the rejected applications are not exhibitors
    assert found.by_region == (Count("MA-06", 2), Count("MA-09", 2), Count("MA-01", 1))
    assert found.by_sector == (Count("argan", 2), Count("handicrafts", 2), Count("textile", 1))
    assert found.by_legal_form == (Count("cooperative", 3), Count("association", 1), Count("mutual", 1))
    # Women-led: Tifaouine (declared) and Amal (6 of 10); Nour's 2 of 4 is not more than half.
    assert found.women_led == 2
    # Youth-led: Amal (6 of 10) and Nour (3 of 4); Atlas has no members declared.
    assert found.youth_led == 2
    assert found.quotas == (
        QuotaResult("women_led", "", 2, 5, 3000, None),
        QuotaResult("region", "MA-09", 2, 5, None, 3000),
        QuotaResult("sector", "fishing", 0, 5, 1000, None),
    )
    assert [(q.share_bp, q.met) for q in found.quotas] == [(4000, True), (4000, False), (0, False)]
    # S2 (12 m²) is shared: 6 m² to Amal (MA-09), 6 m² to Nour (MA-06).
    assert found.areas == (RegionArea("MA-06", 2, 2, 240_000), RegionArea("MA-09", 2, 2, 150_000))
    assert found.stands == 3
    assert found.area_m2 == 39.0
    # Ticket 2 skipped the gate's scan but was admitted at a room's door: it came.
    assert found.origins == (
        Origin("MA-06", None, 3, 3),
        Origin("abroad", "FR", 2, 1),
        Origin("MA-01", None, 1, 1),
        Origin("abroad", "SN", 1, 0),
    )
    assert (found.registered, found.came) == (7, 5)
    assert [(s.title_fr, s.capacity, s.registered, s.attended) for s in found.sessions] == [
        ("Les coopératives de femmes", 50, 3, 2),  # ticket 0 at 9:40, ticket 1's scan at 10:30
        ("Financer l'ESS", 20, 0, 2),  # ticket 3 at 11:00, ticket 0 at 12:00
    ]
    assert found.sessions[0].starts_at == local(0, 10)
    assert found.cancelled_sessions == 1
    assert found.partnerships_recorded is False
    assert found.generated_at == MOMENT


async def test_an_empty_exhibition_has_zeros_not_errors(exhibition: int, organizer: dict[str, Any]) -> None:
    found = await impact.impact_figures(slug="sess-2027", actor=_organizer(organizer["id"]), now=MOMENT)
    assert (found.exhibitors, found.women_led, found.stands, found.registered, found.sessions) == (0, 0, 0, 0, ())
    assert (found.by_region, found.quotas, found.areas, found.origins) == ((), (), (), ())


async def test_only_the_exhibitions_organizers_get_the_figures(exhibition: int, organizer: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        await impact.impact_figures(slug="sess-2027", actor=_organizer(organizer["id"], exhibition + 1), now=MOMENT)
    with pytest.raises(PermissionDenied):
        await impact.impact_figures(slug="sess-2027", actor=None, now=MOMENT)
    with pytest.raises(NotFound):
        await impact.impact_figures(slug="no-such-fair", actor=_organizer(organizer["id"]), now=MOMENT)
    found = await impact.impact_figures(slug="sess-2027", actor=_organizer(organizer["id"], exhibition), now=MOMENT)
    assert found.slug == "sess-2027"


def test_fold_sums_each_value_largest_first() -> None:
    groups = [
        {"region": "MA-09", "sector": "argan", "n": 2},
        {"region": "MA-01", "sector": "argan", "n": 1},
        {"region": "MA-09", "sector": "textile", "n": 3},
    ]
    assert impact.fold(groups, "region") == (Count("MA-09", 5), Count("MA-01", 1))
    assert impact.fold(groups, "sector") == (Count("argan", 3), Count("textile", 3))


def test_a_quota_is_met_exactly_at_its_bounds() -> None:
    # 1 of 3 is 33.33…%: it meets a 3333 bp minimum and fails a 3334 bp one; the shown share rounds.
    assert QuotaResult("women_led", "", 1, 3, 3333, None).met is True
    assert QuotaResult("women_led", "", 1, 3, 3334, None).met is False
    assert QuotaResult("women_led", "", 1, 3, None, 3333).met is False
    assert QuotaResult("women_led", "", 1, 3, 3333, None).share_bp == 3333
    assert QuotaResult("women_led", "", 2, 3, None, None).share_bp == 6667
    assert QuotaResult("women_led", "", 0, 0, None, 100).share_bp == 0


def test_a_shared_stands_area_is_split_and_adds_up() -> None:
    rows = [
        {"region": "MA-09", "stand": 1, "width_cm": 301, "depth_cm": 301},  # 90 601 cm², odd
        {"region": "MA-06", "stand": 1, "width_cm": 301, "depth_cm": 301},
        {"region": "MA-06", "stand": 2, "width_cm": 200, "depth_cm": 100},
    ]
    assert impact.area_by_region(rows) == (
        RegionArea("MA-06", 2, 2, 45_301 + 20_000),  # the odd cm² goes to the first region by code
        RegionArea("MA-09", 1, 1, 45_300),
    )


def test_session_attendance_counts_distinct_tickets_in_the_window() -> None:
    start = datetime(2027, 5, 7, 10, 0, tzinfo=UTC)
    sessions = [{"id": 7, "checkpoint": 3, "starts_at": start, "ends_at": start.replace(hour=11)}]
    presences = [
        {"checkpoint": 3, "ticket": 1, "at": "2027-05-07T09:30:00+00:00"},  # the first minute of the window
        {"checkpoint": 3, "ticket": 1, "at": start},  # the same ticket again
        {"checkpoint": 3, "ticket": 2, "at": start.replace(minute=59)},
        {"checkpoint": 3, "ticket": 3, "at": start.replace(hour=11)},  # the end: outside
        {"checkpoint": 4, "ticket": 4, "at": start},  # another room
        {"checkpoint": 3, "ticket": 5, "at": start.replace(hour=9, minute=29)},  # too early
    ]
    assert impact.session_attendance(sessions, presences) == {7: 2}
