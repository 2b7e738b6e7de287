"""`exhibitions import organizations FILE`, through click's CliRunner on the test database."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from exhibitions.cli import main
from exhibitions.settings import Settings
from tests.exhibitors.test_import import GOOD, HEADER

BAD_ROW = "mutual,,Mutuelle Amal,M-9,,MA-13,Fès,services,10,2,\n"


@pytest.fixture
def run(settings: Settings, database: Any) -> Any:
    def invoke(*args: str) -> Any:
        return CliRunner().invoke(main, list(args), env={"EXHIBITIONS_DATABASE_URL": settings.database_url})

    return invoke


def _file(tmp_path: Path, text: str, name: str = "organizations.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return str(path)


def test_all_good_rows_exit_0_and_a_re_import_changes_nothing(run: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, HEADER + GOOD)
    first = run("import", "organizations", path)
    assert first.exit_code == 0, first.output
    assert "organizations.csv (utf-8)" in first.output
    assert "│    2 │       2 │       0 │         0 │   0 │" in first.output
    second = run("import", "organizations", path)
    assert second.exit_code == 0
    assert "│    2 │       0 │       0 │         2 │   0 │" in second.output


def test_bad_rows_exit_1_and_are_listed_and_written_out(run: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, HEADER + GOOD + BAD_ROW)
    errors = tmp_path / "errors.csv"
    result = run("import", "organizations", path, "--dry-run", "--errors-csv", str(errors))
    assert result.exit_code == 1, result.output
    assert "dry run: nothing was written" in result.output
    assert "│ 4   │ Region │ region │" in result.output
    rows = list(csv.reader(io.StringIO(errors.read_text("utf-8-sig"))))
    assert rows[0] == ["Row", *HEADER.strip().split(","), "Reason"]
    assert rows[1][0] == "4"
    assert rows[1][-1] == "Region: must be a region code, MA-01 to MA-12, or a region's name"
    # The dry run wrote nothing: the real run creates both good rows.
    assert "│    3 │       2 │       0 │         0 │   1 │" in run("import", "organizations", path).output


def test_an_unreadable_file_exits_2(run: Any, tmp_path: Path) -> None:
    result = run("import", "organizations", _file(tmp_path, "Name,City\nX,Y\n"))
    assert result.exit_code == 2
    assert "error: file: no column for legal_form; see the sample file for the headers" in result.output
