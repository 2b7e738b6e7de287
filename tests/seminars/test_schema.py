"""The seminar tables (migration m0017) refuse, on both engines, what must never be stored."""

from __future__ import annotations

import pytest

from exhibitions.db import Database

STARTS = "'2027-05-07 09:00:00+00:00'"
ENDS = "'2027-05-07 10:00:00+00:00'"


async def _run(database: Database, sql: str) -> list[dict[str, object]]:
    return [dict(row) for row in await database.engine.run_ddl(sql) or []]


async def _exhibition(database: Database, slug: str) -> None:
    await _run(database, "INSERT INTO venue (name, city) VALUES ('V', 'Rabat') ON CONFLICT DO NOTHING")
    await _run(
        database,
        "INSERT INTO exhibition (slug, kind, title_ar, title_fr, title_en, venue, starts_on, ends_on, opens_at, "
        f"closes_at) VALUES ('{slug}', 'national', 'ع', 'f', 'e', (SELECT id FROM venue), '2027-05-07', "
        "'2027-05-09', '10:00:00', '20:00:00')",
    )


def _of(slug: str) -> str:
    return f"(SELECT id FROM exhibition WHERE slug = '{slug}')"


@pytest.fixture
async def programme(database: Database) -> None:
    """Two exhibitions, each with a room (and its checkpoint), a track, a person and a session."""
    for slug in ("a-2027", "b-2027"):
        await _exhibition(database, slug)
        await _run(
            database,
            f"INSERT INTO checkpoint (exhibition, name, kind, policy, capacity) VALUES ({_of(slug)}, 'Salle 1', "
            "'room', 'reentry_after_exit', 80)",
        )
        await _run(
            database,
            "INSERT INTO seminar_room (exhibition, name, capacity, checkpoint, created_at, updated_at) VALUES "
            f"({_of(slug)}, 'Salle 1', 80, (SELECT id FROM checkpoint WHERE exhibition = {_of(slug)}), {STARTS}, "
            f"{STARTS})",
        )
        await _run(
            database,
            f"INSERT INTO seminar_track (exhibition, code, name_fr) VALUES ({_of(slug)}, 'initiatives', 'Initiatives')",
        )
        await _run(
            database,
            "INSERT INTO seminar_person (exhibition, name_latin, created_at, updated_at) VALUES "
            f"({_of(slug)}, 'Amina Berrada', {STARTS}, {STARTS})",
        )
        await _insert_session(database, slug, guid=f"guid-{slug}")


async def _insert_session(database: Database, slug: str, **overrides: str) -> None:
    values = {
        "exhibition": _of(slug),
        "guid": "'guid-new'",
        "title_fr": "'Table ronde'",
        "session_type": "'panel'",
        "track": f"(SELECT id FROM seminar_track WHERE exhibition = {_of(slug)})",
        "room": f"(SELECT id FROM seminar_room WHERE exhibition = {_of(slug)})",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "created_at": STARTS,
        "updated_at": STARTS,
    }
    values.update({key: (f"'{value}'" if key == "guid" else value) for key, value in overrides.items()})
    columns = ", ".join(f'"{name}"' for name in values)
    await _run(database, f"INSERT INTO seminar_session ({columns}) VALUES ({', '.join(values.values())})")


async def _count(database: Database, table: str) -> int:
    rows = await _run(database, f"SELECT COUNT(*) AS n FROM {table}")
    return int(rows[0]["n"])  # type: ignore[call-overload]


REFUSED = r"(?i)constraint|violates|check|foreign key|unique"


async def test_a_valid_programme_is_accepted(database: Database, programme: None) -> None:
    assert await _count(database, "seminar_session") == 2


@pytest.mark.parametrize(
    "overrides",
    [
        {"ends_at": STARTS},
        {"title_fr": "''"},
        {"session_type": "'lecture'"},
        {"status": "'moved'"},
        {"capacity": "0"},
        {"guid": "guid-a-2027"},
        {"room": "(SELECT id FROM seminar_room WHERE exhibition = (SELECT id FROM exhibition WHERE slug = 'b-2027'))"},
        {
            "track": "(SELECT id FROM seminar_track WHERE exhibition = "
            "(SELECT id FROM exhibition WHERE slug = 'b-2027'))"
        },
    ],
    ids=[
        "ends-at-start",
        "no-title",
        "unknown-type",
        "unknown-status",
        "capacity-zero",
        "guid-taken",
        "room-of-another-exhibition",
        "track-of-another-exhibition",
    ],
)
async def test_a_session_breaking_a_rule_is_refused(
    database: Database, programme: None, overrides: dict[str, str]
) -> None:
    with pytest.raises(Exception, match=REFUSED):
        await _insert_session(database, "a-2027", **overrides)
    assert await _count(database, "seminar_session") == 2


async def test_a_person_takes_part_once_per_session_and_only_in_their_exhibition(
    database: Database, programme: None
) -> None:
    def row(person_slug: str, role: str = "speaker") -> str:
        return (
            "INSERT INTO session_person (exhibition, session, person, role) VALUES "
            f"({_of('a-2027')}, (SELECT id FROM seminar_session WHERE guid = 'guid-a-2027'), "
            f"(SELECT id FROM seminar_person WHERE exhibition = {_of(person_slug)}), '{role}')"
        )

    await _run(database, row("a-2027"))
    for bad in (row("a-2027", "moderator"), row("b-2027"), row("a-2027", "chair")):
        with pytest.raises(Exception, match=REFUSED):
            await _run(database, bad)
    assert await _count(database, "session_person") == 1


@pytest.mark.parametrize(
    ("table", "sql"),
    [
        ("seminar_person", "INSERT INTO seminar_person (exhibition, created_at, updated_at) VALUES "
         f"({_of('a-2027')}, {STARTS}, {STARTS})"),
        ("seminar_person", "INSERT INTO seminar_person (exhibition, name_latin, language, created_at, updated_at) "
         f"VALUES ({_of('a-2027')}, 'X', 'de', {STARTS}, {STARTS})"),
        ("seminar_track", f"INSERT INTO seminar_track (exhibition, code) VALUES ({_of('a-2027')}, 'unnamed')"),
        ("seminar_track", f"INSERT INTO seminar_track (exhibition, code, name_fr) VALUES ({_of('a-2027')}, "
         "'initiatives', 'Encore')"),
        ("person_availability", "INSERT INTO person_availability (person, starts_at, ends_at) VALUES "
         f"((SELECT MIN(id) FROM seminar_person), {ENDS}, {STARTS})"),
        ("seminar_room", "INSERT INTO seminar_room (exhibition, name, capacity, checkpoint, created_at, updated_at) "
         f"VALUES ({_of('a-2027')}, 'Salle 2', 0, (SELECT MAX(id) FROM checkpoint), {STARTS}, {STARTS})"),
        ("seminar_room", "INSERT INTO seminar_room (exhibition, name, capacity, checkpoint, created_at, updated_at) "
         f"VALUES ({_of('a-2027')}, 'Salle 1', 10, (SELECT MAX(id) FROM checkpoint), {STARTS}, {STARTS})"),
        ("programme_settings", "INSERT INTO programme_settings (exhibition, travel_gap_minutes, updated_at) VALUES "
         f"({_of('a-2027')}, -5, {STARTS})"),
    ],
    ids=["person-without-name", "person-language", "track-without-name", "track-code-taken",
         "availability-reversed", "room-capacity-zero", "room-name-taken", "negative-travel-gap"],
)  # fmt: skip
async def test_other_rows_breaking_a_rule_are_refused(
    database: Database, programme: None, table: str, sql: str
) -> None:
    before = await _count(database, table)
    with pytest.raises(Exception, match=REFUSED):
        await _run(database, sql)
    assert await _count(database, table) == before
