"""Booklet rendering time: a generated bilingual programme (by default 100 sessions, 60 people,
8 rooms over 5 days; titles and 60-word abstracts in Arabic and French, from
bench/programme_exports.py) rendered as the printed programme PDF, in process, one thread.
Reports the median of --repeats renders (wall clock and CPU time: on a shared machine the CPU
time is the steadier figure), the pages and the size. The issue's
figure: at most 10 s for 100 sessions.

    uv run python bench/programme_booklet.py [--sessions 100] [--people 60] [--rooms 8] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time

from common import machine_line
from programme_exports import sample_programme

from exhibitions.seminars.documents import booklet_pdf

URL = "https://ess.example.ma/exhibitions/sess-2027/programme"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--rooms", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    programme = sample_programme(arguments.sessions, arguments.people, arguments.rooms)
    print(machine_line("in process, one thread"))
    timings, cpu = [], []
    pdf = b""
    for _ in range(arguments.repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = booklet_pdf(programme, programme_url=URL)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, text=False).stdout.decode()
    pages = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
    print(
        f"booklet, {arguments.sessions} sessions, {arguments.rooms} rooms: median {statistics.median(timings):.2f} s"
        f" (runs {', '.join(f'{value:.2f}' for value in timings)}), CPU median {statistics.median(cpu):.2f} s,"
        f" {pages} pages, {len(pdf) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
