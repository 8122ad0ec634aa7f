"""PDF export, read back with pypdf: the text is there, on A4, tagged, with its fonts, and
nothing was fetched."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest

pypdf = pytest.importorskip("pypdf")

from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf  # noqa: E402
from noviwerk.export.printing import FetchRefused  # noqa: E402
from noviwerk.synthesis.bouwsteen import assemble  # noqa: E402
from tests.synthesis.builders import energie_werkplaats  # noqa: E402

A4 = (595.28, 841.89)  # points


@pytest.fixture(scope="module")
def rendered():
    w, records, _ = energie_werkplaats()
    document = assemble(w, records)
    return bouwsteen_pdf.render(document), document


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_the_text_on_a4_pages(rendered):
    data, _ = rendered
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4[0]) < 1 and abs(float(box.height) - A4[1]) < 1
    text = " ".join(_text(data).split())
    for expected in ("Bouwsteen Energie in de regio", "Samenvatting", "Afwijkende geluiden",
                     "Bijlage: alle bijdragen", "Juist geen windmolens op zee",
                     "15 oktober 2015"):
        assert expected in text
    assert reader.metadata.title == "Bouwsteen Energie in de regio"


def test_no_url_is_ever_fetched(monkeypatch):
    asked: list[str] = []
    deny = bouwsteen_pdf.deny_all

    def spy(url, *args, **kwargs):
        asked.append(url)
        return deny(url)

    monkeypatch.setattr(bouwsteen_pdf, "deny_all", spy)
    w, records, _ = energie_werkplaats()
    records[0] = records[0].__class__(**{**records[0].__dict__,
                                          "text": '<img src="http://example.test/x.png">'})
    bouwsteen_pdf.render(assemble(w, records))
    assert asked == []  # escaped markup never becomes an element that could fetch
    with pytest.raises(FetchRefused):
        deny("https://example.test/font.woff")


def test_the_html_is_escaped(rendered):
    _, document = rendered
    html = bouwsteen_pdf.render_html(document)
    assert "<html lang=\"nl\">" in html
    assert "<script" not in html.lower()


def _structure_types(reader) -> Counter:
    """How often each structure type (H1, L, LI, Table, ...) occurs in the tag tree."""
    seen: Counter = Counter()
    todo = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop().get_object()
        if not isinstance(node, dict):  # a marked-content id
            continue
        if "/S" in node:
            seen[str(node["/S"])] += 1
        kids = node.get("/K")
        todo.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    return seen


def test_pdf_is_tagged_with_headings_lists_and_tables(rendered):
    data, document = rendered
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/Lang"] == "nl"
    types = _structure_types(reader)
    for tag in ("/H1", "/H2", "/H3", "/L", "/Table", "/TH", "/TD", "/BlockQuote"):
        assert types[tag] >= 1, tag
    items = sum(1 for _ in document.appendix_items())
    assert types["/LI"] >= items and types["/LBody"] >= items  # every bijlage item a list item


def test_every_bijlage_item_is_numbered_in_order(rendered):
    data, document = rendered
    text = " ".join(_text(data).split()).replace("\u2007", " ")
    bijlage = text[text.index("Bijlage: alle bijdragen"):]
    position = 0
    for item in document.appendix_items():
        found = re.compile(rf"(?<![\d]){item.number}\. ").search(bijlage, position)
        assert found, item.number
        position = found.end()


def test_fonts_are_embedded_and_streams_compressed(rendered):
    data, _ = rendered
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        contents = page["/Contents"]
        for stream in contents if isinstance(contents, list) else [contents]:
            assert stream.get_object()["/Filter"] == "/FlateDecode"
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def test_pages_are_numbered_through_the_whole_document_and_the_bijlage_names_its_numbers(
    rendered,
):
    data, document = rendered
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    total = len(pages)
    footer = f"{document.title} \u2014 concept"
    for k, text in enumerate(pages, start=1):  # the bijlage's pages too
        assert footer in text and f"pagina {k} van {total}" in text
    assert f"pagina {total} van {total}" in pages[-1]
    start = next(i for i, text in enumerate(pages) if "Bijlage: alle bijdragen" in text)
    assert 0 < start  # the text, then the bijlage on pages of its own
    listed: list[int] = []
    for text in pages[start:]:
        numbers = [int(n) for n in re.findall(r"(?:^|(?<=\s))(\d+)\. ", text.replace("\u2007", " "))]
        assert f"bijlage \u00b7 nrs. {numbers[0]}\u2013{numbers[-1]}" in text
        listed += numbers
    assert listed == [item.number for item in document.appendix_items()]
    assert not any("bijlage \u00b7 nrs." in text for text in pages[:start])


def test_citations_link_to_their_entries_in_the_bijlage(rendered):
    data, document = rendered
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [" ".join(page.extract_text().split()).replace("\u2007", " ") for page in reader.pages]
    start = next(i for i, text in enumerate(pages) if "Bijlage: alle bijdragen" in text)
    destinations = reader.named_destinations
    texts = {item.number: " ".join(item.text.split()) for item in document.appendix_items()}
    annotations = [
        (k, annotation.get_object())
        for k, page in enumerate(reader.pages[:start])
        for annotation in page.get("/Annots") or []
    ]
    assert all(a["/Subtype"] == "/Link" and "/A" not in a for _, a in annotations)  # no URI
    links = [(k, str(a["/Dest"])) for k, a in annotations]
    assert len(links) > 20 and {k for k, _ in links} >= {0}  # the samenvatting's too
    for _page, name in links:  # each into the document, at its own entry in the bijlage
        number = int(name.removeprefix("b-"))
        target = reader.get_destination_page_number(destinations[name])
        assert target >= start and f"{number}. {texts[number][:30]}" in pages[target]
    # One link per citation, to its first number: "[1–7]" under the first point goes to 1,
    # "[13–15]" in the table to 13; every citation that names a number has its link.
    cited = {int(name[2:]) for _, name in links}
    firsts = {bouwsteen_pdf.citation_target(p.provenance) for p in document.passages()}
    assert {1, 13} <= cited == firsts - {None}
    assert not {7, 10, 17} & cited  # cited only after another: "[1–7]", "[9, 10]", "[16, 17]"
    widths = [float(a["/Rect"][2]) - float(a["/Rect"][0]) for _, a in annotations]
    assert max(widths) > 60  # the whole "[1–7, 9, 10, 13 en nog 6]" is one target, not a digit


MADE = datetime(2026, 12, 1, 23, 6, 38, 512000, tzinfo=UTC)


def test_the_creation_date_is_when_the_version_was_made_and_the_kop_says_when_the_werkplaats_ran(
    rendered,
):
    data, document = rendered
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert "/CreationDate" not in reader.metadata  # not known: left out, not the werkplaats' date
    made = pypdf.PdfReader(io.BytesIO(bouwsteen_pdf.render(replace(document, made_at=MADE))))
    assert made.metadata["/CreationDate"] == made.metadata["/ModDate"] == "D:20261201230638Z"
    assert made.metadata.creation_date == MADE.replace(microsecond=0)
    kop = " ".join(made.pages[0].extract_text().split())
    assert "Datum 15 oktober 2015" in kop  # the day the werkplaats ran (Head.date)
