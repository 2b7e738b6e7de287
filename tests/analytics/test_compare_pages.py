"""The page that compares editions: a national exhibition against a regional market, one year
against another, on a small hand-made record (Casablanca at UTC+1 in May and June)."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

import httpx
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from exhibitions.accounts import services as account_services
from exhibitions.accounts.tables import RoleName
from exhibitions.analytics import services as figures
from exhibitions.exhibitors.tables import Organization
from tests.analytics.conftest import MakeExhibition, add_checkpoint, add_ticket, scan, utc
from tests.conftest import NOW
from tests.factories import csrf_token, login

NATIONAL_2024 = "nat-2024"
NATIONAL_2025 = "nat-2025"
REGIONAL_2025 = "reg-2025"
PLANNED = "nat-2030"
TITLE = "National Exhibition of the Social and Solidarity Economy"  # the factory's, in English
TITLE_FR = "Salon national de l'économie sociale et solidaire"


@pytest.fixture
async def editions(make_exhibition: MakeExhibition) -> dict[str, int]:
    ids = {
        NATIONAL_2024: await make_exhibition(NATIONAL_2024, date(2024, 5, 9), date(2024, 5, 10)),
        NATIONAL_2025: await make_exhibition(NATIONAL_2025, date(2025, 5, 8), date(2025, 5, 10)),
        REGIONAL_2025: await make_exhibition(
            REGIONAL_2025, date(2025, 6, 5), date(2025, 6, 6), kind="regional", region="MA-01"
        ),
        PLANNED: await make_exhibition(PLANNED, date(2030, 5, 9), date(2030, 5, 12)),
    }
    # 2024: two came on the first day at 10:xx local, one registered and never came.
    # 2025 national: three on day 1 at 11:xx, one on day 2 at 17:xx; nobody missed.
    # 2025 regional: one came on day 1 at 10:xx, one did not.
    came = {
        NATIONAL_2024: [utc(2024, 5, 9, 9, 10), utc(2024, 5, 9, 9, 40)],
        NATIONAL_2025: [utc(2025, 5, 8, 10, 5), utc(2025, 5, 8, 10, 15), utc(2025, 5, 8, 10, 50),
                        utc(2025, 5, 9, 16, 30)],
        REGIONAL_2025: [utc(2025, 6, 5, 9, 20)],
    }  # fmt: skip
    missed = {NATIONAL_2024: 1, NATIONAL_2025: 0, REGIONAL_2025: 1}
    # Exhibitors: 2025 national, four approved (one declared women-led, one where women are
    # most members and young people too) and one rejected; 2024 national, one approved.
    exhibitors = {
        NATIONAL_2025: [(True, 10, 2, 1, "approved"), (False, 10, 6, 6, "approved"), (False, 4, 1, 0, "approved"),
                        (False, 8, 1, 0, "approved"), (True, 5, 5, 5, "rejected")],
        NATIONAL_2024: [(False, 6, 1, 1, "approved")],
    }  # fmt: skip
    for slug, rows in exhibitors.items():
        for declared, members, women, youth, status in rows:
            await _exhibitor(ids[slug], declared, members, women, youth, status)
    for slug, moments in came.items():
        gate = await add_checkpoint(ids[slug], "Porte")
        for moment in moments:
            await scan(ids[slug], gate, await add_ticket(ids[slug], first_day=moment.date()), moment)
        for _ in range(missed[slug]):
            await add_ticket(ids[slug])
    await figures.refresh_attendance_rollups(now=datetime(2026, 1, 1, tzinfo=NOW.tzinfo))
    return ids


_registry = iter(range(1, 1000))


async def _exhibitor(exhibition: int, declared: bool, members: int, women: int, youth: int, status: str) -> None:
    """An organization and its application, straight to the tables (their services' tests are elsewhere)."""
    [organization] = await Organization.raw(
        "INSERT INTO organization (legal_form, name_latin, registry_number, region, city, sector, declared_women_led,"
        " members_total, members_women, members_youth, created_at, updated_at)"
        " VALUES ('cooperative', 'Coop', {}, 'MA-09', 'Agadir', 'argan', {}, {}, {}, {}, {}, {}) RETURNING id",
        f"C-{next(_registry)}", declared, members, women, youth, NOW, NOW,
    )  # fmt: skip
    await Organization.raw(
        "INSERT INTO application (exhibition, organization, status, created_at, updated_at) VALUES ({}, {}, {}, {}, {})",
        exhibition, organization["id"], status, NOW, NOW,
    )  # fmt: skip


def _table(page: str, table_id: str) -> list[list[str]]:
    """The table's rows as the reader sees them: each cell's text, tags and spacing removed."""
    found = re.search(rf'<table class="list" id="{table_id}">(.*?)</table>', page, re.S)
    assert found is not None, table_id
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(1), re.S)
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def _ticked(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="with" value="([\w-]+)" checked>', page)


async def test_a_planned_edition_is_shown_beside_its_ended_editions_of_the_same_kind(
    client: httpx.AsyncClient, editions: dict[str, int]
) -> None:
    await login(client)
    response = await client.get(f"/organize/exhibitions/{PLANNED}/compare?lang=en")
    assert response.status_code == 200
    page = response.text
    # Before the reader picks: the ended national editions, newest first; the regional market is offered.
    assert _ticked(page) == [NATIONAL_2025, NATIONAL_2024]
    assert re.findall(r'name="with" value="([\w-]+)"', page) == [REGIONAL_2025, NATIONAL_2025, NATIONAL_2024]
    assert _table(page, "compare-totals") == [
        ["Figure", "National exhibition · May 2030", "National exhibition · May 2025", "National exhibition · May 2024"],
        ["", f"{TITLE} May 9, 2030 – May 12, 2030", f"{TITLE} May 8, 2025 – May 10, 2025",
         f"{TITLE} May 9, 2024 – May 10, 2024"],
        ["Approved exhibitors", "0", "4", "1"],
        ["Women-led exhibitors (share)", "–", "50 %", "0 %"],
        ["Youth-led exhibitors (share)", "–", "25 %", "0 %"],
        ["Stands allocated", "0", "0", "0"],
        ["Stand area (m²)", "0", "0", "0"],
        ["Seminar sessions", "0", "0", "0"],
        ["Registrations", "0", "4", "3"],
        ["Visitors", "0", "4", "2"],
        ["Admissions", "0", "4", "2"],
        ["No-show rate", "–", "0 %", "33.3 %"],
        ["Days of the exhibition", "4", "3", "2"],
        ["Visitors per day", "0", "1.3", "1"],
        ["Peak hour", "–", "May 8, 2025, 11:00", "May 9, 2024, 10:00"],
    ]  # fmt: skip
    assert _table(page, "table-by-day") == [
        ["Day", "National exhibition · May 2030", "National exhibition · May 2025", "National exhibition · May 2024"],
        ["Day 1", "0", "3", "2"],
        ["Day 2", "0", "1", "0"],
        ["Day 3", "0", "0", "–"],
        ["Day 4", "0", "–", "–"],
    ]  # fmt: skip
    # Every hour from the earliest to the latest anyone came, in any of them.
    assert _table(page, "table-profile")[1:] == [
        ["10:00", "0 %", "0 %", "100 %"],
        ["11:00", "0 %", "75 %", "0 %"],
        *[[f"{hour}:00", "0 %", "0 %", "0 %"] for hour in range(12, 17)],
        ["17:00", "0 %", "25 %", "0 %"],
    ]
    assert re.findall(r'<div class="chart" dir="ltr" id="chart-([a-z-]+)"', page) == ["per-day", "by-day", "profile"]
    # The planned edition has no admission: in the tables, not in the charts, and the page says so.
    by_day_chart = re.search(r'<script type="application/json" id="chart-data-by-day">(.*?)</script>', page, re.S)
    assert by_day_chart is not None
    assert [serie["name"] for serie in json.loads(by_day_chart.group(1))["series"]] == [
        "National exhibition · May 2025", "National exhibition · May 2024"
    ]  # fmt: skip
    assert (
        "Not drawn in the charts, since nobody has been admitted yet: <bdi>National exhibition · May 2030</bdi>."
        in page
    )


async def test_a_regional_market_is_compared_with_the_latest_national_edition_in_french_and_arabic(
    client: httpx.AsyncClient, editions: dict[str, int]
) -> None:
    await login(client)
    page = (await client.get(f"/organize/exhibitions/{REGIONAL_2025}/compare?lang=fr")).text
    assert _ticked(page) == [NATIONAL_2025]
    totals = _table(page, "compare-totals")
    assert totals[0] == ["Indicateur", "Tanger-Tétouan-Al Hoceïma · juin 2025", "Salon national · mai 2025"]
    assert totals[9] == ["Visiteurs", "1", "4"]
    arabic = await client.get(f"/organize/exhibitions/{REGIONAL_2025}/compare?lang=ar")
    assert arabic.status_code == 200
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert "<h1>مقارنة الدورات</h1>" in arabic.text


async def test_the_reader_picks_the_editions_and_downloads_the_tables(
    client: httpx.AsyncClient, editions: dict[str, int]
) -> None:
    await login(client)
    page = (
        await client.get(f"/organize/exhibitions/{NATIONAL_2025}/compare?lang=en&picked=1&with={REGIONAL_2025}")
    ).text
    assert _ticked(page) == [REGIONAL_2025]
    assert [row[:3] for row in _table(page, "compare-totals")][8:10] == [
        ["Registrations", "4", "2"],
        ["Visitors", "4", "1"],
    ]
    link = (
        f"/organize/exhibitions/{NATIONAL_2025}/compare/export/csv/totals?lang=en&amp;with={REGIONAL_2025}&amp;picked=1"
    )
    assert f'href="{link}"' in page
    response = await client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="{NATIONAL_2025}-compare-totals.csv"'
    assert response.text.splitlines() == [
        f"\ufeffFigure,{TITLE} (2025-05-08),{TITLE} (2025-06-05)",
        "Approved exhibitors,4,0",
        "Women-led exhibitors (share),0.5,",
        "Youth-led exhibitors (share),0.25,",
        "Stands allocated,0,0",
        "Stand area (m²),0.0,0.0",
        "Seminar sessions,0,0",
        "Registrations,4,2",
        "Visitors,4,1",
        "Admissions,4,1",
        "No-show rate,0.0,0.5",
        "Days of the exhibition,3,2",
        "Visitors per day,1.3,0.5",
        "Peak hour,2025-05-08 11:00,2025-06-05 10:00",
    ]
    workbook = await client.get(
        f"/organize/exhibitions/{NATIONAL_2025}/compare/export/xlsx/hour_profile?lang=fr&with={REGIONAL_2025}"
    )
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.title == "Profil horaire"
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Heure", f"{TITLE_FR} (2025-05-08) %", f"{TITLE_FR} (2025-06-05) %"],
        ["10:00", 0.0, 100.0],
        ["11:00", 75.0, 0.0],
        *[[f"{hour}:00", 0, 0] for hour in range(12, 17)],
        ["17:00", 25.0, 0.0],
    ]
    # Ticking nothing compares the exhibition with nothing else; a bad format or metric is refused.
    alone = (await client.get(f"/organize/exhibitions/{NATIONAL_2025}/compare?lang=en&picked=1")).text
    assert _ticked(alone) == []
    assert len(_table(alone, "compare-totals")[0]) == 2
    assert (await client.get(f"/organize/exhibitions/{NATIONAL_2025}/compare/export/pdf/totals")).status_code == 422
    unknown = await client.get(f"/organize/exhibitions/{NATIONAL_2025}/compare/export/csv/weather")
    assert unknown.status_code == 422


async def test_an_organizer_compares_only_the_exhibitions_they_may_read(
    client: httpx.AsyncClient, editions: dict[str, int]
) -> None:
    user_id = await account_services.create_user(email="autre@example.ma", password="another-password-1", now=NOW)
    await account_services.grant_role(
        user_id=user_id, exhibition_id=editions[PLANNED], role=RoleName.organizer, now=NOW
    )
    form = await client.get("/login")
    await client.post(
        "/login",
        data={"email": "autre@example.ma", "password": "another-password-1", "_csrf_token": csrf_token(form.text)},
    )
    own = await client.get(f"/organize/exhibitions/{PLANNED}/compare?lang=en")
    assert own.status_code == 200
    assert re.findall(r'name="with" value="([\w-]+)"', own.text) == []
    assert "There is no other exhibition you may see the figures of." in own.text
    for path in (
        f"{PLANNED}/compare?picked=1&with={NATIONAL_2025}",
        f"{PLANNED}/compare/export/csv/totals?with={NATIONAL_2025}",
        f"{NATIONAL_2025}/compare",
    ):
        assert (await client.get(f"/organize/exhibitions/{path}")).status_code == 403, path


async def test_at_most_nine_editions_stand_beside_the_exhibition(
    client: httpx.AsyncClient, editions: dict[str, int], make_exhibition: MakeExhibition
) -> None:
    extra = [f"reg-{year}" for year in range(2010, 2017)]
    for number, slug in enumerate(extra):
        await make_exhibition(
            slug, date(2010 + number, 6, 1), date(2010 + number, 6, 2), kind="regional", region="MA-02"
        )
    await login(client)
    others = [NATIONAL_2024, NATIONAL_2025, REGIONAL_2025, *extra]  # ten
    query = "&".join(f"with={slug}" for slug in others)
    page = (await client.get(f"/organize/exhibitions/{PLANNED}/compare?lang=en&picked=1&{query}")).text
    assert "At most 9 editions beside this one: the first 9 ticked are shown." in page
    assert len(_table(page, "compare-totals")[0]) == 11  # the label column, this one and nine others
    assert _ticked(page) == [slug for slug in re.findall(r'name="with" value="([\w-]+)"', page) if slug in others[:9]]
