"""An ansichtkaart laid out once, in millimetres, for every format to draw.

The scene says where each line of text, each term of the word visual, each coloured area
and the QR code go, and in which colour. ``ansichtkaart_svg`` writes it as SVG (the master),
``ansichtkaart_pdf`` as HTML that WeasyPrint prints (and ``ansichtkaart_png`` rasterises that
PDF), so the card looks the same in every format: same lines, same places.

Texts pass ``clean`` (no control or bidi characters) on the way in; escaping is each
format's job. A stored card that no longer fits (made under other measurements) is still
drawn without overflow: lines past the budget are left off with "…", the lightest terms go.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

from noviwerk.export.bouwsteen.common import clean
from noviwerk.synthesis.ansichtkaart import AnsichtkaartContent, Layout, get_layout, layout_geometry
from noviwerk.synthesis.ansichtkaart import layout as L

CAPTION_TEXT = "Lees de bouwsteen"
QR_QUIET = 4  # modules of light margin around the code, as ISO/IEC 18004 asks


@dataclass(frozen=True)
class Area:
    x: float
    y: float
    w: float
    h: float
    fill: str
    role: str
    bleeds: tuple[str, ...] = ()  # edges on the card's edge: these run on into a bleed

    def grown(self, bleed: float) -> Area:
        """The area reaching ``bleed`` mm past each card edge it touches."""
        if not bleed or not self.bleeds:
            return self
        x0 = self.x - bleed if "left" in self.bleeds else self.x
        y0 = self.y - bleed if "top" in self.bleeds else self.y
        x1 = self.x + self.w + (bleed if "right" in self.bleeds else 0.0)
        y1 = self.y + self.h + (bleed if "bottom" in self.bleeds else 0.0)
        return Area(x0, y0, x1 - x0, y1 - y0, self.fill, self.role, self.bleeds)


@dataclass(frozen=True)
class Line:
    text: str
    x: float
    baseline: float
    width: float  # as measured: the SVG pins the line to it


@dataclass(frozen=True)
class TextBlock:
    role: str  # title, date, paragraph, caption
    style: L.Style
    fill: str
    x: float
    top: float  # top of the first line box
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def height(self) -> float:
        return len(self.lines) * self.style.leading


@dataclass(frozen=True)
class Word:
    """One term of the word visual, placed."""

    text: str
    x: float
    baseline: float
    size: float
    font: str
    width: float
    fill: str

    @property
    def top(self) -> float:
        return self.baseline - L.ASCENT * self.size


@dataclass(frozen=True)
class QRCode:
    url: str
    tile: Area  # the light square the code sits on
    x: float  # where module (0, 0) starts
    y: float
    module: float  # mm per module
    size: int  # modules per side
    path: str  # dark modules, in module units


@dataclass(frozen=True)
class Scene:
    content: AnsichtkaartContent
    layout: Layout
    areas: tuple[Area, ...]
    title: TextBlock
    date: TextBlock | None
    paragraphs: tuple[TextBlock, ...]
    words: tuple[Word, ...]
    cloud: L.Box
    qr: QRCode | None
    caption: TextBlock | None

    def texts(self) -> tuple[TextBlock, ...]:
        blocks = [self.title] + ([self.date] if self.date else []) + list(self.paragraphs)
        return tuple(blocks + ([self.caption] if self.caption else []))


def build(content: AnsichtkaartContent) -> Scene:
    layout = get_layout(content.layout)
    geo = layout_geometry(content.layout)
    band = Area(0.0, 0.0, L.WIDTH_MM, L.BAND_H, layout.band, "band", ("top", "left", "right"))
    low = L.HEIGHT_MM - L.BAND_H
    if geo.side == "right":
        background = Area(
            0.0, L.BAND_H, geo.panel.x, low, layout.background, "background", ("bottom", "left")
        )
    else:
        background = Area(
            geo.panel.right,
            L.BAND_H,
            L.WIDTH_MM - geo.panel.right,
            low,
            layout.background,
            "background",
            ("bottom", "right"),
        )
    panel = Area(
        geo.panel.x, L.BAND_H, geo.panel.w, low, layout.panel, "panel", ("bottom", geo.side)
    )
    areas = (band, background, panel)
    body_x = geo.text.x
    title, date = _head(content, layout, geo)
    paragraphs = _paragraphs(content, layout, geo, body_x)
    qr = _qr(content.qr_url, geo) if content.qr_url else None
    cloud = geo.cloud if qr else geo.cloud_full
    words = _words(content, layout, cloud)
    caption = _caption(layout, geo) if qr else None
    return Scene(content, layout, areas, title, date, paragraphs, words, cloud, qr, caption)


def _lines(texts: tuple[str, ...], style: L.Style, x: float, top: float) -> tuple[Line, ...]:
    return tuple(
        Line(
            t,
            round(x, 3),
            round(style.baseline(top, i), 3),
            round(L.text_width(t, style.font, style.size), 3),
        )
        for i, t in enumerate(texts)
    )


def _clipped(lines: tuple[str, ...], limit: int, style: L.Style, width: float) -> tuple[str, ...]:
    """At most ``limit`` lines; the last one kept ends in "…" when some were left off."""
    if len(lines) <= limit:
        return lines
    last = lines[limit - 1]
    while last and L.text_width(last + "\u2026", style.font, style.size) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    return (*lines[: limit - 1], last.rstrip(" ,;:") + "\u2026")


def _head(
    content: AnsichtkaartContent, layout: Layout, geo: L.Geometry
) -> tuple[TextBlock, TextBlock | None]:
    title = clean(content.title)
    lines = _clipped(L.title_lines(title, geo), geo.title_max_lines, L.TITLE, geo.title.w)
    date_text = clean(content.date_text)
    height = len(lines) * L.TITLE.leading
    if date_text:
        height += L.TITLE_DATE_GAP + L.DATE.leading
    top = (L.BAND_H - height) / 2
    title_block = TextBlock(
        "title",
        L.TITLE,
        layout.on_band,
        geo.title.x,
        round(top, 3),
        _lines(lines, L.TITLE, geo.title.x, top),
    )
    if not date_text:
        return title_block, None
    date_top = top + len(lines) * L.TITLE.leading + L.TITLE_DATE_GAP
    date_lines = _clipped(
        L.wrap(date_text, L.DATE.font, L.DATE.size, geo.title.w), 1, L.DATE, geo.title.w
    )
    return title_block, TextBlock(
        "date",
        L.DATE,
        layout.on_band,
        geo.title.x,
        round(date_top, 3),
        _lines(date_lines, L.DATE, geo.title.x, date_top),
    )


def _paragraphs(
    content: AnsichtkaartContent, layout: Layout, geo: L.Geometry, x: float
) -> tuple[TextBlock, ...]:
    blocks: list[TextBlock] = []
    top = geo.text.y
    left = geo.total_lines
    for paragraph in content.paragraphs:
        lines = L.body_lines(clean(paragraph.text), geo)
        lines = _clipped(lines, max(1, min(geo.paragraph_max_lines, left)), L.BODY, geo.text.w)
        left -= len(lines)
        blocks.append(
            TextBlock(
                "paragraph", L.BODY, layout.text, x, round(top, 3), _lines(lines, L.BODY, x, top)
            )
        )
        top += len(lines) * L.BODY.leading + L.PARAGRAPH_GAP
    return tuple(blocks)


def _words(content: AnsichtkaartContent, layout: Layout, box: L.Box) -> tuple[Word, ...]:
    terms = [(clean(t.text), t.weight) for t in content.terms if clean(t.text)]
    placed = L.place_terms(terms, box)
    while placed is None and terms:
        terms = sorted(terms, key=lambda t: -t[1])[:-1]
        placed = L.place_terms(terms, box)
    out = []
    for p in placed or ():
        if p.rank < 3:
            fill = layout.term_strong
        elif p.font == "sans-bold":
            fill = layout.term
        else:
            fill = layout.term_soft
        out.append(Word(p.text, p.x, p.baseline, p.size, p.font, p.width, fill))
    return tuple(out)


def _qr(url: str, geo: L.Geometry) -> QRCode:
    code = segno.make_qr(url, error="m")
    size = code.symbol_size(scale=1, border=0)[0]
    module = geo.qr.w / (size + 2 * QR_QUIET)
    runs: list[str] = []
    for y, row in enumerate(code.matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    tile = Area(geo.qr.x, geo.qr.y, geo.qr.w, geo.qr.h, "#FFFFFF", "qr")
    return QRCode(
        url,
        tile,
        round(geo.qr.x + QR_QUIET * module, 4),
        round(geo.qr.y + QR_QUIET * module, 4),
        round(module, 5),
        size,
        "".join(runs),
    )


def _caption(layout: Layout, geo: L.Geometry) -> TextBlock:
    width = L.text_width(CAPTION_TEXT, L.CAPTION.font, L.CAPTION.size)
    if geo.side == "right":
        x = geo.qr.x - L.CAPTION_GAP - width
    else:
        x = geo.qr.right + L.CAPTION_GAP
    top = geo.qr.bottom - L.CAPTION.leading
    return TextBlock(
        "caption",
        L.CAPTION,
        layout.caption,
        round(x, 3),
        round(top, 3),
        _lines((CAPTION_TEXT,), L.CAPTION, x, top),
    )


__all__ = ["CAPTION_TEXT", "Area", "Line", "QRCode", "Scene", "TextBlock", "Word", "build"]
