"""The bouwsteen's section on afwijkende geluiden.

**Afwijkende geluiden** are minority views that a summary would lose. A contribution that
did not make the samenvatting, and whose own point was raised by at most two participants,
is listed when one of these holds (strongest first):

1. *Contrast with a main point.* It is about the same thing as a point raised by several
   participants (cosine with that point's centroid at least ``TOPIC_MIN``) yet says the
   opposite: it is negated where the point is not (or the reverse), or it uses a contrast
   marker ("juist", "integendeel", "in plaats van", "oneens"…). Also a member of a main
   point whose negation differs from the rest of that point.
2. *A veld otherwise unheard.* It comes from a veld none of whose contributions made it into
   a point with two or more participants (at most two per veld, the most central first).
3. *A lone contrary voice.* It uses a strong contrast marker, without matching a main point.

At most ``MAX_DISSENT`` are listed. The heuristic is a prompt for the trekker, not a verdict.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.document import AFWIJKENDE_GELUIDEN, Note, PointList, Section, Sentence
from noviwerk.synthesis.phrasing import count, quoted, shorten, veld_phrase
from noviwerk.synthesis.points import Context, Point, provenance_of, veld_sort_key
from noviwerk.synthesis.text import without_lead_in

TOPIC_MIN = 0.2
MAX_DISSENT = 8
MAX_PER_VELD = 2


@dataclass(frozen=True)
class _Dissent:
    score: int
    record: ContributionRecord
    text: str


def afwijkende_geluiden(context: Context, *, summarised: list[Point]) -> Section:
    found: dict[int, _Dissent] = {}

    def offer(d: _Dissent) -> None:
        current = found.get(d.record.id)
        if current is None or d.score > current.score:
            found[d.record.id] = d

    cl = context.clustering
    in_summary = {p.cluster_id for p in summarised}
    main: dict[int | None, list[Point]] = defaultdict(list)
    block_sizes = Counter(p.kernvraag_position for p in context.points for _ in p.members)
    for p in context.points:
        if p.voices >= 3 or (p.voices >= 2 and block_sizes[p.kernvraag_position] < 20):
            main[p.kernvraag_position].append(p)

    # 1a. A member of a main point whose negation differs from most of that point.
    for p in (q for qs in main.values() for q in qs):
        roots = [context.by_id[r] for r in p.group.root_ids]
        negated = Counter(cl.analysed(r.id).negated for r in roots)
        if len(negated) < 2 or negated[True] == negated[False]:
            continue
        majority = negated[True] > negated[False]
        for r in roots:
            if cl.analysed(r.id).negated != majority:
                offer(_Dissent(4, r, _against(p, r)))

    # 1b and 3. Small points that turn a main point around, or stand against the room.
    heard_velden: set[str] = set()
    for p in context.points:
        if p.voices >= 2:
            heard_velden.update(m.veld for m in p.members if m.veld)
    # Only main points that share a term with a contribution can be about the same thing.
    main_by_term: dict[tuple[int | None, str], list[Point]] = defaultdict(list)
    for k, qs in main.items():
        for q in qs:
            for term in {t for rid in q.group.root_ids for t in cl.term_set(rid)}:
                main_by_term[(k, term)].append(q)
    for p in context.points:
        if p.voices > 2 or p.cluster_id in in_summary:
            continue
        for rid in p.group.root_ids:
            r = context.by_id[rid]
            a = cl.analysed(rid)
            best: tuple[float, Point] | None = None
            near = {
                q.cluster_id: q
                for t in cl.term_set(rid)
                for q in main_by_term.get((p.kernvraag_position, t), ())
            }
            for q in sorted(near.values(), key=Point.rank_key):
                if q is p:
                    continue
                sim = cl.similarity_to_group(rid, q.group)
                if sim >= TOPIC_MIN and (best is None or sim > best[0]):
                    best = (sim, q)
            if best is not None:
                q = best[1]
                q_negated = Counter(cl.analysed(x).negated for x in q.group.root_ids)
                q_is_negated = q_negated[True] > q_negated[False]
                if a.negated != q_is_negated or a.strong_contrast:
                    offer(_Dissent(3 + (1 if a.strong_contrast else 0), r, _against(q, r)))
                    continue
            if a.strong_contrast:
                offer(
                    _Dissent(
                        1 + (1 if a.negated else 0),
                        r,
                        f"Een tegengeluid: {quoted(r.text)}{_from(r)}.",
                    )
                )

    # 2. Velden that are otherwise unheard: only meaningful once some points are shared.
    per_veld: dict[str, list[ContributionRecord]] = defaultdict(list)
    shared = any(p.voices >= 2 for p in context.points)
    for p in context.points if shared else ():
        if p.voices == 1 and p.cluster_id not in in_summary:
            for rid in p.group.root_ids:
                r = context.by_id[rid]
                if r.veld and r.veld not in heard_velden:
                    per_veld[r.veld].append(r)
    for veld in sorted(per_veld, key=veld_sort_key):
        ranked = sorted(per_veld[veld], key=lambda r: (-round(cl.centrality(r.id), 9), r.number))
        for r in ranked[:MAX_PER_VELD]:
            offer(
                _Dissent(
                    2,
                    r,
                    f"Uit {veld_phrase(veld)}, dat verder niet terugkomt in de "
                    f"gedeelde punten: {quoted(r.text)}.",
                )
            )

    chosen = sorted(found.values(), key=lambda d: (-d.score, d.record.number))[:MAX_DISSENT]
    chosen.sort(key=lambda d: d.record.number)
    blocks: list[Note | PointList] = []
    if chosen:
        blocks.append(
            Note(
                "Minderheidsgeluiden en tegengeluiden die in een samenvatting "
                "makkelijk verdwijnen. Automatisch gevonden: weeg ze zelf."
            )
        )
        items = []
        for d in chosen:
            items.append(Sentence(d.text, provenance_of(context.copies(d.record.id))))
        blocks.append(PointList(tuple(items)))
    else:
        blocks.append(
            Note(
                "Er zijn geen duidelijk afwijkende geluiden herkend; de bijlage bevat alle inbreng."
            )
        )
    return Section(AFWIJKENDE_GELUIDEN, "Afwijkende geluiden", tuple(blocks))


def _from(record: ContributionRecord) -> str:
    return f" (uit {veld_phrase(record.veld)})" if record.veld else ""


def _against(point: Point, record: ContributionRecord) -> str:
    said = quoted(shorten(without_lead_in(point.representative.text), 100))
    who = count(point.voices, "deelnemer", "deelnemers")
    return f"Tegenover {said} ({who}) klonk ook: {quoted(record.text)}{_from(record)}."
