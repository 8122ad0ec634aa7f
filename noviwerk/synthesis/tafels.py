"""The plenary after the tafels: what each tafel heard, and what the tafels share.

The rode-draden engine (``synthesis.rode_draden``) runs once per tafel, over that tafel's
contributions, and once over all of them together. A rode draad of the whole room whose
members were posted at two or more tafels is *gedeeld*: the plenary says how many tafels
raised it and which. One whose members all come from one tafel is *eigen*: kept apart and
listed with its tafel, never averaged away into the others; so is a tafel's own rode draad
that the roll-up over all tafels had no room for (it names the heaviest ``ACROSS``).
Contributions posted outside any tafel (a plenary round) are not the tafels' and stay out.

Pure and deterministic: the same tafels in the same order give the same plenary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.cluster import cluster_contributions
from noviwerk.synthesis.phrasing import join
from noviwerk.synthesis.rode_draden import RodeDraad, rode_draden

PER_TAFEL = 4  # rode draden shown per tafel, side by side on the beamer
ACROSS = 16  # rode draden looked for over all tafels together


@dataclass(frozen=True)
class TafelInput:
    """A tafel as the plenary takes it: its visible contributions and its three points."""

    name: str
    records: tuple[ContributionRecord, ...]
    main_points: tuple[str, ...] = ()
    focus: str = ""


@dataclass(frozen=True)
class TafelDraden:
    tafel: TafelInput
    draden: tuple[RodeDraad, ...]


@dataclass(frozen=True)
class PlenaryDraad:
    """A rode draad over all tafels, with the tafels its members were posted at."""

    draad: RodeDraad
    tafels: tuple[str, ...]  # in the order of the tafels
    per_tafel: tuple[int, ...]  # its contributions at each of those tafels

    @property
    def named(self) -> str:
        """``tafels Water en Bodem``, ``Tafel 1 en Tafel 3``: which tafels raised it."""
        return named_tafels(self.tafels)


@dataclass(frozen=True)
class Plenary:
    tafels: tuple[TafelDraden, ...]
    gedeeld: tuple[PlenaryDraad, ...]  # raised at two or more tafels: most tafels first
    eigen: tuple[PlenaryDraad, ...]  # raised at one tafel only, by tafel then weight
    contributions: int


def plenary(tafels: Sequence[TafelInput], *, topic: str = "") -> Plenary:
    order = {t.name: i for i, t in enumerate(tafels)}
    per = tuple(
        TafelDraden(t, rode_draden(t.records, topic=topic, limit=PER_TAFEL)) for t in tafels
    )
    records = [r for t in tafels for r in t.records]
    at = {r.id: t.name for t in tafels for r in t.records}
    found = (
        rode_draden(records, clustering=cluster_contributions(records), topic=topic, limit=ACROSS)
        if records
        else ()
    )
    gedeeld, eigen = [], []
    for d in found:
        plenary_draad = raised_at(d, at, order)
        (gedeeld if len(plenary_draad.tafels) >= 2 else eigen).append(plenary_draad)
    # The roll-up names the heaviest ACROSS; a tafel's own theme below them is kept from
    # that tafel's rode draden, not averaged away (shared when tafels name it alike).
    covered = {i for d in found for i in d.members}
    missed: list[list[tuple[str, RodeDraad]]] = []
    for t in per:
        for d in t.draden:
            if sum(i in covered for i in d.members) * 2 < len(d.members):
                group = next((g for g in missed if _alike(g[0][1], d)), None)
                if group is None:
                    missed.append(group := [])
                group.append((t.tafel.name, d))
    for group in missed:
        names = tuple(dict.fromkeys(name for name, _d in group))
        counts = tuple(sum(len(d.members) for n, d in group if n == name) for name in names)
        draad = min((d for _n, d in group), key=lambda d: len(d.label))  # the plainest label
        (gedeeld if len(names) >= 2 else eigen).append(PlenaryDraad(draad, names, counts))
    gedeeld.sort(key=lambda p: -len(p.tafels))  # stable: the engine's weight within
    eigen.sort(key=lambda p: order[p.tafels[0]])
    return Plenary(per, tuple(gedeeld), tuple(eigen), len(records))


def _alike(a: RodeDraad, b: RodeDraad) -> bool:
    """Two tafels' rode draden about one thing: the same label, or most of the smaller one's
    binding terms shared ("Bodemdaling" and "Bodemdaling in het veenweidegebied")."""
    if a.label.casefold() == b.label.casefold():
        return True
    shared = len(set(a.terms) & set(b.terms))
    return shared * 2 > min(len(a.terms), len(b.terms)) > 0


def named_tafels(names: Sequence[str]) -> str:
    """Tafel names in a sentence, with the word "tafel" where the names lack it."""
    if all(n.casefold().startswith("tafel") for n in names):
        return join(list(names))
    return ("tafel " if len(names) == 1 else "tafels ") + join(list(names))


def raised_at(draad: RodeDraad, at: dict[int, str], order: dict[str, int]) -> PlenaryDraad:
    """Which tafels the members of ``draad`` were posted at (``at``: contribution → tafel)."""
    counts: dict[str, int] = {}
    for i in draad.members:
        if i in at:
            counts[at[i]] = counts.get(at[i], 0) + 1
    names = tuple(sorted(counts, key=order.__getitem__))
    return PlenaryDraad(draad, names, tuple(counts[n] for n in names))
