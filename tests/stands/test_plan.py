"""The floor plan's SVG: where stands are drawn, their colours, their text and its direction."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from exhibitions.stands.plan import (
    ELLIPSIS,
    LINE_HEIGHT,
    MAX_NAME_FONT,
    MIN_FONT,
    SECTOR_FILLS,
    STATUS_FILLS,
    PlanExhibitor,
    PlanHall,
    PlanStand,
    fit_line,
    render_plan_svg,
    stand_lines,
)
from tests.stands.plan_data import sample_plan

SVG = "{http://www.w3.org/2000/svg}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HALL = PlanHall(id=7, name="Hall B", width_m=40, depth_m=20)
ARGAN = PlanExhibitor(
    id=3, name_ar="تعاونية أركان الخير", name_latin="Coopérative Argane Al Khair", sector="argan", region="MA-09"
)
WEAVERS = PlanExhibitor(id=4, name_ar="تعاونية تيفاوين", name_latin="Tifawine", sector="textile", region="MA-08")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def stand_group(root: ET.Element, code: str) -> ET.Element:
    found = [group for group in root.iter(f"{SVG}g") if group.get("data-stand") == code]
    assert len(found) == 1
    return found[0]


def texts(group: ET.Element) -> list[ET.Element]:
    return list(group.iter(f"{SVG}text"))


def plain(element: ET.Element) -> str:
    """The text a reader sees, without the bidi isolates."""
    return "".join(element.itertext()).strip("\u2066\u2067\u2069").replace("\u2066", "").replace("\u2069", "")


def test_a_stand_is_drawn_where_it_is_in_metres_times_ten() -> None:
    stand = PlanStand(code="B-14", x=12.5, y=4, width=3, depth=2.5, status="assigned", exhibitors=(ARGAN,))
    root = parse(render_plan_svg(HALL, [stand]))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Floor plan of Hall B"
    assert root.get("viewBox", "").startswith("-2 -2 404 ")
    hall = root.find(f"{SVG}rect")
    assert hall is not None
    assert (hall.get("width"), hall.get("height")) == ("400", "200")
    rect = stand_group(root, "B-14").find(f"{SVG}rect")
    assert rect is not None
    assert {key: rect.get(key) for key in ("x", "y", "width", "height")} == {
        "x": "125", "y": "40", "width": "30", "height": "25",
    }  # fmt: skip


def test_stands_carry_what_the_interactive_page_needs() -> None:
    shared = PlanStand(code="A-1", x=0, y=0, width=4, depth=4, status="locked", exhibitors=(ARGAN, WEAVERS))
    free = PlanStand(code="A-2", x=4, y=0, width=4, depth=4)
    root = parse(render_plan_svg(HALL, [shared, free]))
    group = stand_group(root, "A-1")
    assert group.get("data-organization") == "3 4"
    assert group.get("tabindex") == "0"
    assert group.get("class") == "stand status-locked type-standard"
    title = group.find(f"{SVG}title")
    assert title is not None
    assert title.text == "A-1: تعاونية أركان الخير / Coopérative Argane Al Khair; تعاونية تيفاوين / Tifawine"
    assert stand_group(root, "A-2").get("data-organization") == ""
    free_title = stand_group(root, "A-2").find(f"{SVG}title")
    assert free_title is not None
    assert free_title.text == "A-2: Free"


@pytest.mark.parametrize(
    ("status", "fill"),
    [
        ("free", "#eef1f4"),
        ("assigned", "#a9dcb5"),
        ("proposed", "#fff1b8"),
        ("locked", "#9cc3e6"),
        ("moved", "#f6b98a"),
    ],
)
def test_colours_by_status(status: str, fill: str) -> None:
    stand = PlanStand(code="C-1", x=1, y=1, width=3, depth=3, status=status, exhibitors=(ARGAN,))  # type: ignore[arg-type]
    rect = stand_group(parse(render_plan_svg(HALL, [stand])), "C-1").find(f"{SVG}rect")
    assert rect is not None
    assert rect.get("fill") == fill == STATUS_FILLS[status]
    assert (rect.get("stroke-dasharray") is not None) is (status == "proposed")


def test_a_moved_stand_shows_an_arrow_as_well_as_its_colour() -> None:
    moved = PlanStand(code="C-1", x=1, y=1, width=3, depth=3, status="moved", exhibitors=(ARGAN,))
    kept = PlanStand(code="C-2", x=4, y=1, width=3, depth=3, status="assigned", exhibitors=(ARGAN,))
    root = parse(render_plan_svg(HALL, [moved, kept]))
    assert len(list(stand_group(root, "C-1").iter(f"{SVG}path"))) == 1
    assert list(stand_group(root, "C-2").iter(f"{SVG}path")) == []


def test_colours_by_sector_with_a_legend_of_the_sectors_shown() -> None:
    stands = [
        PlanStand(code="D-1", x=0, y=0, width=3, depth=3, status="assigned", exhibitors=(ARGAN,)),
        PlanStand(code="D-2", x=3, y=0, width=3, depth=3, status="assigned", exhibitors=(WEAVERS,)),
        PlanStand(code="D-3", x=6, y=0, width=3, depth=3),
    ]
    root = parse(render_plan_svg(HALL, stands, colour_by="sector", language="fr"))
    fills = {code: stand_group(root, code).find(f"{SVG}rect").get("fill") for code in ("D-1", "D-2", "D-3")}  # type: ignore[union-attr]
    assert fills == {"D-1": SECTOR_FILLS["argan"], "D-2": SECTOR_FILLS["textile"], "D-3": STATUS_FILLS["free"]}
    legend = next(group for group in root.iter(f"{SVG}g") if group.get("class") == "legend")
    assert [text.text for text in legend.iter(f"{SVG}text")] == ["Argan", "Textile", "Libre"]
    assert [rect.get("fill") for rect in legend.iter(f"{SVG}rect")] == [
        SECTOR_FILLS["argan"], SECTOR_FILLS["textile"], STATUS_FILLS["free"],
    ]  # fmt: skip


def test_the_legend_is_in_the_plan_language_and_starts_on_the_readers_side() -> None:
    stands = [
        PlanStand(code="E-1", x=0, y=0, width=3, depth=3, status="assigned", exhibitors=(ARGAN,)),
        PlanStand(code="E-2", x=3, y=0, width=3, depth=3, status="proposed", exhibitors=(WEAVERS,)),
    ]
    root = parse(render_plan_svg(HALL, stands, language="ar"))
    assert root.get("aria-label") == "مخطط Hall B"
    legend = next(group for group in root.iter(f"{SVG}g") if group.get("class") == "legend")
    labels = list(legend.iter(f"{SVG}text"))
    assert [label.text for label in labels] == ["مسند", "المقترح"]
    assert all(label.get("direction") == "rtl" for label in labels)
    swatch = next(legend.iter(f"{SVG}rect"))
    assert float(swatch.get("x", "0")) + float(swatch.get("width", "0")) == 400  # the right edge


def test_names_with_markup_characters_are_escaped() -> None:
    tricky = PlanExhibitor(id=9, name_ar="", name_latin="<b>Fils & \"Frères\"</b> 'A'", sector="other", region="MA-01")
    stand = PlanStand(code='X<&"1', x=0, y=0, width=20, depth=6, status="assigned", exhibitors=(tricky,))
    svg = render_plan_svg(HALL, [stand])
    assert "<b>" not in svg
    root = parse(svg)
    group = stand_group(root, 'X<&"1')
    title = group.find(f"{SVG}title")
    assert title is not None
    assert title.text == 'X<&"1: <b>Fils & "Frères"</b> \'A\''
    assert [plain(text) for text in texts(group)] == ['X<&"1', "<b>Fils & \"Frères\"</b> 'A'"]


def test_arabic_names_run_right_to_left_and_latin_runs_inside_them_left_to_right() -> None:
    oil = PlanExhibitor(
        id=5, name_ar="تعاونية زيت الزيتون Bio", name_latin="Zitoun Bio", sector="agriculture", region="MA-04"
    )
    stand = PlanStand(code="F-1", x=0, y=0, width=12, depth=4, status="assigned", exhibitors=(oil,))
    group = stand_group(parse(render_plan_svg(HALL, [stand], language="ar")), "F-1")
    code, name = texts(group)
    assert (code.get("direction"), plain(code)) == ("ltr", "F-1")
    assert (name.get("direction"), name.get("unicode-bidi"), name.get(XML_LANG)) == ("rtl", "embed", "ar")
    assert (name.text or "").startswith("\u2067")  # RLI: for renderers that ignore the attribute
    latin = name.find(f"{SVG}tspan")
    assert latin is not None
    assert latin.get("direction") == "ltr"
    assert plain(latin) == "Bio"
    assert plain(name) == "تعاونية زيت الزيتون Bio"
    # In French the Latin name is shown, left to right.
    group = stand_group(parse(render_plan_svg(HALL, [stand], language="fr")), "F-1")
    assert [(text.get("direction"), plain(text)) for text in texts(group)] == [("ltr", "F-1"), ("ltr", "Zitoun Bio")]


def test_long_names_shrink_then_end_with_an_ellipsis_and_never_overflow() -> None:
    short = PlanExhibitor(id=1, name_ar="", name_latin="Imane", sector="other", region="MA-01")
    longer = PlanExhibitor(id=2, name_ar="", name_latin="Association Imane", sector="other", region="MA-01")
    longest = PlanExhibitor(
        id=3, name_ar="", name_latin="Association des femmes de l'Atlas pour l'artisanat et le développement durable",
        sector="other", region="MA-01",
    )  # fmt: skip
    stands = [
        PlanStand(code=f"G-{index}", x=index * 3, y=0, width=3, depth=3, status="assigned", exhibitors=(exhibitor,))
        for index, exhibitor in enumerate((short, longer, longest))
    ]
    root = parse(render_plan_svg(HALL, stands))
    names = [texts(stand_group(root, f"G-{index}"))[1] for index in range(3)]
    sizes = [float(name.get("font-size", "0")) for name in names]
    assert sizes[0] > sizes[1] > MIN_FONT
    assert sizes[2] == MIN_FONT
    assert sizes[0] <= MAX_NAME_FONT
    assert plain(names[1]) == "Association Imane"
    assert plain(names[2]).endswith(ELLIPSIS)
    assert plain(names[2]).startswith("Association des")
    for name, size in zip(names, sizes, strict=True):
        # The estimate (0.62 em a letter, generous for a sans font) stays inside the 28-unit inner width.
        assert len(plain(name)) * 0.62 * size <= 28 + 1e-9


def test_fit_line() -> None:
    assert fit_line("A-1", 28, 8) == fit_line("A-1", 28, 8)
    fitted = fit_line("A-1", 28, 8)
    assert fitted is not None
    assert (fitted.text, fitted.font_size, fitted.truncated) == ("A-1", 8, False)
    cut = fit_line("x" * 100, 28, 8)
    assert cut is not None
    assert cut.text == "x" * 21 + ELLIPSIS
    assert cut.font_size == MIN_FONT
    assert cut.truncated
    assert fit_line("anything", 1, 8) is None  # not one letter fits
    assert fit_line("A-1", 28, 1) is None  # no room for a legible line


def test_a_stand_too_small_for_names_keeps_its_code_and_a_tiny_one_has_no_text() -> None:
    flat = PlanStand(code="H-1", x=0, y=0, width=3, depth=0.6, status="assigned", exhibitors=(ARGAN,))
    tiny = PlanStand(code="H-2", x=5, y=0, width=0.3, depth=0.3, status="assigned", exhibitors=(ARGAN,))
    root = parse(render_plan_svg(HALL, [flat, tiny]))
    assert [plain(text) for text in texts(stand_group(root, "H-1"))] == ["H-1"]
    assert texts(stand_group(root, "H-2")) == []


def test_a_highlighted_stand_stands_out() -> None:
    stand = PlanStand(code="J-1", x=0, y=0, width=3, depth=3, status="assigned", exhibitors=(ARGAN,), highlight=True)
    group = stand_group(parse(render_plan_svg(HALL, [stand])), "J-1")
    assert "highlight" in (group.get("class") or "").split()
    rect = group.find(f"{SVG}rect")
    assert rect is not None
    assert (rect.get("stroke"), rect.get("stroke-width")) == ("#c2185b", "1.2")


def test_the_print_layout_is_the_drawing_only() -> None:
    """WeasyPrint reverses Arabic words in SVG text: the printed plan sets every label in HTML."""
    oil = PlanExhibitor(id=5, name_ar="تعاونية زيت", name_latin="Zitoun Bio", sector="agriculture", region="MA-04")
    stand = PlanStand(code="K-1", x=0, y=0, width=12, depth=4, status="moved", exhibitors=(oil,))
    for language in ("ar", "fr"):
        root = parse(render_plan_svg(HALL, [stand], language=language, for_print=True))
        assert list(root.iter(f"{SVG}text")) == []
        assert [element.tag.removeprefix(SVG) for element in root.iter()] == [
            "svg",
            "title",
            "rect",
            "g",
            "rect",
            "path",
        ]


def test_stand_lines_are_what_the_svg_draws() -> None:
    stand = PlanStand(code="K-1", x=1, y=2, width=12, depth=4, status="assigned", exhibitors=(ARGAN, WEAVERS))
    lines = stand_lines(stand, "ar")
    assert [(line.text, line.bold, line.arabic) for line in lines] == [
        ("K-1", True, False),
        ("تعاونية أركان الخير", False, True),
        ("تعاونية تيفاوين", False, True),
    ]
    # Centred in the stand (y from 20 to 60 units), one line under the other.
    height = sum(line.font_size * LINE_HEIGHT for line in lines)
    assert lines[0].top == pytest.approx(40 - height / 2)
    assert lines[1].top == pytest.approx(lines[0].top + lines[0].font_size * LINE_HEIGHT)
    drawn = texts(stand_group(parse(render_plan_svg(HALL, [stand], language="ar")), "K-1"))
    assert [plain(text) for text in drawn] == [line.text for line in lines]
    assert [text.get("font-size") for text in drawn] == [f"{line.font_size:g}" for line in lines]


def test_the_sample_hall_renders_every_stand_inside_the_hall() -> None:
    hall, stands = sample_plan(600)
    root = parse(render_plan_svg(hall, stands, colour_by="sector", language="ar"))
    groups = [group for group in root.iter(f"{SVG}g") if group.get("data-stand")]
    assert len(groups) == 600
    assert len({group.get("data-stand") for group in groups}) == 600
    for stand in stands:
        assert stand.x >= 0
        assert stand.x + stand.width <= hall.width_m
        assert stand.y >= 0
        assert stand.y + stand.depth <= hall.depth_m
