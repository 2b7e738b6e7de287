from __future__ import annotations

import dataclasses
from datetime import timedelta

from lxml import etree

from exhibitions.seminars.exports import to_frab_xml
from tests.seminars.exports_sample import ATLAS, PROGRAMME, RIF, SCHEMA, WORKSHOP

EXPECTED = """\
<?xml version="1.0" encoding="UTF-8"?>
<schedule>
 <version>3</version>
 <conference>
  <title>Salon national de l'ESS</title>
  <acronym>sess_2027</acronym>
  <start>2027-03-13</start>
  <end>2027-03-14</end>
  <days>2</days>
  <timeslot_duration>00:15</timeslot_duration>
 </conference>
 <day index="1" date="2027-03-13" start="2027-03-13T10:00:00+00:00" end="2027-03-13T15:00:00+00:00">
  <room name="Salle Atlas">
   <event id="101" guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a01">
    <date>2027-03-13T10:00:00+00:00</date>
    <start>10:00</start>
    <duration>01:30</duration>
    <room>Salle Atlas</room>
    <slug>sess_2027-101-ouverture_la_loi_112_12_sur_les_cooperatives</slug>
    <title>Ouverture : la loi 112-12 sur les coopératives</title>
    <subtitle>افتتاح: القانون 112.12 المتعلق بالتعاونيات</subtitle>
    <track>Cadre juridique</track>
    <type>keynote</type>
    <language>fr</language>
    <abstract>Dix ans d'application, bilan &amp; perspectives.</abstract>
    <description>عشر سنوات من التطبيق.</description>
    <persons>
     <person id="7">Amina El Idrissi</person>
     <person id="8">Jean Dupont</person>
    </persons>
    <links>
     <link href="https://ess.example.ma/seminars/sess-2027/sessions/101">Ouverture : la loi 112-12 sur les coopératives</link>
    </links>
   </event>
  </room>
  <room name="قاعة الريف">
   <event id="102" guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a02">
    <date>2027-03-13T14:00:00+00:00</date>
    <start>14:00</start>
    <duration>01:00</duration>
    <room>قاعة الريف</room>
    <slug>sess_2027-102</slug>
    <title>التمويل التضامني</title>
    <subtitle />
    <track>Politiques publiques</track>
    <type>panel</type>
    <language>ar</language>
    <abstract>كيف تمول التعاونيات مشاريعها؟</abstract>
    <description />
    <persons>
     <person id="9">محمد بنعلي</person>
     <person id="7">Amina El Idrissi</person>
    </persons>
    <links />
   </event>
  </room>
 </day>
 <day index="2" date="2027-03-14" start="2027-03-14T15:30:00+01:00" end="2027-03-14T16:15:00+01:00">
  <room name="Salle Atlas" />
  <room name="قاعة الريف">
   <event id="104" guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a04">
    <date>2027-03-14T15:30:00+01:00</date>
    <start>15:30</start>
    <duration>00:45</duration>
    <room>قاعة الريف</room>
    <slug>sess_2027-104-table_ronde_cooperer_entre_rives</slug>
    <title>Table ronde : coopérer entre rives</title>
    <subtitle>Round table: cooperating across shores</subtitle>
    <track>partnership</track>
    <type>round_table</type>
    <language>fr</language>
    <abstract />
    <description />
    <persons>
     <person id="8">Jean Dupont</person>
     <person id="7">Amina El Idrissi</person>
    </persons>
    <links>
     <link href="https://ess.example.ma/seminars/sess-2027/sessions/104">Table ronde : coopérer entre rives</link>
    </links>
   </event>
  </room>
 </day>
</schedule>
"""


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def assert_valid(payload: bytes) -> None:
    validator = schema()
    assert validator.validate(etree.fromstring(payload)), validator.error_log


def test_the_programme_validates_against_the_c3voc_schema() -> None:
    assert_valid(to_frab_xml(PROGRAMME))


def test_the_schema_does_refuse_a_broken_schedule() -> None:
    # The validator is not a rubber stamp: an event without its duration is refused.
    broken = to_frab_xml(PROGRAMME).replace(b"<duration>01:30</duration>", b"")
    assert not schema().validate(etree.fromstring(broken))


def test_exact_document() -> None:
    # Saturday is at UTC+0 (Ramadan), Sunday at UTC+1; the cancelled workshop is left out; the
    # Arabic-only session falls back to Arabic; a second language becomes the subtitle.
    assert to_frab_xml(PROGRAMME).decode() == EXPECTED


def test_sessions_without_a_room_of_the_programme_are_left_out() -> None:
    unplaced = dataclasses.replace(WORKSHOP, id=105, guid="g-105", cancelled=False, room_id=None)
    elsewhere = dataclasses.replace(WORKSHOP, id=106, guid="g-106", cancelled=False, room_id=99)
    programme = dataclasses.replace(PROGRAMME, sessions=(*PROGRAMME.sessions, unplaced, elsewhere))
    payload = to_frab_xml(programme)
    assert_valid(payload)
    assert etree.fromstring(payload).xpath("//event/@id") == ["101", "102", "104"]


def test_days_cover_sessions_outside_the_programme_dates_and_empty_days() -> None:
    early = dataclasses.replace(
        WORKSHOP,
        cancelled=False,
        starts_at=WORKSHOP.starts_at - timedelta(days=3),
        ends_at=WORKSHOP.ends_at - timedelta(days=3),
    )
    programme = dataclasses.replace(PROGRAMME, sessions=(early,), rooms=(ATLAS, RIF))
    payload = to_frab_xml(programme)
    assert_valid(payload)
    root = etree.fromstring(payload)
    assert [(day.get("index"), day.get("date"), day.get("start"), day.get("end")) for day in root.iter("day")] == [
        ("1", "2027-03-11", "2027-03-11T09:00:00+00:00", "2027-03-11T11:00:00+00:00"),
        ("2", "2027-03-12", "2027-03-12T00:00:00+00:00", "2027-03-13T00:00:00+00:00"),
        ("3", "2027-03-13", "2027-03-13T00:00:00+00:00", "2027-03-14T00:00:00+00:00"),
        # Midnight to midnight is 23 hours on the day Morocco moves its clocks forward.
        ("4", "2027-03-14", "2027-03-14T00:00:00+00:00", "2027-03-15T00:00:00+01:00"),
    ]
    assert [root.findtext("conference/start"), root.findtext("conference/end"), root.findtext("conference/days")] == [
        "2027-03-11",
        "2027-03-14",
        "4",
    ]


def test_characters_xml_cannot_carry_are_dropped_and_markup_is_escaped() -> None:
    session = dataclasses.replace(PROGRAMME.sessions[0], title={"fr": '<b>Coop & co</b> \x0b\x01 "quoted" ]]>'})
    payload = to_frab_xml(dataclasses.replace(PROGRAMME, sessions=(session,)))
    assert_valid(payload)
    assert etree.fromstring(payload).findtext("day/room/event/title") == '<b>Coop & co</b>  "quoted" ]]>'


def test_a_duration_past_what_the_schema_can_write_stops_at_99_59() -> None:
    week_long = dataclasses.replace(WORKSHOP, cancelled=False, ends_at=WORKSHOP.starts_at + timedelta(hours=120))
    payload = to_frab_xml(dataclasses.replace(PROGRAMME, sessions=(week_long,)))
    assert_valid(payload)
    assert etree.fromstring(payload).findtext("day/room/event/duration") == "99:59"
