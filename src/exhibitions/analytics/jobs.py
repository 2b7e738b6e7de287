"""What the scheduler calls for analytics."""

from __future__ import annotations

from exhibitions.analytics import services
from exhibitions.clock import utcnow
from exhibitions.settings import Settings


async def refresh_attendance_rollups(settings: Settings) -> services.RefreshOutcome:
    """Rebuild the local days that new scans fell on (schedules/ticks.toml: every 30 s, so
    the rollup figures lag the gates by at most about a minute; the live figures read the
    log itself). At-least-once and harmless to repeat: a run rebuilds whole days from the
    log, so a day rebuilt twice comes out the same."""
    return await services.refresh_attendance_rollups(now=utcnow())
