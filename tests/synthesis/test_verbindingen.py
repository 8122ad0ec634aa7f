"""Verbindingen name only themes that occur in the contributions they cite (issue 14 item 6)."""

from __future__ import annotations

import re

import pytest

from noviwerk.synthesis import document as d
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.lexicon import THEMES, themes_in
from tests.synthesis.builders import Contributions, energie_werkplaats, sample_werkplaatsen
from tests.synthesis.builders import werkplaats as new_werkplaats


def _verbindingen(contributions: Contributions) -> d.Section:
    document = assemble(new_werkplaats(title="Water verbindt"), contributions.records)
    return document.section(d.VERBINDINGEN)


def _items(section: d.Section) -> list[d.Sentence]:
    return [s for b in section.blocks if isinstance(b, d.PointList) for s in b.items]


def _heading_themes(text: str) -> set[str]:
    """The themes a sentence's heading ("Water, wonen en stad (in de tijd): …") names."""
    heading = re.sub(r"\(.*?\)", "", text.split(":")[0]).lower() if ":" in text else ""
    names = {theme for theme, _ in THEMES}
    return {part.strip() for part in re.split(r", | en ", heading)} & names


def test_the_example_from_the_issue_names_water_and_wonen_and_not_energie():
    c = Contributions()
    c.add(1, "Meer ruimte voor water in de stad")
    c.add(3, "Verbinding: waterbeheer en woningbouw in één gebiedsproces", label="verbinding")
    c.add(3, "Waterbeheer en woningbouw samen plannen per stroomgebied", label="verbinding")
    c.add(3, "Water en wonen: woningbouw afstemmen op het waterbeheer", label="verbinding")
    section = _verbindingen(c)
    (item,) = _items(section)
    assert item.text.startswith("Water en wonen: Waterbeheer en woningbouw in één gebiedsproces")
    assert "energie" not in item.text.lower()
    (table,) = [b for b in section.blocks if isinstance(b, d.Table)]
    assert [row.cells[0] for row in table.rows] == ["water \u2013 wonen"]


def test_a_theme_only_another_member_names_stays_out_of_the_heading():
    c = Contributions()
    c.add(3, "Water en landbouw: zoetwater voor de boeren in de zomer")
    energie = c.add(3, "Water en landbouw, en zonneweides op de boerderij", participant_key="p9")
    section = _verbindingen(c)
    (item,) = _items(section)
    assert item.text.startswith("Water en landbouw:") and "energie" not in item.text.lower()
    # the pair with energie cites only the contribution that names it
    table = next((b for b in section.blocks if isinstance(b, d.Table)), None)
    for row in table.rows if table else ():
        if "energie" in row.cells[0]:
            assert row.provenance.ids == (energie,)


@pytest.mark.parametrize(
    ("text", "not_named"),
    [
        ("Stad en land samen: de autonomie van gemeenten respecteren", "mobiliteit"),
        ("Landbouw en natuur per stroomgebied afstemmen", "energie"),
        ("Luister naar afwijkende geluiden over landbouw en natuur", "gezondheid"),
    ],
)
def test_words_that_only_look_like_a_theme_name_none(text, not_named):
    assert not_named not in themes_in(text)
    c = Contributions()
    c.add(3, text, label="verbinding")
    (item,) = _items(_verbindingen(c))
    assert not_named not in item.text.lower()


def _documents():
    w, records, _ = energie_werkplaats()
    yield assemble(w, records)
    for w, records in sample_werkplaatsen():
        yield assemble(w, records)


def test_every_heading_and_pair_names_themes_its_cited_contributions_name():
    for document in _documents():
        texts = {item.contribution_id: item.text for item in document.appendix_items()}
        section = document.section(d.VERBINDINGEN)
        for item in _items(section):
            cited = set().union(*(themes_in(texts[i]) for i in item.provenance.ids))
            assert _heading_themes(item.text) <= cited, item.text
        for table in (b for b in section.blocks if isinstance(b, d.Table)):
            for row in table.rows:
                a, b = row.cells[0].split(" \u2013 ")
                for i in row.provenance.ids:
                    assert {a, b} <= set(themes_in(texts[i])), (row.cells, texts[i])
