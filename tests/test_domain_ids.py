"""Ids typed or sent as text: only plain ASCII numbers that fit the id column count."""

import pytest

from noviwerk.domain import parse_id


@pytest.mark.parametrize(("raw", "expected"), [("12", 12), (" #12 ", 12), ("#7", 7), ("0", 0)])
def test_plain_numbers_are_ids(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "#", "twaalf", "²", "١٢", "12a", "-3", "1.5", "9" * 19])
def test_anything_else_is_not(raw):
    assert parse_id(raw) is None
