"""The table of werkplaatsen of a programme, from CSV or XLSX: ``import_programme``.

Columns nr, titel, datum, soort, bouwsteen, hoofdonderwerp, organisatie[, plaats], in any
order. Problems are placed by line number in a CSV file (the header is line 1, so the first
data row is line 2, as a spreadsheet numbers its rows) and by row number in an XLSX sheet.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ...domain import BouwsteenStatus
from ...export.contributions import cell_value
from ...extensions import db
from ...models import Bouwsteen, Theme, Werkplaats
from ...text_rules import strip_control
from .checks import Check, fmt, show
from .report import MAX_IMPORT_ROWS, ImportReport, too_many_rows
from .targets import (
    DEMO_PROGRAMME,
    Existing,
    WerkplaatsEntry,
    go_on,
    match_all,
    programme_named,
    write,
)
from .xlsx import read_sheet

PROGRAMME_COLUMNS = ("nr", "titel", "datum", "soort", "bouwsteen", "hoofdonderwerp", "organisatie")
OPTIONAL_COLUMNS = ("plaats",)
REQUIRED_COLUMNS = ("titel", "datum", "soort")
# What the oogst's download adds beside the columns above: counted or named elsewhere.
EXPORT_ONLY_COLUMNS = ("trekker", "deelnemers", "bijdragen")


@dataclass(frozen=True)
class _Cells:
    where: str
    values: dict[str, object]
    ok: bool = True  # False: the row's shape is wrong (more cells than the header)


def _decode(data: bytes, report: ImportReport) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        report.error(_("bestand"), _("dit bestand is geen leesbare tekst (verwacht UTF-8)"))
        return None
    report.note(_("bestand"), _("niet in UTF-8 opgeslagen; gelezen als Windows-tekens (cp1252)"))
    return text


def _header(cells: Sequence[object], report: ImportReport, where: str) -> list[str] | None:
    names = [" ".join(strip_control(str(c or "")).split()).casefold() for c in cells]
    known = set(PROGRAMME_COLUMNS) | set(OPTIONAL_COLUMNS)
    ok = True
    for name, count in Counter(n for n in names if n).items():
        if count > 1:
            report.error(where, _("kolom '%(c)s' staat er %(n)d keer", c=name, n=count))
            ok = False
    for name in REQUIRED_COLUMNS:
        if name not in names:
            report.error(
                where,
                _(
                    "kolom '%(c)s' ontbreekt; de kopregel moet bevatten: %(all)s",
                    c=name,
                    all=",".join(PROGRAMME_COLUMNS),
                ),
            )
            ok = False
    for name in names:
        if name in EXPORT_ONLY_COLUMNS:
            report.note(
                where,
                _(
                    "kolom '%(c)s' komt uit de download van de oogst en wordt niet ingelezen",
                    c=name,
                ),
            )
        elif name and name not in known:
            report.note(where, _("kolom '%(c)s' is onbekend en wordt niet ingelezen", c=show(name)))
    return names if ok else None


def _row_cells(
    header: list[str], cells: Sequence[object], where: str, report: ImportReport
) -> _Cells | None:
    """The cells of one data row by column name; None for a blank row."""
    if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
        return None
    extra = [c for c in cells[len(header) :] if c is not None and str(c).strip()]
    if extra:
        report.error(
            where,
            _(
                "deze rij heeft %(n)d kolommen, de kopregel %(h)d",
                n=len(cells),
                h=len(header),
            ),
        )
    values = {
        # A cell the oogst's download defused ('=…) reads back as it was, as text.
        name: cell_value(c) if isinstance(c := cells[i] if i < len(cells) else None, str) else c
        for i, name in enumerate(header)
        if name
    }
    return _Cells(where, values, ok=not extra)


def _table(
    lines: Iterable[tuple[str, Sequence[object]]], report: ImportReport, empty: str, max_rows: int
) -> list[_Cells] | None:
    """The data rows under the first non-blank row, which is the header; None (and the
    error ``empty`` when there is no header) when the table cannot be read or has more
    than ``max_rows`` rows (reading stops there)."""
    header: list[str] | None = None
    rows: list[_Cells] = []
    for where, cells in lines:
        if header is None:
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            header = _header(cells, report, where)
            if header is None:
                return None
            continue
        row = _row_cells(header, cells, where, report)
        if row is not None:
            rows.append(row)
            if len(rows) > max_rows:
                too_many_rows(report, max_rows)
                return None
    if header is None:
        report.error(_("bestand"), empty)
        return None
    return rows


def _csv_lines(reader) -> Iterator[tuple[str, list[str]]]:
    """Each record with the line it starts on (a quoted cell may span lines)."""
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield _("regel %(n)d", n=line), cells


def _read_csv(data: bytes, report: ImportReport, max_rows: int) -> list[_Cells] | None:
    text = _decode(data, report)
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table(_csv_lines(reader), report, _("het bestand is leeg"), max_rows)
    except csv.Error as e:
        report.error(_("regel %(n)d", n=reader.line_num), _("onleesbare CSV: %(e)s", e=str(e)))
        return None


def _read_xlsx(data: bytes, report: ImportReport, max_rows: int) -> list[_Cells] | None:
    return read_sheet(
        data, report, lambda rows: _table(rows, report, _("het werkblad is leeg"), max_rows)
    )


def entry_of(cells: _Cells, report: ImportReport) -> WerkplaatsEntry | None:
    check = Check(report, cells.where)
    entry = WerkplaatsEntry(
        where=cells.where,
        **check.werkplaats_fields(cells.values.get, required=True),
        # Kept as written, whatever it says: it is history, not a status of ours.
        history_note=check.text(cells.values.get("bouwsteen"), "bouwsteen", 200),
    )
    if entry.history_note and entry.history_note.casefold() not in BouwsteenStatus.values():
        report.note(
            cells.where,
            _(
                "bouwsteen '%(v)s' is geen status van noviwerk (%(s)s); bewaard zoals het er staat",
                v=show(entry.history_note),
                s=", ".join(BouwsteenStatus.values()),
            ),
        )
    return entry if check.ok and cells.ok else None


def read_table(data: bytes, report: ImportReport, max_rows: int) -> list[_Cells] | None:
    """The data rows of a programme table, CSV or XLSX told apart by content; None when the
    file cannot be read as one (said in ``report``, which is marked unreadable)."""
    if data[:4] == b"PK\x03\x04":
        cells = _read_xlsx(data, report, max_rows)
    elif data[:4] == b"\xd0\xcf\x11\xe0":
        report.error(
            _("bestand"), _("het oude Excel-formaat (.xls) kan niet; bewaar als .xlsx of .csv")
        )
        cells = None
    else:
        cells = _read_csv(data, report, max_rows)
    if cells is not None and not cells:
        report.error(_("bestand"), _("het bestand bevat geen werkplaatsen"))
        cells = None
    if cells is None:
        report.unreadable = True
    return cells


def import_programme(
    data: bytes,
    *,
    source: str = "bestand",
    programme_name: str = DEMO_PROGRAMME,
    skip_invalid: bool = False,
    max_rows: int = MAX_IMPORT_ROWS,
) -> ImportReport:
    """Import a programme table (CSV or XLSX, told apart by content) into ``programme_name``,
    creating the programme (default kernvragen) and missing themes as needed. A table of
    more than ``max_rows`` rows is refused whole.

    A row with the same nr, or else the same title, as a werkplaats of the programme updates
    it (each change noted); the others become new werkplaatsen.
    """
    report = ImportReport(source=source, programme=programme_name)
    cells = read_table(data, report, max_rows)
    if cells is None:
        return report
    rows = [entry_of(c, report) for c in cells]
    _store(report, rows, programme_name, skip_invalid)
    report.sort()
    return report


def _store(
    report: ImportReport,
    rows: list[WerkplaatsEntry | None],
    programme_name: str,
    skip_invalid: bool,
) -> None:
    programme = programme_named(programme_name)
    pairs = match_all(report, rows, Existing(programme))
    if go_on(report, len(rows), len(pairs), skip_invalid):
        write(report, programme, programme_name, pairs, update_werkplaats)


@dataclass(frozen=True)
class Change:
    """One field a table row changes in its werkplaats: the value to set, and as people read
    it ("datum 11-5-2015 → 12-5-2015")."""

    attr: str
    value: object
    text: str


def changes_of(werkplaats: Werkplaats, row: WerkplaatsEntry, theme: Theme | None) -> list[Change]:
    """What taking the row's values would change (the table is the source for these fields;
    empty cells change nothing). ``theme``: the programme's theme the row names, or None:
    then a named theme is one still to be made."""
    changes: list[Change] = []

    def put(attr: str, label: str, new: object, shown_old: object = None, shown_new: object = None):
        old = getattr(werkplaats, attr)
        if new != old:
            old_text = fmt(shown_old if shown_old is not None else old)
            new_text = fmt(shown_new if shown_new is not None else new)
            changes.append(Change(attr, new, f"{label} {old_text} → {new_text}"))

    if row.nr is not None and werkplaats.nr is None:
        put("nr", "nr", row.nr)
    put("title", "titel", row.title)
    if row.starts_at is not None and (
        werkplaats.starts_at is None or werkplaats.starts_at.date() != row.starts_at.date()
    ):
        # The table knows the day; a time set in noviwerk stays.
        keep = werkplaats.starts_at.time() if werkplaats.starts_at else row.starts_at.time()
        put("starts_at", "datum", datetime.combine(row.starts_at.date(), keep))
    put(
        "kind",
        "soort",
        row.kind,
        getattr(werkplaats.kind, "value", werkplaats.kind),
        row.kind.value,
    )
    old_theme = werkplaats.theme.name if werkplaats.theme else "—"
    if theme is not None and werkplaats.theme_id != theme.id:
        put("theme_id", "hoofdonderwerp", theme.id, old_theme, theme.name)
    elif theme is None and row.theme:
        changes.append(Change("theme_id", None, f"hoofdonderwerp {old_theme} → {show(row.theme)}"))
    for attr, label in (("organisation", "organisatie"), ("place", "plaats")):
        if value := getattr(row, attr):
            put(attr, label, value)
    if row.history_note and not _is_own_status(werkplaats, row.history_note):
        put("history_note", "bouwsteen", row.history_note)
    return changes


def _is_own_status(werkplaats: Werkplaats, note: str) -> bool:
    """The oogst writes a bouwsteen made here by its status: reading that back is no note."""
    status = db.session.scalar(
        sa.select(Bouwsteen.status).where(Bouwsteen.werkplaats_id == werkplaats.id)
    )
    return status is not None and note.casefold() == BouwsteenStatus(status).value.casefold()


def update_werkplaats(
    report: ImportReport, werkplaats: Werkplaats, row: WerkplaatsEntry, theme: Theme | None
) -> bool:
    """Take the table's values; note every change."""
    changes = changes_of(werkplaats, row, theme)
    for change in changes:
        setattr(werkplaats, change.attr, change.value)
    if changes:
        report.note(
            row.where,
            _(
                "werkplaats '%(t)s' bijgewerkt: %(c)s",
                t=show(row.title),
                c="; ".join(c.text for c in changes),
            ),
        )
    return bool(changes)
