"""The printed plan: an A3 landscape page with the plan, then the index of stands."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from exhibitions.stands.plan import PlanExhibitor, PlanHall, PlanStand
from exhibitions.stands.plan_document import index_rows, natural_key, plan_box, plan_html, plan_pdf
from exhibitions.web.i18n import Translator
from tests.stands.plan_data import sample_plan
from tests.tickets.pdf import page_png, pdf_pages

HALL = PlanHall(id=1, name="Hall A", width_m=20, depth_m=10)
ARGAN = PlanExhibitor(
    id=3, name_ar="تعاونية أركان الخير", name_latin="Coopérative Argane", sector="argan", region="MA-09"
)
FISH = PlanExhibitor(
    id=4, name_ar="تعاونية الصيادين", name_latin='Pêcheurs <Al Bahr> & "Amal"', sector="fishing", region="MA-10"
)
STANDS = [
    PlanStand(code="A-10", x=8, y=2, width=4, depth=3, status="assigned", exhibitors=(FISH,)),
    PlanStand(code="A-2", x=2, y=2, width=4, depth=3, status="locked", exhibitors=(ARGAN,)),
    PlanStand(code="A-3", x=14, y=2, width=4, depth=3),
]


def page_size(pdf: bytes) -> str:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Page size"))


def test_the_pdf_has_the_plan_then_the_index_in_french() -> None:
    pdf = plan_pdf(HALL, STANDS, title="Salon national", language="fr")
    pages = pdf_pages(pdf)
    assert len(pages) == 2
    assert page_size(pdf).startswith("1190.55 x 841.89")  # A3 landscape, in points
    plan, index = pages
    assert plan.startswith("Salon national Plan de Hall A · 3 stands")
    for text in ("A-2", "A-3", "A-10", "Coopérative Argane", "Libre", "Argan", "Pêche"):
        assert text in plan
    # Stand order is natural (A-2 before A-10); the free stand has no row; markup is text.
    assert index == (
        "Stands et exposants Stand Nom en arabe Nom en lettres latines Secteur"
        " A-2 تعاونية أركان الخير Coopérative Argane Argan"
        ' A-10 تعاونية الصيادين Pêcheurs <Al Bahr> & "Amal" Pêche 2/2'
    )
    assert "A-3" not in index


def test_the_arabic_pdf_reads_right_to_left(artifacts_dir: Path) -> None:
    pdf = plan_pdf(HALL, STANDS, title="المعرض الوطني", language="ar")
    for number in (1, 2):  # for a person to look at
        (artifacts_dir / f"plan-pdf-ar-{number}.png").write_bytes(page_png(pdf, number, dpi=80))
    plan, index = pdf_pages(pdf)
    # poppler orders the mixed-direction subtitle its own way: its parts are checked one by one.
    for text in ("المعرض الوطني", "مخطط", "Hall A", "أروقة", "A-2", "A-10"):
        assert text in plan
    assert "الأروقة والعارضون" in index
    assert "تعاونية أركان الخير" in index
    assert "Coopérative Argane" in index


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_arabic_names_inside_the_stands_read_in_logical_order(language: str, artifacts_dir: Path) -> None:
    # An exhibitor known by its Arabic name only shows it in every language.
    only_arabic = PlanExhibitor(id=5, name_ar="جمعية إيمان للنسيج", name_latin="", sector="textile", region="MA-01")
    stands = [*STANDS, PlanStand(code="A-4", x=2, y=6, width=8, depth=3, status="assigned", exhibitors=(only_arabic,))]
    pdf = plan_pdf(HALL, stands, title="Salon", language=language)
    (artifacts_dir / f"plan-pdf-names-{language}.png").write_bytes(page_png(pdf, 1, dpi=60))
    plan = pdf_pages(pdf)[0]
    for code in ("A-2", "A-3", "A-4", "A-10"):
        assert code in plan
    # poppler gives right-to-left text in logical order: a word reversed by the renderer
    # (as WeasyPrint's SVG text did) would read "ناميإ".
    assert "جمعية إيمان للنسيج" in plan
    assert ("تعاونية أركان الخير" in plan) is (language == "ar")
    assert ("Coopérative Argane" in plan) is (language == "fr")


def test_labels_sit_inside_their_stands_in_millimetres() -> None:
    box = plan_box(HALL, STANDS, "fr")
    # 20 m x 10 m plus the 0.2 m frame: the width limits the plan (396 mm for 204 units).
    mm = 396 / 204
    assert (box.width, box.height) == (pytest.approx(396), pytest.approx(104 * mm, abs=0.01))
    [a10, a2, a3] = box.labels
    assert (a2.left, a2.top) == (pytest.approx((20 + 1 + 2) * mm, abs=0.01), pytest.approx((20 + 1 + 2) * mm, abs=0.01))
    assert (a2.width, a2.height) == (pytest.approx(38 * mm, abs=0.01), pytest.approx(28 * mm, abs=0.01))
    assert [(line.text, line.bold) for line in a2.lines] == [("A-2", True), ("Coopérative Argane", False)]
    assert [line.text for line in a3.lines] == ["A-3"]
    assert a10.lines[1].text == 'Pêcheurs <Al Bahr> & "Amal"'  # the template escapes it
    for label in box.labels:
        used = label.padding_top + sum(line.font_mm * 1.2 for line in label.lines)
        assert used <= label.height + 0.01


def test_a_large_hall_prints_its_index_on_as_many_pages_as_it_needs() -> None:
    hall, stands = sample_plan(200)
    pdf = plan_pdf(hall, stands, title="Salon", language="fr")
    pages = pdf_pages(pdf)
    rows = len(index_rows(stands, Translator("fr")))
    assert len(pages) >= 1 + rows // 40
    assert all("A-1" in page or "Stand" in page for page in pages)


def test_the_html_escapes_names() -> None:
    html = plan_html(HALL, STANDS, title="<script>x</script>", language="en")
    assert "<script>x" not in html
    assert "&lt;Al Bahr&gt;" in html


@pytest.mark.parametrize(("codes", "ordered"), [(["B-14", "A-2", "B-2", "A-10"], ["A-2", "A-10", "B-2", "B-14"])])
def test_natural_order_of_codes(codes: list[str], ordered: list[str]) -> None:
    assert sorted(codes, key=natural_key) == ordered
