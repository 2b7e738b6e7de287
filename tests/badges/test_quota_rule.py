"""The staff badge quota by stand size: the named rule, pure."""

from __future__ import annotations

import pytest

from exhibitions.badges.quota import DEFAULT_RULE, StaffQuotaRule, staff_badge_quota


@pytest.mark.parametrize(
    ("width_cm", "depth_cm", "badges"),
    [
        (200, 200, 2),  # 4 m²
        (300, 300, 2),  # 9 m²: the base
        (300, 499, 2),  # 14.97 m²: not yet a whole further 6 m²
        (300, 500, 3),  # 15 m² exactly, in integer cm²
        (300, 700, 4),  # 21 m²
        (600, 600, 6),  # 36 m²: 2 + 27 // 6 = 2 + 4
        (1000, 1000, 8),  # 100 m²: capped
        (5000, 5000, 8),
    ],
)
def test_two_badges_up_to_nine_square_metres_then_one_per_six_at_most_eight(
    width_cm: int, depth_cm: int, badges: int
) -> None:
    assert staff_badge_quota(width_cm, depth_cm) == badges


def test_a_stand_without_area_gets_no_badge() -> None:
    assert staff_badge_quota(0, 300) == 0
    assert staff_badge_quota(300, -1) == 0


def test_the_rule_is_a_value_that_can_change() -> None:
    generous = StaffQuotaRule(base_badges=3, base_area_m2=6, extra_badge_per_m2=3, most_badges=10)
    assert staff_badge_quota(300, 300, generous) == 4  # 9 m²: 3 + (9 - 6) // 3
    assert staff_badge_quota(300, 300, DEFAULT_RULE) == 2
