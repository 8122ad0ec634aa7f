"""The roll-up as a ``Document`` (synthesis/rollup.py assembles it), for the bouwsteen's
exporters: a samenvatting, a section per rode draad that werkplaatsen share, what one
werkplaats alone raised, the verbindingen between themes and rode draden, and the bijlage
of every contribution behind them, numbered afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.cluster import Clustering
from noviwerk.synthesis.document import (
    BIJLAGE,
    RODE_DRADEN,
    SAMENVATTING,
    VERBINDINGEN,
    AppendixItem,
    AppendixRound,
    Document,
    Head,
    Note,
    Paragraph,
    PointList,
    Provenance,
    Section,
    Sentence,
    Table,
    TableRow,
    VeldCount,
)
from noviwerk.synthesis.phrasing import capitalise, count, join, number, squash
from noviwerk.synthesis.points import veld_sort_key

if TYPE_CHECKING:
    from noviwerk.synthesis.rollup import Draad, Verbinding

EIGEN = "eigen-geluiden"  # the section of what only one werkplaats raised
NAMED = 5  # a sentence names rode draden up to this many, then counts the rest


def document(programme, kernvraag, spec, werkplaatsen, records, clustering, owner,
              gedeeld, eigen, verbindingen) -> Document:  # fmt: skip
    spoke = {owner[r.id].id for r in records}
    said = [w for w in werkplaatsen if w.id in spoke]
    sections = [_samenvatting(kernvraag, spec, werkplaatsen, said, records, gedeeld, eigen, owner)]
    sections += [
        Section(f"{RODE_DRADEN}-{i}", d.draad.label,
                (Paragraph((d.sentence,)), PointList(tuple(x.sentence for x in d.inbreng))))
        for i, d in enumerate(gedeeld, 1)
    ]  # fmt: skip
    if eigen:
        intro = Note("Onderwerpen die in één werkplaats terugkwamen en in geen andere: apart "
                     "gehouden, zodat ze niet wegvallen tegen wat veel werkplaatsen zeiden.")
        sections.append(Section(EIGEN, "Wat één werkplaats inbracht",
                                (intro, PointList(tuple(d.sentence for d in eigen)))))  # fmt: skip
    sections.append(_verbindingen_section(verbindingen))
    sections.append(_bijlage(records, clustering, owner))
    n = count(len(werkplaatsen), "werkplaats", "werkplaatsen")
    return Document(
        title=f"Rode draden over {n}: {spec.title}",
        status_note=(f"Roll-up van kernvraag {kernvraag} over {n}, samengesteld door noviwerk "
                     "uit de bijdragen; de nummers verwijzen naar de bijlage."),
        head=_head(programme, kernvraag, spec, werkplaatsen, records, owner),
        sections=tuple(sections),
        stage="roll-up",
    )  # fmt: skip


def _samenvatting(kernvraag, spec, werkplaatsen, said, records, gedeeld, eigen, owner) -> Section:
    blocks: list = [Note(f"Kernvraag {kernvraag}: {spec.title}. {spec.question}".strip())]
    silent = len(werkplaatsen) - len(said)
    if not records:
        blocks.append(Note("Er zijn bij deze kernvraag nog geen bijdragen uit deze werkplaatsen."))
        return Section(SAMENVATTING, "Samenvatting", tuple(blocks))
    sentences = []
    if gedeeld:
        top = gedeeld[0]
        sentences.append(Sentence(
            f"Over {count(len(said), 'werkplaats', 'werkplaatsen')} heen "
            f"{'klinkt' if len(gedeeld) == 1 else 'klinken'} "
            f"{count(len(gedeeld), 'rode draad', 'rode draden')}: {_names(gedeeld)}.",
            Provenance.union(d.sentence.provenance for d in gedeeld),
        ))  # fmt: skip
        sentences.append(Sentence(
            f"Het zwaarst weegt {top.draad.phrase}, ingebracht door "
            f"{count(top.werkplaatsen, 'werkplaats', 'werkplaatsen')}.",
            top.sentence.provenance,
        ))  # fmt: skip
    else:
        blocks.append(Note("Geen onderwerp kwam in meer dan één werkplaats terug."))
    if eigen:
        sentences.append(Sentence(
            f"{capitalise(count(len(eigen), 'onderwerp', 'onderwerpen'))} "
            f"{'kwam' if len(eigen) == 1 else 'kwamen'} maar in één werkplaats terug: "
            f"{_names(eigen)}.",
            Provenance.union(d.sentence.provenance for d in eigen),
        ))  # fmt: skip
    if sentences:
        blocks.append(Paragraph(tuple(sentences)))
    if silent:
        blocks.append(Note(f"{capitalise(count(silent, 'werkplaats', 'werkplaatsen'))} "
                           f"{'heeft' if silent == 1 else 'hebben'} bij deze kernvraag niets ingebracht."))  # fmt: skip
    return Section(SAMENVATTING, "Samenvatting", tuple(blocks))


def _names(draden: Sequence[Draad]) -> str:
    """``bodemdaling, wateroverlast en nog drie``."""
    shown = [d.draad.phrase for d in draden[:NAMED]]
    more = len(draden) - len(shown)
    return join(shown + ([f"nog {number(more)}"] if more else []))


def _verbindingen_section(verbindingen: Sequence[Verbinding]) -> Section:
    title = "Verbindingen tussen thema's en rode draden"
    if not verbindingen:
        return Section(VERBINDINGEN, title, (Note("Nog geen rode draad die meer werkplaatsen delen."),))
    rows = tuple(
        TableRow((v.theme or "Zonder thema", v.draad,
                  '; '.join(v.titles), str(v.bijdragen)), v.provenance)
        for v in verbindingen
    )  # fmt: skip
    note = Note("Welk hoofdonderwerp (thema) van de werkplaatsen raakte aan welke rode draad, "
                "door welke werkplaatsen en met hoeveel bijdragen.")
    table = Table("verbindingen-thema-draad", "Thema's en rode draden",
                  ("Thema", "Rode draad", "Werkplaatsen", "Bijdragen"), rows)
    return Section(VERBINDINGEN, title, (note, table))


def _bijlage(records, clustering: Clustering, owner) -> Section:
    by_id = {r.id: r for r in records}
    rounds: dict[tuple[int, int], list[ContributionRecord]] = {}
    for r in records:  # already werkplaats by werkplaats, in bijlage order
        rounds.setdefault((owner[r.id].id, r.round_position), []).append(r)
    blocks: list = [Note(f"Alle {count(len(records), 'bijdrage', 'bijdragen')} bij deze kernvraag, "
                         "per werkplaats en gespreksronde, opnieuw genummerd.")]  # fmt: skip
    for (_wid, position), members in sorted(rounds.items(), key=lambda kv: kv[1][0].number):
        first = members[0]
        items = tuple(
            AppendixItem(
                number=r.number, contribution_id=r.id, round_position=r.round_position,
                text=squash(r.text), label=r.label, veld=r.veld, source=r.source,
                plus_ones=r.support, votes=r.votes, is_starred=r.is_starred, is_citaat=r.is_citaat,
                merged_into_number=(by_id[clustering.root_of(r.id)].number
                                    if clustering.root_of(r.id) != r.id else None),
            )  # fmt: skip
            for r in members
        )
        blocks.append(AppendixRound(
            position=position, prompt=squash(first.round_prompt),
            kernvraag_position=first.kernvraag_position, kernvraag_title=first.kernvraag_title,
            items=items, werkplaats_title=squash(owner[first.id].title),
        ))  # fmt: skip
    return Section(BIJLAGE, "Bijlage: de bijdragen", tuple(blocks))


def _head(programme, kernvraag, spec, werkplaatsen, records, owner) -> Head:
    organisations = {squash(r.organisation).casefold() for r in records
                     if r.organisation and squash(r.organisation)}  # fmt: skip
    velden = []
    for veld in sorted({r.veld for r in records if r.veld}, key=veld_sort_key):
        own = [r for r in records if r.veld == veld]
        velden.append(VeldCount(veld, len({r.participant_key for r in own if r.participant_key}), len(own)))
    return Head(
        werkplaats_id=0,
        title=f"{kernvraag}. {spec.title}",
        programme=squash(programme),
        participants=len({r.participant_key for r in records if r.participant_key}),
        organisations=len(organisations),
        velden=tuple(velden),
        contributions=len(records),
        rounds=len({(owner[r.id].id, r.round_position) for r in records}),
        unattributed=sum(1 for r in records if not r.participant_key),
        werkplaatsen=tuple(squash(w.title) for w in werkplaatsen),
    )


__all__ = ["EIGEN", "document"]
