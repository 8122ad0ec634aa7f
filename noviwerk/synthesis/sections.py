"""The later sections of a bouwsteen: opgaven·kansen·dilemma's, verbindingen, citaten,
afwijkende geluiden and the bijlage.

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
from itertools import combinations

from noviwerk.domain import ContributionRecord, Label, Source
from noviwerk.synthesis.document import (
    AFWIJKENDE_GELUIDEN,
    BIJLAGE,
    CITATEN,
    OPGAVEN_KANSEN_DILEMMAS,
    VERBINDINGEN,
    AppendixItem,
    AppendixRound,
    Note,
    PointList,
    Quote,
    Section,
    Sentence,
    Table,
    TableRow,
)
from noviwerk.synthesis.lexicon import THEMES, link_kinds_in, themes_in
from noviwerk.synthesis.phrasing import (
    as_sentence,
    capitalise,
    count,
    join,
    quoted,
    shorten,
    squash,
)
from noviwerk.synthesis.points import Context, Point, provenance_of, veld_sort_key, voices
from noviwerk.synthesis.text import fold, without_lead_in

TOPIC_MIN = 0.2
MAX_DISSENT = 8
MAX_PER_VELD = 2
MAX_LINK_ROWS = 10

_VELD_PHRASES = {
    "interdepartementaal": "het interdepartementale veld",
    "interbestuurlijk": "het interbestuurlijke veld",
    "kennis en advies": "het veld kennis en advies",
    "maatschappelijk": "het maatschappelijke veld",
}
_SOORTEN = (
    (Label.OPGAVE.value, "Opgave"),
    (Label.KANS.value, "Kans"),
    (Label.DILEMMA.value, "Dilemma"),
)


def veld_phrase(veld: str) -> str:
    return _VELD_PHRASES.get(veld, f"het veld {veld}")


# --- opgaven, kansen en dilemma's ---------------------------------------------------------


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


# --- verbindingen -------------------------------------------------------------------------


def _verbinding_kernvragen(context: Context) -> set[int]:
    named = {k for k, spec in context.kernvragen.items() if "verbind" in fold(spec.title)}
    if named:
        return named
    return {3} if not context.werkplaats.kernvragen else set()


@dataclass(frozen=True)
class _Link:
    point: Point
    themes: tuple[str, ...]
    kinds: tuple[str, ...]


def _links(context: Context) -> list[_Link]:
    kernvragen = _verbinding_kernvragen(context)
    out: list[_Link] = []
    for p in context.points:
        if p.kernvraag_position not in kernvragen and not any(
            m.label == Label.VERBINDING.value for m in p.members
        ):
            continue
        named: Counter[str] = Counter()
        for m in p.members:
            named.update(set(themes_in(m.text)))
        rep_themes = themes_in(p.representative.text)
        ordered = sorted(
            named,
            key=lambda t: (
                -named[t],
                t not in rep_themes,
                rep_themes.index(t) if t in rep_themes else 0,
                t,
            ),
        )
        themes = tuple(ordered[:3])
        kinds = link_kinds_in(p.representative.text, themes)
        labelled = any(m.label == Label.VERBINDING.value for m in p.members)
        if labelled or len(themes) >= 2 or kinds:
            out.append(_Link(p, themes, kinds))
    return out


def _names_all(wording: str, themes: tuple[str, ...]) -> bool:
    """Whether a text already opens by naming its themes ("Water en energie: …")."""
    opening = fold(wording.split(":")[0][:80])
    return all(f" {t} " in f" {opening} " for t in themes)


def verbindingen(context: Context) -> Section:
    links = _links(context)
    blocks: list[Note | Table | PointList] = []
    if not links:
        blocks.append(Note("Er zijn (nog) geen verbindingen ingebracht."))
        return Section(VERBINDINGEN, "Verbindingen", tuple(blocks))
    blocks.append(
        Note(
            "Betekenisvolle verbindingen tussen sectoren, regio's, schaalniveaus en "
            "in de tijd, zoals deelnemers ze legden."
        )
    )
    theme_order = {t: i for i, (t, _) in enumerate(THEMES)}
    pairs: dict[tuple[str, str], list[ContributionRecord]] = defaultdict(list)
    for link in links:
        for a, b in combinations(sorted(link.themes, key=theme_order.__getitem__), 2):
            pairs[(a, b)].extend(link.point.members)
    # A pair named once is in the list below already; the table shows what recurs.
    recurring = {pair: ms for pair, ms in pairs.items() if len({m.id for m in ms}) >= 2}
    if recurring:
        ranked = sorted(recurring.items(), key=lambda kv: (-len({m.id for m in kv[1]}), kv[0]))[
            :MAX_LINK_ROWS
        ]
        blocks.append(
            Table(
                id="verbonden-themas",
                caption="Verbonden thema's",
                columns=("Thema's", "Bijdragen"),
                rows=tuple(
                    TableRow((f"{a} \u2013 {b}", str(len({m.id for m in ms}))), provenance_of(ms))
                    for (a, b), ms in ranked
                ),
            )
        )
    items: list[Sentence] = []
    for link in links:
        wording = as_sentence(link.point.representative.text)
        # Two themes named is a link between sectoren; say only what that does not.
        extra = [k for k in link.kinds if k != "tussen sectoren"]
        kinds = f" ({join(extra)})" if extra else ""
        if len(link.themes) >= 2 and not _names_all(wording, link.themes):
            text = f"{capitalise(join(list(link.themes)))}{kinds}: {wording}"
        elif len(link.themes) >= 2:
            text = f"{wording[:-1]}{kinds}." if kinds and wording.endswith(".") else wording
        elif link.kinds:
            text = f"Verbinding {join(list(link.kinds))}: {wording}"
        else:
            text = wording
        if link.point.voices >= 2:
            text = (
                f"{text[:-1] if text.endswith('.') else text} "
                f"({count(link.point.voices, 'deelnemer', 'deelnemers')})."
            )
        items.append(Sentence(text, link.point.provenance))
    blocks.append(PointList(tuple(items)))
    return Section(VERBINDINGEN, "Verbindingen", tuple(blocks))


# --- citaten ------------------------------------------------------------------------------


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


# --- afwijkende geluiden ------------------------------------------------------------------


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


# --- bijlage ------------------------------------------------------------------------------


def bijlage(context: Context) -> Section:
    cl = context.clustering
    rounds: dict[int, list[ContributionRecord]] = defaultdict(list)
    for r in context.records:
        rounds[r.round_position].append(r)
    blocks: list[Note | AppendixRound] = [
        Note(
            f"Alle {count(len(context.records), 'bijdrage', 'bijdragen')}, per gespreksronde, "
            "in de volgorde waarin ze binnenkwamen."
        )
    ]
    for position in sorted(rounds):
        records = rounds[position]
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
            )
        )
    return Section(BIJLAGE, "Bijlage: alle bijdragen", tuple(blocks))
