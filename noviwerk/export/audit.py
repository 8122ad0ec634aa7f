"""The audit log as CSV, for a beheerder's spreadsheet or an auditor.

Pure: takes ``AuditRow`` records, returns ``str``. Details and names were typed by people
(an e-mail address tried at the login form): a cell that a spreadsheet would run as a
formula is defused, as in every CSV noviwerk writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .contributions import csv_cell
from .tables import table_csv

CSV_MIMETYPE = "text/csv; charset=utf-8"
COLUMNS = (
    "tijdstip", "gebruiker", "e-mail", "actie", "onderwerp_soort", "onderwerp_id",
    "onderwerp", "detail", "ip",
)  # fmt: skip


@dataclass(frozen=True)
class AuditRow:
    at: datetime  # aware: written with its offset, so it reads right in any time zone
    user: str
    email: str
    action: str
    subject_type: str
    subject_id: int | None
    subject: str
    detail: str
    ip: str


def render_csv(rows: Iterable[AuditRow]) -> str:
    """UTF-8 with a byte order mark (Excel then shows accents), newest first as given."""
    return table_csv(
        COLUMNS,
        (
            [
                csv_cell(v)
                for v in (
                    r.at.isoformat(timespec="seconds"), r.user, r.email, r.action,
                    r.subject_type, r.subject_id, r.subject, r.detail, r.ip,
                )  # fmt: skip
            ]
            for r in rows
        ),
    )
