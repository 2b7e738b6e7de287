"""Any programme, with any text (Arabic, markup, quotes, escapes, line breaks) and any times
(across Morocco's offset changes), gives a valid frab XML and ICS and JSON that parse back."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from lxml import etree

from exhibitions.seminars.exports import (
    ExportPerson,
    ExportProgramme,
    ExportRoom,
    ExportSession,
    to_c3voc_json,
    to_frab_xml,
    to_ics,
)
from exhibitions.seminars.exports.model import pick
from tests.seminars.exports_sample import PROGRAMME, SCHEMA
from tests.seminars.test_exports_c3voc import assert_follows_c3voc_rules

# Everything a person can type: any letter, mark, symbol or space (Arabic favoured), and line
# breaks; the app refuses other control characters before they reach the database.
characters = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(blacklist_categories=("Cs", "Cc")),
    st.sampled_from("\n\\,;:\"'<>&"),
)
texts = st.text(characters, max_size=120)
translations = st.dictionaries(st.sampled_from(("ar", "fr", "en")), texts, max_size=3)
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC))
durations = st.integers(min_value=0, max_value=150 * 60).map(lambda minutes: timedelta(minutes=minutes))
people = st.builds(ExportPerson, id=st.integers(1, 30), name=texts, name_ar=texts)


@st.composite
def programmes(draw: st.DrawFn) -> ExportProgramme:
    rooms = tuple(
        ExportRoom(id=number, name=draw(texts), building=draw(texts))
        for number in range(1, draw(st.integers(0, 4)) + 1)
    )
    sessions = []
    guids = draw(st.lists(st.uuids(), max_size=8, unique=True))  # unique in the database
    for number, guid in enumerate(guids, start=1):
        starts_at = draw(moments)
        sessions.append(
            ExportSession(
                id=number,
                guid=str(guid),
                title=draw(translations),
                abstract=draw(translations),
                type=draw(st.sampled_from(("keynote", "panel", "workshop", "round_table"))),
                track=draw(translations),
                track_code=draw(st.sampled_from(("legal", "policy", ""))),
                room_id=draw(st.one_of(st.none(), st.integers(1, 6))),  # 5 and 6: rooms of no one
                starts_at=starts_at,
                ends_at=starts_at + draw(durations),
                people=tuple(draw(st.lists(st.tuples(people, st.sampled_from(("speaker", "moderator"))), max_size=3))),
                languages=tuple(draw(st.lists(st.sampled_from(("ar", "fr", "en")), max_size=2))),
                interpretation=draw(st.booleans()),
                sequence=draw(st.integers(0, 50)),
                cancelled=draw(st.booleans()),
                url=draw(st.sampled_from(("", "https://ess.example.ma/s/1"))),
            )
        )
    first_day = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31)))
    return ExportProgramme(
        slug=draw(st.from_regex(r"[a-z0-9]{3,10}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)),
        title=draw(translations),
        time_zone="Africa/Casablanca",
        starts_on=first_day,
        ends_on=first_day + timedelta(days=draw(st.integers(0, 3))),
        version=draw(texts),
        base_url="https://ess.example.ma/",
        host="ess.example.ma",
        rooms=rooms,
        sessions=tuple(sessions),
        language=draw(st.sampled_from(("ar", "fr", "en"))),
    )


SCHEMA_VALIDATOR = etree.XMLSchema(etree.parse(str(SCHEMA)))


# A title typed with a backslash before N, which once failed the round trip.
BACKSLASH_N_TITLE = dataclasses.replace(
    PROGRAMME,
    sessions=(dataclasses.replace(PROGRAMME.sessions[0], title={lang: "\\N" for lang in ("ar", "fr", "en")}),),
)


@example(BACKSLASH_N_TITLE)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes())
def test_any_programme_gives_valid_exports(programme: ExportProgramme) -> None:
    room_ids = {room.id for room in programme.rooms}
    scheduled = sorted(
        (session for session in programme.sessions if not session.cancelled and session.room_id in room_ids),
        key=lambda session: session.id,
    )

    document = etree.fromstring(to_frab_xml(programme))
    assert SCHEMA_VALIDATOR.validate(document), SCHEMA_VALIDATOR.error_log
    assert sorted(int(value) for value in document.xpath("//event/@id")) == [session.id for session in scheduled]

    schedule = json.loads(to_c3voc_json(programme))
    assert_follows_c3voc_rules(schedule)
    events = [
        item for day in schedule["schedule"]["conference"]["days"] for items in day["rooms"].values() for item in items
    ]
    assert sorted(item["id"] for item in events) == [session.id for session in scheduled]

    payload = to_ics(programme, name=pick(programme.title, "ar"), stamp=datetime(2027, 1, 1, tzinfo=UTC))
    assert max(len(line) for line in payload.split(b"\r\n")) <= 75
    calendar = Calendar.from_ical(payload)
    by_uid = {str(event["UID"]): event for event in calendar.events}
    assert len(by_uid) == len(programme.sessions)
    for session in programme.sessions:
        event = by_uid[f"{session.guid}@ess.example.ma"]
        assert int(event["SEQUENCE"]) == session.sequence
        # iCalendar counts in whole seconds.
        assert event.start == session.starts_at.replace(microsecond=0)
        assert event.end == session.ends_at.replace(microsecond=0)
        # icalendar takes a typed backslash-N for an already escaped line break (step 1 of its
        # _escape_char); a title with those two characters is rare enough to accept that.
        assert str(event["SUMMARY"]) == pick(session.title, programme.language).replace("\\N", "\n")
        assert (str(event["STATUS"]) == "CANCELLED") is session.cancelled
    if programme.sessions:
        [timezone] = calendar.timezones
        zone = timezone.to_tz()
        for session in programme.sessions:
            expected = session.starts_at.astimezone(programme.zone).utcoffset()
            assert session.starts_at.astimezone(zone).utcoffset() == expected


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "reason"),
    [
        (datetime(2027, 3, 13, 10), datetime(2027, 3, 13, 11), "time zone"),
        (datetime(2027, 3, 13, 10, tzinfo=UTC), datetime(2027, 3, 13, 9, 59, tzinfo=UTC), "before starts_at"),
    ],
)
def test_a_session_must_be_well_formed(starts_at: datetime, ends_at: datetime, reason: str) -> None:
    session = PROGRAMME.sessions[0]
    with pytest.raises(ValueError, match=reason):
        ExportSession(**{**session.__dict__, "starts_at": starts_at, "ends_at": ends_at})


@pytest.mark.parametrize(
    ("text", "language", "shown"),
    [
        ({"ar": "عربي", "fr": "Français", "en": "English"}, "en", "English"),
        ({"ar": "عربي", "fr": "Français"}, "en", "عربي"),  # Arabic comes first among the fallbacks
        ({"fr": "Français", "en": "English"}, "ar", "Français"),
        ({"fr": "  ", "en": "English"}, "fr", "English"),  # blank counts as missing
        ({"es": "Español"}, "fr", "Español"),
        ({}, "fr", ""),
    ],
)
def test_pick_falls_back_to_any_translation(text: dict[str, str], language: str, shown: str) -> None:
    assert pick(text, language) == shown
