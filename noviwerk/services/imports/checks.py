"""Reading and checking the values of one record, as people type them in spreadsheets.

Every problem goes to the report under the record's place; a record with an error is left
out. Values that are odd but usable are kept or cleaned, and noted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time

from flask_babel import gettext as _

from ...domain import WerkplaatsKind
from ...text_rules import TextProblem, clean_text, strip_control, text_problem
from .report import ImportReport


def show(value: object, limit: int = 40) -> str:
    """A value as it may appear inside a message: one line, no control characters, short."""
    text = " ".join(strip_control(str(value)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fmt(value: object) -> str:
    """A stored or file value in a note: a date as day-month-year, nothing as a dash."""
    if isinstance(value, datetime):
        return f"{value.day}-{value.month}-{value.year}"
    return show(value if value not in (None, "") else "—")


_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?")

KIND_BY_SOORT = {
    "inhoudelijk": WerkplaatsKind.INHOUDELIJK,
    "strategisch": WerkplaatsKind.STRATEGISCH,
    "regionaal": WerkplaatsKind.REGIONAAL,
    "mirt": WerkplaatsKind.REGIONAAL,
    "regionaal (mirt)": WerkplaatsKind.REGIONAAL,
}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Check:
    """Checks the fields of one record; every problem goes to the report under ``where``."""

    def __init__(self, report: ImportReport, where: str) -> None:
        self.report = report
        self.where = where
        self.ok = True

    def error(self, message: str) -> None:
        self.report.error(self.where, message)
        self.ok = False

    def _missing(self, name: str, required: bool) -> None:
        """An empty field: an error only where the field is ``required``."""
        if required:
            self.error(_("%(f)s ontbreekt", f=name))

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
            self._missing(name, required)
            return ""
        if problem == TextProblem.TOO_LONG:
            self.error(
                _("%(f)s is te lang: %(n)d tekens, hooguit %(max)d", f=name, n=len(text), max=limit)
            )
        return text

    def whole(self, value: object, name: str, *, required: bool = False) -> int | None:
        if _blank(value):
            self._missing(name, required)
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
            self.error(_("%(f)s '%(v)s' is geen geheel getal", f=name, v=show(value)))
        elif number < 1:
            self.error(_("%(f)s moet 1 of hoger zijn, niet %(v)d", f=name, v=number))
            number = None
        return number

    def day(self, value: object, name: str, *, required: bool = False) -> datetime | None:
        if isinstance(value, datetime):
            return value.replace(tzinfo=None, microsecond=0)
        if isinstance(value, date):
            return datetime.combine(value, time())
        if _blank(value):
            self._missing(name, required)
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
                    v=show(value),
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
                    v=show(text),
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
                    v=show(text),
                    o=", ".join(options),
                )
            )
        return found

    def werkplaats_fields(
        self, get: Callable[[str], object], *, required: bool
    ) -> dict[str, object]:
        """The fields a werkplaats has in every file format, checked in column order; datum
        and soort are ``required`` in the programme table, optional beside contributions."""
        return {
            "nr": self.whole(get("nr"), "nr"),
            "title": self.text(get("titel"), "titel", 200, required=True),
            "starts_at": self.day(get("datum"), "datum", required=required),
            "kind": self.kind(get("soort"), required=required),
            "theme": self.text(get("hoofdonderwerp"), "hoofdonderwerp", 120),
            "organisation": self.text(get("organisatie"), "organisatie", 200),
            "place": self.text(get("plaats"), "plaats", 200),
        }
