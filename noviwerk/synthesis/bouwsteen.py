"""Assemble a draft bouwsteen from the contributions of one werkplaats.

``assemble`` is pure and deterministic: the same werkplaats and contributions give the same
Document, whenever and however often it is run (also mid-session). The draft follows the
bouwstenen of the Werkplaats NOVI: kop, samenvatting, the answers per kernvraag, opgaven,
kansen en dilemma's, verbindingen, citaten, afwijkende geluiden and the full bijlage. Every
sentence points back to the contributions behind it.

A ``Rewriter`` may polish the machine's Dutch afterwards (none is built in, and none runs
unless one is passed); it must keep every passage's provenance and the bijlage as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Protocol

from noviwerk.domain import ContributionRecord, WerkplaatsRecord
from noviwerk.synthesis import sections
from noviwerk.synthesis.document import (
    OVERIG,
    Cluster,
    Document,
    DraadEdit,
    Head,
    Note,
    Section,
    Sentence,
    VeldCount,
    kernvraag_section_id,
)
from noviwerk.synthesis.draad_edits import apply_edits
from noviwerk.synthesis.phrasing import (
    as_sentence,
    capitalise,
    count,
    format_date_nl,
    number,
    squash,
)
from noviwerk.synthesis.points import (
    Context,
    Point,
    build_context,
    provenance_of,
    veld_sort_key,
    voices,
)
from noviwerk.synthesis.text import without_lead_in

VARIANTS_SHOWN = 3

REFERENCES = "De nummers tussen haken verwijzen naar de bijlage."
STATUS_NOTE = (
    f"Concept, automatisch samengesteld uit de bijdragen aan de werkplaats. {REFERENCES} "
    "Controleer en bewerk de tekst voordat u hem deelt."
)


def at_stage(document: Document, stage: str, by: str = "", on: date | None = None) -> Document:
    """``document`` as its bouwsteen stands, for an export: a verslag or a gereed bouwsteen
    must not print "Concept ... controleer en bewerk de tekst" on every page. ``by`` and
    ``on`` say who declared it gereed, and when."""
    if stage == "concept":
        return replace(document, stage=stage, status_note=STATUS_NOTE)
    if stage == "verslag":
        note = ("Verslag van de werkplaats, samengesteld uit de bijdragen en bewerkt door de "
                f"trekker; nog niet vastgesteld. {REFERENCES}")
    elif stage == "gereed":
        signed = "".join(part for part in (f" door {by}" if by else "",
                                           f" op {format_date_nl(on)}" if on else ""))
        note = f"Vastgesteld{signed}. {REFERENCES}"
    else:
        raise ValueError(f"unknown stage: {stage!r}")
    return replace(document, stage=stage, status_note=note)


class Rewriter(Protocol):
    """Polishes a draft's wording. Must keep provenance, section ids and the bijlage intact."""

    def rewrite(self, document: Document) -> Document: ...


class NoRewriter:
    """The default: leaves the machine's draft as it is."""

    def rewrite(self, document: Document) -> Document:
        return document


def assemble(
    werkplaats: WerkplaatsRecord,
    contributions: Sequence[ContributionRecord],
    *,
    rewriter: Rewriter | None = None,
    draad_edits: Sequence[DraadEdit] = (),
) -> Document:
    """The draft bouwsteen of ``werkplaats`` from its visible ``contributions``, its rode
    draden (and so the samenvatting) shaped as the trekker chose (``draad_edits``)."""
    context = build_context(werkplaats, contributions)
    if draad_edits:
        context.rode_draden = apply_edits(context.rode_draden, draad_edits, context.by_id)
    summary, quoted_points = sections.samenvatting(context)
    parts: list[Section] = [summary, sections.rode_draden_section(context)]
    parts.extend(_kernvraag_sections(context))
    parts.append(sections.opgaven_kansen_dilemmas(context))
    parts.append(sections.verbindingen(context))
    parts.append(sections.citaten(context))
    parts.append(sections.afwijkende_geluiden(context, summarised=quoted_points))
    parts.append(sections.bijlage(context))
    document = Document(
        title=f"Bouwsteen {squash(werkplaats.title)}",
        status_note=STATUS_NOTE,
        head=_head(context),
        sections=tuple(parts),
        draad_edits=tuple(draad_edits),
    )
    if rewriter is not None:
        rewritten = rewriter.rewrite(document)
        if tuple(rewritten.appendix_items()) != tuple(document.appendix_items()):
            raise ValueError("a rewriter must leave the bijlage as it is")
        document = rewritten
    return document


# --- kop ----------------------------------------------------------------------------------


def _head(context: Context) -> Head:
    w = context.werkplaats
    records = context.records
    organisations = {
        squash(r.organisation).casefold()
        for r in records
        if r.organisation and squash(r.organisation)
    }
    velden: list[VeldCount] = []
    for veld in sorted({r.veld for r in records if r.veld}, key=veld_sort_key):
        own = [r for r in records if r.veld == veld]
        velden.append(
            VeldCount(veld, len({r.participant_key for r in own if r.participant_key}), len(own))
        )
    return Head(
        werkplaats_id=w.id,
        title=squash(w.title),
        programme=squash(w.programme),
        date=w.starts_on,
        place=w.place,
        organisation=w.organisation,
        trekker=w.trekker,
        theme=w.theme,
        kind=w.kind,
        participants=len({r.participant_key for r in records if r.participant_key}),
        organisations=len(organisations),
        velden=tuple(velden),
        contributions=len(records),
        rounds=len({r.round_position for r in records}),
        unattributed=sum(1 for r in records if not r.participant_key),
    )


# --- per kernvraag ------------------------------------------------------------------------


def _kernvraag_sections(context: Context) -> list[Section]:
    positions = sorted(
        {p.kernvraag_position for p in context.points}, key=lambda k: (k is None, k or 0)
    )
    out: list[Section] = []
    for k in positions:
        points = context.points_in(k)
        blocks: list[Note | Cluster] = []
        if k is None:
            section_id, title = OVERIG, "Overige inbreng"
        else:
            spec = context.kernvragen.get(k)
            section_id = kernvraag_section_id(k)
            title = f"Kernvraag {k}: {spec.title}" if spec else f"Kernvraag {k}"
            if spec and spec.question:
                blocks.append(Note(spec.question))
        shared = [p for p in points if len(p.members) > 1 or p.carried_weight]
        single = [p for p in points if not (len(p.members) > 1 or p.carried_weight)]
        blocks.append(Note(_kernvraag_count(points, shared, single)))
        blocks.extend(cluster_block(context, p) for p in shared)
        if single:
            # One post, one voice: listed as said, in bijlage order, not counted as a "punt".
            # They stay Cluster blocks (shown without a label by every export) so that their
            # anchors, the CSV's cluster columns and the ansichtkaart's terms keep them.
            if shared:
                blocks.append(Note("Verder genoemd:"))
            single.sort(key=lambda p: p.first_number)
            blocks.extend(cluster_block(context, p) for p in single)
        out.append(Section(section_id, title, tuple(blocks)))
    return out


def _kernvraag_count(points: list[Point], shared: list[Point], single: list[Point]) -> str:
    """``Zes bijdragen van vijf deelnemers: twee punten die vaker terugkwamen of steun
    kregen, en drie keer één keer genoemd.``"""
    members = [m for p in points for m in p.members]
    text = count(len(members), "bijdrage", "bijdragen")
    if any(m.participant_key for m in members):
        text += f" van {count(voices(members), 'deelnemer', 'deelnemers')}"
    if shared:
        verbs = "terugkwamen of steun kregen" if len(shared) > 1 else "terugkwam of steun kreeg"
        text += f": {count(len(shared), 'punt dat', 'punten die')} vaker {verbs}"
        if single:
            text += f", en {number(len(single))} verder genoemd"
    elif len(single) > 1:
        text += ", elk één keer genoemd"
    return capitalise(text) + "."


def cluster_block(context: Context, point: Point) -> Cluster:
    return Cluster(
        id=point.cluster_id,
        kernvraag_position=point.kernvraag_position,
        label=point.label,
        wording=as_sentence(without_lead_in(point.representative.text)),
        participants=point.voices,
        contributions=len(point.members),
        plus_ones=point.plus_ones,
        votes=point.votes,
        support=point.support,
        is_starred=point.is_starred,
        members=tuple(m.id for m in point.members),
        provenance=point.provenance,
        representative_id=point.representative.id,
        variants=_variants(context, point),
        labels=point.labels,
        velden=point.velden,
    )


def _variants(context: Context, point: Point) -> tuple[Sentence, ...]:
    """Other wordings worth reading: not merged duplicates, not the same words again."""
    cl = context.clustering
    seen = {cl.term_set(point.representative.id)}
    candidates = [
        m for m in point.members if m.id != point.representative.id and m.merged_into is None
    ]
    candidates.sort(key=lambda m: (-(m.support + m.votes), m.number))
    out: list[Sentence] = []
    for m in candidates:
        terms = cl.term_set(m.id)
        if terms in seen or not terms:
            continue
        seen.add(terms)
        out.append(Sentence(as_sentence(m.text), provenance_of(context.copies(m.id))))
        if len(out) == VARIANTS_SHOWN:
            break
    return tuple(out)


__all__ = ["NoRewriter", "Rewriter", "assemble", "cluster_block"]
