"""The impact report's PDF and XLSX on the hand-counted fixture: the exact figures read back
from the PDF's text in Arabic and French, the page count, every cell of the workbook; and
each page rendered to PNG under test-artifacts/ for a person to look at."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from exhibitions.accounts.actor import Actor
from exhibitions.analytics.impact import document, figures, spreadsheet
from exhibitions.web.i18n import Translator
from tests.analytics import impact_data
from tests.factories import FIRST_DAY, LAST_DAY
from tests.tickets.pdf import pdf_pages

MOMENT = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def found(exhibition: int, organizer: dict[str, Any]) -> figures.ImpactFigures:
    await impact_data.build(exhibition)
    actor = Actor(user_id=organizer["id"], email=organizer["email"], roles=frozenset({(None, "organizer")}))
    return await figures.impact_figures(slug="sess-2027", actor=actor, now=MOMENT)


def _pngs(pdf: bytes, directory: Path, stem: str) -> list[Path]:
    for old in directory.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-", str(directory / stem)], input=pdf, check=True)
    return sorted(directory.glob(f"{stem}-*.png"))


async def test_the_french_pdf_states_every_figure(found: figures.ImpactFigures, artifacts_dir: Path) -> None:
    pdf = document.report_pdf(found, language="fr")
    pages = pdf_pages(pdf)
    images = _pngs(pdf, artifacts_dir, "impact-report-fr")
    assert len(pages) == len(images) == 5
    french = Translator("fr")
    period = f"du {french.date(FIRST_DAY, 'long')} au {french.date(LAST_DAY, 'long')}"
    assert pages[0] == (
        f"RAPPORT D'IMPACT Salon national de l'économie sociale et solidaire {period} Chiffres au 1 juin 2027, 10:00 "
        "Chiffres clés Exposants 5 Organisations dirigées par des femmes 2 (40 %) Organisations dirigées par des "
        "jeunes 2 (40 %) Régions représentées 3 Stands attribués 3 Surface attribuée (m²) 39 Visiteurs inscrits 7 "
        "Visiteurs venus 5 (71,4 %) Séances de séminaire tenues 2 Présence aux séminaires 4 Accords de partenariat "
        "signés Non enregistrés dans cette édition 1/5"
    )
    text = document_text(pdf)
    day = FIRST_DAY.strftime("%d/%m/%Y")
    for expected in (
        # exhibitors by region, sector, legal form (count, share)
        "Casablanca-Settat 2 40,0 Souss-Massa 2 40,0 Tanger-Tétouan-Al Hoceïma 1 20,0",
        "Argan 2 40,0 Artisanat 2 40,0 Textile 1 20,0",
        "Coopérative 3 60,0 Association 1 20,0 Mutuelle 1 20,0",
        # women-led: 2 of 5 against a 30 % minimum; youth-led has no quota
        "Dirigée par des femmes 2 40,0 30,0 Atteint Dirigée par des jeunes 2 40,0 Aucun quota fixé",
        "Les parts portent sur les 5 exposants retenus",
        # stands and area per region
        "Casablanca-Settat 2 2 24,0 61,5 Souss-Massa 2 2 15,0 38,5",
        # visitors and their origin: registered, came, share
        "Casablanca-Settat 3 3 100,0 France 2 1 50,0",
        "Tanger-Tétouan-Al Hoceïma 1 1 100,0",
        "Sénégal 1 0 0,0",
        # seminars: capacity, registrations, attendance, fill rate
        f"Les coopératives de femmes {day} 10:00 Salle Atlas 50 3 2 4,0 Financer l'ESS {day} 11:30 Salle Atlas "
        "20 0 2 10,0",
        # (the region's name wraps in its cell: "Souss-" then "Massa")
        "Région : Souss- Massa 2 40,0 30,0 Non atteint",
        "Secteur : Pêche 0 0,0 10,0 Non atteint",
        "Séances annulées : 1.",
        "Les accords de partenariat ne sont pas enregistrés dans cette édition",
    ):
        assert expected in text, expected


async def test_the_arabic_pdf_states_every_figure_right_to_left(
    found: figures.ImpactFigures, artifacts_dir: Path
) -> None:
    pdf = document.report_pdf(found, language="ar")
    pages = pdf_pages(pdf)
    images = _pngs(pdf, artifacts_dir, "impact-report-ar")
    assert len(pages) == len(images) == 5
    text = " ".join(pages)
    # poppler's reading order gives Arabic in logical order, but mirrors brackets, moves spaces
    # around hyphens and may read a table's columns apart: the strings below are what it reads
    # off these pages, a row's name and numbers at a time (the workbook test checks every cell).
    for expected in (
        "تقرير الأثر المعرض الوطني للاقتصاد الاجتماعي والتضامني",
        "الأرقام الرئيسية العارضون 5 هيئات تقودها نساء )2 (40 % هيئات يقودها شباب )2 (40 % الجهات الممثلة 3 "
        "الأروقة المخصصة 3",
        "الزوار المسجلون 7 الزوار الحاضرون )5 (71,4 % جلسات الندوات المنعقدة 2 حضور الندوات 4 "
        "اتفاقيات الشراكة الموقعة غير مسجلة في هذه الدورة",
        "الدار البيضاء -سطات 2 40,0 سوس -ماسة 2 40,0 طنجة -تطوان -الحسيمة 1 20,0",
        "الأركان 2 40,0 الصناعة التقليدية 2 40,0 النسيج 1 20,0",
        "تعاونية 3 60,0 جمعية 1 20,0 تعاضدية 1 20,0",
        "تقودها نساء 2 40,0 30,0",
        "يقودها شباب 2 40,0",
        "لا حصة محددة",
        "الجهة :سوس -ماسة 2 40,0",
        "القطاع :الصيد البحري 0 0,0",
        "الدار البيضاء -سطات 2 2 24,0 61,5 سوس -ماسة 2 2 15,0 38,5",
        "الدار البيضاء -سطات 3 3 100,0 فرنسا 2 1 50,0 طنجة -تطوان -الحسيمة 1 1 100,0 السنغال 1 0 0,0",
        "تمويل الاقتصاد الاجتماعي",
        "Salle Atlas 50",
        "الجلسات الملغاة.1 :",
        "اتفاقيات الشراكة غير مسجلة في هذه الدورة",
    ):
        assert expected in text, expected
    # The page is right to left: a table's first column (the region) is printed right of its numbers.
    boxes = word_boxes(pdf, page=2)
    assert boxes["طنجة"][0] > boxes["20,0"][1]


_BIDI_CONTROLS = "[\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def document_text(pdf: bytes) -> str:
    """The text in the order the document draws it (cell after cell, row after row, whatever
    the page's layout), as one line. poppler's raw mode gives each line's words from left to
    right on the page: an Arabic line's words are put back in reading order."""
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    lines = []
    for line in re.sub(_BIDI_CONTROLS, "", raw.stdout.decode("utf-8")).replace("\f", "\n").splitlines():
        words = line.split()
        lines.append(" ".join(reversed(words) if re.search("[\u0600-\u06ff]", line) else words))
    return " ".join(line for line in lines if line)


def word_boxes(pdf: bytes, *, page: int) -> dict[str, tuple[float, float]]:
    """(left, right) in points of each word's first occurrence on ``page``; an Arabic word's
    letters come from poppler in drawing order and are put back."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-enc", "UTF-8", "-", "-"],
        input=pdf, capture_output=True, check=True,
    ).stdout.decode("utf-8")  # fmt: skip
    boxes: dict[str, tuple[float, float]] = {}
    for left, right, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html
    ):
        word = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", word)
        boxes.setdefault(word[::-1] if re.search("[\u0600-\u06ff]", word) else word, (float(left), float(right)))
    return boxes


def _sheets(content: bytes) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


async def test_the_workbook_holds_every_table_with_numbers_as_numbers(found: figures.ImpactFigures) -> None:
    sheets = _sheets(spreadsheet.report_xlsx(found, language="fr"))
    assert list(sheets) == [
        "Chiffres clés",
        "Exposants par région",
        "Exposants par secteur",
        "Exposants par forme juridique",
        "Organisations dirigées par des",
        "Quotas de la sélection face aux",
        "Stands et surface attribués par",
        "Les visiteurs et leur origine",
        "Séminaires tenus et leur fréque",
    ]
    assert sheets["Chiffres clés"] == [
        ("Indicateur", "Valeur", "Part (%)"),
        ("Exposants", 5, None),
        ("Organisations dirigées par des femmes", 2, 40),
        ("Organisations dirigées par des jeunes", 2, 40),
        ("Régions représentées", 3, None),
        ("Stands attribués", 3, None),
        ("Surface attribuée (m²)", 39, None),
        ("Visiteurs inscrits", 7, None),
        ("Visiteurs venus", 5, 71.4),
        ("Séances de séminaire tenues", 2, None),
        ("Présence aux séminaires", 4, None),
        ("Accords de partenariat signés", "Non enregistrés dans cette édition", None),
    ]
    assert sheets["Exposants par région"] == [
        ("Région", "Exposants", "Part (%)"),
        ("Casablanca-Settat", 2, 40),
        ("Souss-Massa", 2, 40),
        ("Tanger-Tétouan-Al Hoceïma", 1, 20),
    ]
    assert sheets["Quotas de la sélection face aux"] == [
        ("Quota", "Exposants", "Part (%)", "Quota minimum (%)", "Quota maximum (%)", "Résultat"),
        ("Dirigée par des femmes", 2, 40, 30, None, "Atteint"),
        ("Région : Souss-Massa", 2, 40, None, 30, "Non atteint"),
        ("Secteur : Pêche", 0, 0, 10, None, "Non atteint"),
    ]
    assert sheets["Stands et surface attribués par"] == [
        ("Région", "Exposants", "Stands", "Surface (m²)", "Part de la surface (%)"),
        ("Casablanca-Settat", 2, 2, 24, 61.5),
        ("Souss-Massa", 2, 2, 15, 38.5),
    ]
    assert sheets["Les visiteurs et leur origine"] == [
        ("Origine", "Visiteurs inscrits", "Visiteurs venus", "Venus (%)"),
        ("Casablanca-Settat", 3, 3, 100),
        ("France", 2, 1, 50),
        ("Tanger-Tétouan-Al Hoceïma", 1, 1, 100),
        ("Sénégal", 1, 0, 0),
    ]
    seminars = sheets["Séminaires tenus et leur fréque"]
    assert [row[:1] + row[2:] for row in seminars] == [
        ("Séance", "Salle", "Capacité", "Inscriptions", "Présence", "Taux de remplissage (%)"),
        ("Les coopératives de femmes", "Salle Atlas", 50, 3, 2, 4),
        ("Financer l'ESS", "Salle Atlas", 20, 0, 2, 10),
    ]
    assert all(isinstance(value, int | float) for row in seminars[1:] for value in row[3:])


async def test_the_arabic_workbook_reads_right_to_left(found: figures.ImpactFigures) -> None:
    workbook = load_workbook(io.BytesIO(spreadsheet.report_xlsx(found, language="ar")))
    assert workbook.sheetnames[:2] == ["الأرقام الرئيسية", "العارضون حسب الجهة"]
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    assert [tuple(row) for row in workbook["العارضون حسب الجهة"].iter_rows(values_only=True)] == [
        ("الجهة", "العارضون", "النسبة (%)"),
        ("الدار البيضاء - سطات", 2, 40),
        ("سوس - ماسة", 2, 40),
        ("طنجة - تطوان - الحسيمة", 1, 20),
    ]


async def test_a_title_that_looks_like_a_formula_stays_text(found: figures.ImpactFigures) -> None:
    sessions = (replace(found.sessions[0], title_fr='=HYPERLINK("http://evil.example")'), *found.sessions[1:])
    workbook = load_workbook(io.BytesIO(spreadsheet.report_xlsx(replace(found, sessions=sessions), language="fr")))
    cell = workbook["Séminaires tenus et leur fréque"]["A2"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://evil.example")', "s")


def test_sheet_names_are_valid_and_unique() -> None:
    assert spreadsheet.sheet_name("Quotas: [min]/max?", set()) == "Quotas   min  max"
    taken: set[str] = set()
    assert [spreadsheet.sheet_name("Même titre", taken) for _ in range(3)] == [
        "Même titre",
        "Même titre (2)",
        "Même titre (3)",
    ]
