"""The oogst table as CSV and XLSX, and the programme's schedule as iCalendar (RFC 5545).

The CSV and XLSX carry the columns ``flask import-programme`` reads (nr, datum, titel,
soort, hoofdonderwerp, organisatie, bouwsteen, plaats) beside the counts, so a table that
went out can come back in. Titles and names are typed by people: a cell that a spreadsheet
would run as a formula is defused, in both formats.

Pure: takes rows with the attributes of ``Row``, returns ``str`` or ``bytes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from ..text_rules import strip_control
from .contributions import csv_cell
from .tables import table_csv, table_xlsx


class Row(Protocol):
    id: int
    nr: int | None
    starts_at: datetime | None
    title: str
    kind: str
    theme: str
    organisation: str
    trekker: str
    status: str
    participants: int
    contributions: int
    place: str


COLUMNS: tuple[str, ...] = (
    "nr",
    "datum",
    "titel",
    "soort",
    "hoofdonderwerp",
    "organisatie",
    "trekker",
    "bouwsteen",
    "deelnemers",
    "bijdragen",
    "plaats",
)
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS_MIMETYPE = "text/calendar; charset=utf-8"


def _date(value: datetime | None) -> str:
    """Day-month-year, as the import reads it and as the real table wrote it."""
    return f"{value.day}-{value.month}-{value.year}" if value else ""


def _cells(row: Row) -> list[str | int]:
    return [
        csv_cell(v)
        for v in (
            row.nr,
            _date(row.starts_at),
            row.title,
            row.kind,
            row.theme,
            row.organisation,
            row.trekker,
            row.status,
            row.participants,
            row.contributions,
            row.place,
        )
    ]


def render_csv(rows: Sequence[Row]) -> str:
    return table_csv(COLUMNS, (_cells(r) for r in rows))


def render_xlsx(rows: Sequence[Row], *, title: str = "Oogst") -> bytes:
    return table_xlsx(COLUMNS, (_cells(r) for r in rows), title=title)


# --- iCalendar ----------------------------------------------------------------------------

LOCAL = ZoneInfo("Europe/Amsterdam")  # werkplaats times are Dutch wall-clock times
DEFAULT_DURATION = timedelta(hours=3)  # a werkplaats takes a morning or an afternoon


def ics_escape(text: str | None) -> str:
    """A TEXT value: backslash, comma, semicolon and newlines escaped (RFC 5545 §3.3.11)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(strip_control(line) for line in lines)
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(raw, escaped)
    return text


def ics_fold(line: str) -> str:
    """One content line folded at 75 octets (§3.1), never inside a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # a continuation line starts with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.replace(tzinfo=LOCAL).astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def render_ics(rows: Sequence[Row], *, calendar_name: str, uid_domain: str, now: datetime) -> str:
    """One VEVENT per werkplaats with a date; a date without a time is an all-day event.

    ``now`` is a UTC datetime for DTSTAMP.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//noviwerk//oogst//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(calendar_name)}",
    ]
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    for row in rows:
        if row.starts_at is None:
            continue
        lines += ["BEGIN:VEVENT", f"UID:werkplaats-{row.id}@{uid_domain}", f"DTSTAMP:{stamp}"]
        if row.starts_at.time() == time():
            day = row.starts_at.date()
            lines.append(f"DTSTART;VALUE=DATE:{day:%Y%m%d}")
            lines.append(f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}")
        else:
            lines.append(f"DTSTART:{_utc(row.starts_at)}")
            lines.append(f"DTEND:{_utc(row.starts_at + DEFAULT_DURATION)}")
        lines.append(f"SUMMARY:{ics_escape(row.title)}")
        if row.place:
            lines.append(f"LOCATION:{ics_escape(row.place)}")
        about = [
            f"Soort: {row.kind}",
            f"Thema: {row.theme}" if row.theme else "",
            f"Organisatie: {row.organisation}" if row.organisation else "",
        ]
        lines.append(f"DESCRIPTION:{ics_escape(chr(10).join(a for a in about if a))}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
