"""What participants type can break no export and inject into none."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import docx
import pytest

from noviwerk.export.bouwsteen import csv as bouwsteen_csv
from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.export.bouwsteen import json as bouwsteen_json
from noviwerk.export.bouwsteen import markdown as bouwsteen_markdown
from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf
from noviwerk.synthesis.bouwsteen import assemble
from tests.synthesis.builders import Contributions, werkplaats

NASTY = [
    "<script>alert('x')</script> meer windmolens op zee",
    "**Vet** | kolom | [link](javascript:alert(1)) ![img](http://example.test/a.png)",
    "=HYPERLINK(\"http://example.test\",\"klik\")",
    "+31 612345678 bel mij",
    "tekst met\x00nul\x07bel\x1b[31mkleur\x0bvtab en \u202eomgekeerd\ufffe einde",
    "# geen kop\n- geen lijst\n> geen citaat",
    "&lt;b&gt;entiteit&lt;/b&gt; & </section><h1>kaping</h1>",
]


@pytest.fixture(scope="module")
def document():
    c = Contributions()
    for i, text in enumerate(NASTY):
        c.add(1 + i % 3, text, label="citaat" if i == 0 else "opgave", veld="maatschappelijk")
    w = werkplaats(title="Werkplaats <b>vet</b> & \x07co")
    return assemble(w, c.records)


def test_markdown_keeps_markup_as_text(document):
    text = bouwsteen_markdown.render(document)
    assert "<script>" not in text and "</section>" not in text
    assert "\\<script\\>" in text
    assert "\\*\\*Vet\\*\\* \\| kolom \\|" in text
    assert not any(ch in text for ch in "\x00\x07\x1b\x0b\u202e\ufffe")
    pipes = re.compile(r"(?<!\\)\|")
    for table in re.findall(r"(?m)(?:^\|.*\n)+", text):  # every row keeps its column count
        counts = {len(pipes.findall(line)) for line in table.splitlines()}
        assert len(counts) == 1, table


def test_docx_opens_and_holds_the_text(document):
    data = bouwsteen_docx.render(document)
    doc = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "<script>alert('x')</script>" in text  # shown as typed, as text
    assert "tekst metnulbel[31mkleur vtab en omgekeerd einde" in text
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None


def test_pdf_renders_and_html_is_escaped(document):
    html = bouwsteen_pdf.render_html(document)
    assert "<script>" not in html and "<h1>kaping</h1>" not in html
    assert "&lt;script&gt;" in html
    assert "\x00" not in html and "\u202e" not in html
    # the title rides into every page's footer from the h1: as text, never markup
    assert "<h1>Bouwsteen Werkplaats &lt;b&gt;vet&lt;/b&gt; &amp; co</h1>" in html
    assert bouwsteen_pdf.render(document).startswith(b"%PDF-")


def test_json_is_inert_in_html(document):
    text = bouwsteen_json.render(document)
    assert "<" not in text and ">" not in text
    assert json.loads(text)["head"]["title"] == "Werkplaats <b>vet</b> & co"


def test_csv_defuses_formulas(document):
    rows = list(csv.DictReader(io.StringIO(bouwsteen_csv.render(document).lstrip("\ufeff"))))
    texts = [r["tekst"] for r in rows]
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert any(t.startswith("'+31 612345678") for t in texts)
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert all("\x00" not in t for t in texts)
