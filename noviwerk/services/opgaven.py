"""Opgaven, kansen and dilemma's across all bouwstenen of a programme, grouped by thema.

As chapter 5 of the Werkplaats NOVI highlights did by hand: what each bouwsteen names as an
opgave, kans or dilemma, with the way back to its passage and the contributions behind it.
Read from each bouwsteen's current version, so what the trekker edited is what shows.
Only bouwstenen the viewer may read (``permissions.can_read_bouwsteen``): a concept stays
with the werkplaats' own people; the overview says how many it left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain import BouwsteenStatus, Label
from ..extensions import db
from ..models import Bouwsteen, Programme, User, Werkplaats
from ..synthesis.document import OPGAVEN_KANSEN_DILEMMAS, Document
from ..synthesis.sections.opgaven import Punt, read_punten
from . import bouwsteen_parts, oogst, permissions
from .errors import NotFound

SOORTEN: tuple[str, ...] = (Label.OPGAVE.value, Label.KANS.value, Label.DILEMMA.value)
UNSORTED = ""  # a passage the trekker wrote without naming its soort


@dataclass(frozen=True)
class Readable:
    """The bouwstenen of the selected werkplaatsen the viewer may read, and how many not."""

    bouwstenen: tuple[Bouwsteen, ...]
    withheld: int
    current: Mapping[int, bouwsteen_parts.Current] = field(default_factory=dict)  # by id


def readable_bouwstenen(programme: Programme, f: oogst.OogstFilter, user: User | None) -> Readable:
    """The bouwstenen of the werkplaatsen that pass ``f``, in the oogst table's order."""
    order = [r.id for r in oogst.oogst_rows(programme, f)]
    found = db.session.scalars(
        sa.select(Bouwsteen)
        .where(Bouwsteen.werkplaats_id.in_(order))
        .options(
            sa.orm.joinedload(Bouwsteen.werkplaats).selectinload(Werkplaats.staff),
            sa.orm.joinedload(Bouwsteen.werkplaats).joinedload(Werkplaats.theme),
        )
    ).all()
    current = bouwsteen_parts.current_versions(b.id for b in found)
    by_werkplaats = {b.werkplaats_id: b for b in found if b.id in current}
    ordered = [by_werkplaats[i] for i in order if i in by_werkplaats]
    allowed = tuple(
        b for b in ordered if permissions.can_read_bouwsteen(user, b.werkplaats, b.status)
    )
    return Readable(allowed, len(ordered) - len(allowed), current)


def readable_bouwsteen(programme: Programme, werkplaats_id: int, user: User | None) -> Bouwsteen:
    """One bouwsteen of the programme, if the viewer may read it (else NotFound)."""
    bouwsteen = db.session.scalar(
        sa.select(Bouwsteen)
        .join(Werkplaats, Bouwsteen.werkplaats_id == Werkplaats.id)
        .where(Werkplaats.id == werkplaats_id, Werkplaats.programme_id == programme.id)
    )
    if bouwsteen is None or bouwsteen.current is None:
        raise NotFound(_("Deze werkplaats heeft (nog) geen bouwsteen in dit programma."))
    if not permissions.can_read_bouwsteen(user, bouwsteen.werkplaats, bouwsteen.status):
        # Not found rather than forbidden: to the programme, a concept is not there yet.
        raise NotFound(
            _("Deze bouwsteen is nog een concept: alleen de werkplaats zelf kan hem lezen.")
        )
    return bouwsteen


@dataclass(frozen=True)
class BouwsteenPunten:
    werkplaats_id: int
    title: str
    starts_at: datetime | None
    theme: str
    status: BouwsteenStatus
    version: int
    punten: tuple[Punt, ...]


@dataclass(frozen=True)
class ThemaGroep:
    theme: str
    bouwstenen: tuple[BouwsteenPunten, ...]

    def count(self) -> int:
        return sum(len(b.punten) for b in self.bouwstenen)


@dataclass(frozen=True)
class Overzicht:
    groups: tuple[ThemaGroep, ...]
    withheld: int  # concept bouwstenen the viewer may not read
    without: int  # readable bouwstenen that name none (of the soort asked for)

    def count(self) -> int:
        return sum(g.count() for g in self.groups)


def parse_only(value: str | None) -> str | None:
    """``?alleen=kans``: only one soort; anything else means all three."""
    return value if value in SOORTEN else None


def overzicht(
    programme: Programme, f: oogst.OogstFilter, user: User | None, only: str | None = None
) -> Overzicht:
    readable = readable_bouwstenen(programme, f, user)
    current = [readable.current[b.id] for b in readable.bouwstenen]
    read = bouwsteen_parts.read(current, "punten", (OPGAVEN_KANSEN_DILEMMAS,), _punten)
    listed: list[BouwsteenPunten] = []
    without = 0
    for b in readable.bouwstenen:
        punten = read.get(b.id, ())
        if only:
            punten = tuple(p for p in punten if p.soort == only)
        if not punten:
            without += 1
            continue
        w = b.werkplaats
        listed.append(
            BouwsteenPunten(
                werkplaats_id=w.id,
                title=w.title,
                starts_at=w.starts_at,
                theme=w.theme.name if w.theme else "",
                status=b.status,
                version=readable.current[b.id].number,
                punten=_sorted(punten),
            )
        )
    names = [t.name for t in programme.themes]
    groups = [
        ThemaGroep(name, tuple(b for b in listed if b.theme == name))
        for name in [*names, ""]
    ]
    return Overzicht(tuple(g for g in groups if g.bouwstenen), readable.withheld, without)


def _punten(document: Document) -> tuple[Punt, ...]:
    section = document.section(OPGAVEN_KANSEN_DILEMMAS)
    return read_punten(section) if section else ()


def _sorted(punten: Sequence[Punt]) -> tuple[Punt, ...]:
    """Opgaven, then kansen, then dilemma's (as the seed's three tables), then the rest;
    within a soort in the bouwsteen's own order."""
    rank = {s: i for i, s in enumerate(SOORTEN)}
    return tuple(sorted(punten, key=lambda p: rank.get(p.soort, len(SOORTEN))))
