"""The speaker workflow's own table: each person's link version, invitation and nudges.
Its columns and constraints are in migrations/m0018_speaker_links.py."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Timestamptz
from piccolo.table import Table

from exhibitions.events.tables import Exhibition
from exhibitions.seminars.tables import SeminarPerson


class SpeakerLink(Table, tablename="speaker_link"):
    id = Serial(primary_key=True)
    exhibition = ForeignKey(Exhibition, null=False, on_delete=OnDelete.cascade)
    person = ForeignKey(SeminarPerson, null=False, unique=True, on_delete=OnDelete.cascade)
    # Bumped to revoke every link issued before; signed into each link.
    version = Integer(default=1)
    invited_at = Timestamptz(null=True, default=None)
    nudges_sent = Integer(default=0)
    last_nudged_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz()
