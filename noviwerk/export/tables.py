"""A table as CSV and as XLSX, the way every table download of noviwerk is written.

CSV: UTF-8 with a byte order mark (so Excel reads the accents), CRLF line ends, a header row.
XLSX: one sheet, the header row frozen, every text cell a string cell (openpyxl would store
"=…" as a formula). Cells are neutralised by the caller (``contributions.csv_cell``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from ..text_rules import strip_control

Cell = str | int | float | None


def table_csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def table_xlsx(columns: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    # A sheet title may not hold []:*?/\ and is at most 31 characters.
    sheet.title = "".join(c for c in strip_control(title) if c not in "[]:*?/\\")[:31] or "Tabel"
    sheet.append(list(columns))
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
