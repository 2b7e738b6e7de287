"""The fitting rule alone, with a ruler whose every character is half an em wide."""

from __future__ import annotations

import pytest

from exhibitions.badges.fitting import Fit, fit_paragraphs, fit_text, line_count


def half_em(text: str) -> float:
    return 0.5 * len(text)


def test_words_wrap_greedily_at_spaces() -> None:
    assert line_count([40, 40, 40], 10, 100) == 2  # 40 + 10 + 40 = 90 fits; the third goes below
    assert line_count([40, 40, 40], 10, 140) == 1
    assert line_count([], 10, 100) == 1


def test_a_word_wider_than_the_box_is_broken_and_counted_for_the_lines_it_takes() -> None:
    assert line_count([250], 10, 100) == 3
    # The broken word's last piece (50) leaves room for a 40 after a space.
    assert line_count([250, 40], 10, 100) == 3
    assert line_count([250, 45], 10, 100) == 4


def test_a_short_name_takes_the_largest_size() -> None:
    fit = fit_text("Amina", width=200, height=100, measure=half_em, max_size=28, min_size=8, slack=1)
    assert fit == Fit(28, 1, True)


def test_a_long_name_shrinks_to_the_largest_size_that_fits() -> None:
    # 20 words of 5 characters: at size s a word is 2.5 s wide, a space 0.5 s.
    name = " ".join(["abcde"] * 20)
    fit = fit_text(name, width=300, height=60, measure=half_em, max_size=28, min_size=4, line_height=1.2, slack=1)
    # 20 words of 2.5 em and spaces of 0.5 em: the size found fits, the next step up does not.
    assert fit.fits
    assert fit.lines * fit.size * 1.2 <= 60
    bigger = fit.size + 0.5
    lines_bigger = line_count([2.5 * bigger] * 20, 0.5 * bigger, 300)
    assert lines_bigger * bigger * 1.2 > 60  # the next step up would not fit: the largest was taken


def test_the_exact_size_for_a_known_case() -> None:
    # Two words of 10 characters (5 em each) and a space (0.5 em) in a 100 x 30 box, line height 1:
    # one line needs 10.5 s <= 100 -> s <= 9.52 and s <= 30: 9.5; two lines need 5 s <= 100 and 2 s <= 30: 15.
    fit = fit_text(
        "abcdefghij abcdefghij", width=100, height=30, measure=half_em, max_size=40, min_size=4, line_height=1, slack=1
    )
    assert fit == Fit(15, 2, True)
    one_line = fit_text(
        "abcdefghij abcdefghij",
        width=100,
        height=30,
        measure=half_em,
        max_size=40,
        min_size=4,
        line_height=1,
        slack=1,
        max_lines=1,
    )
    assert one_line == Fit(9.5, 1, True)


def test_slack_keeps_a_margin() -> None:
    fit = fit_text("abcdefghij", width=100, height=100, measure=half_em, max_size=40, min_size=4, slack=0.9)
    assert fit == Fit(18, 1, True)  # 5 s <= 90


def test_a_long_word_shrinks_before_it_is_broken() -> None:
    # Broken in two, it would fit at 40 pt (2 lines of 48 <= 100); whole, it takes 20 pt.
    fit = fit_text("abcdefghijklmnopqrst", width=100, height=100, measure=half_em, max_size=40, min_size=4, slack=1)
    assert fit == Fit(10, 1, True)


def test_a_word_too_long_even_at_the_smallest_size_is_broken() -> None:
    fit = fit_text("a" * 100, width=100, height=100, measure=half_em, max_size=40, min_size=4, line_height=1, slack=1)
    # 50 em at 4 pt: 200 wide, 2 lines of 4 pt.
    assert fit == Fit(4, 2, True)


def test_paragraphs_add_their_lines_and_gaps() -> None:
    fit = fit_paragraphs(
        ["abcd", "abcd"],
        width=100,
        height=30,
        measure=half_em,
        max_size=20,
        min_size=4,
        line_height=1,
        gap=0.5,
        slack=1,
    )
    # Two lines and two half-em gaps: 3 s <= 30.
    assert fit == Fit(10, 2, True)


def test_when_even_the_smallest_size_is_too_big_the_caller_is_told() -> None:
    fit = fit_text(
        " ".join(["abcdefghij"] * 50), width=50, height=10, measure=half_em, max_size=12, min_size=6, slack=1
    )
    assert fit.size == 6
    assert not fit.fits


@pytest.mark.parametrize(
    "arguments",
    [
        {"width": 0, "height": 10, "max_size": 12, "min_size": 6},
        {"width": 10, "height": -1, "max_size": 12, "min_size": 6},
        {"width": 10, "height": 10, "max_size": 5, "min_size": 6},
        {"width": 10, "height": 10, "max_size": 12, "min_size": 0},
    ],
)
def test_a_box_or_sizes_that_make_no_sense_are_refused(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        fit_text(
            "name",
            measure=half_em,
            width=arguments["width"],
            height=arguments["height"],
            max_size=arguments["max_size"],
            min_size=arguments["min_size"],
        )
