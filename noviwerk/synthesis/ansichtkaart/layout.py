"""The measurements of an ansichtkaart, and the measuring that keeps every text on the card.

A card is A6 landscape (148 × 105 mm). Where things go is fixed here, in millimetres, for
every export (SVG, PDF, PNG): a colour band with the title, a column of three paragraphs, and
a panel with the word visual and the QR code. Whether a text fits is decided here too, by
breaking it into lines the way the exports will set them, so that ``edit`` can refuse a text
that would not fit instead of letting an export cut it off.

Widths come from a table of advance widths of the DejaVu fonts (per mille of the em, rounded
up; from ``fonts-dejavu-core``, which every export uses and a test checks this table
against). Kerning only brings letters closer, so a line measured here is never narrower than
it prints. A character the table does not know counts as ``UNKNOWN_ADVANCE``, wider than any
DejaVu glyph. The exports set each line as measured here (no reflow of their own), so the
lines of the SVG, the PDF and the PNG are the same.

The word visual is a packed, centred stack of rows: the heaviest term in the middle row,
lighter ones filling rows outward above and below, font size by weight, horizontal text only.
Nothing random: the same terms always give the same picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

MM_PER_PT = 25.4 / 72
CARD_W = 148.0
CARD_H = 105.0
BLEED = 3.0

# Font keys as the exports name them: (CSS/SVG family, weight).
FONTS = {
    "sans": ("DejaVu Sans", "normal"),
    "sans-bold": ("DejaVu Sans", "bold"),
    "serif": ("DejaVu Serif", "normal"),
    "serif-bold": ("DejaVu Serif", "bold"),
}
# Vertical metrics shared by the four faces (hhea ascent and descent, per em); the serif
# bold rises a little higher (1923), which the ascent below covers with room to spare.
ASCENT = 1923 / 2048
DESCENT = 483 / 2048
UNKNOWN_ADVANCE = 1300  # per mille em: wider than any DejaVu glyph (the widest is 1181)

# Advance widths, four digits each, per mille em rounded up: U+0020–U+007E, U+00A0–U+017F,
# then the characters in _EXTRA. Regenerate with tests/synthesis/test_ansichtkaart_layout.py.
_EXTRA = (
    "\u2010\u2011\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u2032"
    "\u2033\u2039\u203a\u20ac\u2212"
)
_WIDTHS = {
    "sans": (
        "0318040104600838063709510780027503910391050008380318036103180337063706370637063706370637"
        "0637063706370637033703370838083808380531100006850687069907710632057607750752029502950656"
        "0558086307490788060407880695063506110732068509890686061106860391033703910838050005000613"
        "0635055006350616035306350634027802780580027809750634061206350635041205210393063405920818"
        "0592059205250637033706370838031804010637063706370637033705000500100004720612083803611000"
        "0500050008380401040105000637063703180500040104720612097009700970053106850685068506850685"
        "0685097506990632063206320632029502950295029507750749078807880788078807880838078807320732"
        "0732073206110605063006130613061306130613061309820550061606160616061602780278027802780612"
        "0634061206120612061206120838061206340634063406340592063505920685061306850613068506130699"
        "0550069905500699055006990550077106350775063506320616063206160632061606320616063206160775"
        "0635077506350775063507750635075206340917069502950278029502780295027802950278029502780590"
        "0556029502780656058005800558027805580278055803750558034205630285074906340749063407490634"
        "0814074906340788061207880612078806121070102306950412069504120695041206350521063505210635"
        "0521063505210611039306110393061103930732063407320634073206340732063407320634073206340989"
        "0818061105920611068605250686052506860525035303610361050010000318031803180519051905190590"
        "1000022803740400040006370838"
    ),
    "sans-bold": (
        "0349045705210838069610020873030704580458052308380380041603800366069606960696069606960696"
        "0696069606960696040004000838083808380581100007740763073408310684068408210837037303730775"
        "0638099608370851073308510771072106830813077411040771072507260458036604580838050005000675"
        "0716059307160679043607160712034303430666034310420712068807160716049405960479071206520924"
        "0646065205830712036607120838034904570696069606370696036605000500100005640646083804161000"
        "0500050008380438043805000736063703800500043805640646103610361036058107740774077407740774"
        "0774108507340684068406840684037303730373037308380837085108510851085108510838085108130813"
        "0813081307250738072006750675067506750675067510480593067906790679067903430343034303430688"
        "0712068806880688068806880838068807120712071207120652071606520774067507740675077406750734"
        "0593073405930734059307340593083107160838071606840679068406790684067906840679068406790821"
        "0716082107160821071608210716083707120974079103730343037303430373034303730343037303430745"
        "0686037303430775066606660638034306380343063804800638055706430372083707120837071208370712"
        "0983083707120851068808510688085106881167109507710494077104940771049407210596072105960721"
        "0596072105960683047906830479068304790813071208130712081307120813071208130712081307121104"
        "0924072506520725072605830726058307260583043604160416050010000380038003800658065806580640"
        "1000026404470413041306960838"
    ),
    "serif": (
        "0318040204600838063709510891027503910391050008380318033803180337063706370637063706370637"
        "0637063706370637033703370838083808380537100007230735076608020730069407990873039604010748"
        "0665102408750820067308200753068606670843072310280712066106950391033703910838050005000597"
        "0641056106410592037106410645032003110606032009490645060306410641047905140402064505650856"
        "0564056505270637033706370838031804020637063706370637033705000500100004760612083803381000"
        "0500050008380401040105000650063703180500040104710612097009700970053707230723072307230723"
        "0723100107660730073007300730039603960396039608080875082008200820082008200838082008430843"
        "0843084306610676066805970597059705970597059709400561059205920592059203200320032003200603"
        "0645060306030603060306030838060306450645064506450565064105650723059707230597072305970766"
        "0561076605610766056107660561080206410808064107300592073005920730059207300592073005920799"
        "0641079906410799064107990641087306450873064503960320039603200396032003960320039603200802"
        "0534040103110748060606060665032006650320066503200665032006690325087506450875064508750645"
        "0867084306450820060308200603082006031138098907530479075304790753047906860514068605140686"
        "0514068605140667040206670402066704020843064508430645084306450843064508430645084306451028"
        "0856066105650661069505270695052706950527037103380338050010000318031803180512051205190590"
        "1000022803740400040006370838"
    ),
    "serif-bold": (
        "0349043905210838069609510903030704740474052308380349041603490366069606960696069606960696"
        "0696069606960696037003700838083808380586100007760846079608680763071008550945046804740870"
        "0704110709150872075208720832072307450873077611240776071407300474036604740838050005000648"
        "0700060907000637043107000728038003620693038010590728066707000700052705630462072805820861"
        "0597058205680644036406440838034904390696069606370696036405230500100004870625083804161000"
        "0500050008380438043805000732063703490500043805000625104310431043058607760776077607760776"
        "0776103507960763076307630763046804680468046808750915087208720872087208720838087208730873"
        "0873087307140757076006480648064806480648064809760609063706370637063703800380038003800667"
        "0728066706670667066706670838066707280728072807280582070005820776064807760648077606480796"
        "0609079606090796060907960609086807000875070007630637076306370763063707630637076306370855"
        "0700085507000855070008550700094507280945072804680380046803800468038004680380046803800942"
        "0751047403620870069306930704038007040380070403800704038007100385091507280915072809150728"
        "1009087307280872066708720667087206671181102808320527083205270832052707230563072305630723"
        "0563072305630745046207450462074504620873072808730728087307280873072808730728087307281124"
        "0861071405820714073005680730056807300568043104160416050010000349034903490576057605760640"
        "1000026404470400040006960838"
    ),
}
_CODES = (*range(0x20, 0x7F), *range(0xA0, 0x180), *(ord(c) for c in _EXTRA))


@lru_cache(maxsize=4)
def _advances(font: str) -> dict[str, int]:
    digits = "".join(_WIDTHS[font])
    return {chr(code): int(digits[4 * i : 4 * i + 4]) for i, code in enumerate(_CODES)}


def text_width(text: str, font: str, size: float) -> float:
    """Width in mm of ``text`` set in ``font`` at ``size`` mm, without kerning (an upper bound)."""
    advances = _advances(font)
    return sum(advances.get(c, UNKNOWN_ADVANCE) for c in text) * size / 1000


def pt(points: float) -> float:
    return points * MM_PER_PT


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
    band = Box(0.0, 0.0, CARD_W, BAND_H)
    title = Box(MARGIN, 0.0, CARD_W - 2 * MARGIN, BAND_H)
    panel_x = CARD_W - PANEL_W if side == "right" else 0.0
    panel = Box(panel_x, BAND_H, PANEL_W, CARD_H - BAND_H)
    text_x = MARGIN if side == "right" else PANEL_W + GUTTER
    text_top = BAND_H + TEXT_TOP_GAP
    text = Box(
        text_x, text_top, CARD_W - PANEL_W - GUTTER - MARGIN, CARD_H - TEXT_BOTTOM_MARGIN - text_top
    )
    qr_x = panel.right - QR_INSET - QR_TILE if side == "right" else panel.x + QR_INSET
    qr = Box(qr_x, CARD_H - QR_INSET - QR_TILE, QR_TILE, QR_TILE)
    cloud_top = BAND_H + TEXT_TOP_GAP
    cloud = Box(
        panel.x + PANEL_INSET, cloud_top, PANEL_W - 2 * PANEL_INSET, qr.y - CLOUD_QR_GAP - cloud_top
    )
    cloud_full = Box(cloud.x, cloud_top, cloud.w, CARD_H - TEXT_BOTTOM_MARGIN - cloud_top)
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
    "ASCENT", "BLEED", "BODY", "CAPTION", "CARD_H", "CARD_W", "DATE", "DESCENT", "FONTS",
    "TITLE", "Box", "Geometry", "PlacedTerm", "Style", "body_lines", "geometry", "place_terms",
    "pt", "relative_weights", "term_size", "text_width", "title_lines", "wrap",
]  # fmt: skip
