"""Word export, read back with python-docx as Word would show it."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.synthesis.bouwsteen import assemble
from noviwerk.synthesis.document import Provenance
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


def _mm(length) -> float:
    return length / Mm(1)


def _grid(table) -> list[float]:
    return [_mm(int(col.get(qn("w:w"))) * 635) for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]


def test_the_opgaven_table_has_a_narrow_soort_column_and_a_wide_text_column(rendered):
    _, doc, _ = rendered
    odk = doc.tables[1]
    grid = _grid(odk)  # what LibreOffice lays out by
    soort, punt, deelnemers, steun, bijlage = grid
    assert 12 < soort < 25 and 12 < steun < 25 and 12 < bijlage <= 30 and deelnemers < 30
    assert punt > 70 and punt > 2 * max(soort, deelnemers, steun, bijlage)
    assert abs(sum(grid) - 160) < 1  # the page's text width (A4 less 2 × 25 mm)
    for row in odk.rows:  # what Word lays out by: the same widths on every cell
        assert [round(_mm(c.width), 1) for c in row.cells] == [round(w, 1) for w in grid]
    assert odk._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"  # autofit off
    head = _grid(doc.tables[0])
    assert round(head[0]) == 40 and abs(sum(head) - 160) < 1


def _bookmarks(doc) -> dict[str, str]:
    """Bookmark name -> text of the paragraph it marks."""
    return {
        start.get(qn("w:name")): paragraph.text
        for paragraph in doc.paragraphs
        for start in paragraph._p.iterchildren(qn("w:bookmarkStart"))
    }


def test_citations_link_to_their_entries_in_the_bijlage(rendered):
    _, doc, records = rendered
    bookmarks = _bookmarks(doc)
    for record in records:  # every bijlage entry is a bookmark on its own paragraph
        assert bookmarks[f"bijlage_{record.number}"].startswith(f"{record.number}.\t")
    paragraphs = [p for p in doc.paragraphs if "We moeten veel meer windmolens op zee" in p.text]
    point = next(p for p in paragraphs if "[1–7]" in p.text)
    assert [(h.text, h.fragment) for h in point.hyperlinks] == [("1", "bijlage_1"),
                                                                ("7", "bijlage_7")]
    net = next(r for r in doc.tables[1].rows if "netcongestie" in r.cells[1].text)
    assert [(h.text, h.fragment) for h in net.cells[4].paragraphs[0].hyperlinks] == [
        ("13", "bijlage_13"), ("15", "bijlage_15")]
    cells = [p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    links = [h for p in doc.paragraphs + cells for h in p.hyperlinks]
    assert len(links) > 20
    for link in links:  # each link a number that goes to that number's entry, none outside
        assert not link.address and link.fragment == f"bijlage_{link.text}"
        assert link.fragment in bookmarks


def test_a_long_citation_links_its_numbers_and_not_the_count_of_the_rest():
    numbers = tuple(range(1, 60, 2))  # thirty contributions: ten shown, twenty counted
    paragraph = docx.Document().add_paragraph("Veel genoemd.")
    bouwsteen_docx._refs(paragraph, Provenance(numbers, numbers))
    assert paragraph.text == "Veel genoemd. [1, 3, 5, 7, 9, 11, 13, 15, 17, 19 en nog 20]"
    assert [h.fragment for h in paragraph.hyperlinks] == [f"bijlage_{n}" for n in numbers[:10]]


def test_created_is_when_the_version_was_made_and_the_kop_says_when_the_werkplaats_ran(rendered):
    _, doc, _ = rendered
    assert doc.core_properties.created is None  # not known: left out, not the werkplaats' date
    w, records, _ = energie_werkplaats()
    made = datetime(2026, 12, 1, 23, 6, 38, tzinfo=UTC)
    document = replace(assemble(w, records), made_at=made)
    props = docx.Document(io.BytesIO(bouwsteen_docx.render(document))).core_properties
    assert props.created == props.modified == made
    rows = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert rows["Datum"] == "15 oktober 2015"  # the day the werkplaats ran (Head.date)
