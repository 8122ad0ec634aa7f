"""An XLSX sheet's rows, read safely: a workbook is a zip of XML parts, written by whoever
made the file, so it is checked before openpyxl parses any of it.

- No part may declare a DTD (``<!DOCTYPE``): the file format has no use for one (ECMA-376
  forbids it), and it is how entity bombs ("billion laughs") and external entities (XXE,
  reading files of the server) get in. openpyxl also parses with defusedxml when that is
  installed (a dependency of noviwerk), which refuses entities itself: two locks.
- Unpacked, the parts may not exceed ``MAX_UNPACKED_BYTES`` (a zip bomb is small packed).
- Whatever openpyxl still cannot parse is reported as an unreadable file, never raised.
- A formula cell is read as the text of its formula ("=SUM(A1:A3)"), noted, never
  evaluated, nor its cached result taken: what the table says is what a person typed.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar
from xml.etree.ElementTree import ParseError

from flask_babel import gettext as _

from .checks import show
from .report import ImportReport

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PARTS = 10_000
_XML_PARTS = (".xml", ".rels", ".vml")
_DTD = "<!DOCTYPE"
_DTD_MARKS = tuple(_DTD.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_CHUNK = 1 << 20

T = TypeVar("T")
Rows = Iterator[tuple[str, Sequence[object]]]


def _has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    overlap = max(len(m) for m in _DTD_MARKS) - 1
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in _DTD_MARKS):
                return True
            tail = window[-overlap:]
    return False


def _refusal(data: bytes) -> str | None:
    """Why this workbook is not opened at all, or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                return _("dit xlsx-bestand bestaat uit te veel delen")
            if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                return _(
                    "dit xlsx-bestand is uitgepakt groter dan %(n)d MB; splits het",
                    n=MAX_UNPACKED_BYTES // (1024 * 1024),
                )
            for info in infos:
                if info.filename.lower().endswith(_XML_PARTS) and _has_dtd(archive, info):
                    return _(
                        "dit xlsx-bestand bevat een DTD-declaratie (<!DOCTYPE>), die in xlsx "
                        "niet hoort; het wordt om veiligheidsredenen niet gelezen. Bewaar het "
                        "opnieuw vanuit je spreadsheetprogramma"
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return _("dit is geen leesbaar xlsx-bestand")
    return None


def _values(cells, report: ImportReport, where: str) -> list[object]:
    """The row's values; a formula as its text (an array formula keeps its ``text``)."""
    values = []
    for cell in cells:
        value = cell.value
        if getattr(cell, "data_type", None) == "f":
            value = str(getattr(value, "text", value) or "")
            if not value.startswith("="):
                value = "=" + value
            report.note(
                where,
                _("formule %(f)s gelezen als tekst, niet uitgerekend", f=show(value)),
            )
        values.append(value)
    return values


def read_sheet(data: bytes, report: ImportReport, consume: Callable[[Rows], T]) -> T | None:
    """``consume`` the first sheet's rows as ("rij n", cells); None (reported) if the file
    is refused or cannot be read."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (
        zipfile.BadZipFile,
        InvalidFileException,
        ParseError,
        KeyError,
        OSError,
        ValueError,  # defusedxml's refusals among them
        TypeError,
        EOFError,
    )
    reason = _refusal(data)
    if reason is not None:
        report.error(_("bestand"), reason)
        return None
    try:
        with warnings.catch_warnings():
            # Real workbooks warn about styles and extensions openpyxl cannot read: harmless.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except unreadable:
        report.error(_("bestand"), _("dit is geen leesbaar xlsx-bestand"))
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = (
                (where := _("rij %(n)d", n=number), _values(cells, report, where))
                for number, cells in enumerate(book.active.iter_rows(), 1)
            )
            return consume(rows)
    except unreadable:
        report.error(_("bestand"), _("dit is geen leesbaar xlsx-bestand"))
        return None
    finally:
        book.close()
