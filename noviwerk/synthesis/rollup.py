"""The roll-up: one kernvraag over several werkplaatsen of a programme, as a document.

What chapter 4 of the Werkplaats NOVI highlights did by hand ("Grondwaterbeheer en
bodemdaling … besproken in de Werkplaats Water Verbindt, de Werkplaats Geel in
Omgevingsvisies en Werkplaats 1 en 2 juli"), written from the contributions themselves:

1. The contributions of the chosen werkplaatsen to the kernvraag are numbered afresh, as one
   bijlage (werkplaats by werkplaats, each in its own bijlage order), so that every sentence
   can cite them; each number keeps the way back to its werkplaats and contribution.
2. The rode-draden engine (``synthesis.rode_draden``) runs once over them all. A rode draad
   whose members come from two or more werkplaatsen is *gedeeld*: it gets a section saying
   how many werkplaatsen brought it in, and what each said. One whose members all come from
   one werkplaats is *eigen*: listed apart, never averaged away into the others.
3. The verbindingen: which themes (each werkplaats' hoofdonderwerp) touched which shared
   rode draad, through which werkplaatsen and how many contributions.

Every sentence cites exactly the contributions it rests on (``Provenance``). Deterministic:
the same werkplaatsen in the same order give the same document. Pure: no Flask, no models.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from noviwerk.domain import ContributionRecord, KernvraagSpec
from noviwerk.synthesis import rollup_document
from noviwerk.synthesis.cluster import cluster_contributions
from noviwerk.synthesis.document import (
    Document,
    Provenance,
    Sentence,
)
from noviwerk.synthesis.phrasing import capitalise, count, join, number, quoted, shorten, squash
from noviwerk.synthesis.points import provenance_of
from noviwerk.synthesis.rode_draden import RodeDraad, rode_draden
from noviwerk.synthesis.text import without_lead_in

# Rode draden looked for over all werkplaatsen together: room for the shared ones and for
# what a single werkplaats raised, within the time a page may take (tests/bench/bench_rollup.py).
LIMIT = 24
NAMED_WERKPLAATSEN = 5  # a sentence names the werkplaatsen up to this many; the list names all
WORDING_LIMIT = 220
NO_THEME = ""


@dataclass(frozen=True)
class RollupWerkplaats:
    """A werkplaats as the roll-up takes it: its visible contributions in bijlage order."""

    id: int
    title: str
    records: tuple[ContributionRecord, ...]
    theme: str | None = None  # its hoofdonderwerp
    starts_on: date | None = None


@dataclass(frozen=True)
class Bron:
    """Where a number of the roll-up's bijlage comes from."""

    werkplaats_id: int
    contribution_id: int
    number: int  # in its own werkplaats' bijlage


@dataclass(frozen=True)
class Inbreng:
    """What one werkplaats brought into a rode draad."""

    werkplaats_id: int
    title: str
    theme: str
    members: tuple[int, ...]
    sentence: Sentence  # "Water verbindt: 'Bodemdaling …' (drie bijdragen)", title in bold


@dataclass(frozen=True)
class Draad:
    """A rode draad of the roll-up, with the werkplaatsen that brought it in."""

    draad: RodeDraad
    inbreng: tuple[Inbreng, ...]  # in the roll-up's order of werkplaatsen
    sentence: Sentence

    @property
    def werkplaatsen(self) -> int:
        return len(self.inbreng)


@dataclass(frozen=True)
class Verbinding:
    """A theme and a shared rode draad: the werkplaatsen of that theme that brought it in."""

    theme: str  # NO_THEME for werkplaatsen without a hoofdonderwerp
    draad: str  # the rode draad's label
    werkplaats_ids: tuple[int, ...]
    titles: tuple[str, ...]
    bijdragen: int
    provenance: Provenance


@dataclass(frozen=True)
class Rollup:
    kernvraag: int
    spec: KernvraagSpec
    werkplaatsen: tuple[RollupWerkplaats, ...]
    records: tuple[ContributionRecord, ...]  # the kernvraag's contributions, numbered afresh
    bronnen: dict[int, Bron]  # by roll-up number
    gedeeld: tuple[Draad, ...]  # raised in two or more werkplaatsen, heaviest first
    eigen: tuple[Draad, ...]  # raised in one werkplaats only, by werkplaats then weight
    themes: tuple[str, ...]  # the matrix' rows: themes of the werkplaatsen that said something
    verbindingen: tuple[Verbinding, ...]
    document: Document

    def verbinding(self, theme: str, draad: str) -> Verbinding | None:
        return next((v for v in self.verbindingen if v.theme == theme and v.draad == draad), None)


def rollup(
    programme: str,
    kernvraag: int,
    spec: KernvraagSpec,
    werkplaatsen: Sequence[RollupWerkplaats],
    *,
    themes: Sequence[str] = (),
    limit: int = LIMIT,
) -> Rollup:
    """The roll-up of kernvraag ``kernvraag`` (``spec``) over ``werkplaatsen``, in their order.

    ``themes``: the programme's themes in its order, for the verbindingen (others follow in
    the order met). Contribution ids must be unique over all werkplaatsen (ValueError).
    """
    records, bronnen, owner = _numbered(kernvraag, werkplaatsen)
    by_id = {r.id: r for r in records}
    clustering = cluster_contributions(records)
    found = rode_draden(records, clustering=clustering, topic=spec.title, limit=limit)
    order = {w.id: i for i, w in enumerate(werkplaatsen)}
    gedeeld, eigen = [], []
    for d in found:
        inbreng = _inbreng(d, by_id, owner, order)
        if len(inbreng) >= 2:
            gedeeld.append(Draad(d, inbreng, _shared_sentence(d, inbreng, by_id)))
        else:
            eigen.append(Draad(d, inbreng, _own_sentence(d, inbreng[0], by_id)))
    eigen.sort(key=lambda x: order[x.inbreng[0].werkplaats_id])  # stable: weight within
    row_themes = _themes(werkplaatsen, records, owner, themes)
    verbindingen = tuple(_verbindingen(gedeeld, row_themes, by_id))
    document = rollup_document.document(
        programme, kernvraag, spec, werkplaatsen, records, clustering, owner,
        tuple(gedeeld), tuple(eigen), verbindingen,
    )  # fmt: skip
    return Rollup(
        kernvraag, spec, tuple(werkplaatsen), records, bronnen, tuple(gedeeld), tuple(eigen),
        row_themes, verbindingen, document,
    )  # fmt: skip


def _numbered(kernvraag: int, werkplaatsen: Sequence[RollupWerkplaats]):
    """The kernvraag's contributions as one bijlage: werkplaats by werkplaats, each in its
    own order, numbered from 1; where each number came from; whose each contribution is."""
    records: list[ContributionRecord] = []
    bronnen: dict[int, Bron] = {}
    owner: dict[int, RollupWerkplaats] = {}
    for w in werkplaatsen:
        for r in sorted(w.records, key=lambda r: (r.number, r.id)):
            if r.id in owner:
                raise ValueError(f"contribution {r.id} appears twice in the roll-up")
            owner[r.id] = w
            if r.kernvraag_position != kernvraag:
                continue
            n = len(records) + 1
            records.append(replace(r, number=n))
            bronnen[n] = Bron(w.id, r.id, r.number)
    ids = {r.id for r in records}
    # A merge into a contribution outside this kernvraag: here it stands on its own.
    records = [r if r.merged_into in ids or r.merged_into is None else replace(r, merged_into=None)
               for r in records]  # fmt: skip
    return tuple(records), bronnen, owner


def _inbreng(draad: RodeDraad, by_id, owner, order) -> tuple[Inbreng, ...]:
    per: dict[int, list[ContributionRecord]] = {}
    for i in draad.members:
        per.setdefault(owner[i].id, []).append(by_id[i])
    out = []
    for wid in sorted(per, key=order.__getitem__):
        members = per[wid]
        w = owner[members[0].id]
        said = count(len(members), "bijdrage", "bijdragen")
        title = squash(w.title)
        text = f"{title}: {quoted(_wording(draad, members))} ({said})."
        out.append(
            Inbreng(wid, title, w.theme or NO_THEME, tuple(m.id for m in members),
                    Sentence(text, provenance_of(members), strong=len(title)))
        )  # fmt: skip
    return tuple(out)


def _wording(draad: RodeDraad, members: Sequence[ContributionRecord]) -> str:
    """The werkplaats' own words for the rode draad: the engine's choice when it is theirs,
    else their most backed contribution that was not merged into another."""
    own = [m for m in members if m.merged_into is None] or list(members)
    best = next((m for m in own if m.id == draad.representative_id), None)
    if best is None:
        best = min(own, key=lambda m: (-m.backing, m.number))
    return shorten(without_lead_in(best.text), WORDING_LIMIT)


def _weight(draad: RodeDraad) -> str:
    """``twaalf bijdragen van tien deelnemers, drie keer gesteund``; participants only when
    every member has a known author (as the bouwsteen's Rode draden section counts)."""
    said = count(draad.bijdragen, "bijdrage", "bijdragen")
    if not draad.unattributed:
        said += f" van {count(draad.deelnemers, 'deelnemer', 'deelnemers')}"
    if draad.steun:
        said += f", {number(draad.steun)} keer gesteund"
    return said


def _shared_sentence(draad: RodeDraad, inbreng: Sequence[Inbreng], by_id) -> Sentence:
    """``Drie werkplaatsen brachten bodemdaling in: A, B en C; vijf bijdragen van …``."""
    n = count(len(inbreng), "werkplaats", "werkplaatsen")
    text = f"{capitalise(n)} brachten {draad.phrase} in"
    if len(inbreng) <= NAMED_WERKPLAATSEN:
        text += f": {join([i.title for i in inbreng])}"
    text += f"; {_weight(draad)}."
    return Sentence(text, provenance_of(by_id[i] for i in draad.members))


def _own_sentence(draad: RodeDraad, inbreng: Inbreng, by_id) -> Sentence:
    """``Gouda — alleen in Water verbindt: drie bijdragen van drie deelnemers. Bijvoorbeeld: …``"""
    text = (f"{draad.label} \u2014 alleen in {inbreng.title}: {_weight(draad)}. "
            f"Bijvoorbeeld: {quoted(draad.wording)}.")  # fmt: skip
    return Sentence(text, provenance_of(by_id[i] for i in draad.members), strong=len(draad.label))


def _themes(werkplaatsen, records, owner, programme_themes: Sequence[str]) -> tuple[str, ...]:
    """The themes of the werkplaatsen that said something: the programme's order, then any
    other in the order met, then the werkplaatsen without one."""
    said = {owner[r.id].theme or NO_THEME for r in records}
    ordered = [t for t in programme_themes if t in said]
    ordered += [w.theme for w in werkplaatsen if w.theme and w.theme in said and w.theme not in ordered]
    ordered = list(dict.fromkeys(ordered))
    return (*ordered, NO_THEME) if NO_THEME in said else tuple(ordered)


def _verbindingen(gedeeld: Sequence[Draad], themes: Sequence[str], by_id) -> Iterable[Verbinding]:
    for theme in themes:
        for d in gedeeld:
            parts = [i for i in d.inbreng if i.theme == theme]
            if not parts:
                continue
            members = [by_id[m] for i in parts for m in i.members]
            yield Verbinding(
                theme, d.draad.label, tuple(i.werkplaats_id for i in parts),
                tuple(i.title for i in parts), len(members), provenance_of(members),
            )  # fmt: skip


__all__ = ["LIMIT", "Bron", "Draad", "Inbreng", "Rollup", "RollupWerkplaats", "Verbinding",
           "rollup"]  # fmt: skip
