"""A4 sheets: badges N-up in order, cut marks, mirrored backs, progress, worker processes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from exhibitions.badges.layouts import A4, LAYOUTS, Layout, Mark
from exhibitions.badges.rendering import render_sheet
from exhibitions.badges.views import BadgeView
from tests.badges.pdf import page_png, page_sizes, region_text, words
from tests.badges.test_rendering import qr_texts
from tests.badges.views_data import badge_view


def numbered(count: int) -> list[BadgeView]:
    languages = ["fr", "ar", "en"]
    return [
        replace(badge_view("exhibitor_staff", languages[number % 3], number), full_name=f"Badge {number:03d}")
        for number in range(count)
    ]


def slot_text(pdf: bytes, layout: Layout, page: int, index: int, *, back: bool = False) -> str:
    x, y = layout.slot(index, back=back)
    return region_text(pdf, page=page, left=x, top=y, width=layout.width, height=layout.height)


def test_a6_badges_go_four_to_an_a4_sheet_in_order() -> None:
    views = numbered(10)
    pdf = render_sheet(views, size="a6", processes=1)

    assert page_sizes(pdf) == [A4] * 3
    layout = LAYOUTS["a6"]
    for number, view in enumerate(views):
        page, index = divmod(number, 4)
        assert view.full_name in slot_text(pdf, layout, page + 1, index)
    assert slot_text(pdf, layout, 3, 2) == ""  # the last sheet has two badges
    assert sorted(qr_texts(page_png(pdf, page=1, dpi=150))) == sorted(view.qr_payload for view in views[:4])


def test_labels_go_ten_to_an_a4_sheet() -> None:
    views = numbered(23)
    pdf = render_sheet(views, size="label", processes=1)

    assert page_sizes(pdf) == [A4] * 3
    layout = LAYOUTS["label"]
    for number, view in enumerate(views):
        page, index = divmod(number, 10)
        assert view.full_name in slot_text(pdf, layout, page + 1, index)
    assert sorted(qr_texts(page_png(pdf, page=1, dpi=200))) == sorted(view.qr_payload for view in views[:10])


def test_a_double_sided_badge_gets_its_back_behind_it_for_a_long_edge_duplex() -> None:
    views = numbered(5)
    views[1] = replace(views[1], back_lines=("Wi-Fi : SSE2027",))
    pdf = render_sheet(views, size="a6", processes=1)

    # front 1-4, their backs (only the second badge has one), front 5
    assert page_sizes(pdf) == [A4] * 3
    layout = LAYOUTS["a6"]
    assert views[1].full_name in slot_text(pdf, layout, 1, 1)  # top right on the front...
    assert "Wi-Fi : SSE2027" in slot_text(pdf, layout, 2, 1, back=True)
    assert layout.slot(1, back=True) == (0.0, 0.5)  # ...top left on the back
    back_words = [(left, top) for word, left, top, _right, _bottom in words(pdf, page=2) if word == "SSE2027"]
    assert len(back_words) == 1
    assert back_words[0][0] < 105
    assert back_words[0][1] < 148
    assert views[4].full_name in slot_text(pdf, layout, 3, 0)


def dark(png: bytes, x_mm: float, y_mm: float, dpi: int = 150) -> bool:
    image = Image.open(io.BytesIO(png)).convert("L")
    x, y = round(x_mm / 25.4 * dpi), round(y_mm / 25.4 * dpi)
    return min(int(image.getpixel((x + dx, y + dy))) for dx in (-1, 0, 1) for dy in (-1, 0, 1)) < 128  # type: ignore[arg-type]


def test_cut_marks_are_on_the_cut_lines_in_the_margins() -> None:
    views = numbered(2)
    with_marks = page_png(render_sheet(views, size="label", processes=1))
    without = page_png(render_sheet(views, size="label", processes=1, cut_marks=False))
    # The label sheet's first column starts at 15 mm, its first row at 11 mm.
    for x_mm, y_mm in [(15, 6), (105, 6), (195, 6), (15, 291), (10, 11), (200, 66), (10, 286)]:
        assert dark(with_marks, x_mm, y_mm), (x_mm, y_mm)
        assert not dark(without, x_mm, y_mm), (x_mm, y_mm)
    assert not dark(with_marks, 60, 6)  # between the marks, the margin is blank


def test_the_grids_and_their_marks() -> None:
    label = LAYOUTS["label"]
    assert label.per_sheet == 10
    assert [label.slot(index) for index in (0, 1, 9)] == [(15.0, 11.0), (105.0, 11.0), (105.0, 231.0)]
    assert [label.slot(index, back=True) for index in (0, 1, 9)] == [(105.0, 11.0), (15.0, 11.0), (15.0, 231.0)]
    marks = label.cut_marks()
    # 3 vertical cut lines x 2 ends + 6 horizontal x 2 ends
    assert len(marks) == 18
    assert Mark(14.9, 4.0, 0.2, 5.0) in marks
    assert min(mark.x for mark in marks) >= 0
    assert min(mark.y for mark in marks) >= 0
    assert max(mark.x + mark.width for mark in marks) <= 210
    assert max(mark.y + mark.height for mark in marks) <= 297
    a6 = LAYOUTS["a6"]
    assert a6.per_sheet == 4
    # A6 fills the sheet: the marks sit at the paper's edges on the two cut lines.
    assert sorted(a6.cut_marks(), key=lambda mark: (mark.x, mark.y)) == [
        Mark(0.0, 148.4, 5.0, 0.2),
        Mark(104.9, 0.0, 0.2, 5.0),
        Mark(104.9, 292.0, 0.2, 5.0),
        Mark(205.0, 148.4, 5.0, 0.2),
    ]


def test_progress_is_reported_as_chunks_are_laid_out() -> None:
    calls: list[tuple[int, int]] = []
    pdf = render_sheet(
        numbered(30), size="a6", processes=1, chunk_pages=2, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(0, 30), (8, 30), (16, 30), (24, 30), (30, 30)]
    assert len(page_sizes(pdf)) == 8


def test_worker_processes_render_chunks_that_are_joined_in_order() -> None:
    views = numbered(30)
    calls: list[tuple[int, int]] = []
    pdf = render_sheet(
        views, size="a6", processes=2, chunk_pages=2, progress=lambda done, total: calls.append((done, total))
    )

    assert page_sizes(pdf) == [A4] * 8
    layout = LAYOUTS["a6"]
    for number in range(0, 30, 3):
        page, index = divmod(number, 4)
        assert views[number].full_name in slot_text(pdf, layout, page + 1, index)
    assert calls[0] == (0, 30)
    assert calls[-1] == (30, 30)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)
    assert len(calls) == 5


def test_a_sheet_needs_badges() -> None:
    with pytest.raises(ValueError, match="at least one badge"):
        render_sheet([], size="a6")


def test_workers_leave_when_the_process_that_asked_is_killed(tmp_path: Path) -> None:
    # A scheduler killed mid-batch: its sheet workers must not linger, holding memory.
    script = tmp_path / "asker.py"
    script.write_text(
        "import sys\n"
        "sys.path.insert(0, " + repr(str(Path(__file__).resolve().parents[2])) + ")\n"
        "from tests.badges.test_sheets import numbered\n"
        "from exhibitions.badges.rendering import render_sheet\n"
        "if __name__ == '__main__':\n"
        "    render_sheet(numbered(4000), size='a6', processes=2, chunk_pages=50,"
        " progress=lambda done, total: print(done, flush=True))\n"
    )
    asker = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert asker.stdout is not None
    assert asker.stdout.readline().strip() == "0"  # the sheet has started
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline:
        workers = {pid for pid in _descendants(asker.pid) if pid != asker.pid and _is_pool_worker(pid)}
        time.sleep(0.2)
    assert len(workers) == 2, workers
    asker.send_signal(signal.SIGKILL)
    asker.wait()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


def _descendants(root: int) -> list[int]:
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


def _is_pool_worker(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            ppid = next(int(line.split()[1]) for line in status if line.startswith("PPid:"))
        with open(f"/proc/{ppid}/cmdline") as cmdline:
            return "forkserver" in cmdline.read()
    except (OSError, StopIteration):
        return False


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except OSError:
        return False
