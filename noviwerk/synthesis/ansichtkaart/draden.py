"""The rode draden as the draft names them, read from its "Rode draden" section.

The card does not name themes itself: the section's labels are the engine's (and, once the
trekker renames or merges a theme, the trekker's), so the card reads them where the draft
shows them, in bold at the start of each item (``Sentence.strong``). A section written by
hand has no bold labels, and then the card has no rode draden to name (``text`` falls back
on the draft's points).

How many raised a theme is read from the same item ("zes bijdragen van vier deelnemers")
when it says so in that shape, and else counted from the item's sources, so that the card
never says a number the draft does not. Where the werkplaats split into tafels, a draad also
knows at how many tafels its members were posted (the plenary's "aan drie van de vier
tafels", read from the bijlage's tafel blocks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from noviwerk.synthesis.ansichtkaart.nouns import Usage, is_content_phrase
from noviwerk.synthesis.document import (
    MACHINE,
    AppendixItem,
    AppendixRound,
    Document,
    Provenance,
)
from noviwerk.synthesis.phrasing import count
from noviwerk.synthesis.rode_draden import KERNVRAAG_BONUS, STAR_WEIGHT, VOICE_WEIGHT
from noviwerk.synthesis.sections.draden import labelled_items

# "zes bijdragen", "vijf bijdragen van vier deelnemers": the draft's own weight line.
_SAID = re.compile(r"(\S+ bijdragen?)(?: van (\S+ deelnemers?))?")
PARTS = re.compile(r",|;| en | & ")


@dataclass(frozen=True)
class Draad:
    label: str  # as the draft writes it: "Regionale bereikbaarheid"
    provenance: Provenance
    bijdragen: str  # "zes bijdragen"
    deelnemers: str  # "vier deelnemers"; "" when the draft does not know who said what
    kernvragen: int  # how many kernvragen it came back in
    weight: float  # as the samenvatting weighs points: each voice twice, +1s, votes, stars
    origin: str = MACHINE
    tafels: int = 0  # at how many tafels its members were posted (a werkplaats with tafels)

    def nameable(self, usage: Usage, proper: frozenset[str]) -> bool:
        """Whether the card may name it: a label the trekker gave, or one that is a noun
        phrase (each part of "Energie en water"), not "Tweede tabblad en verstuurd"."""
        if self.origin != MACHINE:
            return True
        parts = [p.strip() for p in PARTS.split(self.label)]
        return all(p and is_content_phrase(p, usage, proper) for p in parts)


def draden(document: Document) -> tuple[Draad, ...]:
    """The draft's rode draden, in its order (heaviest first)."""
    items: dict[int, AppendixItem] = {}
    kernvraag: dict[int, int | None] = {}
    tafel: dict[int, str] = {}
    for s in document.sections:
        for block in s.blocks:
            if isinstance(block, AppendixRound):
                for item in block.items:
                    items[item.contribution_id] = item
                    kernvraag[item.contribution_id] = block.kernvraag_position
                    tafel[item.contribution_id] = block.tafel
    out: list[Draad] = []
    seen: set[str] = set()
    for block, sentence in labelled_items(document):
        label = sentence.text[: sentence.strong].strip(" \u2014\u2013-:,.")
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            ids = [i for i in sentence.provenance.ids if i in items]
            positions = {kernvraag[i] for i in ids if kernvraag[i] is not None}
            bijdragen = count(len(ids), "bijdrage", "bijdragen")
            deelnemers = ""
            said = _SAID.match(sentence.text[sentence.strong :].lstrip(" \u2014\u2013-:"))
            if said:
                bijdragen, deelnemers = said.group(1), said.group(2) or ""
            weight = sum(_weight(items[i]) for i in ids)
            weight += KERNVRAAG_BONUS * max(0, len(positions) - 1)
            origin = MACHINE if MACHINE == sentence.origin == block.origin else "hand"
            out.append(
                Draad(
                    label,
                    sentence.provenance,
                    bijdragen,
                    deelnemers,
                    len(positions),
                    weight,
                    origin,
                    len({tafel[i] for i in ids if tafel[i]}),
                )
            )
    return tuple(out)


def tafel_count(document: Document) -> int:
    """How many tafels the werkplaats split into, as its bijlage groups them (0: none)."""
    return len({
        block.tafel for s in document.sections for block in s.blocks
        if isinstance(block, AppendixRound) and block.tafel
    })  # fmt: skip


def _weight(item: AppendixItem) -> float:
    return (
        VOICE_WEIGHT
        + max(0, item.plus_ones)
        + max(0, item.votes)
        + (STAR_WEIGHT if item.is_starred else 0.0)
    )


__all__ = ["PARTS", "Draad", "draden", "tafel_count"]
