"""The ansichtkaart SVG: well-formed, A6 in millimetres, the same bytes for the same card,
every text escaped, every line pinned to its measured width, and a QR code that decodes."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

from noviwerk.export.ansichtkaart import svg as ansichtkaart_svg
from noviwerk.synthesis.ansichtkaart import edit, generate
from noviwerk.synthesis.ansichtkaart import layout as L
from noviwerk.synthesis.bouwsteen import assemble
from tests.synthesis.builders import sample_werkplaatsen

NS = {"svg": "http://www.w3.org/2000/svg"}
URL = "https://noviwerk.example.nl/bouwsteen/8"


@pytest.fixture(scope="module")
def content():
    w, records = sample_werkplaatsen()[0]
    return generate(assemble(w, records), share_url=URL)


def _tree(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - our own output, parsed to check it


def _texts(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:text", NS)


def test_svg_is_a6_in_millimetres(content):
    root = _tree(ansichtkaart_svg.render(content))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == "148mm" and root.get("height") == "105mm"
    assert root.get("viewBox") == "0 0 148 105"
    assert root.find("svg:title", NS).text == content.title
    assert content.paragraphs[0].text in root.find("svg:desc", NS).text


def test_same_ansichtkaart_same_bytes(content):
    w, records = sample_werkplaatsen()[0]
    again = generate(assemble(w, list(reversed(records))), share_url=URL)
    assert ansichtkaart_svg.render(again) == ansichtkaart_svg.render(content)


def test_every_text_is_on_the_ansichtkaart_and_pinned_to_its_width(content):
    root = _tree(ansichtkaart_svg.render(content))
    texts = _texts(root)
    shown = " ".join(t.text for t in texts)
    for term in content.terms:
        assert term.text in shown
    for t in texts:
        x, y, length = float(t.get("x")), float(t.get("y")), float(t.get("textLength"))
        assert 0 <= x and x + length <= L.WIDTH_MM and 0 < y <= L.HEIGHT_MM
        assert t.get("lengthAdjust") == "spacingAndGlyphs"
    lines = [t.text for t in root.findall(".//svg:g[@class='paragraph']/svg:text", NS)]
    assert " ".join(lines) == " ".join(p.text for p in content.paragraphs)


def test_markup_and_control_characters_are_inert(content):
    hostile = edit(content, title="Kaart <script>alert(1)</script> & ]]>",
                   paragraphs=["<b>vet</b> & <!-- x -->", '"><svg onload=alert(1)>', "c"],
                   terms=["<a href='javascript:x'>", "water"])
    data = ansichtkaart_svg.render(hostile)
    root = _tree(data)  # still well-formed
    assert root.findall(".//svg:script", NS) == [] and root.findall(".//svg:a", NS) == []
    assert root.findall(".//svg:b", NS) == [] and b"<script" not in data
    shown = " ".join(t.text for t in _texts(root))
    assert "<b>vet</b> & <!-- x -->" in shown and "<a href='javascript:x'>" in shown
    assert "Kaart <script>alert(1)</script> & ]]>" in shown
    stored = content.__class__(**{**content.__dict__, "title": "Kaart \u202egespiegeld\x07"})
    assert "\u202e" not in ansichtkaart_svg.render(stored).decode()


def test_the_svg_qr_code_decodes(content):
    """Draw the SVG (WeasyPrint), rasterise (PDFium) and read the code (zxing-cpp)."""
    pytest.importorskip("weasyprint")
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    from weasyprint import HTML

    svg = ansichtkaart_svg.render(content).decode().split("\n", 1)[1]
    page = ('<html><head><style>@page { size: 148mm 105mm; margin: 0 } body { margin: 0 }'
            f"</style></head><body>{svg}</body></html>")
    pdf = HTML(string=page).write_pdf()
    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=4).to_pil()
    document.close()
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [URL]
    from PIL import ImageStat

    assert ImageStat.Stat(image.convert("L")).stddev[0] > 30  # drawn, not blank
    image.save(io.BytesIO(), format="PNG")
