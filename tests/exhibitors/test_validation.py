"""Organization fields: every broken rule at once, and the women-led rule."""

from __future__ import annotations

from exhibitions.exhibitors.validation import is_women_led, organization_errors

VALID = {
    "name_ar": "تعاونية أركان الخير", "name_latin": None, "registry_number": "12/2015", "ice": None,
    "region": "MA-09", "city": "Taroudant", "members_total": 40, "members_women": 35, "members_youth": 12,
    "phone": "05 28 84 12 34",
}  # fmt: skip


def test_a_valid_cooperative_passes_and_its_identifiers_are_cleaned() -> None:
    errors, clean = organization_errors(**{**VALID, "ice": "001561191000066", "registry_number": " 12/2015 "})
    assert errors == []
    assert (clean.registry_number, clean.ice, clean.phone) == ("12/2015", "001561191000066", "+212528841234")


def test_every_broken_rule_is_named() -> None:
    errors, _ = organization_errors(
        **{**VALID, "name_ar": " ", "ice": "001561191000067", "region": "MA-13", "members_women": 41,
           "members_youth": 50, "phone": "0033 1 23 45 67 89", "registry_number": "=cmd|x"}
    )  # fmt: skip
    assert [(error.field, error.code) for error in errors] == [
        ("name_latin", "name_required"),
        ("registry_number", "invalid"),
        ("ice", "invalid_ice"),
        ("region", "unknown_region"),
        ("members_women", "more_than_members"),
        ("members_youth", "more_than_members"),
        ("phone", "invalid_phone"),
    ]


def test_an_ice_must_be_fifteen_digits_divisible_by_97() -> None:
    for bad in ("12345", "00156119100006A", "001561191000067"):
        errors, _ = organization_errors(**{**VALID, "ice": bad})
        assert [error.field for error in errors] == ["ice"], bad


def test_women_led_when_declared_or_women_are_over_half() -> None:
    assert is_women_led(declared=False, members_total=40, members_women=21) is True
    assert is_women_led(declared=False, members_total=40, members_women=20) is False
    assert is_women_led(declared=True, members_total=40, members_women=0) is True
    assert is_women_led(declared=False, members_total=0, members_women=0) is False
