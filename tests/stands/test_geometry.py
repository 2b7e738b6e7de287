"""Stand geometry and grids, the pure modules: plain data in, every error at once."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from exhibitions.errors import FieldError
from exhibitions.stands.grid import GridSpec, generate_grid, grid_errors
from exhibitions.stands.validation import (
    Rectangle,
    centimetres,
    clashes,
    length_errors,
    outside_hall_errors,
    overlapping_pairs,
    overlaps,
)


def test_rectangles_sharing_an_edge_or_a_corner_do_not_overlap() -> None:
    a = Rectangle("A", 0, 0, 300, 300)
    assert not overlaps(a, Rectangle("B", 300, 0, 300, 300))
    assert not overlaps(a, Rectangle("C", 0, 300, 300, 300))
    assert not overlaps(a, Rectangle("D", 300, 300, 300, 300))
    assert overlaps(a, Rectangle("E", 299, 299, 300, 300))
    assert overlaps(a, Rectangle("F", 100, 100, 1, 1))


rectangles = st.lists(
    st.builds(
        Rectangle,
        st.just("s"),
        st.integers(0, 50),
        st.integers(0, 50),
        st.integers(1, 20),
        st.integers(1, 20),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(rectangles)
def test_the_sweep_finds_exactly_the_pairs_that_every_comparison_finds(found: list[Rectangle]) -> None:
    expected = [(i, j) for i, j in combinations(range(len(found)), 2) if overlaps(found[i], found[j])]
    assert overlapping_pairs(found) == expected


def test_clashes_name_new_stands_against_each_other_and_the_existing_ones() -> None:
    existing = [Rectangle("A-1", 0, 0, 300, 300)]
    new = [Rectangle("B-1", 200, 0, 300, 300), Rectangle("B-2", 400, 0, 300, 300), Rectangle("B-3", 900, 0, 1, 1)]
    assert sorted(clashes(new, existing)) == [("B-1", "A-1"), ("B-1", "B-2")]


def test_sizes_and_places_are_checked_in_metres_and_stored_in_centimetres() -> None:
    assert (centimetres(2.5), centimetres(0.004), centimetres(3.335)) == (250, 0, 334)
    assert length_errors("width", -3, positive=True) == [FieldError("width", "not_positive", "must be at least 1 cm")]
    assert length_errors("width", 0.004, positive=True)[0].code == "not_positive"
    assert length_errors("x", -0.01, positive=False) == [FieldError("x", "negative", "must not be negative")]
    assert length_errors("x", float("nan"), positive=False)[0].code == "invalid"
    assert length_errors("x", 0, positive=False) == []
    assert length_errors("x", 200_000, positive=False)[0].code == "too_large"


def test_a_stand_beyond_the_hall_is_named_on_each_axis_and_an_unknown_size_bounds_nothing() -> None:
    stand = Rectangle("B-14", 2800, 1900, 300, 300)
    assert [(e.field, e.code) for e in outside_hall_errors(stand, 3000, 2000)] == [
        ("x", "outside_hall"),
        ("y", "outside_hall"),
    ]
    assert outside_hall_errors(stand, 3100, 2200) == []
    assert outside_hall_errors(stand, None, None) == []


def test_a_grid_numbers_rows_left_to_right_with_aisles_cross_aisles_and_corners() -> None:
    spec = GridSpec(
        rows=2, columns=4, stand_width_cm=300, stand_depth_cm=250, aisle_cm=400, origin_x_cm=100, origin_y_cm=50,
        prefix="B", first_number=11, cross_aisle_every=2, cross_aisle_cm=200, mark_corners=True,
    )  # fmt: skip
    assert grid_errors(spec) == []
    made = generate_grid(spec)
    assert [(s.rectangle.code, s.rectangle.x_cm, s.rectangle.y_cm, s.corner) for s in made] == [
        ("B-11", 100, 50, True), ("B-12", 400, 50, True), ("B-13", 900, 50, True), ("B-14", 1200, 50, True),
        ("B-15", 100, 700, True), ("B-16", 400, 700, True), ("B-17", 900, 700, True), ("B-18", 1200, 700, True),
    ]  # fmt: skip
    assert overlapping_pairs([s.rectangle for s in made]) == []
    plain = generate_grid(GridSpec(rows=1, columns=3, stand_width_cm=300, stand_depth_cm=300, prefix="A"))
    assert [(s.rectangle.code, s.rectangle.x_cm, s.corner) for s in plain] == [
        ("A-1", 0, False), ("A-2", 300, False), ("A-3", 600, False),
    ]  # fmt: skip


def test_a_bad_grid_is_refused_with_every_field_named() -> None:
    spec = GridSpec(rows=0, columns=-1, stand_width_cm=0, stand_depth_cm=300, aisle_cm=-1, prefix="B!")
    assert [(e.field, e.code) for e in grid_errors(spec)] == [
        ("rows", "too_small"), ("columns", "too_small"), ("stand_width", "too_small"), ("aisle_width", "too_small"),
        ("prefix", "invalid_code"),
    ]  # fmt: skip
    huge = GridSpec(rows=100, columns=100, stand_width_cm=300, stand_depth_cm=300)
    assert [(e.field, e.code) for e in grid_errors(huge)] == [("rows", "too_many")]
