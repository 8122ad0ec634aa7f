"""The measurements of an ansichtkaart, and the measuring that keeps every text on the card.

A card is A6 landscape (148 × 105 mm). Where things go is fixed here, in millimetres, for
every export (SVG, PDF, PNG): a colour band with the title, a column of three paragraphs, and
a panel with the word visual and the QR code. Whether a text fits is decided here too, by
breaking it into lines the way the exports will set them, so that ``edit`` can refuse a text
that would not fit instead of letting an export cut it off.

Widths come from ``fonts`` (an upper bound: kerning only brings letters closer). The exports
set each line as measured here (no reflow of their own), so the lines of the SVG, the PDF and
the PNG are the same.

The word visual is a packed, centred stack of rows: the heaviest term in the middle row,
lighter ones filling rows outward above and below, font size by weight, horizontal text only.
Nothing random: the same terms always give the same picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# The font names are re-exported: the exports take all the card's measures from here.
from noviwerk.synthesis.ansichtkaart.fonts import ASCENT, DESCENT, FONTS, pt, text_width

WIDTH_MM = 148.0
HEIGHT_MM = 105.0
BLEED = 3.0


# --- line breaking ------------------------------------------------------------------------


def wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """``text`` broken into lines no wider than ``width`` mm, greedily at spaces.

    A single word wider than a line (a long URL) is broken between characters: the line
    count stays honest and nothing runs off the card.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, font, size) > width:
            cut = _longest_prefix(word, font, size, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return tuple(lines)


def _longest_prefix(word: str, font: str, size: float, width: float) -> int:
    cut = 1
    while cut < len(word) and text_width(word[: cut + 1], font, size) <= width:
        cut += 1
    return cut


# --- the card's geometry ------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, other: Box, tolerance: float = 1e-6) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


@dataclass(frozen=True)
class Style:
    font: str
    size: float  # mm
    leading: float  # mm from one baseline to the next

    def baseline(self, top: float, line: int = 0) -> float:
        """Where line ``line`` of a block starting at ``top`` sits, as CSS sets it (half-leading)."""
        return (
            top
            + line * self.leading
            + (self.leading - (ASCENT + DESCENT) * self.size) / 2
            + ASCENT * self.size
        )


TITLE = Style("sans-bold", pt(14), pt(14) * 1.16)
DATE = Style("sans", pt(7.5), pt(7.5) * 1.3)
BODY = Style("serif", pt(7.3), pt(7.3) * 1.36)
CAPTION = Style("sans-bold", pt(6.2), pt(6.2) * 1.3)

MARGIN = 7.0
BAND_H = 23.0
PANEL_W = 58.0
GUTTER = 6.0
TEXT_TOP_GAP = 6.0
TEXT_BOTTOM_MARGIN = 6.5
PARAGRAPH_GAP = 1.9
TITLE_MAX_LINES = 2
TITLE_DATE_GAP = 1.2
PARAGRAPH_MAX_LINES = 8
QR_TILE = 17.0
QR_INSET = 4.5
PANEL_INSET = 5.0
CLOUD_QR_GAP = 3.0
CAPTION_GAP = 2.5
# Lines are measured against a column a little narrower than drawn: room for rounding.
SAFETY = 0.985


@dataclass(frozen=True)
class Geometry:
    """Where everything goes on a card whose image panel is on ``side`` ("left"/"right")."""

    side: str
    band: Box
    title: Box
    text: Box
    panel: Box
    cloud: Box  # the word visual when a QR code is shown
    cloud_full: Box  # the word visual without a QR code
    qr: Box
    title_max_lines: int
    paragraph_max_lines: int
    total_lines: int

    @property
    def measure(self) -> float:
        """The width a body line is measured against."""
        return self.text.w * SAFETY


@lru_cache(maxsize=4)
def geometry(side: str = "right") -> Geometry:
    if side not in ("left", "right"):
        raise ValueError(f"unknown panel side: {side!r}")
    band = Box(0.0, 0.0, WIDTH_MM, BAND_H)
    title = Box(MARGIN, 0.0, WIDTH_MM - 2 * MARGIN, BAND_H)
    panel_x = WIDTH_MM - PANEL_W if side == "right" else 0.0
    panel = Box(panel_x, BAND_H, PANEL_W, HEIGHT_MM - BAND_H)
    text_x = MARGIN if side == "right" else PANEL_W + GUTTER
    text_top = BAND_H + TEXT_TOP_GAP
    text = Box(
        text_x,
        text_top,
        WIDTH_MM - PANEL_W - GUTTER - MARGIN,
        HEIGHT_MM - TEXT_BOTTOM_MARGIN - text_top,
    )
    qr_x = panel.right - QR_INSET - QR_TILE if side == "right" else panel.x + QR_INSET
    qr = Box(qr_x, HEIGHT_MM - QR_INSET - QR_TILE, QR_TILE, QR_TILE)
    cloud_top = BAND_H + TEXT_TOP_GAP
    cloud = Box(
        panel.x + PANEL_INSET, cloud_top, PANEL_W - 2 * PANEL_INSET, qr.y - CLOUD_QR_GAP - cloud_top
    )
    cloud_full = Box(cloud.x, cloud_top, cloud.w, HEIGHT_MM - TEXT_BOTTOM_MARGIN - cloud_top)
    total = int((text.h - 2 * PARAGRAPH_GAP + 1e-9) // BODY.leading)
    return Geometry(
        side,
        band,
        title,
        text,
        panel,
        cloud,
        cloud_full,
        qr,
        TITLE_MAX_LINES,
        PARAGRAPH_MAX_LINES,
        total,
    )


def title_lines(title: str, geo: Geometry) -> tuple[str, ...]:
    return wrap(title, TITLE.font, TITLE.size, geo.title.w * SAFETY)


def body_lines(text: str, geo: Geometry) -> tuple[str, ...]:
    return wrap(text, BODY.font, BODY.size, geo.measure)


# --- the word visual ----------------------------------------------------------------------

TERM_MIN = pt(6.5)
TERM_MAX = pt(17)
TERM_BOLD_FROM = 0.45  # relative weight from which a term is set in bold
_SHRINK = 0.93
_ROW_GAP = 0.18  # of the row's largest size
_WORD_GAP = 0.45  # of the smaller neighbour's size


@dataclass(frozen=True)
class PlacedTerm:
    text: str
    rank: int  # 0 for the heaviest term
    x: float
    baseline: float
    size: float
    font: str
    width: float

    @property
    def box(self) -> Box:
        """The font's full height around the text (ascent to descent), not just the ink."""
        return Box(
            self.x, self.baseline - ASCENT * self.size, self.width, (ASCENT + DESCENT) * self.size
        )


def term_size(relative: float, scale: float = 1.0) -> float:
    """Font size in mm for a weight between 0 (lightest) and 1 (heaviest)."""
    size = TERM_MIN + (TERM_MAX - TERM_MIN) * relative**0.8
    return max(TERM_MIN, round(size * scale, 2))


def relative_weights(weights: Sequence[float]) -> list[float]:
    if not weights:
        return []
    low, high = min(weights), max(weights)
    if high - low < 1e-9:
        return [0.5 for _ in weights]
    return [(w - low) / (high - low) for w in weights]


def place_terms(terms: Sequence[tuple[str, float]], box: Box) -> tuple[PlacedTerm, ...] | None:
    """The word visual for ``terms`` (text, weight), heaviest first, inside ``box``.

    The sizes shrink together until every term fits; None when even the smallest readable
    size leaves them too wide or too many for the box.
    """
    if not terms:
        return ()
    order = sorted(range(len(terms)), key=lambda i: (-terms[i][1], i))
    relative = relative_weights([w for _, w in terms])
    scale = 1.0
    while True:
        placed = _pack([(terms[i][0], relative[i]) for i in order], box, scale)
        if placed is not None:
            return placed
        if all(term_size(relative[i], scale) <= TERM_MIN for i in order):
            return None
        scale *= _SHRINK


@dataclass
class _Row:
    items: list[tuple[int, str, float, str, float]]  # rank, text, size, font, width
    offset: int

    def width(self) -> float:
        total = sum(item[4] for item in self.items)
        for a, b in zip(self.items, self.items[1:], strict=False):
            total += _WORD_GAP * min(a[2], b[2])
        return total


def _arranged(items: list[tuple[int, str, float, str, float]]):
    """Heaviest in the middle of its row, the next ones alternating right and left."""
    left: list = []
    right: list = []
    for n, item in enumerate(items):
        (right if n % 2 == 0 else left).append(item)
    return list(reversed(left)) + right


def _pack(terms: list[tuple[str, float]], box: Box, scale: float) -> tuple[PlacedTerm, ...] | None:
    rows: list[_Row] = []
    offsets = _offsets()
    for rank, (text, relative) in enumerate(terms):
        size = term_size(relative, scale)
        font = "sans-bold" if relative >= TERM_BOLD_FROM else "sans"
        width = text_width(text, font, size)
        if width > box.w:
            return None
        item = (rank, text, size, font, width)
        for row in rows:
            trial = _Row(_arranged(sorted([*row.items, item])), row.offset)
            if trial.width() <= box.w:
                row.items = trial.items
                break
        else:
            rows.append(_Row([item], next(offsets)))
    rows.sort(key=lambda r: r.offset)
    heights = []
    for row in rows:
        top = max(ASCENT * item[2] for item in row.items)
        bottom = max(DESCENT * item[2] for item in row.items)
        heights.append((top, bottom, max(item[2] for item in row.items)))
    total = sum(t + b for t, b, _ in heights)
    total += sum(_ROW_GAP * max(a[2], b[2]) for a, b in zip(heights, heights[1:], strict=False))
    if total > box.h:
        return None
    y = box.y + (box.h - total) / 2
    placed: list[PlacedTerm] = []
    for n, (row, (top, bottom, biggest)) in enumerate(zip(rows, heights, strict=True)):
        baseline = y + top
        x = box.x + (box.w - row.width()) / 2
        for i, (rank, text, size, font, width) in enumerate(row.items):
            if i:
                x += _WORD_GAP * min(size, row.items[i - 1][2])
            placed.append(
                PlacedTerm(text, rank, round(x, 3), round(baseline, 3), size, font, round(width, 3))
            )
            x += width
        y = baseline + bottom
        if n + 1 < len(rows):
            y += _ROW_GAP * max(biggest, heights[n + 1][2])
    placed.sort(key=lambda p: p.rank)
    return tuple(placed)


def _offsets():
    """Row positions from the middle outward: 0, -1, 1, -2, 2, …"""
    n = 0
    yield 0
    while True:
        n += 1
        yield -n
        yield n


__all__ = [
    "ASCENT", "BLEED", "BODY", "CAPTION", "DATE", "DESCENT", "FONTS", "HEIGHT_MM", "TITLE",
    "WIDTH_MM", "Box", "Geometry", "PlacedTerm", "Style", "body_lines", "geometry",
    "place_terms", "pt", "relative_weights", "term_size", "text_width", "title_lines", "wrap",
]  # fmt: skip
