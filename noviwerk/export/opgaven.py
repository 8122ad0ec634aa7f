"""Opgaven, kansen and dilemma's across bouwstenen as CSV and XLSX: one row per point.

Texts are typed by people: a cell a spreadsheet would run as a formula is defused, in both
formats (``csv_cell``). Pure: plain rows in, ``str`` or ``bytes`` out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .contributions import csv_cell
from .tables import table_csv, table_xlsx

COLUMNS: tuple[str, ...] = (
    "thema",
    "werkplaats",
    "datum",
    "bouwsteen",
    "versie",
    "soort",
    "punt",
    "deelnemers",
    "steun",
    "bijdragen",
    "geschreven door",
    "link",
)
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Row:
    theme: str
    werkplaats: str
    date: str  # day-month-year, as the oogst table writes it
    status: str
    version: int
    soort: str
    text: str
    participants: int | None
    support: int | None
    numbers: tuple[int, ...]  # the contributions behind it, by their number in the bijlage
    origin: str  # "deelnemers (samengesteld)" or "trekker"
    link: str


def _cells(row: Row) -> list[str | int]:
    return [
        csv_cell(v)
        for v in (
            row.theme,
            row.werkplaats,
            row.date,
            row.status,
            row.version,
            row.soort,
            row.text,
            row.participants,
            row.support,
            ", ".join(str(n) for n in row.numbers),
            row.origin,
            row.link,
        )
    ]


def render_csv(rows: Sequence[Row]) -> str:
    return table_csv(COLUMNS, (_cells(r) for r in rows))


def render_xlsx(rows: Sequence[Row]) -> bytes:
    return table_xlsx(COLUMNS, (_cells(r) for r in rows), title="Opgaven kansen dilemma's")
