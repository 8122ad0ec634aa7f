"""An ansichtkaart as PNG: the PDF rasterised by PDFium (pypdfium2), 1920 px wide by default.

Rasterising the PDF rather than drawing the card a third time keeps the PNG exactly what is
printed. A picture needs words for those who cannot see it: ``alt_text`` gives the card's
text for the ``alt`` attribute (or a caption) wherever the PNG is shown.
"""

from __future__ import annotations

import io

from noviwerk.export.ansichtkaart import pdf as ansichtkaart_pdf
from noviwerk.synthesis.ansichtkaart import AnsichtkaartContent, alt_text

MIMETYPE = "image/png"
WIDTH = 1920  # px; about 330 dpi across 148 mm, enough to print and sharp on any screen
MIN_WIDTH = 1800


def render(content: AnsichtkaartContent, *, width: int = WIDTH) -> bytes:
    """The card as a PNG ``width`` pixels wide (at least ``MIN_WIDTH``), white behind."""
    return rasterise(ansichtkaart_pdf.render(content), width=width)


def rasterise(pdf: bytes, *, width: int = WIDTH, page: int = 0) -> bytes:
    """One page of a PDF as PNG bytes, ``width`` pixels wide."""
    import pypdfium2 as pdfium  # heavy: load only when a PNG is asked for

    if width < MIN_WIDTH:
        raise ValueError(f"a card PNG is at least {MIN_WIDTH} px wide")
    document = pdfium.PdfDocument(pdf)
    try:
        sheet = document[page]
        scale = width / sheet.get_width()
        bitmap = sheet.render(scale=scale, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")
        if image.width != width:  # PDFium rounds the size; keep the promise exactly
            image = image.resize((width, round(image.height * width / image.width)))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        document.close()


__all__ = ["MIMETYPE", "WIDTH", "alt_text", "rasterise", "render"]
