"""The ansichtkaart PDF, read back: one A6 landscape page (or 154 × 111 mm with bleed), the
texts in it, fonts embedded, nothing fetched, and no text outside its place.

Where every character landed is read from the PDF with PDFium (pypdfium2): a character of a
paragraph must lie inside the text column, a term inside the word visual's box, everything on
the card. That is how "never overflows" is checked, for the longest texts ``edit`` accepts and
for the shortest.
"""

from __future__ import annotations

import io

import pytest

pypdf = pytest.importorskip("pypdf")
pdfium = pytest.importorskip("pypdfium2")

from noviwerk.export.ansichtkaart import pdf as ansichtkaart_pdf  # noqa: E402
from noviwerk.export.ansichtkaart.scene import build  # noqa: E402
from noviwerk.synthesis.ansichtkaart import (  # noqa: E402
    LAYOUTS,
    AnsichtkaartContent,
    ContentParagraph,
    Term,
    edit,
    generate,
    layout_geometry,
)
from noviwerk.synthesis.ansichtkaart import layout as L  # noqa: E402
from noviwerk.synthesis.bouwsteen import assemble  # noqa: E402
from tests.synthesis.builders import energie_werkplaats, sample_werkplaatsen  # noqa: E402

PT_PER_MM = 72 / 25.4
A6 = (148 * PT_PER_MM, 105 * PT_PER_MM)
URL = "https://noviwerk.example.nl/bouwsteen/8"
TOLERANCE = 0.35  # mm: anti-aliasing and glyph side bearings


@pytest.fixture(scope="module")
def content() -> AnsichtkaartContent:
    w, records = sample_werkplaatsen()[0]
    return generate(assemble(w, records), share_url=URL)


@pytest.fixture(scope="module")
def pdf(content) -> bytes:
    return ansichtkaart_pdf.render(content)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return _squash(" ".join(page.extract_text() for page in reader.pages))


def _mm(value: float) -> float:
    return value / PT_PER_MM


def test_one_page_exactly_a6_landscape(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A6[0], abs=0.05)
    assert float(box.height) == pytest.approx(A6[1], abs=0.05)
    assert reader.metadata.title == "NOVI-werkplaats Water verbindt"


def test_same_ansichtkaart_same_pdf(content, pdf):
    assert ansichtkaart_pdf.render(content) == pdf


def test_the_pdf_holds_every_text_of_the_ansichtkaart(content, pdf):
    text = _text(pdf)
    for expected in [content.title, content.date_text, "Lees de bouwsteen"]:
        assert expected in text
    for paragraph in content.paragraphs:
        assert _squash(paragraph.text) in text
    for term in content.terms:
        assert term.text in text


def test_fonts_are_embedded(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names, embedded = [], []
    for ref in fonts.values():
        font = ref.get_object()
        names.append(str(font["/BaseFont"]))
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"].get_object()
        embedded.append(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert all(embedded), names
    assert any("DejaVu-Serif" in n for n in names) and any("DejaVu-Sans-Bold" in n for n in names)


def test_bleed_variant_is_154_by_111_with_the_ansichtkaart_as_trim(content):
    data = ansichtkaart_pdf.render(content, bleed=True)
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(154 * PT_PER_MM, abs=0.05)
    assert float(page.mediabox.height) == pytest.approx(111 * PT_PER_MM, abs=0.05)
    assert float(page.trimbox.width) == pytest.approx(A6[0], abs=0.05)
    assert float(page.trimbox.height) == pytest.approx(A6[1], abs=0.05)
    assert content.title in _text(data)
    html = ansichtkaart_pdf.render_html([content], bleed=True)
    assert "bleed: 3.000mm; marks: crop" in html
    assert html.count("snijteken") == 8


def test_print_sheet_puts_four_ansichtkaarten_on_an_a4_page(content):
    w, records, _ = energie_werkplaats()
    other = generate(assemble(w, records), layout="groen")
    contents = [content, other, edit(content, layout="oker"), edit(other, layout="donker"), content]
    data = ansichtkaart_pdf.print_sheet(contents)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(297 * PT_PER_MM, abs=0.1)
        assert float(page.mediabox.height) == pytest.approx(210 * PT_PER_MM, abs=0.1)
    first = _squash(reader.pages[0].extract_text())
    assert first.count("NOVI-werkplaats Water verbindt") == 2
    assert first.count("NOVI-werkplaats Energie in de regio") == 2
    assert "NOVI-werkplaats Water verbindt" in _squash(reader.pages[1].extract_text())
    with pytest.raises(ValueError):
        ansichtkaart_pdf.print_sheet([])


def test_gallery_has_one_ansichtkaart_per_a6_page(content):
    w, records, _ = energie_werkplaats()
    contents = [content, generate(assemble(w, records))]
    data = ansichtkaart_pdf.gallery_pdf(contents, title="Werkplaatsen NOVI 2015–2016")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    for page, c in zip(reader.pages, contents, strict=True):
        assert float(page.mediabox.width) == pytest.approx(A6[0], abs=0.05)
        assert c.title in _squash(page.extract_text())
    assert reader.metadata.title == "Werkplaatsen NOVI 2015–2016"


def test_no_url_is_ever_fetched_and_markup_stays_text(monkeypatch, content):
    asked: list[str] = []
    deny = ansichtkaart_pdf.deny_all

    def spy(url, *args, **kwargs):
        asked.append(url)
        return deny(url)

    monkeypatch.setattr(ansichtkaart_pdf, "deny_all", spy)
    hostile = edit(content, title='<img src="http://example.test/x.png"> & co',
                   paragraphs=['<script>alert(1)</script> <b>vet</b>',
                               "<link rel=stylesheet href=http://example.test/a.css>",
                               "]]> &amp; <!-- -->"],
                   terms=["<svg onload=x>", "water"])
    data = ansichtkaart_pdf.render(hostile)
    assert asked == []
    text = _text(data)
    assert "<script>alert(1)</script> <b>vet</b>" in text
    assert "<svg onload=x>" in text
    html = ansichtkaart_pdf.render_html([hostile])
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "<link" not in html
    with pytest.raises(ansichtkaart_pdf.FetchRefused):
        deny("https://example.test/font.woff")


# --- nothing overflows --------------------------------------------------------------------


def _chars(data: bytes, page_index: int = 0) -> list[tuple[str, float, float, float, float]]:
    """Every character on a page with its box in mm from the card's top-left corner."""
    document = pdfium.PdfDocument(data)
    try:
        page = document[page_index]
        height = page.get_trimbox()[3] - page.get_trimbox()[1]
        textpage = page.get_textpage()
        out = []
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            out.append((char, _mm(left), _mm(height - top), _mm(right), _mm(height - bottom)))
        return out
    finally:
        document.close()


def assert_in_place(content: AnsichtkaartContent, data: bytes) -> None:
    """Each character inside the region its scene block was given; no text off the card."""
    geo = layout_geometry(content.layout)
    scene = build(content)
    chars = _chars(data)
    assert chars
    regions = [L.Box(geo.title.x, 0, geo.title.w, L.BAND_H),  # title and date
               geo.text,  # paragraphs
               scene.cloud]  # terms
    if scene.caption:
        line = scene.caption.lines[0]
        regions.append(L.Box(line.x, scene.caption.top, line.width, L.CAPTION.leading))
    for char, x0, y0, x1, y1 in chars:
        inside = [r for r in regions
                  if x0 >= r.x - TOLERANCE and x1 <= r.right + TOLERANCE
                  and y0 >= r.y - TOLERANCE and y1 <= r.bottom + TOLERANCE]
        assert inside, (char, round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2))
    # Paragraph lines stop inside the column; nothing of the text reaches the panel.
    body = [c for c in chars if c[2] > L.BAND_H and (
        (geo.side == "right" and c[1] < geo.panel.x) or (geo.side == "left" and c[3] > geo.panel.right))]
    assert all(c[3] <= geo.text.right + TOLERANCE and c[4] <= geo.text.bottom + TOLERANCE
               for c in body)


def _longest(content: AnsichtkaartContent, with_wide: bool) -> AnsichtkaartContent:
    geo = layout_geometry(content.layout)
    budget = [geo.paragraph_max_lines, geo.paragraph_max_lines,
              geo.total_lines - 2 * geo.paragraph_max_lines]
    vocabulary = (("WMW", "Omgevingsagenda", "MWMWM", "bodemdaling", "W@W", "Ruimte")
                  if with_wide else
                  ("Nationale", "Omgevingsagenda", "werkplaats", "water", "verbindt", "en",
                   "ijl", "fijn", "illi", "‘proeftuin’", "2040;", "dilemma’s"))
    texts = []
    for lines in budget:
        text, i = "", 0
        while True:
            candidate = f"{text} {vocabulary[i % len(vocabulary)]}".strip()
            if len(L.body_lines(candidate, geo)) > lines:
                break
            text, i = candidate, i + 1
        texts.append(text)
    title, i = "NOVI-werkplaats", 0
    while True:
        candidate = f"{title} {'WMW Werkplaats' if with_wide else 'werkplaats'}"
        if len(L.title_lines(candidate, geo)) > geo.title_max_lines:
            break
        title, i = candidate, i + 1
    terms = [("W" if with_wide else "m") * 12 + f"{n:02d}" for n in range(20)]
    while True:
        try:
            return edit(content, title=title, paragraphs=texts, terms=terms)
        except Exception:  # noqa: BLE001 - fewer terms until the visual holds them
            terms = terms[:-1]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("wide", [False, True])
def test_the_longest_accepted_texts_stay_on_the_ansichtkaart(content, layout, wide):
    longest = _longest(edit(content, layout=layout), wide)
    data = ansichtkaart_pdf.render(longest)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    assert_in_place(longest, data)


@pytest.mark.parametrize("with_qr", [True, False])
def test_very_short_texts_stay_on_the_ansichtkaart(with_qr):
    paragraphs = tuple(ContentParagraph(text) for text in "abc")
    terms = (Term("w", 1.0),)
    short = AnsichtkaartContent("X", "", paragraphs, terms, qr_url=URL if with_qr else None)
    data = ansichtkaart_pdf.render(short)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    assert_in_place(short, data)
    assert ("Lees de bouwsteen" in _text(data)) is with_qr


def test_generated_ansichtkaarten_stay_inside_their_edges(content, pdf):
    assert_in_place(content, pdf)
    w, records, _ = energie_werkplaats()
    other = generate(assemble(w, records), layout="groen", share_url=URL)
    assert_in_place(other, ansichtkaart_pdf.render(other))


def test_a_stored_ansichtkaart_that_no_longer_fits_is_cut_short_not_spilled(content):
    paragraphs = (ContentParagraph("lang " * 300), *content.paragraphs[1:])
    too_long = AnsichtkaartContent(content.title, content.date_text, paragraphs, content.terms,
                                   qr_url=URL)
    data = ansichtkaart_pdf.render(too_long)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    assert_in_place(too_long, data)
    assert "\u2026" in _text(data)
