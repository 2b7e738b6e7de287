"""Exhibitors: organizations (cooperatives, associations, mutuals ...), their members and,
later, their applications to exhibitions."""
