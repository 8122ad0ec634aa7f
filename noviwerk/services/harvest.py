"""Import and export of the harvest, and the demo data built from them.

- ``import_programme``: the table of werkplaatsen of a programme, from CSV or XLSX
  (columns nr, titel, datum, soort, bouwsteen, hoofdonderwerp, organisatie[, plaats]).
- ``import_werkplaatsen``: werkplaatsen with their contributions, from JSON
  (``werkplaatsen[].contributions[]``; also what ``export_werkplaats(…, "json")`` writes).
- ``export_werkplaats``: the visible contributions of one werkplaats as md, csv or json.
- ``seed_demo``: the NOVI 2015–2016 programme, the sample werkplaatsen, demo accounts and a
  werkplaats ready to try live, all through the same importers.

Files come from people's spreadsheets. Every record is checked and every problem reported
with where it is and a Dutch reason: CSV by line number in the file (the header is line 1,
so the first data row is line 2, as a spreadsheet numbers its rows), XLSX by row number in
the sheet, JSON by path (``werkplaatsen[0].contributions[3]``). A file with any error
imports nothing unless ``skip_invalid``; values that are odd but usable (bouwsteen "Verslag
op viadesk", control characters) are imported as they are, or cleaned, and reported as
notes, never changed silently. Each import is one write transaction: all or nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..database import write_transaction
from ..domain import (
    DEFAULT_KERNVRAGEN,
    MAX_CONTRIBUTION_CHARS,
    MAX_ORGANISATION_CHARS,
    NOVI_THEMES,
    BouwsteenStatus,
    ContributionRecord,
    ContributionState,
    KernvraagSpec,
    Label,
    Role,
    RoundState,
    Source,
    StaffRole,
    TextProblem,
    Veld,
    WerkplaatsKind,
    WerkplaatsRecord,
    WerkplaatsState,
    clean_text,
    strip_control,
    text_problem,
)
from ..export import harvest as harvest_export
from ..extensions import db
from ..live import notifier
from ..models import (
    Contribution,
    Participant,
    Programme,
    Round,
    Theme,
    User,
    Werkplaats,
    WerkplaatsStaff,
    utcnow,
)
from . import accounts, participation, programmes, werkplaatsen
from .errors import Invalid, NotFound

DEMO_PROGRAMME = "Werkplaatsen NOVI 2015–2016"


# --- reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One finding: where in the file ("regel 5", "werkplaatsen[0].contributions[3]") and why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ImportReport:
    source: str
    programme: str = ""
    programme_created: bool = False
    werkplaatsen_created: int = 0
    werkplaatsen_updated: int = 0
    werkplaatsen_unchanged: int = 0
    themes_created: int = 0
    rounds_created: int = 0
    contributions_imported: int = 0
    contributions_present: int = 0  # found from an earlier import of the same file: left alone
    skipped: int = 0  # invalid records left out (only with skip_invalid)
    imported: bool = False  # False: nothing was written
    unreadable: bool = False  # the file as a whole could not be read: nothing to skip to
    errors: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.errors.append(Issue(where, message))

    def note(self, where: str, message: str) -> None:
        self.notes.append(Issue(where, message))

    def sort(self) -> None:
        """Findings in file order: the file itself first, then by line, row or index."""
        self.errors.sort(key=_place)
        self.notes.sort(key=_place)

    def summary(self) -> list[str]:
        """Dutch lines for a terminal or a flash message."""
        if not self.imported:
            return [
                _(
                    "%(source)s: niets geïmporteerd (fouten: %(n)d).",
                    source=self.source,
                    n=len(self.errors),
                )
            ]
        made = _(" (aangemaakt)") if self.programme_created else ""
        lines = [
            _(
                "%(source)s → programma %(p)s%(made)s",
                source=self.source,
                p=self.programme,
                made=made,
            ),
            _(
                "Werkplaatsen: %(c)d nieuw, %(u)d bijgewerkt, %(s)d ongewijzigd.",
                c=self.werkplaatsen_created,
                u=self.werkplaatsen_updated,
                s=self.werkplaatsen_unchanged,
            ),
        ]
        if self.themes_created:
            lines.append(_("Thema's aangemaakt: %(n)d.", n=self.themes_created))
        if self.rounds_created:
            lines.append(_("Rondes aangemaakt: %(n)d.", n=self.rounds_created))
        if self.contributions_imported or self.contributions_present:
            lines.append(
                _(
                    "Bijdragen: %(n)d geïmporteerd, %(p)d stonden er al.",
                    n=self.contributions_imported,
                    p=self.contributions_present,
                )
            )
        if self.skipped:
            lines.append(_("Overgeslagen wegens fouten: %(n)d.", n=self.skipped))
        return lines


def _place(issue: Issue) -> tuple[bool, list]:
    parts = re.split(r"(\d+)", issue.where)
    return (len(parts) > 1, [int(p) if p.isdigit() else p for p in parts])


# --- reading and checking values ----------------------------------------------------------


def _show(value: object, limit: int = 40) -> str:
    """A value as it may appear inside a message: one line, no control characters, short."""
    text = " ".join(strip_control(str(value)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?")

KIND_BY_SOORT = {
    "inhoudelijk": WerkplaatsKind.INHOUDELIJK,
    "strategisch": WerkplaatsKind.STRATEGISCH,
    "regionaal": WerkplaatsKind.REGIONAAL,
    "mirt": WerkplaatsKind.REGIONAAL,
    "regionaal (mirt)": WerkplaatsKind.REGIONAAL,
}


class _Check:
    """Checks the fields of one record; every problem goes to the report under ``where``."""

    def __init__(self, report: ImportReport, where: str) -> None:
        self.report = report
        self.where = where
        self.ok = True

    def error(self, message: str) -> None:
        self.report.error(self.where, message)
        self.ok = False

    def text(
        self, value: object, name: str, limit: int, *, required: bool = False, lines: bool = False
    ) -> str:
        """Text as stored: control characters removed (with a note), NFC, trimmed; one line
        unless ``lines``. Markup is kept as typed: it is only ever shown escaped."""
        if value is None:
            raw = ""
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(_("%(f)s moet tekst zijn", f=name))
            return ""
        elif isinstance(value, float) and value.is_integer():
            raw = str(int(value))
        else:
            raw = str(value)
        stripped = strip_control(raw)
        if stripped != raw:
            self.report.note(self.where, _("%(f)s: onzichtbare stuurtekens verwijderd", f=name))
        text = clean_text(stripped)
        if not lines:
            text = " ".join(text.split())
        problem = text_problem(text, limit)
        if problem == TextProblem.EMPTY:
            if required:
                self.error(_("%(f)s ontbreekt", f=name))
            return ""
        if problem == TextProblem.TOO_LONG:
            self.error(
                _("%(f)s is te lang: %(n)d tekens, hooguit %(max)d", f=name, n=len(text), max=limit)
            )
        return text

    def whole(self, value: object, name: str, *, required: bool = False) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(_("%(f)s ontbreekt", f=name))
            return None
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            number = int(value.strip())
        if number is None:
            self.error(_("%(f)s '%(v)s' is geen geheel getal", f=name, v=_show(value)))
        elif number < 1:
            self.error(_("%(f)s moet 1 of hoger zijn, niet %(v)d", f=name, v=number))
            number = None
        return number

    def day(self, value: object, name: str, *, required: bool = False) -> datetime | None:
        if isinstance(value, datetime):
            return value.replace(tzinfo=None, microsecond=0)
        if isinstance(value, date):
            return datetime.combine(value, time())
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(_("%(f)s ontbreekt", f=name))
            return None
        text = str(value).strip()
        parsed: datetime | None = None
        try:
            if m := _DMY.fullmatch(text):
                parsed = datetime(int(m[3]), int(m[2]), int(m[1]))
            elif m := _ISO.fullmatch(text):
                parsed = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0))
        except ValueError:
            parsed = None
        if parsed is None or not (1900 <= parsed.year <= 2200):
            self.error(
                _(
                    "%(f)s '%(v)s' is geen geldige datum; schrijf dag-maand-jaar, "
                    "bijvoorbeeld 11-5-2015, of jaar-maand-dag (2015-05-11)",
                    f=name,
                    v=_show(value),
                )
            )
            return None
        return parsed

    def kind(self, value: object, name: str = "soort", *, required: bool = False):
        text = self.text(value, name, 40, required=required)
        if not text:
            return None
        kind = KIND_BY_SOORT.get(text.casefold())
        if kind is None:
            self.error(
                _(
                    "%(f)s '%(v)s' is onbekend; kies inhoudelijk, strategisch of MIRT (regionaal)",
                    f=name,
                    v=_show(text),
                )
            )
        return kind

    def choice(self, value: object, name: str, options: Sequence[str]) -> str | None:
        text = self.text(value, name, 40)
        if not text:
            return None
        wanted = text.casefold()
        found = next((o for o in options if o.casefold() == wanted), None)
        if found is None:
            self.error(
                _(
                    "%(f)s '%(v)s' is onbekend; kies uit %(o)s",
                    f=name,
                    v=_show(text),
                    o=", ".join(options),
                )
            )
        return found


# --- the programme table (CSV, XLSX) ------------------------------------------------------

PROGRAMME_COLUMNS = ("nr", "titel", "datum", "soort", "bouwsteen", "hoofdonderwerp", "organisatie")
OPTIONAL_COLUMNS = ("plaats",)
REQUIRED_COLUMNS = ("titel", "datum", "soort")


@dataclass(frozen=True)
class _Cells:
    where: str
    values: dict[str, object]
    ok: bool = True  # False: the row's shape is wrong (more cells than the header)


@dataclass
class _TableRow:
    where: str
    nr: int | None
    title: str
    starts_at: datetime | None
    kind: WerkplaatsKind
    theme: str
    organisation: str
    place: str
    history_note: str


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
        if name and name not in known:
            report.note(
                where, _("kolom '%(c)s' is onbekend en wordt niet ingelezen", c=_show(name))
            )
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
    values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header) if name}
    return _Cells(where, values, ok=not extra)


def _read_csv(data: bytes, report: ImportReport) -> list[_Cells] | None:
    text = _decode(data, report)
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[_Cells] = []
    try:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            where = _("regel %(n)d", n=line)
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                header = _header(cells, report, where)
                if header is None:
                    return None
                continue
            row = _row_cells(header, cells, where, report)
            if row is not None:
                rows.append(row)
    except csv.Error as e:
        report.error(_("regel %(n)d", n=reader.line_num), _("onleesbare CSV: %(e)s", e=str(e)))
        return None
    if header is None:
        report.error(_("bestand"), _("het bestand is leeg"))
        return None
    return rows


def _read_xlsx(data: bytes, report: ImportReport) -> list[_Cells] | None:
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # Real workbooks warn about styles and extensions openpyxl cannot read: harmless.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        report.error(_("bestand"), _("dit is geen leesbaar xlsx-bestand"))
        return None
    try:
        sheet = book.active
        header: list[str] | None = None
        rows: list[_Cells] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
                where = _("rij %(n)d", n=number)
                cells = list(cells)
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
    finally:
        book.close()
    if header is None:
        report.error(_("bestand"), _("het werkblad is leeg"))
        return None
    return rows


def _table_row(cells: _Cells, report: ImportReport) -> _TableRow | None:
    check = _Check(report, cells.where)
    v = cells.values.get
    row = _TableRow(
        where=cells.where,
        nr=check.whole(v("nr"), "nr"),
        title=check.text(v("titel"), "titel", 200, required=True),
        starts_at=check.day(v("datum"), "datum", required=True),
        kind=check.kind(v("soort"), required=True),
        theme=check.text(v("hoofdonderwerp"), "hoofdonderwerp", 120),
        organisation=check.text(v("organisatie"), "organisatie", 200),
        place=check.text(v("plaats"), "plaats", 200),
        # Kept as written, whatever it says: it is history, not a status of ours.
        history_note=check.text(v("bouwsteen"), "bouwsteen", 200),
    )
    if row.history_note and row.history_note.casefold() not in BouwsteenStatus.values():
        report.note(
            cells.where,
            _(
                "bouwsteen '%(v)s' is geen status van noviwerk (%(s)s); bewaard zoals het er staat",
                v=_show(row.history_note),
                s=", ".join(BouwsteenStatus.values()),
            ),
        )
    return row if check.ok and cells.ok else None


def import_programme(
    data: bytes,
    *,
    source: str = "bestand",
    programme_name: str = DEMO_PROGRAMME,
    skip_invalid: bool = False,
) -> ImportReport:
    """Import a programme table (CSV or XLSX, told apart by content) into ``programme_name``,
    creating the programme (default kernvragen) and missing themes as needed.

    A row with the same nr, or else the same title, as a werkplaats of the programme updates
    it (each change noted); the others become new werkplaatsen.
    """
    report = ImportReport(source=source, programme=programme_name)
    if data[:4] == b"PK\x03\x04":
        cells = _read_xlsx(data, report)
    elif data[:4] == b"\xd0\xcf\x11\xe0":
        report.error(
            _("bestand"), _("het oude Excel-formaat (.xls) kan niet; bewaar als .xlsx of .csv")
        )
        cells = None
    else:
        cells = _read_csv(data, report)
    if cells is None:
        report.unreadable = True
        return report
    if not cells:
        report.error(_("bestand"), _("het bestand bevat geen werkplaatsen"))
        report.unreadable = True
        return report
    rows = [_table_row(c, report) for c in cells]
    _store_table(report, rows, programme_name, skip_invalid)
    report.sort()
    return report


# --- matching werkplaatsen of a programme -------------------------------------------------


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


class _Existing:
    """The werkplaatsen of a programme, to match file records on nr, or else on title."""

    def __init__(self, programme: Programme | None) -> None:
        items = list(programme.werkplaatsen) if programme is not None else []
        self.by_nr = {w.nr: w for w in items if w.nr is not None}
        self.by_title: dict[str, list[Werkplaats]] = {}
        for w in items:
            self.by_title.setdefault(_title_key(w.title), []).append(w)

    def match(self, check: _Check, nr: int | None, title: str) -> Werkplaats | None:
        if nr is not None and nr in self.by_nr:
            return self.by_nr[nr]
        same = self.by_title.get(_title_key(title), [])
        if len(same) > 1:
            check.error(
                _(
                    "meer dan één werkplaats in het programma heet '%(t)s'; geef een nr op",
                    t=_show(title),
                )
            )
            return None
        if same and nr is not None and same[0].nr is not None:
            check.error(
                _(
                    "werkplaats '%(t)s' staat al in het programma met nr %(old)d, "
                    "hier met nr %(new)d",
                    t=_show(title),
                    old=same[0].nr,
                    new=nr,
                )
            )
            return None
        return same[0] if same else None


def _match_all(report: ImportReport, records: Sequence, existing: _Existing) -> list:
    """Pair each valid record with the werkplaats it updates (or None: new).

    Records that repeat an nr or title of the file, or land on the same werkplaats as an
    earlier record, are errors: which one should win is for a person to decide.
    """
    pairs = []
    seen_nr: dict[int, str] = {}
    seen_title: dict[str, str] = {}
    seen_target: dict[int, str] = {}
    for record in records:
        if record is None:
            continue
        check = _Check(report, record.where)
        if record.nr is not None and record.nr in seen_nr:
            check.error(_("nr %(nr)d staat ook al in %(w)s", nr=record.nr, w=seen_nr[record.nr]))
        key = _title_key(record.title)
        if key in seen_title:
            check.error(
                _("titel '%(t)s' staat ook al in %(w)s", t=_show(record.title), w=seen_title[key])
            )
        if not check.ok:
            continue
        if record.nr is not None:
            seen_nr[record.nr] = record.where
        seen_title[key] = record.where
        target = existing.match(check, record.nr, record.title)
        if target is not None and target.id in seen_target:
            check.error(_("hoort bij dezelfde werkplaats als %(w)s", w=seen_target[target.id]))
        if not check.ok:
            continue
        if target is not None:
            seen_target[target.id] = record.where
        pairs.append((record, target))
    return pairs


def _programme_named(name: str) -> Programme | None:
    return db.session.scalar(sa.select(Programme).where(Programme.name == " ".join(name.split())))


def _ensure_programme(report: ImportReport, programme: Programme | None, name: str) -> Programme:
    if programme is not None:
        report.programme = programme.name
        return programme
    programme = programmes.create_programme(name)
    report.programme = programme.name
    report.programme_created = True
    report.note(
        _("programma"),
        _(
            "programma '%(p)s' bestond niet en is aangemaakt met de standaard-kernvragen",
            p=programme.name,
        ),
    )
    return programme


def _theme(report: ImportReport, programme: Programme, name: str, where: str) -> Theme | None:
    if not name:
        return None
    theme = programmes.find_theme(programme, name)
    if theme is None:
        theme = Theme(name=name)
        programme.themes.append(theme)
        db.session.flush()
        report.themes_created += 1
        report.note(where, _("thema '%(t)s' bestond niet en is aangemaakt", t=_show(name)))
    return theme


def _go_on(report: ImportReport, total: int, kept: int, skip_invalid: bool) -> bool:
    """Whether to write: not when anything failed (unless told to skip), nor when nothing
    is left to write; counts what is skipped."""
    if report.errors and not skip_invalid:
        return False
    report.skipped += total - kept
    return kept > 0


@write_transaction
def _store_table(
    report: ImportReport, rows: list[_TableRow | None], programme_name: str, skip_invalid: bool
) -> None:
    programme = _programme_named(programme_name)
    pairs = _match_all(report, rows, _Existing(programme))
    if not _go_on(report, len(rows), len(pairs), skip_invalid):
        return
    programme = _ensure_programme(report, programme, programme_name)
    for row, werkplaats in pairs:
        theme = _theme(report, programme, row.theme, row.where)
        if werkplaats is None:
            werkplaatsen.save_werkplaats(
                programme,
                title=row.title,
                starts_at=row.starts_at,
                place=row.place,
                kind=row.kind,
                theme_id=theme.id if theme else None,
                organisation=row.organisation,
                nr=row.nr,
                history_note=row.history_note,
            )
            report.werkplaatsen_created += 1
        elif _update_from_table(report, werkplaats, row, theme):
            report.werkplaatsen_updated += 1
        else:
            report.werkplaatsen_unchanged += 1
    db.session.flush()
    report.imported = True


def _fmt(value: object) -> str:
    if isinstance(value, datetime):
        return f"{value.day}-{value.month}-{value.year}"
    return _show(value if value not in (None, "") else "—")


def _update_from_table(
    report: ImportReport, werkplaats: Werkplaats, row: _TableRow, theme: Theme | None
) -> bool:
    """Take the table's values (it is the source for these fields); note every change."""
    changes: list[str] = []

    def put(attr: str, label: str, new: object, shown_old: object = None, shown_new: object = None):
        old = getattr(werkplaats, attr)
        if new != old:
            setattr(werkplaats, attr, new)
            old_text = _fmt(shown_old if shown_old is not None else old)
            new_text = _fmt(shown_new if shown_new is not None else new)
            changes.append(f"{label} {old_text} → {new_text}")

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
    if theme is not None and werkplaats.theme_id != theme.id:
        old_theme = werkplaats.theme.name if werkplaats.theme else "—"
        put("theme_id", "hoofdonderwerp", theme.id, old_theme, theme.name)
    for attr, label in (
        ("organisation", "organisatie"),
        ("place", "plaats"),
        ("history_note", "bouwsteen"),
    ):
        value = getattr(row, attr)
        if value:
            put(attr, label, value)
    if changes:
        report.note(
            row.where,
            _("werkplaats '%(t)s' bijgewerkt: %(c)s", t=_show(row.title), c="; ".join(changes)),
        )
    return bool(changes)


# --- werkplaatsen with contributions (JSON) -----------------------------------------------

_W_KEYS = {
    "nr",
    "titel",
    "datum",
    "soort",
    "hoofdonderwerp",
    "organisatie",
    "plaats",
    "contributions",
}
_W_EXPORT_KEYS = {"programma", "trekker", "kernvragen"}  # written by the export, not read
_C_KEYS = {"kernvraag", "soort", "veld", "organisatie", "text"}
_C_EXPORT_KEYS = {"nummer", "kernvraag_titel", "ronde", "ronde_vraag", "bron", "deelnemer"}
_TOP_KEYS = {"werkplaatsen", "about", "formaat"}


@dataclass
class _JsonContribution:
    where: str
    kernvraag: int
    text: str
    label: str | None
    veld: Veld | None
    organisation: str


@dataclass
class _JsonWerkplaats:
    where: str
    nr: int | None
    title: str
    starts_at: datetime | None
    kind: WerkplaatsKind | None
    theme: str
    organisation: str
    place: str
    contributions: list[_JsonContribution]
    invalid_contributions: int = 0
    ok: bool = True


def _unknown_keys(report: ImportReport, where: str, obj: dict, known: Iterable[str]) -> None:
    for key in obj:
        if key not in known:
            report.note(where, _("onbekend veld '%(k)s' wordt niet ingelezen", k=_show(key)))


def _json_contribution(
    report: ImportReport, where: str, obj: object, kernvragen: int
) -> _JsonContribution | None:
    check = _Check(report, where)
    if not isinstance(obj, dict):
        check.error(_("een bijdrage moet een object zijn ({…})"))
        return None
    _unknown_keys(report, where, obj, _C_KEYS | _C_EXPORT_KEYS)
    kernvraag = check.whole(obj.get("kernvraag"), "kernvraag", required=True)
    if kernvraag is not None and kernvraag > kernvragen:
        check.error(
            _(
                "kernvraag %(k)d bestaat niet; dit programma heeft kernvraag 1 tot en met %(n)d",
                k=kernvraag,
                n=kernvragen,
            )
        )
    text = check.text(obj.get("text"), "text", MAX_CONTRIBUTION_CHARS, required=True, lines=True)
    label = check.choice(obj.get("soort"), "soort", Label.values())
    veld = check.choice(obj.get("veld"), "veld", Veld.values())
    organisation = check.text(obj.get("organisatie"), "organisatie", MAX_ORGANISATION_CHARS)
    if not check.ok or kernvraag is None:
        return None
    return _JsonContribution(
        where, kernvraag, text, label, Veld(veld) if veld else None, organisation
    )


def _json_werkplaats(
    report: ImportReport, index: int, obj: object, kernvragen: int
) -> _JsonWerkplaats | None:
    where = f"werkplaatsen[{index}]"
    check = _Check(report, where)
    if not isinstance(obj, dict):
        check.error(_("een werkplaats moet een object zijn ({…})"))
        return None
    _unknown_keys(report, where, obj, _W_KEYS | _W_EXPORT_KEYS)
    item = _JsonWerkplaats(
        where=where,
        nr=check.whole(obj.get("nr"), "nr"),
        title=check.text(obj.get("titel"), "titel", 200, required=True),
        starts_at=check.day(obj.get("datum"), "datum"),
        kind=check.kind(obj.get("soort")),
        theme=check.text(obj.get("hoofdonderwerp"), "hoofdonderwerp", 120),
        organisation=check.text(obj.get("organisatie"), "organisatie", 200),
        place=check.text(obj.get("plaats"), "plaats", 200),
        contributions=[],
    )
    raw = obj.get("contributions", [])
    if not isinstance(raw, list):
        check.error(_("contributions moet een lijst zijn ([…])"))
        raw = []
    for j, c in enumerate(raw):
        parsed = _json_contribution(report, f"{where}.contributions[{j}]", c, kernvragen)
        if parsed is None:
            item.invalid_contributions += 1
        else:
            item.contributions.append(parsed)
    item.ok = check.ok
    return item


def _read_json(data: bytes, report: ImportReport) -> list | None:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.error(_("bestand"), _("dit bestand is geen UTF-8-tekst"))
        return None
    except json.JSONDecodeError as e:
        report.error(
            _("bestand"),
            _(
                "geen geldige JSON (regel %(l)d, kolom %(c)d): %(m)s",
                l=e.lineno,
                c=e.colno,
                m=e.msg,
            ),
        )
        return None
    except RecursionError:
        report.error(_("bestand"), _("de JSON is te diep genest"))
        return None
    if not isinstance(document, dict) or not isinstance(document.get("werkplaatsen"), list):
        report.error(
            _("bestand"),
            _('verwacht een object met een lijst "werkplaatsen": {"werkplaatsen": […]}'),
        )
        return None
    _unknown_keys(report, _("bestand"), document, _TOP_KEYS)
    if not document["werkplaatsen"]:
        report.error(_("bestand"), _('de lijst "werkplaatsen" is leeg'))
        return None
    return document["werkplaatsen"]


def import_werkplaatsen(
    data: bytes,
    *,
    source: str = "bestand",
    programme_name: str = DEMO_PROGRAMME,
    skip_invalid: bool = False,
) -> ImportReport:
    """Import werkplaatsen with their contributions (JSON) into ``programme_name``.

    A werkplaats with the same nr, or else title, gets the contributions (its stored fields
    stay; empty ones are filled in); others are created. Each contribution goes into the
    werkplaats' round of its kernvraag (closed rounds from the kernvragen are made where
    missing) with source ``import``, and takes the werkplaats' next seq so walls see it.
    Importing the same file again adds nothing: each contribution has a key made of its
    werkplaats, kernvraag, text and how often that text occurred before it.
    """
    report = ImportReport(source=source, programme=programme_name)
    items = _read_json(data, report)
    if items is None:
        report.unreadable = True
        return report
    _store_werkplaatsen(report, items, programme_name, skip_invalid)
    report.sort()
    return report


@write_transaction
def _store_werkplaatsen(
    report: ImportReport, items: list, programme_name: str, skip_invalid: bool
) -> None:
    programme = _programme_named(programme_name)
    kernvragen = len(programme.kernvragen) if programme is not None else len(DEFAULT_KERNVRAGEN)
    parsed = [_json_werkplaats(report, i, obj, kernvragen) for i, obj in enumerate(items)]
    valid = [p if p is not None and p.ok else None for p in parsed]
    pairs = _match_all(report, valid, _Existing(programme))
    # Records: each werkplaats and each of its contributions.
    total = sum(1 + len(p.contributions) + p.invalid_contributions if p else 1 for p in parsed)
    kept = sum(1 + len(item.contributions) for item, _w in pairs)
    if not _go_on(report, total, kept, skip_invalid):
        return
    programme = _ensure_programme(report, programme, programme_name)
    for item, werkplaats in pairs:
        theme = _theme(report, programme, item.theme, item.where)
        if werkplaats is None:
            werkplaats = werkplaatsen.save_werkplaats(
                programme,
                title=item.title,
                starts_at=item.starts_at,
                place=item.place,
                kind=item.kind or WerkplaatsKind.INHOUDELIJK,
                theme_id=theme.id if theme else None,
                organisation=item.organisation,
                nr=item.nr,
            )
            report.werkplaatsen_created += 1
            report.note(
                item.where,
                _(
                    "werkplaats '%(t)s' stond nog niet in het programma en is aangemaakt",
                    t=_show(item.title),
                ),
            )
        elif _fill_blanks(report, werkplaats, item, theme):
            report.werkplaatsen_updated += 1
        else:
            report.werkplaatsen_unchanged += 1
        _store_contributions(report, programme, werkplaats, item)
    db.session.flush()
    report.imported = True


def _fill_blanks(
    report: ImportReport, werkplaats: Werkplaats, item: _JsonWerkplaats, theme: Theme | None
) -> bool:
    """Fill in what the werkplaats lacks; where it differs, the stored value stays (noted)."""
    filled = False
    pairs = [
        ("nr", "nr", item.nr, werkplaats.nr),
        ("starts_at", "datum", item.starts_at, werkplaats.starts_at),
        ("theme_id", "hoofdonderwerp", theme.id if theme else None, werkplaats.theme_id),
        ("organisation", "organisatie", item.organisation or None, werkplaats.organisation or None),
        ("place", "plaats", item.place or None, werkplaats.place or None),
        ("kind", "soort", item.kind, werkplaats.kind),
    ]
    for attr, label, new, old in pairs:
        if new is None or new == old:
            continue
        if attr == "starts_at" and old is not None and old.date() == new.date():
            continue
        if old is None:
            setattr(werkplaats, attr, new)
            filled = True
            continue
        if attr == "theme_id":
            old, new = (werkplaats.theme.name if werkplaats.theme else old), item.theme
        report.note(
            item.where,
            _(
                "%(f)s in het bestand (%(new)s) wijkt af van de werkplaats (%(old)s); "
                "de werkplaats houdt %(old)s",
                f=label,
                new=_fmt(getattr(new, "value", new)),
                old=_fmt(getattr(old, "value", old)),
            ),
        )
    return filled


def _client_key(werkplaats_id: int, kernvraag: int, occurrence: int, text: str) -> str:
    digest = hashlib.sha256(f"{werkplaats_id}\x1f{kernvraag}\x1f{occurrence}\x1f{text}".encode())
    return "import-" + digest.hexdigest()[:40]


def _rounds_by_kernvraag(
    report: ImportReport, programme: Programme, werkplaats: Werkplaats, needed: set[int], where: str
) -> dict[int, Round]:
    """The round each kernvraag's contributions go into: the werkplaats' first round aimed at
    it. A werkplaats without rounds gets the template's, closed (the session is history)."""
    now = utcnow()
    if not werkplaats.rounds:
        made = werkplaatsen.rounds_from_template(werkplaats)
        for rnd in made:
            rnd.state = RoundState.GESLOTEN
            rnd.closed_at = now
        report.rounds_created += len(made)
    position_of = {kv.id: kv.position for kv in programme.kernvragen}
    rounds: dict[int, Round] = {}
    for rnd in sorted(werkplaats.rounds, key=lambda r: r.position):
        if rnd.kernvraag_id in position_of:
            rounds.setdefault(position_of[rnd.kernvraag_id], rnd)
    for kv in programme.kernvragen:
        if kv.position in needed and kv.position not in rounds:
            rnd = Round(
                position=len(werkplaats.rounds) + 1,
                prompt=kv.question,
                kernvraag_id=kv.id,
                state=RoundState.GESLOTEN,
                closed_at=now,
            )
            werkplaats.rounds.append(rnd)
            werkplaats.state_version = (werkplaats.state_version or 0) + 1
            rounds[kv.position] = rnd
            report.rounds_created += 1
            report.note(
                where,
                _("ronde %(r)d aangemaakt voor kernvraag %(k)d", r=rnd.position, k=kv.position),
            )
    db.session.flush()
    return rounds


def _store_contributions(
    report: ImportReport, programme: Programme, werkplaats: Werkplaats, item: _JsonWerkplaats
) -> None:
    rounds = _rounds_by_kernvraag(
        report, programme, werkplaats, {c.kernvraag for c in item.contributions}, item.where
    )
    present = set(
        db.session.scalars(
            sa.select(Contribution.client_key).where(
                Contribution.werkplaats_id == werkplaats.id,
                Contribution.participant_id.is_(None),
                Contribution.client_key.is_not(None),
            )
        )
    )
    occurrences: Counter[tuple[int, str]] = Counter()
    already = 0
    seq = None
    for c in item.contributions:
        occurrences[(c.kernvraag, c.text)] += 1
        key = _client_key(werkplaats.id, c.kernvraag, occurrences[(c.kernvraag, c.text)], c.text)
        if key in present:
            already += 1
            continue
        present.add(key)
        seq = participation.next_seq(werkplaats.id)
        db.session.add(
            Contribution(
                werkplaats_id=werkplaats.id,
                round_id=rounds[c.kernvraag].id,
                participant_id=None,
                seq=seq,
                first_seq=seq,
                client_key=key,
                text=c.text,
                label=c.label,
                source=Source.IMPORT,
                veld=c.veld,
                organisation=c.organisation,
            )
        )
        report.contributions_imported += 1
    if already:
        report.contributions_present += already
        report.note(
            item.where,
            _(
                "%(n)d bijdragen stonden er al (eerder geïmporteerd) en zijn overgeslagen",
                n=already,
            ),
        )
    if seq is not None:
        _publish_after_commit(werkplaats.id, seq)


def _publish_after_commit(werkplaats_id: int, seq: int) -> None:
    # Nudge walls in this process once the rows are visible (they catch up by cursor anyway).
    @sa.event.listens_for(db.session(), "after_commit", once=True)
    def _publish(_session):
        notifier.publish(werkplaats_id, seq)


# --- export -------------------------------------------------------------------------------


def werkplaats_record(werkplaats: Werkplaats) -> WerkplaatsRecord:
    return WerkplaatsRecord(
        id=werkplaats.id,
        title=werkplaats.title,
        programme=werkplaats.programme.name,
        starts_on=werkplaats.starts_at.date() if werkplaats.starts_at else None,
        place=werkplaats.place or None,
        kind=werkplaats.kind.value if werkplaats.kind else None,
        theme=werkplaats.theme.name if werkplaats.theme else None,
        organisation=werkplaats.organisation or None,
        trekker=werkplaats.trekker_display or None,
        kernvragen=tuple(
            KernvraagSpec(k.title, k.question) for k in werkplaats.programme.kernvragen
        ),
    )


def participant_key(participant: Participant | None) -> str | None:
    """Opaque and stable per participant, never a name: a one-way digest of their token."""
    if participant is None:
        return None
    return (
        "d-" + hashlib.sha256(b"noviwerk.deelnemer:" + participant.token.encode()).hexdigest()[:10]
    )


def contribution_records(werkplaats: Werkplaats) -> list[ContributionRecord]:
    """The visible contributions (never hidden or withdrawn), numbered as in the bijlage:
    by round, then in the order they were posted."""
    rows = db.session.scalars(
        sa.select(Contribution)
        .join(Round, Contribution.round_id == Round.id)
        .where(
            Contribution.werkplaats_id == werkplaats.id,
            Contribution.state == ContributionState.VISIBLE,
        )
        .options(
            selectinload(Contribution.participant),
            selectinload(Contribution.round).selectinload(Round.kernvraag),
        )
        .order_by(Round.position, Contribution.first_seq, Contribution.id)
    )
    records = []
    for number, c in enumerate(rows, 1):
        kernvraag = c.round.kernvraag
        records.append(
            ContributionRecord(
                id=c.id,
                number=number,
                round_position=c.round.position,
                round_prompt=c.round.prompt,
                kernvraag_position=kernvraag.position if kernvraag else None,
                kernvraag_title=kernvraag.title if kernvraag else None,
                text=c.text,
                label=c.label,
                veld=c.veld.value if c.veld else None,
                organisation=c.organisation or None,
                participant_key=participant_key(c.participant),
                source=c.source.value,
                is_citaat=c.label == Label.CITAAT.value,
                created_at=c.created_at,
            )
        )
    return records


def export_werkplaats(werkplaats: Werkplaats, fmt: str) -> tuple[str, str, str]:
    """(body, mimetype with charset, file name) of one werkplaats' harvest in ``fmt``."""
    if fmt not in harvest_export.FORMATS:
        raise Invalid(_("Onbekend exportformaat; kies md, csv of json."), "format")
    record = werkplaats_record(werkplaats)
    body = harvest_export.render(fmt, record, contribution_records(werkplaats), nr=werkplaats.nr)
    return (
        body,
        harvest_export.MIMETYPES[fmt],
        harvest_export.filename(record, fmt, nr=werkplaats.nr),
    )


# --- demo data ----------------------------------------------------------------------------

DEMO_PASSWORD = "noviwerk-demo"  # noqa: S105 - published on purpose: demo accounts only
DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("beheerder@noviwerk.test", "Demo beheerder", Role.BEHEERDER),
    ("facilitator@noviwerk.test", "Demo facilitator", Role.FACILITATOR),
    ("trekker@noviwerk.test", "Demo trekker", Role.TREKKER),
)
DEMO_SAMPLE_TITLES = ("Water verbindt", "Ruimte voor voedsel in 2040")
DEMO_WERKPLAATS = "Demo: proefwerkplaats"
DEMO_PROGRAMME_FILE = "werkplaatsen-2015-2016.csv"
DEMO_SAMPLE_FILE = "sample-werkplaatsen.json"


def default_demo_data_dir() -> Path:
    """``shared/data`` beside the repository: ``<repo>/../shared/data``."""
    import noviwerk

    return Path(noviwerk.__file__).resolve().parents[2] / "shared" / "data"


@dataclass
class DemoReport:
    programme: str
    programme_created: bool
    imports: list[ImportReport]
    users_created: list[str]
    werkplaats_id: int
    werkplaats_created: bool
    join_code: str
    open_round: int | None
    other_users: int  # accounts besides the demo ones: then this is no demo database


def seed_demo(data_dir: Path | None = None) -> DemoReport:
    """Make the demo world, or complete it: running this twice changes nothing."""
    data_dir = Path(data_dir) if data_dir else default_demo_data_dir()
    files = {}
    for name in (DEMO_PROGRAMME_FILE, DEMO_SAMPLE_FILE):
        path = data_dir / name
        if not path.is_file():
            raise NotFound(_("Demobestand ontbreekt: %(p)s", p=str(path)))
        files[name] = path.read_bytes()
    return _seed(files)


def _failed(report: ImportReport) -> Invalid:
    first = "; ".join(str(e) for e in report.errors[:5])
    return Invalid(_("Import van %(s)s mislukt: %(e)s", s=report.source, e=first))


@write_transaction
def _seed(files: dict[str, bytes]) -> DemoReport:
    programme = _programme_named(DEMO_PROGRAMME)
    created = programme is None
    if programme is None:
        programme = programmes.create_programme(DEMO_PROGRAMME, themes=NOVI_THEMES)
    else:
        for name in NOVI_THEMES:
            if programmes.find_theme(programme, name) is None:
                programme.themes.append(Theme(name=name))
        db.session.flush()
    reports = [
        import_programme(files[DEMO_PROGRAMME_FILE], source=DEMO_PROGRAMME_FILE),
        import_werkplaatsen(files[DEMO_SAMPLE_FILE], source=DEMO_SAMPLE_FILE),
    ]
    for report in reports:
        if not report.imported:
            raise _failed(report)

    users: dict[Role, User] = {}
    made: list[str] = []
    for email, name, role in DEMO_USERS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = accounts.create_user(email, name, DEMO_PASSWORD, role)
            made.append(email)
        users[role] = user

    by_title = {w.title: w for w in programme.werkplaatsen}
    for title in DEMO_SAMPLE_TITLES:
        if title in by_title:
            _link(by_title[title], users[Role.FACILITATOR], StaffRole.FACILITATOR)
            _link(by_title[title], users[Role.TREKKER], StaffRole.TREKKER)

    demo = by_title.get(DEMO_WERKPLAATS)
    demo_created = demo is None
    if demo is None:
        theme = programmes.find_theme(programme, "Samen Werken")
        demo = werkplaatsen.save_werkplaats(
            programme,
            title=DEMO_WERKPLAATS,
            starts_at=datetime.combine(date.today(), time()),
            place="Den Haag",
            theme_id=theme.id if theme else None,
            facilitator_ids=[users[Role.FACILITATOR].id],
        )
        werkplaatsen.rounds_from_template(demo)
    else:
        _link(demo, users[Role.FACILITATOR], StaffRole.FACILITATOR)
    if demo.state != WerkplaatsState.OPEN:
        werkplaatsen.open_werkplaats(demo)
    if demo.open_round is None and demo.rounds:
        werkplaatsen.open_round(min(demo.rounds, key=lambda r: r.position))
    db.session.flush()
    return DemoReport(
        programme=programme.name,
        programme_created=created,
        imports=reports,
        users_created=made,
        werkplaats_id=demo.id,
        werkplaats_created=demo_created,
        join_code=demo.join_code or "",
        open_round=demo.open_round.position if demo.open_round else None,
        other_users=db.session.scalar(
            sa.select(sa.func.count(User.id)).where(
                User.email.not_in([email for email, _name, _role in DEMO_USERS])
            )
        )
        or 0,
    )


def _link(werkplaats: Werkplaats, user: User, role: StaffRole) -> None:
    if not any(s.user_id == user.id and s.role == role for s in werkplaats.staff):
        werkplaats.staff.append(WerkplaatsStaff(user_id=user.id, role=role))
