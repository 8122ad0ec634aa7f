"""The bouwsteen's sections that give contributions as they were said: the citaten and
the bijlage with every contribution."""

from __future__ import annotations

from collections import defaultdict

from noviwerk.domain import ContributionRecord, Label, Source
from noviwerk.synthesis.document import (
    BIJLAGE,
    CITATEN,
    AppendixItem,
    AppendixRound,
    Note,
    Quote,
    Section,
)
from noviwerk.synthesis.phrasing import count, squash
from noviwerk.synthesis.points import Context, provenance_of


def attribution(record: ContributionRecord) -> str:
    who = "deelnemer" + (f", {record.veld}" if record.veld else "")
    if record.source in (Source.FLAP.value, Source.MONDELING.value):
        who += f" ({record.source})"
    return who


def citaten(context: Context) -> Section:
    quotes: list[Quote] = []
    quoted_roots: set[int] = set()
    for r in context.records:
        if not (r.is_citaat or r.label == Label.CITAAT.value):
            continue
        root = context.clustering.root_of(r.id)
        if root in quoted_roots:
            continue  # a merged copy of a quote already listed
        quoted_roots.add(root)
        copies = context.copies(root)
        quotes.append(
            Quote(
                squash(context.by_id[root].text),
                attribution(context.by_id[root]),
                provenance_of(copies),
            )
        )
    blocks: tuple[Note | Quote, ...] = (
        tuple(quotes) if quotes else (Note("Er zijn (nog) geen citaten gemarkeerd."),)
    )
    return Section(CITATEN, "Citaten", blocks)


def bijlage(context: Context) -> Section:
    cl = context.clustering
    # By round and, where the werkplaats split into tafels, by tafel within the round (the
    # bijlage's numbers run in that order: services.contributions).
    rounds: dict[tuple[int, str], list[ContributionRecord]] = defaultdict(list)
    for r in context.records:
        rounds[(r.round_position, r.tafel or "")].append(r)
    n = len(context.records)
    if n == 0:
        intro = "Er zijn nog geen bijdragen."
    elif n == 1:
        intro = "De ene bijdrage, zoals ze binnenkwam."
    else:
        per = "per gespreksronde en per tafel" if any(t for _p, t in rounds) else "per gespreksronde"
        intro = (f"Alle {count(n, 'bijdrage', 'bijdragen')}, {per}, "
                 "in de volgorde waarin ze binnenkwamen.")
    blocks: list[Note | AppendixRound] = [Note(intro)]
    for key in sorted(rounds, key=lambda k: (k[0], min(r.number for r in rounds[k]))):
        position, tafel = key
        records = rounds[key]
        first = records[0]
        items = []
        for r in records:
            root = cl.root_of(r.id)
            items.append(
                AppendixItem(
                    number=r.number,
                    contribution_id=r.id,
                    round_position=r.round_position,
                    text=squash(r.text),
                    label=r.label,
                    veld=r.veld,
                    source=r.source,
                    plus_ones=r.support,
                    votes=r.votes,
                    is_starred=r.is_starred,
                    is_citaat=r.is_citaat,
                    merged_into_number=context.by_id[root].number if root != r.id else None,
                    cluster_id=context.point_of[r.id].cluster_id,
                )
            )
        kernvraag = first.kernvraag_position
        spec = context.kernvragen.get(kernvraag) if kernvraag is not None else None
        blocks.append(
            AppendixRound(
                position=position,
                prompt=squash(first.round_prompt),
                kernvraag_position=kernvraag,
                kernvraag_title=spec.title if spec else first.kernvraag_title,
                items=tuple(items),
                tafel=tafel,
            )
        )
    return Section(BIJLAGE, "Bijlage: alle bijdragen", tuple(blocks))
