"""Calendar marks: the service's rules, its permissions, and what the database refuses."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest

from exhibitions.accounts.actor import Actor
from exhibitions.analytics import calendar
from exhibitions.analytics.calendar_tables import CalendarMark
from exhibitions.analytics.timing import Mark
from exhibitions.db import Database
from exhibitions.errors import DuplicateValue, FieldError, InvalidInput, NotFound, PermissionDenied
from tests.analytics.conftest import MakeExhibition
from tests.conftest import NOW


@pytest.fixture
async def two(make_exhibition: MakeExhibition) -> tuple[int, int]:
    first = await make_exhibition("cal-a", date(2027, 5, 7), date(2027, 5, 16))
    second = await make_exhibition("cal-b", date(2027, 6, 1), date(2027, 6, 5))
    return first, second


async def test_a_mark_of_one_exhibition_and_a_national_one_show_on_its_calendar(
    two: tuple[int, int], organizer_actor: Actor
) -> None:
    first, second = two
    prayer = await calendar.add_mark(
        slug="cal-a", kind="friday_prayer", starts_on=date(2027, 5, 7), ends_on=date(2027, 5, 16), weekday=4,
        from_time=time(12, 30), to_time=time(14), note=" Prière ", actor=organizer_actor, now=NOW,
    )  # fmt: skip
    assert {key: prayer[key] for key in ("exhibition", "kind", "weekday", "note")} == {
        "exhibition": first, "kind": "friday_prayer", "weekday": 4, "note": "Prière",
    }  # fmt: skip
    await calendar.add_mark(
        slug="cal-b", kind="ramadan", starts_on=date(2027, 2, 8), ends_on=date(2027, 3, 9), national=True,
        actor=organizer_actor, now=NOW,
    )  # fmt: skip
    await calendar.add_mark(
        slug="cal-b", kind="unfavourable", starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 2), note="Examens",
        actor=organizer_actor, now=NOW,
    )  # fmt: skip
    listed = await calendar.list_marks(slug="cal-a", actor=organizer_actor)
    assert [(mark.kind, mark.national) for mark in listed] == [("ramadan", True), ("friday_prayer", False)]
    june = await calendar.marks_between(second, date(2027, 6, 2), date(2027, 6, 30))
    assert [replace(mark, id=None) for mark in june] == [
        Mark("unfavourable", date(2027, 6, 1), date(2027, 6, 2), note="Examens")
    ]


async def test_every_bad_field_is_reported_at_once_and_nothing_is_written(
    two: tuple[int, int], organizer_actor: Actor
) -> None:
    with pytest.raises(InvalidInput) as raised:
        await calendar.add_mark(
            slug="cal-a", kind="other", starts_on=date(2027, 5, 9), ends_on=date(2027, 5, 8), weekday=7,
            from_time=time(14), to_time=None, note="", actor=organizer_actor, now=NOW,
        )  # fmt: skip
    assert raised.value.errors == [
        FieldError("ends_on", "ends_before_start", "must be on or after starts_on"),
        FieldError("weekday", "invalid_choice", "must be 0 (Monday) to 6 (Sunday)"),
        FieldError("to_time", "required", "give both times of the window, or neither"),
        FieldError("note", "required", "say what the day is"),
    ]
    with pytest.raises(InvalidInput) as raised:
        await calendar.add_mark(
            slug="cal-a", kind="holiday", starts_on=None, ends_on=date(2027, 5, 8), from_time=time(14),
            to_time=time(13), note="x\x00", actor=organizer_actor, now=NOW,
        )  # fmt: skip
    assert [(error.field, error.code) for error in raised.value.errors] == [
        ("note", "control_characters"), ("kind", "invalid_choice"), ("starts_on", "required"), ("to_time", "invalid"),
    ]  # fmt: skip
    assert await CalendarMark.count() == 0


async def test_the_same_mark_twice_at_once_is_written_once(two: tuple[int, int], organizer_actor: Actor) -> None:
    async def add() -> Any:
        return await calendar.add_mark(
            slug="cal-a", kind="school_holiday", starts_on=date(2027, 5, 1), ends_on=date(2027, 5, 9),
            actor=organizer_actor, now=NOW,
        )  # fmt: skip

    results = await asyncio.gather(add(), add(), return_exceptions=True)
    assert sorted(type(result).__name__ for result in results) == ["DuplicateValue", "dict"]
    with pytest.raises(DuplicateValue):
        await add()
    assert await CalendarMark.count() == 1


async def test_only_organizers_mark_and_national_marks_need_every_exhibition(two: tuple[int, int]) -> None:
    _, second = two
    of_b = Actor(user_id=999, email="b@example.ma", roles=frozenset({(second, "organizer")}))
    with pytest.raises(PermissionDenied):
        await calendar.add_mark(
            slug="cal-a", kind="ramadan", starts_on=date(2027, 2, 8), ends_on=date(2027, 3, 9), actor=of_b, now=NOW
        )
    with pytest.raises(PermissionDenied):
        await calendar.add_mark(
            slug="cal-b", kind="ramadan", starts_on=date(2027, 2, 8), ends_on=date(2027, 3, 9), national=True,
            actor=of_b, now=NOW,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        await calendar.list_marks(slug="cal-a", actor=None)
    assert await CalendarMark.count() == 0


async def test_a_mark_is_removed_from_its_own_calendar_only(two: tuple[int, int], organizer_actor: Actor) -> None:
    mark = await calendar.add_mark(
        slug="cal-a", kind="public_holiday", starts_on=date(2027, 5, 1), ends_on=date(2027, 5, 1),
        actor=organizer_actor, now=NOW,
    )  # fmt: skip
    with pytest.raises(NotFound):
        await calendar.remove_mark(slug="cal-b", mark_id=mark["id"], actor=organizer_actor)
    await calendar.remove_mark(slug="cal-a", mark_id=mark["id"], actor=organizer_actor)
    assert await CalendarMark.count() == 0


@pytest.mark.parametrize(
    "values",
    [
        "'friday_prayer', '2027-05-09', '2027-05-08', NULL, NULL, NULL, ''",  # dates in the wrong order
        "'christmas', '2027-05-08', '2027-05-08', NULL, NULL, NULL, ''",  # unknown kind
        "'ramadan', '2027-05-08', '2027-05-08', 7, NULL, NULL, ''",  # weekday
        "'ramadan', '2027-05-08', '2027-05-08', NULL, '12:00:00', NULL, ''",  # half a window
        "'ramadan', '2027-05-08', '2027-05-08', NULL, '14:00:00', '12:00:00', ''",  # window in the wrong order
        "'other', '2027-05-08', '2027-05-08', NULL, NULL, NULL, ''",  # other without a note
    ],
)
async def test_the_database_refuses_a_bad_mark(database: Database, values: str) -> None:
    with pytest.raises(Exception, match=r"(?i)check|constraint"):
        await database.engine.run_ddl(
            "INSERT INTO calendar_mark (kind, starts_on, ends_on, weekday, from_time, to_time, note, created_at)"
            f" VALUES ({values}, '2027-01-01 00:00:00+00:00')"
        )
