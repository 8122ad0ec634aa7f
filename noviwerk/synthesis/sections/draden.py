"""The rode draden section: each recurring theme with its label, weight, wording and members."""

from __future__ import annotations

from collections.abc import Iterator

from noviwerk.synthesis.document import RODE_DRADEN, Document, Note, PointList, Section, Sentence
from noviwerk.synthesis.phrasing import count, join, number, quoted
from noviwerk.synthesis.points import Context, provenance_of
from noviwerk.synthesis.rode_draden import RodeDraad
from noviwerk.synthesis.tafels import named_tafels

TITLE = "Rode draden"


def labelled_items(document: Document) -> Iterator[tuple[PointList, Sentence]]:
    """The items of ``document``'s Rode draden section that name a rode draad: each opens
    with its label in bold (``Sentence.strong``), as ``section`` below writes it."""
    found = document.section(RODE_DRADEN)
    for block in found.blocks if found is not None else ():
        if isinstance(block, PointList):
            yield from ((block, s) for s in block.items if s.strong)


def weight_line(draad: RodeDraad) -> str:
    """``vijf bijdragen van vier deelnemers, uit drie kernvragen en twee velden, twee keer
    gesteund``.

    Participants are counted only when every member has a known author: a flip-chart or
    imported post might be anyone's, so there the count is of bijdragen alone. Velden are
    counted when the members come from more than one (a member without a veld adds none).
    """
    said = count(draad.bijdragen, "bijdrage", "bijdragen")
    if not draad.unattributed:
        said += f" van {count(draad.deelnemers, 'deelnemer', 'deelnemers')}"
    parts = [said]
    velden = len(draad.velden)
    if len(draad.kernvragen) >= 2:
        where = f"uit {count(len(draad.kernvragen), 'kernvraag', 'kernvragen')}"
        parts.append(where + (f" en {count(velden, 'veld', 'velden')}" if velden >= 2 else ""))
    elif draad.kernvragen:
        parts.append(f"bij kernvraag {draad.kernvragen[0]}")
    if velden >= 2 and len(draad.kernvragen) < 2:
        parts.append(f"uit {count(velden, 'veld', 'velden')}")
    if draad.steun:
        parts.append(f"{number(draad.steun)} keer gesteund")
    if draad.is_starred:
        parts.append("door de facilitator gemarkeerd")
    return ", ".join(parts)


def at_tafels(context: Context, draad: RodeDraad) -> str:
    """``, aan tafels Water en Bodem``: where a werkplaats split into tafels, which raised it."""
    names = list(dict.fromkeys(t for i in draad.members if (t := context.by_id[i].tafel)))
    return f", aan {named_tafels(names)}" if names else ""


def provenance(context: Context, draad: RodeDraad):
    return provenance_of(context.by_id[i] for i in draad.members)


def rode_draden_section(context: Context) -> Section:
    draden = context.rode_draden
    if not draden:
        text = (
            "Nog geen rode draden: geen onderwerp kwam in meer dan één bijdrage terug."
            if context.records
            else "Er zijn nog geen bijdragen."
        )
        return Section(RODE_DRADEN, TITLE, (Note(text),))
    spanning = sum(1 for d in draden if d.spans_kernvragen)
    intro = "Onderwerpen die in meer bijdragen terugkwamen, over de kernvragen heen"
    if spanning and len(draden) > 1:
        intro += f" ({number(spanning)} van de {number(len(draden))} in meer dan één kernvraag)"
    intro += ". Het zwaarste eerst."
    items = []
    for d in draden:
        text = f"{d.label} \u2014 {weight_line(d)}{at_tafels(context, d)}. Bijvoorbeeld: {quoted(d.wording)}."
        items.append(Sentence(text, provenance(context, d), strong=len(d.label)))
    return Section(RODE_DRADEN, TITLE, (Note(intro), PointList(tuple(items))))


def named(draden: tuple[RodeDraad, ...]) -> str:
    """``bodemdaling, wateroverlast en energie``."""
    return join([d.phrase for d in draden])


__all__ = ["at_tafels", "named", "provenance", "rode_draden_section", "weight_line"]
