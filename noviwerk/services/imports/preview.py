"""A programme table's import, seen before it is done: ``plan_programme`` reads and checks
the file and says per row what it would do (new, changed and how, unchanged, refused and
why), writing nothing; ``apply_plan`` then writes exactly that plan.

The same reading, checks and matching as ``import_programme`` (``flask import-programme``),
and the same write: only the split differs. A plan with any error is not applied (as the
command imports nothing from a file with errors): the person fixes the file and tries again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ...domain import StrEnum
from ...models import Programme, Werkplaats, utcnow
from .. import programmes, werkplaatsen
from .programme_table import changes_of, entry_of, read_table, update_werkplaats
from .report import MAX_IMPORT_ROWS, ImportReport
from .targets import Existing, WerkplaatsEntry, match_all, write


class Outcome(StrEnum):
    NEW = "nieuw"
    CHANGED = "gewijzigd"
    UNCHANGED = "ongewijzigd"
    REFUSED = "geweigerd"


@dataclass(frozen=True)
class RowPlan:
    where: str  # "regel 5" (CSV) or "rij 5" (XLSX), as the file numbers it
    title: str
    outcome: Outcome
    changes: tuple[str, ...] = ()  # "datum 11-5-2015 → 12-5-2015"
    reasons: tuple[str, ...] = ()  # why it is refused
    notes: tuple[str, ...] = ()  # odd but usable values, kept as written


@dataclass
class TablePlan:
    programme: Programme
    report: ImportReport  # what was found in the file; nothing written yet
    rows: list[RowPlan] = field(default_factory=list)
    pairs: list[tuple[WerkplaatsEntry, Werkplaats | None]] = field(default_factory=list)

    @property
    def file_errors(self) -> list[str]:
        rows = {r.where for r in self.rows}
        return [str(i) for i in self.report.errors if i.where not in rows]

    @property
    def file_notes(self) -> list[str]:
        rows = {r.where for r in self.rows}
        return [str(i) for i in self.report.notes if i.where not in rows]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def can_apply(self) -> bool:
        """Only a file without errors, and only when it changes something."""
        return not self.report.errors and any(
            r.outcome in (Outcome.NEW, Outcome.CHANGED) for r in self.rows
        )

    def fingerprint(self) -> str:
        """What the plan would do, as one hash: applying checks it is still the same."""
        rows = [(r.where, r.outcome.value, r.changes, r.reasons) for r in self.rows]
        errors = [str(e) for e in self.report.errors]
        text = json.dumps([self.programme.id, rows, errors], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def _title(values: dict[str, object]) -> str:
    return " ".join(str(values.get("titel") or "").split())[:200]


def plan_programme(
    data: bytes, programme: Programme, *, source: str = "bestand", max_rows: int = MAX_IMPORT_ROWS
) -> TablePlan:
    """What importing the table ``data`` into ``programme`` would do, row by row. Reads only."""
    report = ImportReport(source=source, programme=programme.name)
    plan = TablePlan(programme, report)
    cells = read_table(data, report, max_rows)
    if cells is None:
        report.sort()
        return plan
    entries = [entry_of(c, report) for c in cells]
    plan.pairs = match_all(report, entries, Existing(programme))
    targets = {entry.where: target for entry, target in plan.pairs}
    for c in cells:
        reasons = tuple(i.message for i in report.errors if i.where == c.where)
        notes = tuple(i.message for i in report.notes if i.where == c.where)
        if c.where not in targets or reasons:
            plan.rows.append(
                RowPlan(c.where, _title(c.values), Outcome.REFUSED, (), reasons, notes)
            )
            continue
        entry = next(e for e, _t in plan.pairs if e.where == c.where)
        target = targets[c.where]
        theme = programmes.find_theme(programme, entry.theme) if entry.theme else None
        if target is None:
            if entry.theme and theme is None:
                notes += (_("thema '%(t)s' wordt aangemaakt", t=entry.theme),)
            plan.rows.append(RowPlan(c.where, entry.title, Outcome.NEW, notes=notes))
            continue
        changes = tuple(change.text for change in changes_of(target, entry, theme))
        if werkplaatsen.was_held(target, utcnow().date(), entry.starts_at):
            changes += (_("staat daarna als gehouden: de datum is voorbij"),)
        outcome = Outcome.CHANGED if changes else Outcome.UNCHANGED
        plan.rows.append(RowPlan(c.where, entry.title, outcome, changes, notes=notes))
    report.sort()
    return plan


def apply_plan(plan: TablePlan) -> ImportReport:
    """Write the plan, as ``import_programme`` writes a file without errors."""
    if plan.report.errors:
        raise ValueError("a plan with errors is not applied")
    write(plan.report, plan.programme, plan.programme.name, plan.pairs, update_werkplaats)
    plan.report.sort()
    return plan.report
