"""The bouwsteen's section on opgaven, kansen and dilemma's: what participants called so."""

from __future__ import annotations

import re
from dataclasses import dataclass

from noviwerk.domain import Label
from noviwerk.synthesis.document import (
    OPGAVEN_KANSEN_DILEMMAS,
    Note,
    Paragraph,
    PointList,
    Provenance,
    Section,
    Table,
    TableRow,
)
from noviwerk.synthesis.phrasing import as_sentence
from noviwerk.synthesis.points import Context, provenance_of, voices

_SOORTEN = (
    (Label.OPGAVE.value, "Opgave"),
    (Label.KANS.value, "Kans"),
    (Label.DILEMMA.value, "Dilemma"),
)


def opgaven_kansen_dilemmas(context: Context) -> Section:
    """One row per point and soort: what was called an opgave, kans or dilemma."""
    rows: list[TableRow] = []
    for label, name in _SOORTEN:
        found: list[tuple[tuple[int, int, int], TableRow]] = []
        for p in context.points:
            own = [m for m in p.members if m.label == label]
            if not own:
                continue
            wording = (
                p.representative
                if p.representative in own
                else min(own, key=lambda m: (-(m.support + m.votes), m.number))
            )
            n = voices(own)
            support = sum(m.support + m.votes for m in own)
            row = TableRow(
                cells=(name, as_sentence(wording.text), str(n), str(support)),
                provenance=provenance_of(own),
            )
            found.append(((-n, -support, own[0].number), row))
        rows.extend(row for _, row in sorted(found, key=lambda f: f[0]))
    blocks: list[Note | Table] = []
    if rows:
        blocks.append(
            Note(
                "Wat deelnemers als opgave, kans of dilemma benoemden, gebundeld "
                "per punt; deelnemers en steun tellen alleen die bijdragen."
            )
        )
        blocks.append(
            Table(
                id="opgaven-kansen-dilemmas-tabel",
                caption="Opgaven, kansen en dilemma's",
                columns=("Soort", "Punt", "Deelnemers", "Steun"),
                rows=tuple(rows),
            )
        )
    else:
        blocks.append(Note("Er zijn (nog) geen bijdragen als opgave, kans of dilemma benoemd."))
    return Section(OPGAVEN_KANSEN_DILEMMAS, "Opgaven, kansen en dilemma's", tuple(blocks))


# --- reading the section back, as the trekker left it -------------------------------------


@dataclass(frozen=True)
class Punt:
    """One opgave, kans or dilemma of a bouwsteen, as its current version words it.

    ``soort`` is "opgave", "kans", "dilemma", or "" where the trekker wrote a passage without
    saying which; ``origin`` says whether the machine assembled it or the trekker wrote it.
    """

    soort: str
    text: str
    participants: int | None
    support: int | None
    provenance: Provenance
    origin: str


_BY_NAME = {name.casefold(): label for label, name in _SOORTEN}
_ROW_SEPARATOR = " \u2014 "  # how a kept table row reads once the section was edited
# "Opgave: …", "Kansen – …", "Dilemma's - …": a trekker's own passage that names its soort.
_LEADING_SOORT = re.compile(
    r"^\s*(opgaven?|kans(?:en)?|dilemma(?:'s|\u2019s|s)?)\s*[:\u2014\u2013-]\s*", re.IGNORECASE
)


def _soort_of(word: str) -> str:
    word = word.casefold().replace("\u2019", "'")
    if word.startswith("opgave"):
        return Label.OPGAVE.value
    if word.startswith("kans"):
        return Label.KANS.value
    return Label.DILEMMA.value


def _count(cell: str) -> int | None:
    return int(cell) if cell.strip().isdigit() else None


def _from_text(text: str, provenance: Provenance, origin: str) -> Punt | None:
    text = " ".join(text.split())
    if not text:
        return None
    cells = text.split(_ROW_SEPARATOR)
    if len(cells) in (2, 4) and cells[0].casefold() in _BY_NAME:
        n, support = (_count(cells[2]), _count(cells[3])) if len(cells) == 4 else (None, None)
        return Punt(_BY_NAME[cells[0].casefold()], cells[1], n, support, provenance, origin)
    match = _LEADING_SOORT.match(text)
    if match and text[match.end() :].strip():
        return Punt(_soort_of(match.group(1)), text[match.end() :], None, None, provenance, origin)
    return Punt("", text, None, None, provenance, origin)


def read_punten(section: Section) -> tuple[Punt, ...]:
    """The section's opgaven, kansen and dilemma's, machine-made or as the trekker edited them.

    The machine's table gives one per row. An edited section holds paragraphs: a row the
    trekker kept reads "Opgave — punt — 3 — 2" and is read back as that row; a passage of
    their own is one point, of the soort it opens with ("Kans: …"), else of no soort.
    Framing notes are not points.
    """
    out: list[Punt | None] = []
    for block in section.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                cells = tuple(row.cells) + ("", "", "", "")
                soort = _BY_NAME.get(cells[0].casefold(), "")
                out.append(
                    Punt(soort, cells[1], _count(cells[2]), _count(cells[3]), row.provenance,
                         row.origin)  # fmt: skip
                )
        elif isinstance(block, Paragraph):
            text = " ".join(s.text for s in block.sentences)
            provenance = Provenance.union(s.provenance for s in block.sentences)
            out.append(_from_text(text, provenance, block.origin))
        elif isinstance(block, PointList):
            out.extend(_from_text(s.text, s.provenance, s.origin) for s in block.items)
    return tuple(p for p in out if p is not None)
