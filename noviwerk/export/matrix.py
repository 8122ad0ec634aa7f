"""A matrix drawn as SVG on the server: rows against columns, a number in every cell.

For the roll-up's verbindingen (which themes touched which rode draden, in how many
werkplaatsen), in the house style of ``export.charts``: ``role="img"`` named by its
``<title>`` and described by its ``<desc>``, every number written in its cell and kept in
``data-value`` so the table beside it (the page prints ``Matrix.rows()``) says the same.

Read by everyone (WCAG 2.1 AA): the shade of a cell repeats its number, never replaces it;
every shade holds its number at 4.5:1 or more (``contrast_ratio``, tested); an empty cell
is white with a grey outline and no number. The row's name stands above its cells, as the
bar charts put their categories, so the cells get the full width; the columns' names stand
turned above the first row, shortened where long (whole in each cell's ``<title>``).

Pure: text in, text out. No Flask, no models.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from noviwerk.export.charts import BACKGROUND, FONT, TEXT, WIDTH, contrast_ratio

# (fill, number colour) from few to most: each pair at 4.5:1 or more.
SHADES: tuple[tuple[str, str], ...] = (
    ("#dbe7f6", TEXT),
    ("#9dbde6", TEXT),
    ("#1f5fa8", BACKGROUND),
)
EMPTY_OUTLINE = "#8c8c8c"  # 3.3:1 on white: the grid stays visible where nothing is
_LABEL_SIZE = 16
_VALUE_SIZE = 14
_HEAD_SIZE = 13
_CELL_MAX = 48
_CELL_MIN = 30  # below this a number no longer fits: the drawing grows wider and scales
_HEAD_CHARS = 24  # a column's name, turned, is cut here


@dataclass(frozen=True)
class Matrix:
    id: str
    title: str
    description: str
    row_header: str  # the table's first column: "Thema"
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]  # per row, a value per column
    # What a cell's <title> adds after its number ("Water verbindt, Energie"), per row and column.
    details: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if len(self.values) != len(self.rows) or any(len(v) != len(self.columns) for v in self.values):
            raise ValueError("every row needs one value per column")
        if self.details and (
            len(self.details) != len(self.rows) or any(len(d) != len(self.columns) for d in self.details)
        ):
            raise ValueError("details, if given, per row and column")
        if any(v < 0 for row in self.values for v in row):
            raise ValueError("a matrix counts: no negative values")

    def table(self) -> list[tuple[str, tuple[int, ...]]]:
        """The table beside the drawing: a row's name and its values."""
        return list(zip(self.rows, self.values, strict=True))

    def is_empty(self) -> bool:
        return not any(v for row in self.values for v in row)


def shade(value: int, peak: int) -> tuple[str, str]:
    """(fill, number colour) of a non-zero ``value`` among values up to ``peak``."""
    level = min(len(SHADES) - 1, math.ceil(value / max(peak, 1) * len(SHADES)) - 1)
    return SHADES[max(level, 0)]


def _short(text: str) -> str:
    return text if len(text) <= _HEAD_CHARS else text[: _HEAD_CHARS - 1].rstrip() + "\u2026"


def render_svg(matrix: Matrix) -> str:
    n = max(len(matrix.columns), 1)
    cell = max(_CELL_MIN, min(_CELL_MAX, (WIDTH - 4) / n))
    width = max(WIDTH, cell * n + 4)
    # Room above the grid for the turned column names (45°: the rise is length / √2).
    longest = max((len(_short(c)) for c in matrix.columns), default=0)
    top = longest * _HEAD_SIZE * 0.6 / math.sqrt(2) + _HEAD_SIZE + 4
    width = max(width, cell * (n - 1) + cell / 2 + longest * _HEAD_SIZE * 0.6 / math.sqrt(2) + 8)
    peak = max((v for row in matrix.values for v in row), default=0)
    body: list[str] = []
    for j, name in enumerate(matrix.columns):
        x, y = j * cell + cell / 2, top - 4
        body.append(
            f'<text x="{x:g}" y="{y:g}" font-size="{_HEAD_SIZE}" fill="{TEXT}" '
            f'transform="rotate(-45 {x:g} {y:g})">{escape(_short(name))}</text>'
        )
    y = top
    for i, row in enumerate(matrix.rows):
        y += _LABEL_SIZE
        body.append(f'<text x="0" y="{y:g}" font-size="{_LABEL_SIZE}" fill="{TEXT}">{escape(row)}</text>')
        y += 5
        for j, column in enumerate(matrix.columns):
            body.append(_cell(matrix, i, j, row, column, j * cell, y, cell, peak))
        y += cell + 8
    height = max(y, 1)
    ids = f"{matrix.id}-title {matrix.id}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart matrix" id="{matrix.id}" '
        f'viewBox="0 0 {width:g} {height:g}" width="100%" role="img" aria-labelledby="{ids}" '
        f"font-family={quoteattr(FONT)}>"
        f'<title id="{matrix.id}-title">{escape(matrix.title)}</title>'
        f'<desc id="{matrix.id}-desc">{escape(matrix.description)}</desc>'
        f'<rect width="{width:g}" height="{height:g}" fill="{BACKGROUND}"/>'
        f"{''.join(body)}</svg>"
    )


def _cell(matrix: Matrix, i: int, j: int, row: str, column: str, x: float, y: float,
          size: float, peak: int) -> str:  # fmt: skip
    value = matrix.values[i][j]
    detail = matrix.details[i][j] if matrix.details else ""
    name = f"{row} \u00d7 {column}: {value}" + (f" ({detail})" if detail else "")
    inner = size - 3
    data = (
        f"data-row={quoteattr(row)} data-column={quoteattr(column)} data-value=\"{value}\""
    )
    if not value:
        return (
            f'<rect class="cell" x="{x + 1:g}" y="{y:g}" width="{inner:g}" height="{inner:g}" '
            f'fill="{BACKGROUND}" stroke="{EMPTY_OUTLINE}" stroke-width="1" {data}>'
            f"<title>{escape(name)}</title></rect>"
        )
    fill, ink = shade(value, peak)
    return (
        f'<rect class="cell" x="{x + 1:g}" y="{y:g}" width="{inner:g}" height="{inner:g}" '
        f'fill="{fill}" {data}><title>{escape(name)}</title></rect>'
        f'<text x="{x + 1 + inner / 2:g}" y="{y + inner / 2 + _VALUE_SIZE * 0.35:g}" '
        f'font-size="{_VALUE_SIZE}" font-weight="bold" fill="{ink}" text-anchor="middle">'
        f"{value}</text>"
    )


def cell_values(matrix: Matrix) -> dict[tuple[str, str], int]:
    """(row, column) → value for every cell: what the drawing should show."""
    return {
        (r, c): matrix.values[i][j]
        for i, r in enumerate(matrix.rows)
        for j, c in enumerate(matrix.columns)
    }


__all__ = ["EMPTY_OUTLINE", "SHADES", "Matrix", "cell_values", "contrast_ratio",
           "render_svg", "shade"]  # fmt: skip
