"""Importing organizations through the service: per-row errors, idempotence, conflicts,
the dry run, and the chunked writes, on the real database."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import Workbook

from exhibitions.accounts.actor import Actor
from exhibitions.errors import InvalidInput, NotFound, PermissionDenied
from exhibitions.exhibitors import services
from exhibitions.exhibitors.services import _import
from exhibitions.exhibitors.tables import Organization
from exhibitions.paths import STATIC_DIR
from exhibitions.search import fold
from tests.conftest import NOW

ORGANIZER = Actor(user_id=1, email="organizer@test.ma", roles=frozenset({(None, "organizer")}))
HEADER = "Legal form,Name (Arabic),Name (Latin),Registry number,ICE,Region,City,Sector,Members,Women members,Phone\n"
GOOD = (
    "cooperative,تعاونية أركان الخير,Coopérative Argan Al Khair,12/2015,001561191000066,MA-09,Taroudant,argan,40,35,"
    "0528841234\n"
    "association,,Association Femmes de l'Oasis,RA 4521,,Drâa-Tafilalet,Zagora,handicrafts,25,25,0612345678\n"
)


async def _import_csv(text: str, *, dry_run: bool = False) -> services.ImportReport:
    return await services.import_organizations(data=text.encode(), actor=ORGANIZER, now=NOW, dry_run=dry_run)


def _errors(report: services.ImportReport) -> list[tuple[int, str, str, str]]:
    return [(bad.row, bad.column, bad.code, bad.reason) for bad in report.errors]


async def _stored() -> list[dict[str, Any]]:
    return await Organization.select().order_by(Organization.id)  # type: ignore[no-any-return]


async def test_good_rows_are_imported_and_bad_rows_reported_with_their_row_and_reason(database: Any) -> None:
    bad = (
        "cooperative,,Tamount,77/2020,001561191000067,MA-01,Tanger,agriculture,10,2,\n"
        "mutual,,Mutuelle Amal,M-9,,MA-13,Fès,services,10,2,12\n"
        "company,,,C-1,,MA-04,Rabat,textile,3,4,\n"
    )
    report = await _import_csv(HEADER + GOOD + bad)
    assert (report.rows, report.created, report.updated, report.unchanged, report.bad) == (5, 2, 0, 0, 3)
    assert _errors(report) == [
        (4, "ICE", "invalid_ice", "must be the 15 digits of a valid ICE"),
        (5, "Region", "unknown_region", "must be a region code, MA-01 to MA-12, or a region's name"),
        (5, "Phone", "invalid_phone", "must be a Moroccan number, like +212 5 28 84 12 34"),
        (6, "Name (Latin)", "name_required", "give the name in Arabic or in Latin script"),
        (6, "Women members", "more_than_members", "cannot exceed members_total"),
    ]
    rows = await _stored()
    assert [(row["registry_number"], row["region"], row["phone"], row["ice"]) for row in rows] == [
        ("12/2015", "MA-09", "+212528841234", "001561191000066"),
        ("RA 4521", "MA-08", "+212612345678", None),
    ]
    # The same cleaning as the form and the API: the folded search text is written too.
    assert rows[0]["search_text"] == fold("تعاونية أركان الخير Coopérative Argan Al Khair Taroudant")


async def test_re_importing_updates_the_same_organizations_and_never_duplicates(database: Any) -> None:
    await _import_csv(HEADER + GOOD)
    again = await _import_csv(HEADER + GOOD)
    assert (again.created, again.updated, again.unchanged, again.bad) == (0, 0, 2, 0)
    changed = GOOD.replace("Taroudant", "Agadir").replace("RA 4521,,Drâa-Tafilalet,Zagora", "RA 4521,,MA-08,Ouarzazate")
    third = await _import_csv(HEADER + changed)
    assert (third.created, third.updated, third.unchanged, third.bad) == (0, 2, 0, 0)
    assert [(row.action, row.changes) for row in third.preview] == [
        ("update", ("city",)), ("update", ("city",)),
    ]  # fmt: skip
    assert [row["city"] for row in await _stored()] == ["Agadir", "Ouarzazate"]
    assert await Organization.count() == 2


async def test_the_ice_finds_the_organization_even_when_its_registry_number_changed(database: Any) -> None:
    await _import_csv(HEADER + GOOD)
    renumbered = await _import_csv(HEADER + GOOD.replace("12/2015", "12/2016", 1))
    assert (renumbered.created, renumbered.updated) == (0, 1)
    assert (await _stored())[0]["registry_number"] == "12/2016"


async def test_a_row_matching_two_organizations_is_a_conflict(database: Any) -> None:
    await _import_csv(HEADER + GOOD)
    # The first organization's ICE with the second's registry number.
    mixed = "association,,Mix,RA 4521,001561191000066,MA-08,Zagora,handicrafts,25,25,\n"
    other_ice = "cooperative,,Argan,12/2015,002222222000035,MA-09,Taroudant,argan,40,35,\n"
    report = await _import_csv(HEADER + mixed + other_ice)
    assert [(bad.row, bad.field, bad.code) for bad in report.errors] == [
        (2, "ice", "two_organizations"), (3, "ice", "ice_differs"),
    ]  # fmt: skip
    assert (report.created, report.updated, report.bad) == (0, 0, 2)
    assert [row["name_latin"] for row in await _stored()] == [
        "Coopérative Argan Al Khair",
        "Association Femmes de l'Oasis",
    ]


async def test_a_second_row_for_the_same_organization_is_refused(database: Any) -> None:
    twice = GOOD + GOOD.splitlines()[0].replace("12/2015", "13/2015") + "\n" + GOOD.splitlines()[1] + "\n"
    report = await _import_csv(HEADER + twice)
    assert [(bad.row, bad.field, bad.code, bad.reason, bad.other_row) for bad in report.errors] == [
        (4, "ice", "duplicate_in_file", "same ICE as row 2", 2),
        (5, "registry_number", "duplicate_in_file", "same registry number as row 3", 3),
    ]
    assert (report.created, report.bad) == (2, 2)


async def test_the_dry_run_reports_the_same_and_writes_nothing(database: Any) -> None:
    text = HEADER + GOOD + "mutual,,Mutuelle Amal,M-9,,MA-13,Fès,services,10,2,\n"
    preview = await _import_csv(text, dry_run=True)
    assert await Organization.count() == 0
    done = await _import_csv(text)
    assert (preview.created, preview.updated, preview.bad, _errors(preview)) == (
        done.created, done.updated, done.bad, _errors(done),
    )  # fmt: skip
    assert [(row.row, row.action, row.name) for row in preview.preview] == [
        (2, "create", "Coopérative Argan Al Khair"), (3, "create", "Association Femmes de l'Oasis"),
    ]  # fmt: skip


async def test_columns_the_file_lacks_keep_their_stored_values(database: Any) -> None:
    await _import_csv(HEADER + GOOD)
    narrow = "Legal form,Name (Latin),Registry number,Region,City,Sector\ncooperative,Argan Al Khair,12/2015,MA-09,Taroudant,argan\n"
    report = await _import_csv(narrow)
    assert (report.updated, report.bad) == (1, 0)
    row = (await _stored())[0]
    assert (row["name_latin"], row["name_ar"], row["ice"], row["members_total"], row["phone"]) == (
        "Argan Al Khair", "تعاونية أركان الخير", "001561191000066", 40, "+212528841234",
    )  # fmt: skip


async def test_formula_like_text_is_stored_as_text(database: Any) -> None:
    report = await _import_csv(HEADER + "association,,=cmd|' /C calc'!A0,A-1,,MA-04,Rabat,other,1,0,\n")
    assert report.bad == 0
    assert (await _stored())[0]["name_latin"] == "=cmd|' /C calc'!A0"


async def test_many_rows_are_written_in_chunks(database: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_import, "CHUNK_ROWS", 7)
    rows = "".join(f"association,,Association {n},A-{n},,MA-0{n % 9 + 1},Rabat,other,{n},0,\n" for n in range(30))
    seen: list[tuple[int, int]] = []
    report = await services.import_organizations(
        data=(HEADER + rows + "association,,Bad,A-99,,MA-99,Rabat,other,1,0,\n").encode(),
        actor=ORGANIZER, now=NOW, dry_run=False, on_progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert (report.created, report.bad) == (30, 1)
    assert seen == [(7, 31), (14, 31), (21, 31), (28, 31), (31, 31)]
    assert await Organization.count() == 30
    again = await _import_csv(HEADER + rows)
    assert (again.created, again.unchanged) == (0, 30)


async def test_only_organizers_import(database: Any) -> None:
    exhibitor = Actor(user_id=2, email="fatima@argan.ma")
    with pytest.raises(PermissionDenied):
        await services.import_organizations(data=(HEADER + GOOD).encode(), actor=exhibitor, now=NOW, dry_run=True)
    with pytest.raises(InvalidInput) as caught:
        await _import_csv("Name,City\nX,Y\n")
    assert {error.code for error in caught.value.errors} == {"missing_column"}


async def test_an_arabic_windows_1256_csv_and_an_xlsx_with_number_cells(database: Any) -> None:
    arabic = (
        "الشكل القانوني;الاسم بالعربية;رقم التسجيل;التعريف الموحد للمقاولة;الجهة;المدينة;القطاع\n"
        "تعاونية;تعاونية تيفاوين;88/2019;;سوس - ماسة;أكادير;أركان\n"
    )
    report = await services.import_organizations(data=arabic.encode("cp1256"), actor=ORGANIZER, now=NOW, dry_run=False)
    assert (report.encoding, report.created, report.bad) == ("cp1256", 1, 0)
    workbook = Workbook()
    workbook.active.append(
        ["Legal form", "Name (Latin)", "Registry number", "ICE", "Region", "City", "Sector", "Phone"]
    )
    workbook.active.append(["cooperative", "Argan", 12345, 1561191000066, "MA-09", "Taroudant", "argan", 528841234])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = await services.import_organizations(data=buffer.getvalue(), actor=ORGANIZER, now=NOW, dry_run=False)
    assert (xlsx.encoding, xlsx.created, xlsx.bad) == ("xlsx", 1, 0)
    rows = await _stored()
    assert [(row["name_ar"], row["city"], row["sector"], row["region"]) for row in rows[:1]] == [
        ("تعاونية تيفاوين", "أكادير", "argan", "MA-09"),
    ]
    assert (rows[1]["registry_number"], rows[1]["ice"], rows[1]["phone"]) == (
        "12345",
        "001561191000066",
        "+212528841234",
    )


async def test_the_sample_file_imports_cleanly(database: Any) -> None:
    sample = (STATIC_DIR / "samples" / "organizations.csv").read_bytes()
    report = await services.import_organizations(data=sample, actor=ORGANIZER, now=NOW, dry_run=False)
    assert (report.encoding, report.created, report.bad, report.ignored_columns) == ("utf-8-sig", 2, 0, [])


async def test_rows_someone_else_registered_meanwhile_are_reported_not_lost(database: Any) -> None:
    """The plan is made from a read; the database decides at the write."""
    await _import_csv(HEADER + GOOD)
    stored = await _stored()
    taken = dict(stored[0])
    for key in ("id", "created_at", "updated_at"):
        taken.pop(key)
    fresh = {**taken, "legal_form": "mutual", "registry_number": "M-1", "ice": None}
    plans = [
        # Planned as new, but registered by someone else since: the INSERT skips it.
        _import._Planned(2, taken, None, (), ["a"]),
        _import._Planned(3, fresh, None, (), ["b"]),
        # An update that would take the first organization's ICE: the chunk is refused, then
        # retried row by row, and only this row is reported.
        _import._Planned(4, {**dict(stored[1]), "ice": "001561191000066"}, dict(stored[1]), ("ice",), ["c"]),
    ]
    report = services.ImportReport(dry_run=False, encoding="utf-8")
    await _import._write(plans, NOW, report)
    assert [(bad.row, bad.code) for bad in report.errors] == [(2, "taken_meanwhile"), (4, "taken_meanwhile")]
    assert (report.created, report.updated, report.bad_cells) == (1, 0, {2: ["a"], 4: ["c"]})
    assert [(row["registry_number"], row["ice"]) for row in await _stored()] == [
        ("12/2015", "001561191000066"), ("RA 4521", None), ("M-1", None),
    ]  # fmt: skip


async def test_an_unreadable_cell_is_the_only_error_its_row_reports(database: Any) -> None:
    report = await _import_csv(
        HEADER
        + "association,,Amal,A-1,,MA-04,Rabat,other,many,3,\n"
        + f"association,{'ع' * 201},,A-2,,MA-04,Rabat,other,1,0,\n"
    )
    assert _errors(report) == [
        (2, "Members", "not_a_number", "must be a whole number"),
        (3, "Name (Arabic)", "text_too_long", "at most 200 characters"),
    ]


async def test_a_previewed_file_is_imported_once_by_its_uploader_within_30_minutes(database: Any) -> None:
    other = Actor(user_id=7, email="other@test.ma", roles=frozenset({(None, "organizer")}))
    data = (HEADER + GOOD).encode()
    _, token = await services.preview_upload(data=data, actor=ORGANIZER, now=NOW)
    with pytest.raises(NotFound):
        await services.import_held_upload(token=token, actor=other, now=NOW)
    with pytest.raises(NotFound):
        await services.import_held_upload(token=token, actor=ORGANIZER, now=NOW + timedelta(minutes=31))
    with pytest.raises(NotFound):
        await services.import_held_upload(token="../../etc/passwd", actor=ORGANIZER, now=NOW)
    assert await Organization.count() == 0
    report = await services.import_held_upload(token=token, actor=ORGANIZER, now=NOW + timedelta(minutes=29))
    assert report.created == 2
    with pytest.raises(NotFound):
        await services.import_held_upload(token=token, actor=ORGANIZER, now=NOW + timedelta(minutes=29))
