"""Where the records of a file land: the programme (made when missing), its themes, and the
werkplaats each record updates or creates. Shared by both importers, so a programme table and
a contributions file match and write werkplaatsen the same way.

Writes go in batches of ``BATCH`` records, each its own short write transaction, so an
import never holds the database's write lock for long: posts in a live werkplaats go on
beside a large import instead of waiting for it (and, on SQLite, failing with "database is
locked" after the busy timeout). Every record is checked before the first write, so a file
with errors still writes nothing; a run cut off halfway (the disk full, the process killed)
is finished by running it again, as records match what the first run wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _

from ...database import let_other_writers_in, write_transaction
from ...domain import WerkplaatsKind
from ...extensions import db
from ...models import Programme, Theme, Werkplaats, utcnow
from .. import programmes, werkplaatsen
from .checks import Check, show
from .report import ImportReport

DEMO_PROGRAMME = "Werkplaatsen NOVI 2015–2016"  # where files go unless told otherwise
BATCH = 500  # records per write transaction


@dataclass(kw_only=True)
class WerkplaatsEntry:
    """A werkplaats as a file gives it, checked."""

    where: str
    nr: int | None
    title: str
    starts_at: datetime | None
    kind: WerkplaatsKind | None
    theme: str
    organisation: str
    place: str
    history_note: str = ""  # the table's bouwsteen column


Entry = TypeVar("Entry", bound=WerkplaatsEntry)


def title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


class Existing:
    """The werkplaatsen of a programme, to match file records on nr, or else on title."""

    def __init__(self, programme: Programme | None) -> None:
        items = list(programme.werkplaatsen) if programme is not None else []
        self.by_nr = {w.nr: w for w in items if w.nr is not None}
        self.by_title: dict[str, list[Werkplaats]] = {}
        for w in items:
            self.by_title.setdefault(title_key(w.title), []).append(w)

    def match(self, check: Check, nr: int | None, title: str) -> Werkplaats | None:
        if nr is not None and nr in self.by_nr:
            return self.by_nr[nr]
        same = self.by_title.get(title_key(title), [])
        if len(same) > 1:
            check.error(
                _(
                    "meer dan één werkplaats in het programma heet '%(t)s'; geef een nr op",
                    t=show(title),
                )
            )
            return None
        if same and nr is not None and same[0].nr is not None:
            check.error(
                _(
                    "werkplaats '%(t)s' staat al in het programma met nr %(old)d, "
                    "hier met nr %(new)d",
                    t=show(title),
                    old=same[0].nr,
                    new=nr,
                )
            )
            return None
        return same[0] if same else None


def match_all(
    report: ImportReport, records: Sequence[Entry | None], existing: Existing
) -> list[tuple[Entry, Werkplaats | None]]:
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
        check = Check(report, record.where)
        if record.nr is not None and record.nr in seen_nr:
            check.error(_("nr %(nr)d staat ook al in %(w)s", nr=record.nr, w=seen_nr[record.nr]))
        key = title_key(record.title)
        if key in seen_title:
            check.error(
                _("titel '%(t)s' staat ook al in %(w)s", t=show(record.title), w=seen_title[key])
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


def programme_named(name: str) -> Programme | None:
    return db.session.scalar(sa.select(Programme).where(Programme.name == " ".join(name.split())))


@write_transaction
def ensure_programme(report: ImportReport, programme: Programme | None, name: str) -> Programme:
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


def ensure_theme(report: ImportReport, programme: Programme, name: str, where: str) -> Theme | None:
    if not name:
        return None
    theme = programmes.find_theme(programme, name)
    if theme is None:
        theme = Theme(name=name)
        programme.themes.append(theme)
        db.session.flush()
        report.themes_created += 1
        report.note(where, _("thema '%(t)s' bestond niet en is aangemaakt", t=show(name)))
    return theme


def go_on(report: ImportReport, total: int, kept: int, skip_invalid: bool) -> bool:
    """Whether to write: not when anything failed (unless told to skip), nor when nothing
    is left to write; counts what is skipped."""
    if report.errors and not skip_invalid:
        return False
    report.skipped += total - kept
    return kept > 0


def write(
    report: ImportReport,
    programme: Programme | None,
    programme_name: str,
    pairs: Sequence[tuple[Entry, Werkplaats | None]],
    update: Callable[[ImportReport, Werkplaats, Entry, Theme | None], bool],
    *,
    note_new: bool = False,
    then: Callable[[ImportReport, Programme, Werkplaats, Entry], None] | None = None,
) -> None:
    """Write matched entries, ``BATCH`` at a time: create a werkplaats for each new one
    (noted if ``note_new``), let ``update`` change a matched one (True: changed), then
    ``then`` for each (which makes its own write transactions)."""
    programme = ensure_programme(report, programme, programme_name)
    for start in range(0, len(pairs), BATCH):
        batch = pairs[start : start + BATCH]
        let_other_writers_in()
        written = _write_batch(report, programme, batch, update, note_new)
        if then is not None:
            for (entry, _target), werkplaats in zip(batch, written, strict=True):
                then(report, programme, werkplaats, entry)
    report.imported = True


@write_transaction
def _write_batch(
    report: ImportReport,
    programme: Programme,
    pairs: Sequence[tuple[Entry, Werkplaats | None]],
    update: Callable[[ImportReport, Werkplaats, Entry, Theme | None], bool],
    note_new: bool,
) -> list[Werkplaats]:
    written = []
    today = utcnow().date()
    for entry, werkplaats in pairs:
        theme = ensure_theme(report, programme, entry.theme, entry.where)
        if werkplaats is None:
            werkplaats = werkplaatsen.save_werkplaats(
                programme,
                title=entry.title,
                starts_at=entry.starts_at,
                place=entry.place,
                kind=entry.kind or WerkplaatsKind.INHOUDELIJK,
                theme_id=theme.id if theme else None,
                organisation=entry.organisation,
                nr=entry.nr,
                history_note=entry.history_note,
            )
            report.werkplaatsen_created += 1
            werkplaatsen.record_held(werkplaats, today)  # a past row was held: not "gepland"
            if note_new:
                report.note(
                    entry.where,
                    _(
                        "werkplaats '%(t)s' stond nog niet in het programma en is aangemaakt",
                        t=show(entry.title),
                    ),
                )
        else:
            changed = update(report, werkplaats, entry, theme)
            held = _held(report, werkplaats, entry, today)
            if changed or held:
                report.werkplaatsen_updated += 1
            else:
                report.werkplaatsen_unchanged += 1
        written.append(werkplaats)
    db.session.flush()
    return written


def _held(report: ImportReport, werkplaats: Werkplaats, entry: Entry, today: date) -> bool:
    """A matched werkplaats still "gepland" whose day has passed reads as held; said so."""
    if not werkplaatsen.record_held(werkplaats, today):
        return False
    report.note(
        entry.where,
        _("werkplaats '%(t)s' staat nu als gehouden: haar datum is voorbij", t=show(entry.title)),
    )
    return True
