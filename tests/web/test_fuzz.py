"""Property-based fuzzing of every API operation from our own OpenAPI document: whatever
schemathesis sends, with or without a token, the server never answers 5xx."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")


def _fuzz(live_server: str, token: str, *selection: str) -> tuple[int, int]:
    """Run schemathesis; return (operations tested, test cases passed)."""
    result = subprocess.run(
        [
            SCHEMATHESIS, "run", f"{live_server}/schema/openapi.json",
            "--checks", "not_a_server_error",
            "--max-examples", "20",
            "--seed", "20261129",
            "--header", f"Authorization: Bearer {token}",
            *selection,
        ],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    # The failures (with a curl command to replay each) come before the long summary.
    failures = result.stdout.find("FAILURES")
    assert result.returncode == 0, result.stdout[failures : failures + 6000] if failures >= 0 else result.stdout[-4000:]
    tested = re.search(r"Tested: (\d+)", result.stdout)
    cases = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert tested is not None
    assert cases is not None
    assert cases.group(1) == cases.group(2)
    return int(tested.group(1)), int(cases.group(2))


def test_no_input_makes_the_api_fail(live_server: str, organizer: dict[str, Any]) -> None:
    spec = httpx.get(f"{live_server}/schema/openapi.json").json()
    methods = [method for item in spec["paths"].values() for method in item]
    # DELETE last: it may revoke the very token the other operations are fuzzed with.
    tested, passed = _fuzz(live_server, organizer["token"], "--exclude-method", "DELETE")
    assert tested == len(methods) - methods.count("delete")
    assert passed > 300
    tested, _ = _fuzz(live_server, organizer["token"], "--include-method", "DELETE")
    assert tested == methods.count("delete")
