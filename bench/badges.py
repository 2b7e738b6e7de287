"""Badge rendering: a kiosk's single badge (warm) and a batch of exhibitor badges as one A4
N-up PDF (by default 1,000 A6 badges, 4 to a sheet, cut marks on), with the worker processes
render_sheet starts (one per core). Names, titles and organizations are generated in Arabic,
French and English, a third of them mixing Arabic and Latin.

    uv run python bench/badges.py [--badges 1000] [--rounds 3] [--kiosk 30] [--size a6]
                                  [--processes N] [--chunk-pages 25]

Prints the medians: the kiosk badge's wall time (its CPU time too: on a shared machine the
steadier figure), and the sheet's wall time, CPU time of all processes, pages, size, and
peak memory of all its processes together (this one, the forkserver and its workers,
sampled every 50 ms from /proc: the sum of their resident sizes at the worst moment, and
the same in PSS, where pages shared between processes count once). The load average before each part is printed:
other work on the machine slows every figure.

Goals (issue 7): a kiosk badge <= 150 ms; 1,000 badges <= 20 s with <= 500 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import threading
import time
from pathlib import Path

from common import machine_line

from exhibitions.badges.rendering import CHUNK_PAGES, render_badge, render_sheet
from exhibitions.badges.views import BadgeSize, BadgeView

FIRST_NAMES = ["Fatima Zahra", "Mohamed Amine", "Khadija", "Youssef", "Aïcha", "Jean-Baptiste", "Soukaina", "Hamza"]
FIRST_NAMES_AR = ["فاطمة الزهراء", "محمد أمين", "خديجة", "يوسف", "عائشة", "سكينة", "حمزة", "عبد الرحيم"]
LAST_NAMES = ["El Amrani", "Benjelloun", "Ouédraogo", "Aït Baha", "Tahiri", "Lahlou", "Bennani-Smires", "Chraïbi"]
LAST_NAMES_AR = ["العمراني", "بنجلون", "التازي", "العلوي", "الإدريسي", "الفاسي", "آيت باها", "الشرايبي"]
ORGANIZATIONS = [
    "Coopérative Tighanimine",
    "تعاونية أركان النسوية للإنتاج والتسويق",
    "Association Al Amal للتنمية",
    "Mutuelle des artisans de Fès",
    "Atlas Women's Cooperative",
]
TITLES = ["Responsable commerciale", "رئيسة التعاونية", "Artisan tisserand", "Sales manager", "مسؤول التسويق"]
EXHIBITION = {
    "ar": ("المعرض الوطني للاقتصاد الاجتماعي والتضامني", "من 12 إلى 16 ماي 2027"),
    "fr": ("Salon national de l'économie sociale et solidaire", "du 12 au 16 mai 2027"),
    "en": ("National Exhibition of the Social and Solidarity Economy", "12–16 May 2027"),
}


def exhibitor_badges(count: int, seed: int = 2027) -> list[BadgeView]:
    draw = random.Random(seed)
    views = []
    for number in range(count):
        language = draw.choice(["ar", "fr", "en"])
        if number % 3 == 0:  # mixed: an Arabic given name and a Latin family name, or the reverse
            name = f"{draw.choice(FIRST_NAMES_AR)} {draw.choice(LAST_NAMES)}"
        elif language == "ar":
            name = f"{draw.choice(FIRST_NAMES_AR)} {draw.choice(LAST_NAMES_AR)}"
        else:
            name = f"{draw.choice(FIRST_NAMES)} {draw.choice(LAST_NAMES)}"
        exhibition, dates = EXHIBITION[language]
        views.append(
            BadgeView(
                role="exhibitor_staff",
                full_name=name,
                language=language,
                exhibition_name=exhibition,
                exhibition_dates=dates,
                qr_payload=f"https://expo.example.ma/l/{draw.getrandbits(64):016X}",
                title=draw.choice(TITLES),
                organization=draw.choice(ORGANIZATIONS),
                stand_code=f"{draw.choice('ABCDEFGH')}-{draw.randrange(1, 120)}",
            )
        )
    return views


def _descendants(root: int) -> list[int]:
    """``root`` and every process under it, from /proc/<pid>/task/<tid>/children: reading
    only our own tree keeps the sampler light (scanning all of /proc every 20 ms took a
    good part of a core on this shared machine, and counted in the CPU figure)."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    queue.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


class PeakMemory:
    """The largest sum of resident sizes of this process and all its descendants (``peak``;
    pages the workers share with the forkserver they were forked from count once per
    process), the same with shared pages divided among their sharers (``peak_pss``), and
    the CPU time the descendants used (``cpu``, the last reading of each)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self._cpu_start: dict[int, float] = {}
        self._cpu_last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @property
    def cpu(self) -> float:
        return sum(last - self._cpu_start.get(pid, 0.0) for pid, last in self._cpu_last.items())

    def _sample(self) -> None:
        for pid in _descendants(os.getpid()):
            self._cpu_start[pid] = _cpu_seconds(pid)
        while not self._stop.is_set():
            pids = _descendants(os.getpid())
            self.peak = max(self.peak, sum(_rss_bytes(pid) for pid in pids))
            self.peak_pss = max(self.peak_pss, sum(_pss_bytes(pid) for pid in pids))
            for pid in pids:
                self._cpu_last[pid] = max(self._cpu_last.get(pid, 0.0), _cpu_seconds(pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def kiosk(rounds: int, size: BadgeSize) -> None:
    views = exhibitor_badges(rounds + 3, seed=7)
    for view in views[:3]:  # warm: imports, fonts, stylesheets
        render_badge(view, size=size)
    print(f"kiosk ({load()})")
    walls, cpus = [], []
    for view in views[3:]:
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = render_badge(view, size=size)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(
        f"  single {size} badge, warm: median {statistics.median(walls) * 1000:.0f} ms wall, "
        f"{statistics.median(cpus) * 1000:.0f} ms CPU ({rounds} badges, {len(pdf) / 1024:.0f} KiB each)"
    )


def sheet(
    count: int, rounds: int, size: BadgeSize, processes: int | None, chunk_pages: int, output: Path | None
) -> None:
    views = exhibitor_badges(count)
    walls, peaks, pss_peaks, cpus = [], [], [], []
    pages = 0
    pdf = b""
    for round_number in range(rounds):
        print(f"sheet round {round_number + 1} ({load()})")
        with PeakMemory() as memory:
            start = time.perf_counter()
            pdf = render_sheet(views, size=size, processes=processes, chunk_pages=chunk_pages)
            walls.append(time.perf_counter() - start)
        peaks.append(memory.peak)
        pss_peaks.append(memory.peak_pss)
        cpus.append(memory.cpu)
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ") or pdf.count(b"/Type/Page")
        print(
            f"  {walls[-1]:.1f} s wall, {memory.cpu:.1f} s CPU (all processes), "
            f"peak {memory.peak / 2**20:.0f} MB RSS, {memory.peak_pss / 2**20:.0f} MB PSS"
        )
    print(
        f"  {count} {size} badges on A4, {processes or os.cpu_count()} processes, chunks of {chunk_pages} pages: "
        f"median {statistics.median(walls):.1f} s wall, {statistics.median(cpus):.1f} s CPU; peak memory of all "
        f"processes: median {statistics.median(peaks) / 2**20:.0f} MB RSS (max {max(peaks) / 2**20:.0f} MB), "
        f"{statistics.median(pss_peaks) / 2**20:.0f} MB PSS; {pages} pages, {len(pdf) / 2**20:.1f} MiB"
    )
    if output:
        output.write_bytes(pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--badges", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kiosk", type=int, default=30, help="kiosk badges timed (0: skip)")
    parser.add_argument("--size", choices=["a6", "label"], default="a6")
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--chunk-pages", type=int, default=CHUNK_PAGES)
    parser.add_argument("--output", type=Path, default=None, help="write the last sheet PDF here")
    arguments = parser.parse_args()
    print(machine_line(load()))
    if arguments.kiosk:
        kiosk(arguments.kiosk, arguments.size)
    if arguments.badges:
        sheet(
            arguments.badges,
            arguments.rounds,
            arguments.size,
            arguments.processes,
            arguments.chunk_pages,
            arguments.output,
        )


if __name__ == "__main__":
    main()
