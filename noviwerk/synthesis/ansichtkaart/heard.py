"""The card's second paragraph: what was heard, the leading rode draden named in prose.

"Uit de gespreksronden tijdens de werkplaats klinkt het vaakst een geluid over bodemdaling,
ingebracht door vier deelnemers, over drie kernvragen heen. Daarnaast gaat het in vijf
bijdragen over wateroverlast. Ook energie komt aan bod. Verder komt waterkwaliteit ter
sprake." The names are the draft's rode draden labels (``draden``), never a contribution's
words; the counts are the draft's own. While the draft names fewer than three rode draden
(an early draft, a hand-written section), its heaviest points fill up, named by their labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from noviwerk.synthesis.ansichtkaart.draden import Draad
from noviwerk.synthesis.ansichtkaart.fitting import Fragment
from noviwerk.synthesis.ansichtkaart.terms import as_written
from noviwerk.synthesis.document import Provenance
from noviwerk.synthesis.phrasing import count, number
from noviwerk.synthesis.text import fold

HEARD = "Uit de gespreksronden tijdens de werkplaats klinkt "
NAMED = 4  # rode draden named at most
FEW = 3  # fewer than this, and points fill up
CARRIED = 2.0  # a weight above one participant's: more than one, or backed, or starred
# Which fragment goes first when the card is too full (higher: sooner); see ``text``.
DROP = {1: 6, 2: 8, 3: 9}
# Points that fill up: opgaven, kansen and verbindingen first; trends next; samen werken
# last (the closing's).
_GROUP = {2: 0, 3: 0, 1: 1, None: 1, 4: 2, 5: 2}


class Point(Protocol):
    """A point of the draft as ``text`` reads it."""

    provenance: Provenance
    weight: float
    kernvraag: int | None
    order: int
    name: str  # what it is about, from its label; "" for nothing nameable
    voices: int

    @property
    def is_dilemma(self) -> bool: ...


def themes_heard(
    draden: Sequence[Draad], points: Sequence[Point], used: set[int], proper: frozenset[str]
) -> list[Draad]:
    """The themes to name, heaviest first: the rode draden, then points if they are few.

    A point fills up only when it says something the named rode draden leave out; the points
    it takes are marked ``used``.
    """
    themes = list(draden[:NAMED])
    if len(themes) >= FEW:
        return themes
    covered = {i for d in themes for i in d.provenance.ids}
    named = {fold(as_written(d.label, proper)) for d in themes}
    pool = sorted(
        (
            p
            for p in points
            if p.order not in used
            and not p.is_dilemma
            and p.name
            and not set(p.provenance.ids) <= covered
        ),
        key=lambda p: (-p.weight, _GROUP.get(p.kernvraag, 1), p.kernvraag or 0, p.order),
    )
    pool = [p for p in pool if not (fold(p.name) in named or named.add(fold(p.name)))]
    # The heaviest, then the heaviest point of each other kernvraag, then the rest by weight.
    chosen = pool[:1]
    for p in pool[1:]:
        if p.kernvraag not in {c.kernvraag for c in chosen}:
            chosen.append(p)
    chosen += [p for p in pool if p not in chosen]
    for p in chosen[: NAMED - len(themes)]:
        n = len(p.provenance.ids)
        themes.append(
            Draad(
                p.name,
                p.provenance,
                count(n, "bijdrage", "bijdragen") if n > 1 else "",
                count(p.voices, "deelnemer", "deelnemers") if p.voices > 1 else "",
                1 if p.kernvraag else 0,
                p.weight,
            )
        )
        used.add(p.order)
    return themes


def heard(
    themes: Sequence[Draad], top: float, proper: frozenset[str], tafels: int = 0
) -> list[Fragment]:
    """The paragraph's fragments; ``top`` is the weight of the draft's heaviest point;
    ``tafels``: how many tafels the werkplaats split into (0: none)."""
    if not themes:
        return [
            Fragment(
                [(HEARD, "nog geen gedeeld geluid: er zijn (nog) weinig bijdragen", ".")],
                Provenance(),
            )
        ]
    first, *rest = themes[:NAMED]
    name = as_written(first.label, proper)
    if first.weight > CARRIED and first.weight >= max([top, *(d.weight for d in themes)]):
        opener = HEARD + "het vaakst een geluid over "
    elif first.weight > CARRIED:
        opener = HEARD + "vooral een geluid over "
    else:
        opener = HEARD + "onder meer een geluid over "
    said = f", ingebracht door {first.deelnemers}" if first.deelnemers else ""
    said = said or (f", in {first.bijdragen}" if first.bijdragen else "")
    over = f", over {count(first.kernvragen, 'kernvraag', 'kernvragen')} heen"
    over = over if said and first.kernvragen > 1 else ""
    variants = (
        [(opener, name, said + over + "."), (opener, name, ".")] if said else [(opener, name, ".")]
    )
    if where := _where(first, tafels):  # the plenary's roll-up, when there is room for it
        variants.insert(0, (opener, name, (said or ",") + where + over + "."))
    fragments = [Fragment(variants, first.provenance)]
    for n, d in enumerate(rest, start=1):
        name = as_written(d.label, proper)
        verb = "komen" if " en " in name or "," in name else "komt"  # two things, or one
        variants = {
            1: [("Daarnaast gaat het over ", name, ".")],
            2: [("Ook ", name, f" {verb} aan bod.")],
            3: [(f"Verder {verb} ", name, " ter sprake.")],
        }[n]
        if n == 1 and d.bijdragen:
            variants.insert(0, (f"Daarnaast gaat het in {d.bijdragen} over ", name, "."))
        fragments.append(Fragment(variants, d.provenance, drop=DROP[n]))
    return fragments


def _where(draad: Draad, tafels: int) -> str:
    """`` aan drie van de vier tafels``: a draad raised at several of the werkplaats' tafels."""
    if tafels < 2 or draad.tafels < 2:
        return ""
    if draad.tafels >= tafels:
        return f" aan alle {number(tafels)} tafels"
    return f" aan {number(draad.tafels)} van de {number(tafels)} tafels"


__all__ = ["FEW", "HEARD", "NAMED", "Point", "heard", "themes_heard"]
