"""The printed programme and the door posters: the day grid (pure), and the PDFs from the routes
read back as text, pixels and QR codes."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from exhibitions.seminars.documents import GridCell, booklet_pdf, day_grids, poster_pdf
from exhibitions.seminars.exports import ExportRoom
from tests.factories import FIRST_DAY, login
from tests.seminars.documents_data import SECOND_DAY, Programme, generated_programme, publish, seed_programme
from tests.seminars.exports_sample import ATLAS, FINANCE, OPENING, PROGRAMME, RIF
from tests.tickets.pdf import page_png, pdf_fonts, pdf_pages, qr_codes

PROGRAMME_URL = "http://testserver/exhibitions/sess-2027/programme"


@pytest.fixture
async def programme(exhibition: int, organizer: dict[str, Any]) -> Programme:
    seeded = await seed_programme(exhibition)
    await publish(organizer)
    return seeded


def test_the_grid_puts_rooms_across_and_times_down() -> None:
    late = dataclasses.replace(
        OPENING, id=105, starts_at=OPENING.starts_at + timedelta(hours=1), ends_at=OPENING.ends_at + timedelta(hours=1)
    )
    (grid,) = day_grids([OPENING, FINANCE, late], (ATLAS, RIF))
    assert grid.rooms == (ATLAS, RIF)
    # The opening and the session a conflict left overlapping it share one cell, 10:00 to 12:30;
    # then a free slot until 14:00, and the finance panel until 15:00.
    assert [row.starts_at.hour for row in grid.rows] == [10, 12, 14]
    assert [row.cells for row in grid.rows] == [
        (GridCell((OPENING, late), 1), GridCell()),
        (GridCell(), GridCell()),
        (GridCell(), GridCell((FINANCE,), 1)),
    ]


def test_a_long_session_spans_the_rows_of_shorter_ones_beside_it() -> None:
    short = dataclasses.replace(FINANCE, starts_at=OPENING.starts_at, ends_at=OPENING.starts_at + timedelta(minutes=45))
    (grid,) = day_grids([OPENING, short], (ATLAS, RIF))
    assert [row.cells for row in grid.rows] == [
        (GridCell((OPENING,), 2), GridCell((short,), 1)),
        (None, GridCell()),
    ]


def test_more_rooms_than_a_page_holds_continue_in_another_grid() -> None:
    rooms = tuple(ExportRoom(id=index, name=f"Salle {index}") for index in range(1, 7))
    sessions = [dataclasses.replace(OPENING, id=index, room_id=index) for index in range(1, 7)]
    grids = day_grids(sessions, rooms)
    assert [[room.id for room in grid.rooms] for grid in grids] == [[1, 2, 3, 4], [5, 6]]


def test_the_booklet_is_bilingual_and_right_to_left_where_arabic(tmp_path: Path, artifacts_dir: Path) -> None:
    pdf = booklet_pdf(PROGRAMME, programme_url=PROGRAMME_URL)
    (artifacts_dir / "seminar-booklet.pdf").write_bytes(pdf)
    (artifacts_dir / "seminar-booklet-2.png").write_bytes(page_png(pdf, 2))
    pages = pdf_pages(pdf)
    assert len(pages) == 3  # the cover, then a page for each day
    cover, first_day, second_day = pages
    assert "Programme des séminaires" in cover
    assert "برنامج الندوات" in cover
    assert "13–14 mars 2027" in cover
    assert PROGRAMME_URL in cover
    assert "Ouverture : la loi 112-12 sur les coopératives" in first_day
    # Arabic words right to left on their line, the law's number among them where it belongs.
    assert words_right_to_left(pdf, 2, ["افتتاح:", "القانون", "112.12", "المتعلق", "بالتعاونيات"])
    assert "التمويل التضامني" in first_day
    assert "Amina El Idrissi (Intervenante ou intervenant)" in first_day or "Amina El Idrissi" in first_day
    assert "أمينة الإدريسي" in first_day
    assert "samedi 13 mars 2027" in first_day
    assert words_right_to_left(pdf, 2, ["السبت،", "13", "مارس", "2027"])
    # The cancelled workshop of the second day is left out; the fourth session is the day's.
    assert "vendre en ligne" not in second_day
    assert "Table ronde : coopérer entre rives" in second_day
    assert {"Noto-Sans", "Noto-Sans-Bold", "Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold"} <= pdf_fonts(pdf, tmp_path)
    assert qr_codes(page_png(pdf, 1)) == [PROGRAMME_URL]


def test_the_poster_is_one_page_with_its_rooms_sessions_and_a_qr(artifacts_dir: Path) -> None:
    day = OPENING.starts_at.astimezone(PROGRAMME.zone).date()
    pdf = poster_pdf(PROGRAMME, room_id=RIF.id, day=day, programme_url=PROGRAMME_URL, size="a3")
    (artifacts_dir / "seminar-poster-a3.pdf").write_bytes(pdf)
    (page,) = pdf_pages(pdf)
    assert "قاعة الريف" in page
    assert "Pavillon B" in page
    assert "14:00 – 15:00" in page
    assert "التمويل التضامني" in page
    assert "Ouverture" not in page  # another room's
    assert qr_codes(page_png(pdf, 1, dpi=100)) == [PROGRAMME_URL]


async def test_the_booklet_route(client: httpx.AsyncClient, programme: Programme) -> None:
    response = await client.get("/exhibitions/sess-2027/programme.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "public, max-age=60"
    assert response.headers["content-disposition"] == 'inline; filename="programme-sess-2027.pdf"'
    text = " ".join(pdf_pages(response.content))
    assert "Ouverture : la loi 112-12 sur les coopératives" in text
    assert "التمويل التضامني" in text
    assert "Brouillon" not in text  # a draft
    assert "vendre en ligne" not in text  # cancelled
    again = await client.get(
        "/exhibitions/sess-2027/programme.pdf", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


async def test_the_poster_route_is_for_organizers(client: httpx.AsyncClient, programme: Programme) -> None:
    atlas = programme.rooms["atlas"]["id"]
    url = f"/organize/exhibitions/sess-2027/rooms/{atlas}/poster.pdf?day={FIRST_DAY.isoformat()}"
    assert (await client.get(url)).status_code in (302, 303)
    await login(client)
    response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "private, no-cache"
    (page,) = pdf_pages(response.content)
    assert "Salle Atlas" in page
    assert "Ouverture : la loi 112-12" in page
    assert "التمويل التضامني" not in page  # the other room's
    assert qr_codes(page_png(response.content, 1, dpi=100)) == ["http://testserver/exhibitions/sess-2027/programme"]
    # The next day's poster shows the cancelled workshop crossed out, marked cancelled.
    next_day = await client.get(url.replace(FIRST_DAY.isoformat(), SECOND_DAY.isoformat()))
    (page,) = pdf_pages(next_day.content)
    assert "Atelier : vendre en ligne" in page
    assert "Annulée" in page or "Annulé" in page


@pytest.mark.parametrize(
    "query",
    ["day=2020-01-01", "day=tomorrow", "", "day={first}&size=a2"],
    ids=["day outside the exhibition", "not a date", "no day", "no such size"],
)
async def test_bad_poster_requests(client: httpx.AsyncClient, programme: Programme, query: str) -> None:
    """Each refused with the page of errors (422) in the reader's language."""
    await login(client)
    atlas = programme.rooms["atlas"]["id"]
    response = await client.get(
        f"/organize/exhibitions/sess-2027/rooms/{atlas}/poster.pdf?{query.format(first=FIRST_DAY.isoformat())}"
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    missing = await client.get(f"/organize/exhibitions/sess-2027/rooms/999999/poster.pdf?day={FIRST_DAY}")
    assert missing.status_code == 404


def test_a_hundred_session_booklet(artifacts_dir: Path) -> None:
    """The benchmark's programme renders; its days each start a page, every session is in."""
    programme = generated_programme(100)
    pdf = booklet_pdf(programme, programme_url=PROGRAMME_URL)
    (artifacts_dir / "seminar-booklet-100.pdf").write_bytes(pdf)
    text = " ".join(pdf_pages(pdf))
    assert text.count("Le financement solidaire des coopératives agricoles") >= 13
    assert "التمويل التضامني للتعاونيات الفلاحية" in text


def words_right_to_left(pdf: bytes, page: int, words: list[str]) -> bool:
    """Whether ``words`` sit on one line of ``page``, each to the left of the one before."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-enc", "UTF-8", "-", "-"],
        input=pdf, capture_output=True, check=True,
    ).stdout.decode("utf-8")  # fmt: skip
    boxes = {}
    for left, top, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', html
    ):
        word = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", word)
        word = word[::-1] if re.search("[\u0600-\u06ff]", word) else word
        boxes.setdefault(word, (float(left), float(top)))
    found = [boxes.get(word) for word in words]
    if None in found:
        return False
    lefts = [box[0] for box in found if box]
    tops = {round(box[1]) for box in found if box}
    return lefts == sorted(lefts, reverse=True) and len(tops) == 1
