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

from noviwerk.domain import ContributionRecord, Veld, WerkplaatsRecord
from noviwerk.synthesis import sections
from noviwerk.synthesis.document import (
    OVERIG,
    SAMENVATTING,
    Cluster,
    Document,
    Head,
    Note,
    PointList,
    Section,
    Sentence,
    VeldCount,
    format_date_nl,
    kernvraag_section_id,
)
from noviwerk.synthesis.phrasing import (
    as_sentence,
    count,
    join,
    number,
    shorten,
    squash,
    veld_phrase,
    without_end_stop,
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

SUMMARY_POINTS = 5
SUMMARY_MIN = 3
SUMMARY_PER_KERNVRAAG = 2
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
) -> Document:
    """The draft bouwsteen of ``werkplaats`` from its visible ``contributions``."""
    context = build_context(werkplaats, contributions)
    summary, weighty = _summary_points(context)
    parts: list[Section] = [_samenvatting(context, summary, weighty)]
    parts.extend(_kernvraag_sections(context))
    parts.append(sections.opgaven_kansen_dilemmas(context))
    parts.append(sections.verbindingen(context))
    parts.append(sections.citaten(context))
    parts.append(sections.afwijkende_geluiden(context, summarised=summary))
    parts.append(sections.bijlage(context))
    document = Document(
        title=f"Bouwsteen {squash(werkplaats.title)}",
        status_note=STATUS_NOTE,
        head=_head(context),
        sections=tuple(parts),
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


# --- samenvatting -------------------------------------------------------------------------


def _summary_points(context: Context) -> tuple[list[Point], bool]:
    """The points the samenvatting names, and whether any of them carried real weight.

    The heaviest points, at most two per kernvraag so that one lively round does not drown
    the rest. When too few carried weight (an early draft, a werkplaats without +1s), each
    kernvraag adds the contribution that shares most with the others in it.
    """
    chosen: list[Point] = []
    per_kernvraag: dict[int | None, int] = {}
    for p in context.points:
        if not p.carried_weight or len(chosen) == SUMMARY_POINTS:
            continue
        if per_kernvraag.get(p.kernvraag_position, 0) >= SUMMARY_PER_KERNVRAAG:
            continue
        chosen.append(p)
        per_kernvraag[p.kernvraag_position] = per_kernvraag.get(p.kernvraag_position, 0) + 1
    weighty = bool(chosen)
    if len(chosen) < SUMMARY_MIN:
        positions = sorted(
            {p.kernvraag_position for p in context.points}, key=lambda k: (k is None, k or 0)
        )
        for k in positions:
            if len(chosen) >= SUMMARY_POINTS:
                break
            candidates = [p for p in context.points_in(k) if p not in chosen]
            if candidates:
                chosen.append(
                    min(candidates, key=lambda p: (-_substance(context, p), p.first_number))
                )
        if weighty:
            chosen.sort(key=Point.rank_key)
        else:
            chosen.sort(key=lambda p: (p.kernvraag_position is None, p.kernvraag_position or 0))
    return chosen, weighty


def _substance(context: Context, point: Point) -> float:
    """Shared ground with the rest of the kernvraag, discounted for very short texts.

    A three-word contribution that names the werkplaats' theme overlaps with everything
    and says little; five content words or more count in full.
    """
    terms = len(context.clustering.analysed(point.representative.id).terms)
    return round(point.centrality * min(1.0, terms / 5), 9)


def evidence(point: Point) -> str:
    """``ingebracht door vier deelnemers uit drie velden, twee keer onderschreven …``."""
    said = f"ingebracht door {count(point.voices, 'deelnemer', 'deelnemers')}"
    if len(point.velden) >= 2:
        said += f" uit {number(len(point.velden))} velden"
    parts = [said]
    if point.plus_ones:
        parts.append(f"{number(point.plus_ones)} keer onderschreven")
    if point.votes:
        parts.append(f"gesteund met {count(point.votes, 'stem', 'stemmen')}")
    if point.is_starred:
        parts.append("door de facilitator gemarkeerd")
    return join(parts)


def _kernvraag_ref(context: Context, position: int | None) -> str:
    if position is None:
        return "overige inbreng"
    spec = context.kernvragen.get(position)
    return f"kernvraag {position}" + (f", {spec.title.lower()}" if spec else "")


def _samenvatting(context: Context, chosen: list[Point], weighty: bool) -> Section:
    blocks: list[Note | PointList] = []
    if not context.records:
        blocks.append(Note("Er zijn nog geen bijdragen."))
        return Section(SAMENVATTING, "Samenvatting", tuple(blocks))
    rounds = len({r.round_position for r in context.records})
    known = len({r.participant_key for r in context.records if r.participant_key})
    lead = (
        f"In {count(rounds, 'gespreksronde', 'gespreksronden')} kwamen "
        f"{count(len(context.records), 'bijdrage', 'bijdragen')} binnen"
    )
    if known:
        lead += f" van {count(known, 'deelnemer', 'deelnemers')}"
        unattributed = sum(1 for r in context.records if not r.participant_key)
        if unattributed:
            lead += f", plus {number(unattributed)} van de flap of mondeling ingebracht"
    lead += "."
    if weighty:
        lead += (
            " Deze punten wogen het zwaarst: het vaakst ingebracht, het meest "
            "onderschreven of door de facilitator gemarkeerd."
        )
    else:
        lead += (
            " Geen punt werd (nog) door meer dan één deelnemer ingebracht of gesteund; "
            "hieronder per kernvraag de inbreng die het meest raakt aan die van anderen."
        )
    blocks.append(Note(lead))
    items = []
    for p in chosen:
        wording = without_end_stop(shorten(without_lead_in(p.representative.text), 220))
        text = (
            f"{wording[:1].upper()}{wording[1:]} \u2014 {evidence(p)} "
            f"({_kernvraag_ref(context, p.kernvraag_position)})."
        )
        items.append(Sentence(text, p.provenance))
    if items:
        blocks.append(PointList(tuple(items)))
    known = {r.veld for r in context.records if r.veld}
    missing = [v for v in Veld.values() if v not in known]
    if known and missing:
        blocks.append(
            Note(
                f"Geen inbreng uit {join([veld_phrase(v) for v in missing])}; "
                "houd daar rekening mee bij het lezen."
            )
        )
    return Section(SAMENVATTING, "Samenvatting", tuple(blocks))


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
        members = [m for p in points for m in p.members]
        summary = f"{count(len(members), 'bijdrage', 'bijdragen')}"
        if any(m.participant_key for m in members):
            summary += f" van {count(voices(members), 'deelnemer', 'deelnemers')}"
        summary += f", samengebracht in {count(len(points), 'punt', 'punten')}."
        blocks.append(Note(summary[:1].upper() + summary[1:]))
        blocks.extend(cluster_block(context, p) for p in points)
        out.append(Section(section_id, title, tuple(blocks)))
    return out


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


__all__ = ["NoRewriter", "Rewriter", "assemble", "cluster_block", "evidence"]
