"""The analytics API: JSON figures, CSV/XLSX tables, and who may see what."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import httpx
from openpyxl import load_workbook  # type: ignore[import-untyped]

from exhibitions.accounts import services as account_services
from exhibitions.accounts.tables import RoleName, TokenKind
from exhibitions.analytics import services
from exhibitions.tickets.tables import Ticket
from tests.analytics.conftest import MakeExhibition, add_checkpoint, add_ticket, scan, utc
from tests.conftest import NOW

D7, D8 = date(2027, 5, 7), date(2027, 5, 8)


async def _user_with_role(email: str, role: RoleName, exhibition_id: int) -> dict[str, str]:
    user_id = await account_services.create_user(email=email, password="a-long-password-1", now=NOW)
    await account_services.grant_role(user_id=user_id, role=role, now=NOW, exhibition_id=exhibition_id)
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW, name="t")
    return {"Authorization": f"Bearer {token}"}


async def _two_exhibitions(make_exhibition: MakeExhibition) -> tuple[int, int]:
    """Exhibition A (one visitor came, one did not) and B (Salma came, Karim did not)."""
    first = await make_exhibition("a-2027", D7, D8)
    second = await make_exhibition("b-2027", D7, D8, kind="regional", region="MA-01")
    for exhibition, came, missed in ((first, "Amina", "Youssef"), (second, "Salma", "Karim")):
        gate = await add_checkpoint(exhibition, "Porte")
        ticket = await add_ticket(exhibition, name=came, region="MA-01")
        await add_ticket(exhibition, name=missed, region="MA-02", category="student")
        await scan(exhibition, gate, ticket, utc(2027, 5, 7, 10, 15))
    await services.refresh_attendance_rollups(now=NOW)
    return first, second


def _csv(response: httpx.Response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_figures_as_json(
    client: httpx.AsyncClient, organizer: dict[str, Any], make_exhibition: MakeExhibition
) -> None:
    await _two_exhibitions(make_exhibition)
    base = "/api/v1/exhibitions/a-2027/analytics"
    headers = organizer["headers"]
    response = await client.get(f"{base}/visitors-by-day", headers=headers)
    assert response.status_code == 200
    assert response.json() == [
        {"day": "2027-05-07", "visitors": 1, "admissions": 1},
        {"day": "2027-05-08", "visitors": 0, "admissions": 0},
    ]
    assert (await client.get(f"{base}/visitors-by-hour", headers=headers)).json() == [
        {"day": "2027-05-07", "hour": 11, "admissions": 1, "visitors": 1},
        {"day": "2027-05-08", "hour": 11, "admissions": 0, "visitors": 0},
    ]
    assert (await client.get(f"{base}/peak-hour", headers=headers)).json() == {
        "day": "2027-05-07", "hour": 11, "admissions": 1, "visitors": 1,
    }  # fmt: skip
    assert (await client.get(f"{base}/no-shows", headers=headers)).json() == {
        "registered": 2, "came": 1, "no_shows": 1, "rate": 0.5,
    }  # fmt: skip
    assert (await client.get(f"{base}/repeat-visits", headers=headers)).json() == [
        {"days_visited": "1", "visitors": 1}, {"days_visited": "2", "visitors": 0},
        {"days_visited": "3+", "visitors": 0},
    ]  # fmt: skip
    assert (await client.get(f"{base}/visitors-by-region", headers=headers)).json() == [
        {"key": "MA-01", "registered": 1, "visitors": 1, "share": 1.0},
        {"key": "MA-02", "registered": 1, "visitors": 0, "share": 0.0},
    ]
    assert (await client.get(f"{base}/visitors-by-category", headers=headers)).json() == [
        {"key": "general", "registered": 1, "visitors": 1, "share": 1.0},
        {"key": "student", "registered": 1, "visitors": 0, "share": 0.0},
    ]
    assert (await client.get(f"{base}/seminar-attendance", headers=headers)).json() == []
    inside = await client.get(
        f"{base}/inside-over-time", params={"day": "2027-05-07", "step_minutes": 60}, headers=headers
    )
    assert inside.json() == [
        {"at": "2027-05-07T12:00:00+01:00", "admitted": 1, "exited": 0, "inside": 1, "method": "estimated"}
    ]
    live = (await client.get(f"{base}/live", headers=headers)).json()
    assert (live["admitted_today"], live["admissions_today"], live["inside_now"]) == (0, 0, 0)


async def test_compare_puts_exhibitions_side_by_side(
    client: httpx.AsyncClient, organizer: dict[str, Any], make_exhibition: MakeExhibition
) -> None:
    await _two_exhibitions(make_exhibition)
    response = await client.get(
        "/api/v1/analytics/compare", params={"exhibitions": "b-2027,a-2027", "metric": "totals"},
        headers=organizer["headers"],
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert [(e["slug"], e["kind"], e["region"]) for e in body["exhibitions"]] == [
        ("b-2027", "regional", "MA-01"), ("a-2027", "national", None),
    ]  # fmt: skip
    assert body["rows"] == [
        {"key": "exhibitors", "values": [0, 0]}, {"key": "women_led_share", "values": [None, None]},
        {"key": "youth_led_share", "values": [None, None]}, {"key": "stands", "values": [0, 0]},
        {"key": "area_m2", "values": [0.0, 0.0]}, {"key": "sessions", "values": [0, 0]},
        {"key": "registered", "values": [2, 2]}, {"key": "visitors", "values": [1, 1]},
        {"key": "admissions", "values": [1, 1]}, {"key": "no_show_rate", "values": [0.5, 0.5]},
        {"key": "days", "values": [2, 2]}, {"key": "visitors_per_day", "values": [0.5, 0.5]},
        {"key": "peak_hour", "values": ["2027-05-07 11:00", "2027-05-07 11:00"]},
    ]  # fmt: skip
    profile = await client.get(
        "/api/v1/analytics/compare", params={"exhibitions": "a-2027", "metric": "hour_profile"},
        headers=organizer["headers"],
    )  # fmt: skip
    assert profile.json()["rows"] == [{"key": "11:00", "values": [1.0]}]
    unknown = await client.get(
        "/api/v1/analytics/compare", params={"exhibitions": "a-2027", "metric": "weather"},
        headers=organizer["headers"],
    )  # fmt: skip
    assert unknown.status_code == 422
    assert [error["field"] for error in unknown.json()["errors"]] == ["metric"]


async def test_tables_download_as_csv_and_xlsx(
    client: httpx.AsyncClient, organizer: dict[str, Any], make_exhibition: MakeExhibition
) -> None:
    await _two_exhibitions(make_exhibition)
    base = "/api/v1/exhibitions/a-2027/analytics"
    response = await client.get(f"{base}/visitors-by-day.csv", headers=organizer["headers"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="a-2027-visitors-by-day.csv"'
    assert _csv(response) == [["Day", "Visitors", "Admissions"], ["2027-05-07", "1", "1"], ["2027-05-08", "0", "0"]]
    workbook = await client.get(f"{base}/visitors-by-region.xlsx", headers=organizer["headers"])
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Region", "Registrations", "Came", "Share"], ["MA-01", 1, 1, 1], ["MA-02", 1, 0, 0],
    ]  # fmt: skip
    # Every table the registry names downloads (inside-over-time needs its day).
    for table in services.TABLES:
        reply = await client.get(f"{base}/{table}.csv", params={"day": "2027-05-07"}, headers=organizer["headers"])
        assert reply.status_code == 200, table
    no_shows = await client.get(f"{base}/no-show-visitors.csv", headers=organizer["headers"])
    assert [row[1] for row in _csv(no_shows)] == ["Name", "Youssef"]


async def test_tables_download_in_the_readers_language(
    client: httpx.AsyncClient, organizer: dict[str, Any], make_exhibition: MakeExhibition
) -> None:
    await _two_exhibitions(make_exhibition)
    base = "/api/v1/exhibitions/a-2027/analytics"
    arabic = await client.get(f"{base}/visitors-by-day.csv", params={"lang": "ar"}, headers=organizer["headers"])
    assert _csv(arabic) == [["اليوم", "الزوار", "الدخول"], ["2027-05-07", "1", "1"], ["2027-05-08", "0", "0"]]
    french = await client.get(
        f"{base}/inside-over-time.xlsx", params={"lang": "fr", "day": "2027-05-07"}, headers=organizer["headers"]
    )
    sheet = load_workbook(io.BytesIO(french.content)).active
    assert sheet.title == "Présents au fil du temps"
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Horaire", "Entrés", "Sortis", "Présents", "Méthode"], ["2027-05-07 11:30", 1, 0, 1, "estimé"],
    ]  # fmt: skip
    wrong = await client.get(f"{base}/no-shows.csv", params={"lang": "de"}, headers=organizer["headers"])
    assert wrong.status_code == 422
    assert [error["field"] for error in wrong.json()["errors"]] == ["lang"]


async def test_bad_requests_name_the_field(
    client: httpx.AsyncClient, organizer: dict[str, Any], make_exhibition: MakeExhibition
) -> None:
    await _two_exhibitions(make_exhibition)
    base = "/api/v1/exhibitions/a-2027/analytics"
    for path, params, field in (
        (f"{base}/visitors-by-day.pdf", {}, "filename"),
        (f"{base}/weather.csv", {}, "table"),
        (f"{base}/inside-over-time.csv", {}, "day"),
        (f"{base}/inside-over-time", {"day": "2027-05-07", "step_minutes": 7}, "step_minutes"),
        (f"{base}/visitors-by-hour", {"day": "7 May"}, "day"),
    ):
        response = await client.get(path, params=params, headers=organizer["headers"])
        assert response.status_code == 422, path
        assert response.headers["content-type"] == "application/problem+json"
        assert [error["field"] for error in response.json()["errors"]] == [field], path


async def test_an_organizer_of_one_exhibition_cannot_see_another_s_visitors(
    client: httpx.AsyncClient, organizer: dict[str, Any], make_exhibition: MakeExhibition
) -> None:
    first, second = await _two_exhibitions(make_exhibition)
    organizer_of_a = await _user_with_role("a.organizer@test.ma", RoleName.organizer, first)
    reviewer_of_b = await _user_with_role("b.reviewer@test.ma", RoleName.reviewer, second)
    own = await client.get("/api/v1/exhibitions/a-2027/analytics/no-show-visitors.csv", headers=organizer_of_a)
    youssef = await _ticket("Youssef")
    assert own.status_code == 200
    assert [row[:3] for row in _csv(own)] == [
        ["Ticket ID", "Name", "E-mail"],
        [str(youssef["id"]), "Youssef", youssef["email"]],
    ]
    other = await client.get("/api/v1/exhibitions/b-2027/analytics/no-show-visitors.csv", headers=organizer_of_a)
    assert other.status_code == 403
    assert other.json()["type"].endswith("permission-denied")
    assert "Karim" not in other.text
    # Not even its aggregates, in any form.
    for path in ("visitors-by-day", "visitors-by-day.csv", "no-shows", "live"):
        assert (
            await client.get(f"/api/v1/exhibitions/b-2027/analytics/{path}", headers=organizer_of_a)
        ).status_code == 403
    compare = await client.get(
        "/api/v1/analytics/compare", params={"exhibitions": "a-2027,b-2027"}, headers=organizer_of_a
    )
    assert compare.status_code == 403
    missing = await client.get("/api/v1/exhibitions/c-2027/analytics/no-show-visitors.csv", headers=organizer_of_a)
    assert missing.status_code == 404
    # A reviewer reads the aggregates but not the people.
    aggregate = await client.get("/api/v1/exhibitions/b-2027/analytics/visitors-by-region.csv", headers=reviewer_of_b)
    assert _csv(aggregate) == [
        ["Region", "Registrations", "Came", "Share"], ["MA-01", "1", "1", "1.0"], ["MA-02", "1", "0", "0.0"],
    ]  # fmt: skip
    people = await client.get("/api/v1/exhibitions/b-2027/analytics/no-show-visitors.csv", headers=reviewer_of_b)
    assert people.status_code == 403
    assert "Karim" not in people.text
    assert (await client.get("/api/v1/exhibitions/b-2027/analytics/no-shows")).status_code == 401


async def _ticket(name: str) -> dict[str, Any]:
    rows = await Ticket.select(Ticket.id, Ticket.email).where(Ticket.holder_name == name)
    return rows[0]  # type: ignore[no-any-return]
