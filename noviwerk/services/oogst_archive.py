"""All bouwstenen and ansichtkaarten of a programme as one zip, for the browser.

The same files ``flask export-bouwstenen`` and ``flask export-ansichtkaarten`` write, made by
the same service calls, but only of the werkplaatsen that pass the oogst's filter and only
what the viewer may read (``opgaven.readable_bouwstenen``): a concept bouwsteen, and the
ansichtkaart made from it, stay with the werkplaats' own people. Unlike the command, a
download never makes a draft: opening a page never writes.

Built in a temporary file that stays in memory while small: forty PDFs are tens of
megabytes, which go to disk.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from ..domain import slug
from ..extensions import db
from ..models import Ansichtkaart, Programme, User
from . import ansichtkaart as ansichtkaart_svc
from . import bouwsteen as bouwsteen_svc
from . import export_jobs, oogst, permissions
from .errors import Invalid
from .opgaven import readable_bouwstenen

FORMATS: tuple[str, ...] = tuple(bouwsteen_svc.EXPORTERS)  # md, docx, pdf, json, csv
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "md")
CARD_FORMATS: tuple[str, ...] = ("pdf", "txt")  # the card to print, and its words
IN_MEMORY = 8 * 1024 * 1024  # a zip up to this size is never written to disk
# Already compressed: stored as they are, the rest deflated.
_STORED = (".pdf", ".png", ".docx")


@dataclass(frozen=True)
class Archive:
    file: IO[bytes]  # at its start, ready to be sent; closed by whoever sends it
    size: int
    name: str
    bouwstenen: int
    ansichtkaarten: int
    withheld: int


def parse_formats(values: Sequence[str]) -> tuple[str, ...]:
    """The bouwsteen formats asked for (``?formaat=pdf&formaat=md``), in a fixed order."""
    if not values:
        return DEFAULT_FORMATS
    unknown = [v for v in values if v not in FORMATS]
    if unknown:
        raise Invalid(
            _("Onbekend formaat '%(v)s'; kies uit md, docx, pdf, json en csv.", v=unknown[0][:20]),
            "formaat",
        )
    return tuple(f for f in FORMATS if f in values)


def build(
    programme: Programme,
    f: oogst.OogstFilter,
    user: User | None,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    with_ansichtkaarten: bool = True,
    options: export_jobs.Settings,
) -> Archive:
    readable = readable_bouwstenen(programme, f, user)
    if not readable.bouwstenen:
        raise Invalid(
            _("Er is (nog) geen bouwsteen die je kunt downloaden in deze selectie.")
            if not readable.withheld
            else _("De bouwstenen in deze selectie zijn nog concepten van hun werkplaats.")
        )
    cards = (
        [
            card
            for card in _ansichtkaarten([b.id for b in readable.bouwstenen])
            if permissions.can_read_ansichtkaart(user, card.bouwsteen.werkplaats)
        ]
        if with_ansichtkaarten
        else []
    )
    stem = f"oogst-{slug(programme.name)}"
    # Handed to the response, which closes it once sent.
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

            def put(path: str, body: bytes | str) -> None:
                data = body.encode("utf-8") if isinstance(body, str) else body
                kind = zipfile.ZIP_STORED if path.endswith(_STORED) else zipfile.ZIP_DEFLATED
                archive.writestr(f"{stem}/{path}", data, compress_type=kind)

            for b in readable.bouwstenen:
                for fmt in formats:
                    body, _mimetype, name = bouwsteen_svc.export(b, fmt, options=options)
                    put(f"bouwstenen/{name}", body)
            for card in cards:
                for fmt in CARD_FORMATS:
                    body, _mimetype, name = ansichtkaart_svc.export(card, fmt)
                    put(f"ansichtkaarten/{name}", body)
            put("LEESMIJ.txt", _readme(programme, len(readable.bouwstenen), len(cards),
                                       readable.withheld, formats))  # fmt: skip
        size = out.tell()
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return Archive(out, size, f"{stem}.zip", len(readable.bouwstenen), len(cards), readable.withheld)


def _ansichtkaarten(bouwsteen_ids: list[int]) -> list[Ansichtkaart]:
    found = db.session.scalars(
        sa.select(Ansichtkaart).where(Ansichtkaart.bouwsteen_id.in_(bouwsteen_ids))
    ).all()
    by_bouwsteen = {a.bouwsteen_id: a for a in found if a.versions}
    return [by_bouwsteen[i] for i in bouwsteen_ids if i in by_bouwsteen]


def _readme(
    programme: Programme, bouwstenen: int, cards: int, withheld: int, formats: Sequence[str]
) -> str:
    lines = [
        programme.name,
        "",
        ngettext("%(num)d bouwsteen", "%(num)d bouwstenen", bouwstenen)
        + " ("
        + ", ".join(formats)
        + "): "
        + _("de huidige versie, zoals de trekker hem achterliet."),
        ngettext("%(num)d ansichtkaart", "%(num)d ansichtkaarten", cards)
        + ": "
        + _("PDF om te drukken, met de tekst van de kaart als .txt."),
    ]
    if withheld:
        lines.append(
            ngettext(
                "%(num)d conceptbouwsteen is weggelaten: alleen de werkplaats zelf kan die lezen.",
                "%(num)d conceptbouwstenen zijn weggelaten: alleen de werkplaatsen zelf kunnen die lezen.",
                withheld,
            )
        )
    return "\r\n".join(lines) + "\r\n"
