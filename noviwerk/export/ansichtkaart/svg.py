"""An ansichtkaart as SVG: the master picture, 148 × 105 mm, one user unit per millimetre.

Drawn from the same scene as the PDF (``ansichtkaart_scene``). Text stays text (searchable,
readable by a screen reader through ``<title>`` and ``<desc>``), in DejaVu Sans and Serif.
Each line carries its measured length (``textLength``), so a viewer that lacks DejaVu and
falls back to another font still keeps every line where it belongs instead of running off
the card. The QR code is path data (from segno's matrix), so the file needs nothing else.
Every text is escaped: a contribution that looks like markup stays text.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from noviwerk.export.ansichtkaart.scene import Scene, TextBlock, build
from noviwerk.export.bouwsteen.common import clean
from noviwerk.synthesis.ansichtkaart import AnsichtkaartContent, alt_text
from noviwerk.synthesis.ansichtkaart import layout as L

MIMETYPE = "image/svg+xml"
FALLBACK = {
    "DejaVu Sans": "'DejaVu Sans', Verdana, sans-serif",
    "DejaVu Serif": "'DejaVu Serif', Georgia, serif",
}


def _n(value: float) -> str:
    """A coordinate as SVG writes it: at most three decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _font(font: str) -> str:
    family, weight = L.FONTS[font]
    out = f"font-family={quoteattr(FALLBACK[family])}"
    return out + (' font-weight="bold"' if weight == "bold" else "")


def _text_block(block: TextBlock) -> list[str]:
    out = [
        f'<g class="{block.role}" {_font(block.style.font)} '
        f'font-size="{_n(block.style.size)}" fill="{block.fill}">'
    ]
    for line in block.lines:
        out.append(
            f'<text x="{_n(line.x)}" y="{_n(line.baseline)}" '
            f'textLength="{_n(line.width)}" lengthAdjust="spacingAndGlyphs">'
            f"{escape(line.text)}</text>"
        )
    out.append("</g>")
    return out


def render_scene(scene: Scene) -> str:
    content = scene.content
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(L.WIDTH_MM)}mm" '
        f'height="{_n(L.HEIGHT_MM)}mm" viewBox="0 0 {_n(L.WIDTH_MM)} {_n(L.HEIGHT_MM)}" '
        'role="img" aria-labelledby="kaart-titel kaart-beschrijving" xml:lang="nl">',
        f'<title id="kaart-titel">{escape(clean(content.title))}</title>',
        f'<desc id="kaart-beschrijving">{escape(clean(alt_text(content)))}</desc>',
    ]
    for area in scene.areas:
        out.append(
            f'<rect class="{area.role}" x="{_n(area.x)}" y="{_n(area.y)}" '
            f'width="{_n(area.w)}" height="{_n(area.h)}" fill="{area.fill}"/>'
        )
    out.extend(_text_block(scene.title))
    if scene.date:
        out.extend(_text_block(scene.date))
    for block in scene.paragraphs:
        out.extend(_text_block(block))
    out.append('<g class="kernwoorden">')
    for word in scene.words:
        out.append(
            f'<text x="{_n(word.x)}" y="{_n(word.baseline)}" {_font(word.font)} '
            f'font-size="{_n(word.size)}" fill="{word.fill}" '
            f'textLength="{_n(word.width)}" lengthAdjust="spacingAndGlyphs">'
            f"{escape(word.text)}</text>"
        )
    out.append("</g>")
    if scene.qr:
        qr = scene.qr
        tile = qr.tile
        out.append(
            f'<g class="qr"><rect x="{_n(tile.x)}" y="{_n(tile.y)}" '
            f'width="{_n(tile.w)}" height="{_n(tile.h)}" fill="#FFFFFF"/>'
        )
        out.append(
            f'<path transform="translate({_n(qr.x)} {_n(qr.y)}) scale({qr.module:.5f})" '
            f'fill="#000000" shape-rendering="crispEdges" d="{qr.path}"/></g>'
        )
    if scene.caption:
        out.extend(_text_block(scene.caption))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render(content: AnsichtkaartContent) -> bytes:
    """The card as an SVG file (UTF-8); the same card always gives the same bytes."""
    return render_scene(build(content)).encode("utf-8")


__all__ = ["MIMETYPE", "render", "render_scene"]
