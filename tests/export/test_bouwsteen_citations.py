"""Every citation true, in every format: a trekker's own paragraph cites nothing unless the
trekker typed references, a paragraph with "[2]" cites exactly 2, a machine passage the
trekker kept cites exactly what it cited before; and what the trekker wrote is marked."""

from __future__ import annotations

import io
import re

import docx
import pytest

from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.export.bouwsteen import json as bouwsteen_json
from noviwerk.export.bouwsteen import markdown as bouwsteen_markdown
from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf
from noviwerk.synthesis import editing
from noviwerk.synthesis.bouwsteen import assemble, at_stage
from noviwerk.synthesis.document import HAND, MACHINE, SAMENVATTING, Paragraph
from tests.synthesis.builders import energie_werkplaats

OWN = "Wat ons als trekkers opviel: iedereen wil vooruit met de energietransitie."
CITED = "Netcongestie raakt ook de woningbouw."
CITATION = re.compile(r"\[\d")


@pytest.fixture(scope="module")
def edited():
    """The samenvatting with its lead and its first rode draad kept, one own and one cited
    paragraph."""
    w, records, _ = energie_werkplaats()
    document = assemble(w, records)
    section = document.section(SAMENVATTING)
    paragraphs = editing.section_to_text(section).split("\n\n")
    kept = [paragraphs[0], paragraphs[2]]  # the lead, and the strongest rode draad's line
    text = "\n\n".join([*kept, OWN, f"{CITED} [2]"])
    new = editing.text_to_section(section, text, editing.number_to_id(document))
    return editing.replace_section(document, new), document


def _line_with(text: str, rendered: str) -> str:
    return next(line for line in rendered.splitlines() if text[:30] in line)


def test_the_edited_section_cites_exactly_what_it_rests_on(edited):
    document, machine = edited
    lead, first, own, cited = document.section(SAMENVATTING).blocks
    machine_first = machine.section(SAMENVATTING).blocks[2].items[0]
    assert lead.kind == "note" and lead.origin == MACHINE
    assert isinstance(first, Paragraph) and first.origin == MACHINE
    assert [s.provenance for s in first.sentences] == [machine_first.provenance]
    assert own.origin == HAND and not own.sentences[0].provenance
    assert own.sentences[0].text == OWN
    assert cited.origin == HAND and cited.sentences[0].provenance.numbers == (2,)


def test_markdown(edited):
    document, machine = edited
    rendered = bouwsteen_markdown.render(document)
    assert not CITATION.search(_line_with(OWN, rendered))
    assert _line_with(CITED, rendered).endswith("[2] *(trekker)*")
    first = machine.section(SAMENVATTING).blocks[2].items[0]
    assert _line_with(first.text, rendered).endswith("[1\u20137]")
    assert "*Bewerkt door de trekker" in rendered


def test_docx(edited):
    document, _ = edited
    paragraphs = [p.text for p in docx.Document(io.BytesIO(bouwsteen_docx.render(document))).paragraphs]
    own = next(p for p in paragraphs if OWN in p)
    assert not CITATION.search(own)
    assert next(p for p in paragraphs if CITED in p).endswith("[2] (trekker)")
    assert any(p.startswith("Bewerkt door de trekker") for p in paragraphs)


def test_pdf(edited):
    pypdf = pytest.importorskip("pypdf")
    document, _ = edited
    html = bouwsteen_pdf.render_html(document)
    own = next(p for p in re.findall(r"<p[^>]*>.*?</p>", html, re.S) if OWN in p)
    assert 'class="refs"' not in own and not CITATION.search(own)
    reader = pypdf.PdfReader(io.BytesIO(bouwsteen_pdf.render(document)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"{OWN} (trekker)" in text or f"{OWN}(trekker)" in text
    assert "[2] (trekker)" in text
    assert "Bewerkt door de trekker" in text


def test_json_keeps_the_origin_of_every_passage(edited):
    document, _ = edited
    data = bouwsteen_json.render(document)
    assert f'"{OWN}"' in data and '"origin": "hand"' in data


def test_a_gereed_bouwsteen_names_who_signed_it_off_in_every_format(edited):
    document, _ = edited
    gereed = at_stage(document, "gereed", "Anna de Trekker")
    assert "Vastgesteld door Anna de Trekker" in bouwsteen_markdown.render(gereed)
    paragraphs = docx.Document(io.BytesIO(bouwsteen_docx.render(gereed))).paragraphs
    assert any("Vastgesteld door Anna de Trekker" in p.text for p in paragraphs)
    assert "Vastgesteld door Anna de Trekker" in bouwsteen_pdf.render_html(gereed)
