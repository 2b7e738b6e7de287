from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from exhibitions.seminars.exports import ExportSession, to_ics
from tests.seminars.exports_sample import FINANCE, OPENING, PARTNERS, PROGRAMME, WORKSHOP

STAMP = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def parsed(payload: bytes) -> Calendar:
    return Calendar.from_ical(payload)


def whole_programme() -> bytes:
    return to_ics(PROGRAMME, name="Programme du salon", stamp=STAMP)


def test_each_session_is_one_event_with_its_stable_uid_and_sequence() -> None:
    events = parsed(whole_programme()).events
    assert [(str(event["UID"]), int(event["SEQUENCE"])) for event in events] == [
        ("3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a01@ess.example.ma", 0),
        ("3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a02@ess.example.ma", 2),
        ("3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a03@ess.example.ma", 3),
        ("3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a04@ess.example.ma", 1),
    ]


def test_times_are_local_with_the_time_zone_across_the_offset_change() -> None:
    events = parsed(whole_programme()).events
    assert {event["DTSTART"].params["TZID"] for event in events} == {"Africa/Casablanca"}
    assert {event["DTEND"].params["TZID"] for event in events} == {"Africa/Casablanca"}
    # Local wall-clock times: 10:00 at UTC+0 on Saturday, 10:00 and 15:30 at UTC+1 on Sunday.
    assert [(event.start.replace(tzinfo=None), event.end.replace(tzinfo=None)) for event in events] == [
        (datetime(2027, 3, 13, 10, 0), datetime(2027, 3, 13, 11, 30)),
        (datetime(2027, 3, 13, 14, 0), datetime(2027, 3, 13, 15, 0)),
        (datetime(2027, 3, 14, 10, 0), datetime(2027, 3, 14, 12, 0)),
        (datetime(2027, 3, 14, 15, 30), datetime(2027, 3, 14, 16, 15)),
    ]
    assert [event.start for event in events] == [
        session.starts_at for session in (OPENING, FINANCE, WORKSHOP, PARTNERS)
    ]
    assert {event["DTSTAMP"].dt for event in events} == {STAMP}


def test_the_vtimezone_itself_carries_morocco_s_offsets() -> None:
    calendar = parsed(whole_programme())
    [timezone] = calendar.timezones
    assert timezone.tz_name == "Africa/Casablanca"
    assert calendar.get_missing_tzids() == set()
    # Read the offsets from the VTIMEZONE, not from the machine's zone database.
    zone = timezone.to_tz()
    assert datetime(2027, 3, 13, 10, 0, tzinfo=zone).utcoffset() == timedelta(0)
    assert datetime(2027, 3, 14, 10, 0, tzinfo=zone).utcoffset() == timedelta(hours=1)


def test_the_calendar_header() -> None:
    calendar = parsed(whole_programme())
    assert calendar["X-WR-CALNAME"] == "Programme du salon"
    assert calendar["NAME"] == "Programme du salon"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["VERSION"] == "2.0"
    assert calendar.refresh_interval == timedelta(hours=1)


def test_text_in_the_programme_language_with_fallback_and_cancellation() -> None:
    events = parsed(whole_programme()).events
    assert [
        (
            str(event["SUMMARY"]),
            str(event.get("LOCATION", "")),
            str(event["STATUS"]),
            event.categories,
            str(event.get("URL", "")),
        )
        for event in events
    ] == [
        (
            "Ouverture : la loi 112-12 sur les coopératives",
            "Salle Atlas, Pavillon A",
            "CONFIRMED",
            ["Cadre juridique"],
            "https://ess.example.ma/seminars/sess-2027/sessions/101",
        ),
        # Only in Arabic: the French calendar falls back to it.
        ("التمويل التضامني", "قاعة الريف, Pavillon B", "CONFIRMED", ["Politiques publiques"], ""),
        # Cancelled sessions stay, so that subscribed calendars drop them.
        (
            "Atelier : vendre en ligne",
            "Salle Atlas, Pavillon A",
            "CANCELLED",
            ["Initiatives"],
            "https://ess.example.ma/seminars/sess-2027/sessions/103",
        ),
        # No track name in any language: its code.
        (
            "Table ronde : coopérer entre rives",
            "قاعة الريف, Pavillon B",
            "CONFIRMED",
            ["partnership"],
            "https://ess.example.ma/seminars/sess-2027/sessions/104",
        ),
    ]
    assert [str(event.get("DESCRIPTION", "")) for event in events] == [
        "Dix ans d'application, bilan & perspectives.\n\nAmina El Idrissi, Jean Dupont",
        "كيف تمول التعاونيات مشاريعها؟\n\nمحمد بنعلي, Amina El Idrissi",
        "Annulé faute d'inscrits.\n\nJean Dupont",
        "Jean Dupont, Amina El Idrissi",  # no abstract; Amina once though she holds two roles
    ]


def test_arabic_programme_prints_arabic_titles_and_names() -> None:
    arabic = dataclasses.replace(PROGRAMME, language="ar")
    [event] = parsed(to_ics(arabic, sessions=[OPENING], name="برنامج", stamp=STAMP)).events
    assert str(event["SUMMARY"]) == "افتتاح: القانون 112.12 المتعلق بالتعاونيات"
    assert str(event["DESCRIPTION"]) == "عشر سنوات من التطبيق.\n\nأمينة الإدريسي, Jean Dupont"
    assert event.categories == ["الإطار القانوني"]


def test_exact_event_text() -> None:
    text = whole_programme().decode()
    first_event = text[text.index("BEGIN:VEVENT") : text.index("END:VEVENT") + len("END:VEVENT\r\n")]
    assert first_event == (
        "BEGIN:VEVENT\r\n"
        "UID:3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a01@ess.example.ma\r\n"
        "SEQUENCE:0\r\n"
        "DTSTAMP:20270301T090000Z\r\n"
        "DTSTART;TZID=Africa/Casablanca:20270313T100000\r\n"
        "DTEND;TZID=Africa/Casablanca:20270313T113000\r\n"
        "SUMMARY:Ouverture : la loi 112-12 sur les coopératives\r\n"
        "DESCRIPTION:Dix ans d'application\\, bilan & perspectives.\\n\\nAmina El Idris\r\n"
        " si\\, Jean Dupont\r\n"
        "LOCATION:Salle Atlas\\, Pavillon A\r\n"
        "URL:https://ess.example.ma/seminars/sess-2027/sessions/101\r\n"
        "STATUS:CONFIRMED\r\n"
        "CATEGORIES:Cadre juridique\r\n"
        "END:VEVENT\r\n"
    )


def test_a_subset_keeps_the_same_uids() -> None:
    starred = parsed(to_ics(PROGRAMME, sessions=[PARTNERS, FINANCE], name="Mes séances", stamp=STAMP))
    assert [str(event["UID"]) for event in starred.events] == [
        "3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a02@ess.example.ma",
        "3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a04@ess.example.ma",
    ]
    assert starred["X-WR-CALNAME"] == "Mes séances"
    assert [timezone.tz_name for timezone in starred.timezones] == ["Africa/Casablanca"]


def test_a_moved_session_keeps_its_uid_and_raises_its_sequence() -> None:
    moved = dataclasses.replace(
        FINANCE,
        starts_at=FINANCE.starts_at + timedelta(hours=1),
        ends_at=FINANCE.ends_at + timedelta(hours=1),
        sequence=FINANCE.sequence + 1,
    )
    before = parsed(to_ics(PROGRAMME, sessions=[FINANCE], name="x", stamp=STAMP)).events[0]
    after = parsed(to_ics(PROGRAMME, sessions=[moved], name="x", stamp=STAMP)).events[0]
    assert str(after["UID"]) == str(before["UID"])
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (2, 3)
    assert after.start - before.start == timedelta(hours=1)


def test_no_session_gives_an_empty_calendar_without_time_zone() -> None:
    calendar = parsed(to_ics(PROGRAMME, sessions=[], name="Vide", stamp=STAMP))
    assert calendar.events == []
    assert calendar.timezones == []


def test_the_stamp_defaults_to_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    [event] = parsed(to_ics(PROGRAMME, sessions=[OPENING], name="x")).events
    assert before <= event["DTSTAMP"].dt <= datetime.now(UTC)


def long_arabic_session() -> ExportSession:
    title = "الاقتصاد الاجتماعي والتضامني رافعة للتنمية المجالية في جهات المملكة " * 6
    return dataclasses.replace(OPENING, title={"ar": title}, abstract={"ar": "،".join([title] * 3)})


def test_long_arabic_lines_fold_at_75_octets_between_characters() -> None:
    session = long_arabic_session()
    payload = to_ics(PROGRAMME, sessions=[session], name="برنامج المعرض", stamp=STAMP)
    physical_lines = payload.split(b"\r\n")
    assert max(len(line) for line in physical_lines) <= 75
    assert sum(line.startswith(b" ") for line in physical_lines) > 20
    for line in physical_lines:
        line.decode("utf-8")  # each folded piece is whole UTF-8: no character is cut in two
    [event] = parsed(payload).events
    assert str(event["SUMMARY"]) == session.title["ar"]
    assert str(event["DESCRIPTION"]).startswith(session.abstract["ar"])


@pytest.mark.parametrize("prefix", range(0, 80, 7))
def test_folding_never_splits_an_escape(prefix: int) -> None:
    session = dataclasses.replace(OPENING, title={"fr": "x" * prefix + ",;" * 60 + "\\" * 9})
    payload = to_ics(PROGRAMME, sessions=[session], name="x", stamp=STAMP)
    summary_lines = payload.split(b"SUMMARY:")[1].split(b"\r\nDESCRIPTION")[0].split(b"\r\n ")
    assert len(summary_lines) > 2
    assert not any(line.endswith(b"\\") and not line.endswith(b"\\\\") for line in summary_lines)
    assert str(parsed(payload).events[0]["SUMMARY"]) == session.title["fr"]


def test_a_time_in_the_repeated_hour_is_written_in_utc() -> None:
    # Morocco's clocks went back from 03:00 to 02:00 on 2027-02-07 (Ramadan): 02:30 happened
    # twice, so it is written in UTC, and every other time stays local with its TZID.
    second_half_past_two = datetime(2027, 2, 7, 2, 30, tzinfo=UTC)  # 02:30 local, the second time
    night = dataclasses.replace(OPENING, starts_at=datetime(2027, 2, 7, 0, 0, tzinfo=UTC), ends_at=second_half_past_two)
    payload = to_ics(dataclasses.replace(PROGRAMME, sessions=(night,)), name="x", stamp=STAMP)
    [event] = Calendar.from_ical(payload).events
    assert event.start == datetime(2027, 2, 7, 0, 0, tzinfo=UTC)
    assert event.end == second_half_past_two
    assert b"DTEND:20270207T023000Z\r\n" in payload
    assert b"DTSTART;TZID=Africa/Casablanca:20270207T010000\r\n" in payload
