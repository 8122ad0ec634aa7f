"""The Document's small helpers: references, dates, the plain-data round trip."""

from __future__ import annotations

from datetime import date

import pytest

from noviwerk.synthesis.document import (
    Document,
    Head,
    Provenance,
    from_dict,
)
from noviwerk.synthesis.phrasing import (
    as_sentence,
    count,
    format_date_nl,
    format_references,
    join,
    number,
)


@pytest.mark.parametrize(("numbers", "expected"), [
    ([], ""),
    ([3], "[3]"),
    ([4, 3], "[3, 4]"),
    ([1, 2, 3, 7, 9, 10, 11, 12], "[1–3, 7, 9–12]"),
    ([5, 5, 6], "[5, 6]"),
])
def test_references_read_like_a_report(numbers, expected):
    assert format_references(numbers) == expected


def test_dates_in_dutch():
    assert format_date_nl(date(2015, 10, 8)) == "8 oktober 2015"
    assert format_date_nl(None) == ""


def test_dutch_phrasing_helpers():
    assert number(1) == "één" and number(20) == "twintig" and number(21) == "21"
    assert count(1, "stem", "stemmen") == "één stem"
    assert join(["a", "b", "c"]) == "a, b en c"
    assert as_sentence("  meer groen in de stad ") == "Meer groen in de stad."
    assert as_sentence("Wie betaalt?") == "Wie betaalt?"


def test_provenance_adds_up():
    assert Provenance((2,), (5,)) + Provenance((1, 2), (4, 5)) == Provenance((1, 2), (4, 5))
    assert not Provenance()
    parts = [Provenance((3,), (9,)), Provenance((1, 3), (2, 9)), Provenance()]
    assert Provenance.union(parts) == Provenance((1, 3), (2, 9))
    assert Provenance.union([]) == Provenance()


def test_unknown_schema_is_refused():
    doc = Document(title="t", status_note="s", head=Head(werkplaats_id=1, title="t",
                                                          programme="p"), sections=())
    from noviwerk.synthesis.document import to_dict

    data = to_dict(doc)
    assert from_dict(data) == doc
    data["schema"] = "iets anders/9"
    with pytest.raises(ValueError):
        from_dict(data)
