"""Attendance analytics (issue 8, parts 1 and 5): figures computed in SQL from the scan log
and the tickets, on SQLite and PostgreSQL, and their CSV/XLSX exports.

The stable interface for the other lanes (``exhibitions.analytics.services``; every function
is async and keyword-only, returns plain dataclasses, and reads by id: callers check access
first with ``analytics_exhibition(slug=, actor=, personal=False)``):

- ``visitors_by_day(*, exhibition_id, gate_id=None) -> list[DayCount]``
  (day, visitors = distinct tickets, admissions); every exhibition day, empty ones as 0.
- ``visitors_by_hour(*, exhibition_id, day=None, gate_id=None) -> list[HourCount]``
  (day, hour local 0-23, admissions, visitors); a full day x hour grid.
- ``inside_over_time(*, exhibition_id, day, step_minutes=15) -> list[InsidePoint]``
  (at = local end of step, admitted, exited, inside, method "counted" | "estimated");
  ``step_minutes`` a multiple of 5 that divides a day, else InvalidInput.
- ``peak_hour(*, exhibition_id) -> PeakHour | None`` (day, hour, admissions, visitors).
- ``no_shows(*, exhibition_id) -> NoShows`` (registered, came, no_shows, rate).
- ``repeat_visits(*, exhibition_id) -> list[RepeatBucket]`` (days_visited "1" | "2" | "3+", visitors).
- ``visitors_by_region(*, exhibition_id) -> list[Share]``,
  ``visitors_by_category(*, exhibition_id) -> list[Share]`` (key, registered, visitors, share).
- ``seminar_attendance(*, exhibition_id) -> list[SessionAttendance]`` (session_id, titles,
  starts_at, room, capacity, registered, waitlisted, attended, registered_attended,
  fill_rate, show_rate).
- ``live_figures(*, exhibition_id, now) -> LiveFigures`` (day, admitted_today,
  admissions_today, inside_now, inside_method, as_of).
- ``compare_exhibitions(*, exhibition_ids, metric) -> Comparison`` (metric "totals" |
  "visitors_by_day" | "hour_profile"; exhibitions; rows of key + one value per exhibition);
  ``compare_for(*, slugs, actor, metric)``, the same checking the reader's access to each;
  ``comparison_choices(*, slug, actor, today)`` (what the compare page offers and ticks first);
  ``export_comparison(*, slugs, actor, metric, fmt, language)`` (CSV/XLSX).
- ``export_table(*, slug, table, fmt, actor, day=None, gate_id=None, language="en") -> Export``
  (``TABLES`` names the tables; checks access itself; headers in ``language``).
- ``analytics_exhibition(*, slug, actor, personal=False) -> dict`` (the exhibition row, or
  NotFound / PermissionDenied), ``can_read_analytics``, ``can_read_visitor_details``.
- ``refresh_attendance_rollups(*, now, exhibition_id=None) -> RefreshOutcome``: the
  scheduled job's service; every figure except ``live_figures`` and ``seminar_attendance``
  reads the rollups, so it lags the gates and the registrations by one tick (30 s).
"""
