"""How many staff badges an exhibitor may request: a named rule on the stand's floor area.

The default: 2 badges for a stand up to 9 m², one more for each further whole 6 m², at most
8. A 3 m × 3 m stand gets 2, 3 m × 5 m (15 m²) 3, 6 m × 6 m (36 m²) 6, a large island 8.
Organizers may raise (or lower) one organization's figure; that override is stored beside
the counter and wins over this rule. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

_CM2_PER_M2 = 10_000


@dataclass(frozen=True)
class StaffQuotaRule:
    base_badges: int = 2
    base_area_m2: int = 9
    extra_badge_per_m2: int = 6
    most_badges: int = 8


DEFAULT_RULE = StaffQuotaRule()


def staff_badge_quota(width_cm: int, depth_cm: int, rule: StaffQuotaRule = DEFAULT_RULE) -> int:
    """Staff badges for a stand of ``width_cm`` × ``depth_cm``: integer arithmetic in cm², so
    that 3 m × 5 m is exactly 15 m² (no float rounding puts it under a step)."""
    if width_cm <= 0 or depth_cm <= 0:
        return 0
    area_cm2 = width_cm * depth_cm
    extra_area = max(0, area_cm2 - rule.base_area_m2 * _CM2_PER_M2)
    extra_badges = extra_area // (rule.extra_badge_per_m2 * _CM2_PER_M2)
    return min(rule.most_badges, rule.base_badges + extra_badges)
