"""The dashboard, timing and calendar pages, driven through the app on a small hand-made
attendance record (Thursday 8 to Saturday 10 May 2025, Casablanca at UTC+1)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.tables import RoleName
from exhibitions.analytics import calendar
from exhibitions.analytics import services as figures
from exhibitions.analytics.calendar_tables import CalendarMark
from exhibitions.clock import utcnow
from tests.analytics.conftest import MakeExhibition, add_checkpoint, add_ticket, scan, utc
from tests.conftest import NOW
from tests.factories import csrf_token, login

PAST = "cal-past-2025"
PLANNED = "cal-planned-2030"


@pytest.fixture
async def record(make_exhibition: MakeExhibition, organizer_actor: Actor) -> dict[str, Any]:
    past = await make_exhibition(PAST, date(2025, 5, 8), date(2025, 5, 10), opens_at="10:00:00", closes_at="20:00:00")
    planned = await make_exhibition(PLANNED, date(2030, 5, 9), date(2030, 5, 12))
    gate = await add_checkpoint(past, "Porte")
    tickets = [await add_ticket(past, first_day=date(2025, 5, 8)) for _ in range(7)]
    # Local times are UTC+1: Thursday two at 10:xx and one at 11:10; Friday one at 12:45;
    # Saturday three at 17:xx (the peak hour) and one exit.
    for ticket, moment in zip(tickets, [utc(2025, 5, 8, 9, 30), utc(2025, 5, 8, 9, 50), utc(2025, 5, 8, 10, 10),
                                        utc(2025, 5, 9, 11, 45), utc(2025, 5, 10, 16, 5), utc(2025, 5, 10, 16, 20),
                                        utc(2025, 5, 10, 16, 59)], strict=True):  # fmt: skip
        await scan(past, gate, ticket, moment)
    await scan(past, gate, tickets[0], utc(2025, 5, 8, 12), result="exited")
    await figures.refresh_attendance_rollups(now=datetime(2026, 1, 1, tzinfo=NOW.tzinfo), exhibition_id=past)
    await calendar.add_mark(
        slug=PAST, kind="friday_prayer", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31), weekday=4,
        from_time=datetime(2025, 1, 1, 12, 30).time(), to_time=datetime(2025, 1, 1, 14).time(), actor=organizer_actor,
        now=NOW,
    )  # fmt: skip
    return {"past": past, "planned": planned, "gate": gate}


async def test_the_dashboard_shows_the_peak_hour_and_a_table_behind_every_chart(
    client: httpx.AsyncClient, record: dict[str, Any]
) -> None:
    await login(client)
    response = await client.get(f"/organize/exhibitions/{PAST}/dashboard?lang=fr")
    assert response.status_code == 200
    page = response.text
    assert '<p class="peak" id="peak-hour" data-day="2025-05-10" data-hour="17">' in page
    assert "17:00–18:00" in page
    assert "3 entrées" in page
    charts = re.findall(r'<div class="chart" dir="ltr" id="chart-([a-z-]+)"', page)
    assert charts == ["by-day", "by-hour", "inside", "regions", "categories"]
    assert (
        len(re.findall(r"<details class=\"chart-table\">\s*<summary>Afficher le tableau</summary>\s*<table", page)) == 5
    )
    # Hours from the first to the last anyone came: 10:00 to 17:00.
    hours = re.search(r'<table class="list" id="table-by-hour">.*?</table>', page, re.S)
    assert hours is not None
    assert re.findall(r'<td dir="ltr">(\d\d:00)</td><td class="num">(\d+)</td>', hours.group(0)) == [
        ("10:00", "2"), ("11:00", "1"), ("12:00", "1"), ("13:00", "0"), ("14:00", "0"), ("15:00", "0"), ("16:00", "0"),
        ("17:00", "3"),
    ]  # fmt: skip
    arabic = await client.get(f"/organize/exhibitions/{PAST}/dashboard?lang=ar")
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert "ساعة الذروة" in arabic.text


async def test_the_dashboards_tables_download_as_csv(client: httpx.AsyncClient, record: dict[str, Any]) -> None:
    await login(client)
    response = await client.get(f"/organize/exhibitions/{PAST}/dashboard/export/csv/visitors-by-day?lang=en")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="{PAST}-visitors-by-day.csv"'
    assert response.text.splitlines() == [
        "\ufeffDay,Visitors,Admissions",
        "2025-05-08,3,3",
        "2025-05-09,1,1",
        "2025-05-10,3,3",
    ]
    refused = await client.get(f"/organize/exhibitions/{PAST}/dashboard/export/pdf/visitors-by-day")
    assert refused.status_code == 422
    # The inside-over-time table of the day the chart shows, in the page's language.
    page = (await client.get(f"/organize/exhibitions/{PAST}/dashboard?lang=fr&day=2025-05-08")).text
    link = f"/organize/exhibitions/{PAST}/dashboard/export/csv/inside-over-time?lang=fr&amp;day=2025-05-08"
    assert f'href="{link}"' in page
    inside = await client.get(link.replace("&amp;", "&"))
    assert inside.status_code == 200
    assert inside.text.splitlines()[0].startswith("\ufeff")
    assert "2025-05-08" in inside.text


async def test_another_exhibitions_organizer_sees_neither_dashboard_nor_timing(
    client: httpx.AsyncClient, record: dict[str, Any]
) -> None:
    user_id = await account_services.create_user(email="autre@example.ma", password="another-password-1", now=NOW)
    await account_services.grant_role(
        user_id=user_id, exhibition_id=record["planned"], role=RoleName.organizer, now=NOW
    )
    form = await client.get("/login")
    await client.post(
        "/login",
        data={"email": "autre@example.ma", "password": "another-password-1", "_csrf_token": csrf_token(form.text)},
    )
    for path in ("dashboard", "timing", "dashboard/export/csv/visitors-by-region"):
        response = await client.get(f"/organize/exhibitions/{PAST}/{path}")
        assert response.status_code == 403, path
    assert (await client.get(f"/organize/exhibitions/{PLANNED}/timing")).status_code == 200


async def test_the_timing_page_describes_a_past_edition_against_its_hours(
    client: httpx.AsyncClient, record: dict[str, Any]
) -> None:
    await login(client)
    page = (await client.get(f"/organize/exhibitions/{PAST}/timing?lang=en")).text
    assert 'Busiest hour: Saturday, May 10, 2025, <bdi dir="ltr">17:00</bdi> (3)' in page
    # The grid's numbers as a spreadsheet: admissions per day and hour.
    assert f'href="/organize/exhibitions/{PAST}/dashboard/export/xlsx/visitors-by-hour?lang=en"' in page
    assert "Weekdays: 2 admissions per open day over 2 days; weekend: 3 per open day over 1 days." in page
    friday = re.search(r'<tr data-day="2025-05-09" class="day-quiet">.*?</tr>', page, re.S)
    assert friday is not None
    assert "Friday prayer" in friday.group(0)
    # Only 12:00 and 13:00 touch the prayer's 12:30-14:00 window.
    assert len(re.findall(r'class="num level-\w+ marked"', friday.group(0))) == 2


async def test_a_planned_exhibition_is_warned_and_shown_past_editions_profile(
    client: httpx.AsyncClient, record: dict[str, Any], organizer_actor: Actor
) -> None:
    await calendar.add_mark(
        slug=PLANNED, kind="unfavourable", starts_on=date(2030, 5, 11), ends_on=date(2030, 5, 20), note="Examens",
        actor=organizer_actor, now=NOW,
    )  # fmt: skip
    await login(client)
    page = (await client.get(f"/organize/exhibitions/{PLANNED}/timing?lang=fr")).text
    warnings = re.search(r'<ul class="warnings" id="date-warnings">.*?</ul>', page, re.S)
    assert warnings is not None
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", warnings.group(0))).strip() == (
        "Défavorable : Jour défavorable (Examens): 2 jours du salon, 11 mai 2030 – 12 mai 2030"
    )
    # Three open days of one past edition: each day's shares averaged (Thursday 2/3 at 10:00, 1/3 at 11:00;
    # Friday all at 12:00; Saturday all at 17:00).
    assert 'data-days="3" data-editions="1"' in page
    shares = re.findall(r'<td dir="ltr">(\d\d:00)</td><td class="num">([\d,]+) %</td>', page)
    assert shares == [("10:00", "22,2"), ("11:00", "11,1"), ("12:00", "33,3"), ("17:00", "33,3")]


async def test_marks_are_added_and_removed_and_bad_ones_reshown_in_the_users_language(
    client: httpx.AsyncClient, record: dict[str, Any]
) -> None:
    await login(client)
    form = await client.get(f"/organize/exhibitions/{PLANNED}/timing?lang=ar")
    token = csrf_token(form.text)
    refused = await client.post(
        f"/organize/exhibitions/{PLANNED}/calendar/marks",
        data={"kind": "other", "starts_on": "2030-05-12", "ends_on": "2030-05-10", "note": "", "_csrf_token": token},
    )
    assert refused.status_code == 422
    assert '<p class="error" id="e-ends_on">يجب أن يكون اليوم الأخير في اليوم الأول أو بعده.</p>' in refused.text
    assert 'value="2030-05-12"' in refused.text
    assert await CalendarMark.count().where(CalendarMark.exhibition == record["planned"]) == 0
    unreadable = await client.post(
        f"/organize/exhibitions/{PLANNED}/calendar/marks",
        data={"kind": "ramadan", "starts_on": "12/05/2030", "ends_on": "2030-05-10", "_csrf_token": token},
    )
    assert unreadable.status_code == 422
    added = await client.post(
        f"/organize/exhibitions/{PLANNED}/calendar/marks",
        data={"kind": "ramadan", "starts_on": "2030-05-01", "ends_on": "2030-05-30", "note": "", "_csrf_token": token},
    )
    assert added.status_code == 302
    [mark] = await CalendarMark.select().where(CalendarMark.exhibition == record["planned"])
    assert (mark["kind"], mark["starts_on"], mark["ends_on"]) == ("ramadan", date(2030, 5, 1), date(2030, 5, 30))
    removed = await client.post(
        f"/organize/exhibitions/{PLANNED}/calendar/marks/{mark['id']}/remove", data={"_csrf_token": token}
    )
    assert removed.status_code == 302
    assert await CalendarMark.count().where(CalendarMark.exhibition == record["planned"]) == 0


async def test_the_inside_chart_shows_the_chosen_day_and_a_bad_day_is_refused(
    client: httpx.AsyncClient, record: dict[str, Any]
) -> None:
    await login(client)
    busiest = await client.get(f"/organize/exhibitions/{PAST}/dashboard?lang=fr")
    assert "Présents au fil de la journée du 8 mai 2025" in busiest.text  # the first of the two busiest days
    chosen = await client.get(f"/organize/exhibitions/{PAST}/dashboard?lang=fr&day=2025-05-10")
    assert "Présents au fil de la journée du 10 mai 2025" in chosen.text
    refused = await client.get(f"/organize/exhibitions/{PAST}/dashboard?lang=fr&day=demain")
    assert refused.status_code == 422


async def test_the_live_figures_of_a_running_exhibition_refresh_themselves(
    client: httpx.AsyncClient, record: dict[str, Any], make_exhibition: MakeExhibition
) -> None:
    # The live panel follows the real clock: an exhibition on today, a visitor in an hour ago.
    moment = utcnow().replace(microsecond=0) - timedelta(hours=1)
    local_today = moment.astimezone(ZoneInfo("Africa/Casablanca")).date()
    running = await make_exhibition("live-now", local_today - timedelta(days=1), local_today + timedelta(days=1))
    gate = await add_checkpoint(running, "Porte")
    await scan(running, gate, await add_ticket(running, first_day=local_today), moment)
    await login(client)
    page = (await client.get("/organize/exhibitions/live-now/dashboard?lang=en")).text
    assert (
        '<section aria-labelledby="live-title" id="live-panel" hx-get="/organize/exhibitions/live-now/dashboard/live'
        '?lang=en" hx-trigger="every 30s" hx-swap="outerHTML">' in page
    )
    fragment = await client.get("/organize/exhibitions/live-now/dashboard/live?lang=fr")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert '<span class="figure-value" id="admitted-today">1</span>' in fragment.text
    assert "actualisés toutes les 30 secondes" in fragment.text
    # An exhibition that is over keeps still: no polling.
    past = (await client.get(f"/organize/exhibitions/{PAST}/dashboard?lang=en")).text
    assert '<section aria-labelledby="live-title" id="live-panel">' in past
    assert (await client.get(f"/organize/exhibitions/{PAST}/dashboard/live")).status_code == 200
