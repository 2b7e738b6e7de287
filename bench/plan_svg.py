"""Floor-plan rendering time: the SVG of a generated hall (tests/stands/plan_data.py: blocks of 3 m stands,
names in both scripts, two exhibitors on some stands), in process, coloured by sector, in
Arabic. Reports the median of --repeats renders for each size, and the time of one PDF.

    uv run python bench/plan_svg.py [--sizes 600,3000] [--repeats 5] [--pdf-stands 600]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from common import machine_line

from exhibitions.stands.plan import render_plan_svg
from exhibitions.stands.plan_document import plan_pdf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' generated hall
from tests.stands.plan_data import sample_plan


def milliseconds(action: object, repeats: int) -> list[float]:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="600,3000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pdf-stands", type=int, default=600, help="0 to skip the PDF")
    arguments = parser.parse_args()
    print(machine_line("in process, one thread"))
    for size in (int(part) for part in arguments.sizes.split(",")):
        hall, stands = sample_plan(size)
        render_plan_svg(hall, stands, colour_by="sector", language="ar")  # warm the catalogs
        timings = milliseconds(
            lambda: render_plan_svg(hall, stands, colour_by="sector", language="ar"),  # noqa: B023
            arguments.repeats,
        )
        size_kb = len(render_plan_svg(hall, stands, colour_by="sector", language="ar").encode()) / 1024
        rounds = ", ".join(f"{timing:.1f}" for timing in timings)
        median = statistics.median(timings)
        print(f"SVG, {size:>5} stands  median {median:7.1f} ms  ({size_kb:,.0f} KiB; renders: {rounds})")
    if arguments.pdf_stands:
        hall, stands = sample_plan(arguments.pdf_stands)
        timings = milliseconds(lambda: plan_pdf(hall, stands, title="Bench", language="ar"), 3)
        print(f"PDF, {arguments.pdf_stands:>5} stands  median {statistics.median(timings):7.0f} ms  (3 renders)")


if __name__ == "__main__":
    main()
