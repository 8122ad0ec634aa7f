"""Word export, read back with python-docx as Word would show it."""

from __future__ import annotations

import io

import docx
import pytest
from docx.shared import Mm

from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.synthesis.bouwsteen import assemble
from tests.synthesis.builders import energie_werkplaats


@pytest.fixture(scope="module")
def rendered():
    w, records, ids = energie_werkplaats()
    data = bouwsteen_docx.render(assemble(w, records))
    return data, docx.Document(io.BytesIO(data)), records


def test_real_headings_for_title_sections_and_rounds(rendered):
    _, doc, _ = rendered
    headings = [(p.style.name, p.text) for p in doc.paragraphs
                if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert headings[0] == ("Title", "Bouwsteen Energie in de regio")
    level1 = [t for s, t in headings if s == "Heading 1"]
    assert level1[0] == "Samenvatting" and level1[-1] == "Bijlage: alle bijdragen"
    assert "Afwijkende geluiden" in level1 and "Opgaven, kansen en dilemma's" in level1
    rounds = [t for s, t in headings if s == "Heading 2"]
    assert rounds[0].startswith("Ronde 1") and len(rounds) == 5


def test_tables_for_the_kop_and_opgaven_kansen_dilemmas(rendered):
    _, doc, _ = rendered
    head, odk = doc.tables[0], doc.tables[1]
    assert head.cell(0, 0).text == "Werkplaats" and head.cell(0, 1).text == "Energie in de regio"
    assert [c.text for c in odk.rows[0].cells] == ["Soort", "Punt", "Deelnemers", "Steun",
                                                   "Bijlage"]
    net = next(r for r in odk.rows[1:] if "netcongestie" in r.cells[1].text)
    assert net.cells[0].text == "Opgave" and net.cells[4].text == "[13–15]"


def test_provenance_as_bijlage_references_and_every_contribution_in_the_bijlage(rendered):
    _, doc, records = rendered
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "We moeten veel meer windmolens op zee plaatsen" in text and "[1–7]" in text
    numbered = [p.text for p in doc.paragraphs if p.text.split(".\t")[0].isdigit()]
    assert [int(t.split(".\t")[0]) for t in numbered] == [r.number for r in records]


def test_a4_dutch_and_deterministic(rendered):
    data, doc, _ = rendered
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert doc.core_properties.language == "nl-NL"
    w, records, _ = energie_werkplaats()
    assert bouwsteen_docx.render(assemble(w, records)) == data
