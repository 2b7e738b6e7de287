"""Seconds to import a 10,000-row XLSX of organizations with 5% bad rows, on SQLite and on
PostgreSQL, each round on a fresh schema; then re-importing the same file (nothing
changes) and a file where every row changed (10,000 updates).

The 500 bad rows mix five faults (100 each): an ICE that fails its check, a phone that is
not Moroccan, region MA-13, no name, more women than members. Every round checks that each
of them is reported, with its row number, and that the 9,500 good ones are stored.

    uv run python bench/import_organizations.py [--rounds 3] [--rows 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime

from common import machine_line, postgres_database
from openpyxl import Workbook  # type: ignore[import-untyped]

from exhibitions.db import Database
from exhibitions.exhibitors import services
from exhibitions.exhibitors.importing import COLUMNS
from exhibitions.migrations import apply_migrations
from exhibitions.settings import Settings

FORMS = ("cooperative", "association", "mutual", "company", "public_body")
SECTORS = ("agriculture", "handicrafts", "fishing", "argan", "food_processing", "textile", "services", "other")
FAULTS = ("ice", "phone", "region", "name", "members")


def workbook(rows: int, *, city: str) -> tuple[bytes, dict[int, str]]:
    """The XLSX and, for each bad row's number, the field its fault is in."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Organizations")
    sheet.append([COLUMNS[name][0] for name in COLUMNS])
    bad: dict[int, str] = {}
    for index in range(rows):
        number = index + 2  # the header is row 1
        ice: int | str = (10**12 + index) * 97  # divisible by 97: valid; a number cell, as Excel keeps it
        values = {
            "legal_form": FORMS[index % 5], "name_ar": f"تعاونية رقم {index}", "name_latin": f"Coopérative n°{index}",
            "registry_number": f"{index}/20{index % 25:02d}", "ice": ice, "region": f"MA-{index % 12 + 1:02d}",
            "city": city, "sector": SECTORS[index % 8], "founded_year": 1990 + index % 35,
            "members_total": 20 + index % 50, "members_women": 10 + index % 11, "members_youth": index % 20,
            "declared_women_led": index % 3 == 0,
            "email": f"contact{index}@coop.ma", "phone": f"06{10000000 + index:08d}",
        }  # fmt: skip
        if index % 20 == 19:
            fault = FAULTS[(index // 20) % 5]
            bad[number] = {"ice": "ice", "phone": "phone", "region": "region", "name": "name_latin",
                           "members": "members_women"}[fault]  # fmt: skip
            if fault == "ice":
                values["ice"] = f"{(10**12 + index) * 97 + 1:015d}"
            elif fault == "phone":
                values["phone"] = "12345"
            elif fault == "region":
                values["region"] = "MA-13"
            elif fault == "name":
                values["name_ar"] = values["name_latin"] = None
            else:
                values["members_women"] = values["members_total"] + 1
        sheet.append([values[name] for name in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), bad


async def one_round(url: str, first: bytes, changed: bytes, bad: dict[int, str], rows: int) -> tuple[float, ...]:
    database = Database(replace(Settings(), database_url=url))
    async with database.running():
        await apply_migrations(database.engine)
        timings = []
        for data, expected in ((first, (rows - len(bad), 0, 0)), (first, (0, 0, rows - len(bad))),
                               (changed, (0, rows - len(bad), 0))):  # fmt: skip
            started = time.perf_counter()
            report = await services.import_organizations(
                data=data, actor=services.COMMAND_LINE, now=datetime.now(UTC), dry_run=False
            )
            timings.append(time.perf_counter() - started)
            assert (report.created, report.updated, report.unchanged) == expected, report
            assert {error.row: error.field for error in report.errors} == bad, "a bad row was not reported"
            assert report.bad == len(bad)
    return tuple(timings)


def bench(name: str, urls: list[str], first: bytes, changed: bytes, bad: dict[int, str], rows: int) -> None:
    rounds = [asyncio.run(one_round(url, first, changed, bad, rows)) for url in urls]
    for label, column in (("import (fresh)", 0), ("re-import, unchanged", 1), ("re-import, all updated", 2)):
        values = [timing[column] for timing in rounds]
        each = ", ".join(f"{value:.2f}" for value in values)
        print(f"{name:<11} {label:<23} median {statistics.median(values):6.2f} s  (rounds: {each})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    first, bad = workbook(args.rows, city="Taroudant")
    changed, _ = workbook(args.rows, city="Agadir")
    print(
        machine_line(f"{args.rows} rows, {len(bad)} bad, XLSX {len(first) / 1e6:.1f} MB, x{args.rounds} fresh schemas")
    )
    with tempfile.TemporaryDirectory() as workdir:
        urls = [f"sqlite:///{workdir}/import-{n}.sqlite3" for n in range(args.rounds)]
        bench("SQLite", urls, first, changed, bad, args.rows)
    with postgres_database() as pg_url:
        if pg_url is None:
            print("PostgreSQL: not reachable, skipped")
            return
        # One fresh database per round: the first from the helper, the others made beside it.
        pg_urls = [pg_url]
        with postgres_database() as second, postgres_database() as third:
            pg_urls += [url for url in (second, third) if url is not None]
            bench("PostgreSQL", pg_urls[: args.rounds], first, changed, bad, args.rows)


if __name__ == "__main__":
    main()
