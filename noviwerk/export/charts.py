"""Bar charts as SVG, drawn on the server: the oogst's facts and figures, no JavaScript.

A ``Chart`` holds its numbers once; the page draws it here and prints the same numbers as a
table beside it, so what the bars show and what a screen reader reads cannot drift apart.
Every bar carries its number in ``data-value`` (and, where there is room, as a label) for
that reason, and so a test can check it.

Made to be read by everyone (WCAG 2.1 AA): each colour has at least 3:1 against the white
background and 4.5:1 under the white numbers printed on it (``contrast_ratio``, tested);
series are told apart by a pattern as well as a colour, segments by a white gap, and a
chart with one series labels its bars directly. The drawing is ``width="100%"`` with a
``viewBox`` narrow enough that a phone shows its text at about its own size; the category
name stands above its bar, so long names need no room beside it.

Pure: text in, text out. No Flask, no models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from noviwerk.synthesis.ansichtkaart.colours import (
    contrast_ratio as contrast_ratio,  # re-exported: one WCAG ratio
)

SINGLE = "single"  # one series: a bar per category, labelled directly
STACKED = "stacked"  # the series add up: one bar per category, a segment per series
GROUPED = "grouped"  # the series side by side: a thin bar per series in each category
LAYOUTS = (SINGLE, STACKED, GROUPED)

WIDTH = 380  # the viewBox's width; about a phone's width, so text keeps its size there
BACKGROUND = "#ffffff"
TEXT = "#1a1a1a"
MUTED = "#595959"  # 7:1 on white
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# Dark enough for 3:1 against white (graphics) and 4.5:1 under white text (numbers in bars).
PALETTE: tuple[str, ...] = (
    "#1f5fa8",  # blue
    "#b3401a",  # rust
    "#2d6a2f",  # green
    "#6a3d9a",  # purple
    "#8a5a00",  # ochre
    "#a3144f",  # magenta
    "#00656b",  # teal
    "#4e4e4e",  # grey
)
# A pattern per series, in white over its colour: the second cue beside colour.
PATTERNS: tuple[str, ...] = ("solid", "diagonal", "dots", "horizontal", "cross", "vertical",
                             "backward", "grid")  # fmt: skip

_LABEL_SIZE = 16
_VALUE_SIZE = 14
_BAR = 22  # a bar's height
_THIN = 15  # a bar's height in a grouped chart
_GAP = 10  # between categories
_VALUE_ROOM = 52  # room after the longest bar for its number


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Chart:
    """A bar chart and the table of its numbers. ``id`` makes its ids unique in a page."""

    id: str
    title: str
    description: str
    category_header: str  # the table's first column: "Maand", "Veld"…
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    layout: str = SINGLE
    total_header: str = ""  # a "Totaal" column in the table, when the series add up

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r}")
        if not self.series or any(len(s.values) != len(self.categories) for s in self.series):
            raise ValueError("every series needs one value per category")
        if self.layout == SINGLE and len(self.series) != 1:
            raise ValueError("a single-series chart has one series")
        if any(v < 0 for s in self.series for v in s.values):
            raise ValueError("bar charts count: no negative values")

    def totals(self) -> tuple[int, ...]:
        return tuple(sum(s.values[i] for s in self.series) for i in range(len(self.categories)))

    def rows(self) -> list[tuple[str, tuple[int, ...]]]:
        """The table's rows: a category and its value per series (and the total, if shown)."""
        totals = self.totals()
        return [
            (name, tuple(s.values[i] for s in self.series) + ((totals[i],) if self.total_header else ()))
            for i, name in enumerate(self.categories)
        ]

    def columns(self) -> tuple[str, ...]:
        """The table's column headers after the category's."""
        return tuple(s.name for s in self.series) + ((self.total_header,) if self.total_header else ())

    def is_empty(self) -> bool:
        return not any(self.totals())


# --- drawing ---------------------------------------------------------------------------


def _text_width(text: str, size: float) -> float:
    """A generous estimate: the drawing has no font metrics, so it leaves room."""
    return len(text) * size * 0.6


def _fill(chart: Chart, index: int) -> str:
    if chart.layout == SINGLE or PATTERNS[index % len(PATTERNS)] == "solid":
        return PALETTE[index % len(PALETTE)]
    return f"url(#{chart.id}-p{index})"


_STROKES = {
    "diagonal": "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2",
    "backward": "M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2",
    "horizontal": "M0,3 h6",
    "vertical": "M3,0 v6",
    "cross": "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2 M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2",
    "grid": "M0,3 h6 M3,0 v6",
}


def _patterns(chart: Chart) -> list[str]:
    out = []
    for i, _series in enumerate(chart.series):
        kind = PATTERNS[i % len(PATTERNS)]
        if chart.layout == SINGLE or kind == "solid":
            continue
        colour = PALETTE[i % len(PALETTE)]
        mark = (
            '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>'
            if kind == "dots"
            else f'<path d="{_STROKES[kind]}" stroke="#ffffff" stroke-width="1.2"/>'
        )
        out.append(
            f'<pattern id="{chart.id}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{colour}"/>{mark}</pattern>'
        )
    return out


def _legend(chart: Chart, y: float) -> tuple[list[str], float]:
    """Swatches with the series' names, wrapped over lines; the y below them."""
    if chart.layout == SINGLE:
        return [], y
    out, x, line = [], 0.0, _LABEL_SIZE + 6
    for i, s in enumerate(chart.series):
        width = 22 + _text_width(s.name, _VALUE_SIZE) + 14
        if x and x + width > WIDTH:
            x, y = 0.0, y + line
        out.append(
            f'<rect x="{x:g}" y="{y:g}" width="16" height="14" fill="{_fill(chart, i)}" '
            f'stroke="{TEXT}" stroke-width="0.5"/>'
            f'<text x="{x + 22:g}" y="{y + 11.5:g}" font-size="{_VALUE_SIZE}" fill="{TEXT}">'
            f"{escape(s.name)}</text>"
        )
        x += width
    return out, y + line + 4


def _value_text(x: float, y: float, value: int, *, inside: bool = False) -> str:
    anchor = ' text-anchor="middle"' if inside else ""
    colour = BACKGROUND if inside else TEXT
    weight = ' font-weight="bold"' if inside else ""
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{_VALUE_SIZE}" fill="{colour}"{anchor}{weight}>'
        f"{value}</text>"
    )


def _chip(chart: Chart, index: int, middle: float, y: float, value: int) -> str:
    """A segment's number on a plain patch of its colour, so a pattern never runs through it."""
    width = _text_width(str(value), _VALUE_SIZE) + 6
    return (
        f'<rect x="{middle - width / 2:g}" y="{y + 3:g}" width="{width:g}" height="{_BAR - 6:g}" '
        f'rx="2" fill="{PALETTE[index % len(PALETTE)]}"/>'
        + _value_text(middle, y + _BAR - 6, value, inside=True)
    )


def render_svg(chart: Chart) -> str:
    """The chart as an ``<svg>`` element, to stand in a page or alone in a file.

    Named by its ``<title>`` and described by its ``<desc>`` (``role="img"``,
    ``aria-labelledby``); the numbers themselves belong in the table beside it.
    """
    totals = chart.totals()
    peak = max((*totals, *(v for s in chart.series for v in s.values)), default=0) or 1
    if chart.layout != GROUPED:
        peak = max(totals, default=0) or 1
    room = WIDTH - _VALUE_ROOM
    scale = room / peak
    body: list[str] = []
    legend, y = _legend(chart, 0)
    body.extend(legend)
    for i, category in enumerate(chart.categories):
        y += _LABEL_SIZE
        body.append(
            f'<text x="0" y="{y:g}" font-size="{_LABEL_SIZE}" fill="{TEXT}">{escape(category)}</text>'
        )
        y += 5
        if chart.layout == GROUPED:
            for j, s in enumerate(chart.series):
                width = s.values[i] * scale
                body.append(_bar(chart, j, 0, y, width, _THIN, s, category, s.values[i]))
                body.append(_value_text(width + 5, y + _THIN - 3, s.values[i]))
                y += _THIN + 2
            y += _GAP - 2
            continue
        x = 0.0
        for j, s in enumerate(chart.series):
            value = s.values[i]
            if not value:
                continue
            width = value * scale
            body.append(_bar(chart, j, x, y, width, _BAR, s, category, value))
            if chart.layout == STACKED and width >= _text_width(str(value), _VALUE_SIZE) + 12:
                body.append(_chip(chart, j, x + width / 2, y, value))
            x += width
        body.append(_value_text(x + 5, y + _BAR - 6, totals[i]))
        y += _BAR + _GAP
    height = max(y, 1)
    ids = f"{chart.id}-title {chart.id}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart.id}" '
        f'viewBox="0 0 {WIDTH} {height:g}" width="100%" role="img" aria-labelledby="{ids}" '
        f'font-family={quoteattr(FONT)}>'
        f'<title id="{chart.id}-title">{escape(chart.title)}</title>'
        f'<desc id="{chart.id}-desc">{escape(chart.description)}</desc>'
        f"<defs>{''.join(_patterns(chart))}</defs>"
        f'<rect width="{WIDTH}" height="{height:g}" fill="{BACKGROUND}"/>'
        f"{''.join(body)}</svg>"
    )


def _bar(
    chart: Chart, index: int, x: float, y: float, width: float, height: float,
    series: Series, category: str, value: int,
) -> str:  # fmt: skip
    """One bar or segment; a white outline parts it from its neighbour without colour."""
    name = category if chart.layout == SINGLE else f"{category}: {series.name}"
    return (
        f'<rect class="bar" x="{x:g}" y="{y:g}" width="{width:g}" height="{height:g}" '
        f'fill="{_fill(chart, index)}" stroke="{BACKGROUND}" stroke-width="1" '
        f"data-category={quoteattr(category)} data-series={quoteattr(series.name)} "
        f'data-value="{value}"><title>{escape(name)}: {value}</title></rect>'
    )


def standalone(svg: str) -> str:
    """The drawing as a file of its own."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"


def bar_values(chart: Chart) -> dict[tuple[str, str], int]:
    """(category, series) → value, for every non-zero value: what the bars should show."""
    return {
        (c, s.name): s.values[i]
        for s in chart.series
        for i, c in enumerate(chart.categories)
        if s.values[i] or chart.layout == GROUPED
    }


def largest(categories: Sequence[str], values: Sequence[int]) -> tuple[str, int] | None:
    """The category with the most (the first of equals), for a chart's description."""
    if not values or not any(values):
        return None
    i = max(range(len(values)), key=lambda k: (values[k], -k))
    return categories[i], values[i]
