"""Every export of a draft made from bad input comes out whole and readable (issue 14).

The inputs are tests/synthesis/test_bad_input.py's. Markdown, JSON and CSV for all of them,
the 5,000 contributions in one round included; docx and PDF (slow to print at 5,000) for the
small ones. Read back, each export holds every contribution and none of the slips a machine
makes on odd input ("None", "nul bijdragen", a heading over nothing).
"""

from __future__ import annotations

import csv
import io
import json
import re

import docx
import pytest

from noviwerk.export.bouwsteen import csv as bouwsteen_csv
from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.export.bouwsteen import json as bouwsteen_json
from noviwerk.export.bouwsteen import markdown as bouwsteen_markdown
from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf
from noviwerk.synthesis.bouwsteen import assemble
from tests.synthesis.test_bad_input import EMOJI, SLIPS, SMALL, bad_input

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module", params=SMALL)
def small(request):
    w, records = bad_input(request.param)
    return request.param, records, assemble(w, records)


@pytest.fixture(scope="module")
def many():
    w, records = bad_input("many")
    return "many", records, assemble(w, records)


def _check_markdown(records, text: str) -> None:
    assert not SLIPS.search(text), SLIPS.search(text)
    lines = [line for line in text.splitlines() if line.strip()]
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        # A heading is followed by something that is not itself a heading of its level or above.
        if re.match(r"#{1,2} ", line):
            assert after and not re.match(r"#{1,2} ", after), f"heading over nothing: {line}"
    for r in records[:50]:
        assert f"**{r.number}.**" in text


def test_markdown(small):
    _, records, document = small
    _check_markdown(records, bouwsteen_markdown.render(document))


def test_markdown_of_five_thousand(many):
    _, records, document = many
    _check_markdown(records, bouwsteen_markdown.render(document))


def _check_data(records, document) -> None:
    data = json.loads(bouwsteen_json.render(document))
    assert data["head"]["contributions"] == len(records)
    rows = list(csv.DictReader(io.StringIO(bouwsteen_csv.render(document).removeprefix("\ufeff"))))
    assert sorted(int(r["nummer"]) for r in rows) == sorted(r.number for r in records)
    assert not any(v == "None" for row in rows for v in row.values())


def test_json_and_csv(small):
    _, records, document = small
    _check_data(records, document)


def test_json_and_csv_of_five_thousand(many):
    _, records, document = many
    _check_data(records, document)


def test_docx(small):
    name, records, document = small
    paragraphs = [p.text for p in docx.Document(io.BytesIO(bouwsteen_docx.render(document))).paragraphs]
    text = "\n".join(paragraphs)
    assert not SLIPS.search(text), SLIPS.search(text)
    assert document.title in paragraphs
    for r in records:
        assert r.text.strip() in text
    if name == "emoji":
        assert all(e in text for e in EMOJI)


def test_pdf(small):
    name, records, document = small
    reader = pypdf.PdfReader(io.BytesIO(bouwsteen_pdf.render(document)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert not SLIPS.search(text), SLIPS.search(text)
    assert "Bijlage" in text
    if name == "none":
        assert "Er zijn nog geen bijdragen." in text
