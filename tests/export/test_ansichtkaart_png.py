"""The ansichtkaart PNG, read back: wide enough to print, not blank, the band in its colour,
and a QR code that a decoder reads as the bouwsteen's URL."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("pypdfium2")
zxingcpp = pytest.importorskip("zxingcpp")
from PIL import Image, ImageStat  # noqa: E402

from noviwerk.export.ansichtkaart import png as ansichtkaart_png  # noqa: E402
from noviwerk.synthesis.ansichtkaart import LAYOUTS, alt_text, edit, generate  # noqa: E402
from noviwerk.synthesis.bouwsteen import assemble  # noqa: E402
from tests.synthesis.builders import sample_werkplaatsen  # noqa: E402

URL = "https://noviwerk.example.nl/bouwsteen/30/deel/Xk2-9qP?bron=kaart&taal=nl"


@pytest.fixture(scope="module")
def content():
    w, records = sample_werkplaatsen()[1]
    return generate(assemble(w, records), share_url=URL)


@pytest.fixture(scope="module")
def image(content) -> Image.Image:
    return Image.open(io.BytesIO(ansichtkaart_png.render(content)))


def test_png_is_wide_enough_to_print_and_a6_in_proportion(image):
    assert image.format == "PNG"
    assert image.width >= 1800 and image.width == ansichtkaart_png.WIDTH
    assert image.height == pytest.approx(image.width * 105 / 148, abs=2)


def test_png_is_not_blank(image):
    grey = image.convert("L")
    assert ImageStat.Stat(grey).stddev[0] > 30
    assert len(image.convert("RGB").getcolors(1 << 22)) > 50


def test_png_shows_the_layout_colours(image, content):
    band = LAYOUTS[content.layout].band
    rgb = tuple(int(band[i:i + 2], 16) for i in (1, 3, 5))
    corner = image.convert("RGB").getpixel((5, 5))
    assert all(abs(a - b) <= 2 for a, b in zip(corner, rgb, strict=True))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_qr_code_decodes_to_the_bouwsteen_url(content, layout):
    png = ansichtkaart_png.render(edit(content, layout=layout))
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode] == [URL]


def test_without_a_url_there_is_no_qr_code(content):
    png = ansichtkaart_png.render(edit(content, share_url=None))
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(png))) == []


def test_png_has_a_text_alternative(content):
    text = ansichtkaart_png.alt_text(content)
    assert text == alt_text(content)
    assert content.title in text and "Beeld met kernwoorden" in text and URL in text


def test_a_narrow_png_is_refused(content):
    with pytest.raises(ValueError):
        ansichtkaart_png.render(content, width=1200)
