"""Markdown export: a golden file per fixture, and escaping that keeps text inert.

Regenerate the golden files after an intended change with
``NOVIWERK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/export/test_bouwsteen_markdown.py`` and
review the diff like any other change to the product's text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from noviwerk.export.bouwsteen import markdown as bouwsteen_markdown
from noviwerk.synthesis.bouwsteen import assemble
from tests.synthesis.builders import energie_werkplaats, sample_werkplaatsen

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("NOVIWERK_UPDATE_GOLDEN") == "1"


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; review it")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from the golden file; if intended, regenerate with "
        "NOVIWERK_UPDATE_GOLDEN=1"
    )


def test_energie_matches_golden():
    w, records, _ = energie_werkplaats()
    _check_golden("bouwsteen_energie.md", bouwsteen_markdown.render(assemble(w, records)))


def test_sample_water_verbindt_matches_golden():
    w, records = sample_werkplaatsen()[0]
    _check_golden("bouwsteen_water_verbindt.md", bouwsteen_markdown.render(assemble(w, records)))


def test_structure_a_reader_expects():
    w, records, _ = energie_werkplaats()
    text = bouwsteen_markdown.render(assemble(w, records))
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == "# Bouwsteen Energie in de regio"
    assert "## Samenvatting" in headings and "## Bijlage: alle bijdragen" in headings
    assert "| **Datum** | 15 oktober 2015 |" in text
    assert "- **1.** Meer windmolens op zee bouwen." in text
    assert "[1–7]" in text  # the wind point cites the bijlage


@pytest.mark.parametrize(("raw", "shown"), [
    ("**vet** en _schuin_", r"\*\*vet\*\* en \_schuin\_"),
    ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
    ("a | b", r"a \| b"),
    ("[klik](javascript:alert(1))", r"\[klik\](javascript:alert(1))"),
    ("# kop", r"\# kop"),
    ("1. lijst", r"1\. lijst"),
    ("&lt;b&gt;", r"\&lt;b\&gt;"),
    ("regel\neen\x00\u202etwee", "regel eentwee"),
])
def test_escape_keeps_text_inert(raw, shown):
    assert bouwsteen_markdown.escape(raw) == shown
