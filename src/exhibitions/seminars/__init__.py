"""Seminars: rooms, sessions, people and roles, conflicts, programme exports."""
