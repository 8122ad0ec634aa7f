"""The bouwsteen's section on opgaven, kansen and dilemma's: what participants called so."""

from __future__ import annotations

from noviwerk.domain import Label
from noviwerk.synthesis.document import OPGAVEN_KANSEN_DILEMMAS, Note, Section, Table, TableRow
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
