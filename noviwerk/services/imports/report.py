"""What an import found and did: counts for the summary, and every problem with its place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

# The most records (table rows; werkplaatsen and contributions in JSON) one file may hold:
# larger files are refused whole, before anything is written. NOVIWERK_IMPORT_MAX_ROWS.
MAX_IMPORT_ROWS = 20_000


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


def too_many_rows(report: ImportReport, max_rows: int) -> None:
    report.error(
        _("bestand"),
        _(
            "het bestand heeft meer dan %(n)d rijen; splits het in delen van hooguit %(n)d",
            n=max_rows,
        ),
    )
