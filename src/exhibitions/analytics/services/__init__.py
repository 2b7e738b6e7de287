"""Attendance analytics: figures, rollups, comparisons and exports (see the package docstring)."""

from exhibitions.analytics.services._access import (
    analytics_exhibition,
    can_read_analytics,
    can_read_visitor_details,
)
from exhibitions.analytics.services._compare import (
    ComparedExhibition,
    Comparison,
    ComparisonRow,
    Metric,
    compare_exhibitions,
)
from exhibitions.analytics.services._exports import TABLES, export_table
from exhibitions.analytics.services._figures import (
    ASSUMED_VISIT_MINUTES,
    COUNTED,
    ESTIMATED,
    SESSION_EARLY_ENTRY_MINUTES,
    DayCount,
    HourCount,
    InsidePoint,
    LiveFigures,
    NoShows,
    PeakHour,
    RepeatBucket,
    SessionAttendance,
    Share,
    inside_curve,
    inside_over_time,
    live_figures,
    no_shows,
    peak_hour,
    repeat_visits,
    seminar_attendance,
    visitors_by_category,
    visitors_by_day,
    visitors_by_hour,
    visitors_by_region,
)
from exhibitions.analytics.services._rollups import LATE_COMMIT_MARGIN, RefreshOutcome, refresh_attendance_rollups

__all__ = [
    "ASSUMED_VISIT_MINUTES", "COUNTED", "ESTIMATED", "LATE_COMMIT_MARGIN", "SESSION_EARLY_ENTRY_MINUTES", "TABLES",
    "ComparedExhibition", "Comparison", "ComparisonRow", "DayCount", "HourCount", "InsidePoint", "LiveFigures",
    "Metric", "NoShows", "PeakHour", "RefreshOutcome", "RepeatBucket", "SessionAttendance", "Share",
    "analytics_exhibition", "can_read_analytics", "can_read_visitor_details", "compare_exhibitions", "export_table",
    "inside_curve", "inside_over_time", "live_figures", "no_shows", "peak_hour", "refresh_attendance_rollups",
    "repeat_visits", "seminar_attendance", "visitors_by_category", "visitors_by_day", "visitors_by_hour",
    "visitors_by_region",
]  # fmt: skip
