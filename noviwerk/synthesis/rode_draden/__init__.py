"""Rode draden: the themes that recur across a set of contributions, named as a person would.

One engine for any set: a round, a werkplaats, a tafel or a programme's many werkplaatsen.
It builds on the clustering (near-duplicates within a kernvraag) and groups clusters across
kernvragen by the content word they share:

1. Every cluster is described by its content terms, as the clustering's vocabulary counts
   them (typos and inflections smoothed, compounds also counting as their parts, so that
   "bodemdalingsprobleem" is about "bodemdaling").
2. Greedily, the term shared by the most contributions (bonus for spreading over kernvragen)
   seeds a rode draad; every cluster not yet taken that names it joins. A term cannot seed
   when it only restates the topic (the werkplaats' title), is said by more than half of
   all contributions, reads as a verb, or stands as an adjective without its noun.
3. The label is the seed as the members wrote it (their surface form, not a stem): with the
   adjective they put before it when most do ("Regionale bereikbaarheid"), and with a second
   word when nearly every member names that too ("Energie en water"). Two rode draden that
   come out with one label are one rode draad.

Greedy picking on counts is deterministic and local: a new contribution changes only the
counts of its own words, so unrelated rode draden keep their members and labels.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.cluster import Clustering, cluster_contributions
from noviwerk.synthesis.phrasing import as_sentence, capitalise, shorten
from noviwerk.synthesis.rode_draden.lexicon import Lexicon, lexicon, topic_terms
from noviwerk.synthesis.rode_draden.naming import also_named, label_for
from noviwerk.synthesis.text import NEGATIONS, Analysed, fold, without_lead_in, words
from noviwerk.synthesis.vocabulary import compound_parts
from noviwerk.synthesis.wordclass import verb_label

MAX_RODE_DRADEN = 8
MIN_CONTRIBUTIONS = 2
GENERIC_SHARE = 0.5  # a word more than half of all contributions use is the topic, not a theme
VOICE_WEIGHT = 2.0  # what one more participant adds to a point's or a theme's weight
STAR_WEIGHT = 3.0  # what the facilitator's star adds
KERNVRAAG_BONUS = 0.75  # a theme that returns in another kernvraag is more of a rode draad
WORDING_LIMIT = 220


@dataclass(frozen=True)
class RodeDraad:
    label: str  # a noun phrase, capitalised: "Regionale bereikbaarheid"
    phrase: str  # the same inside a sentence: "regionale bereikbaarheid", "Gouda"
    members: tuple[int, ...]  # contribution ids, merged copies included, in bijlage order
    representative_id: int
    wording: str  # the representative's words, as a sentence
    bijdragen: int
    deelnemers: int  # distinct participants; one without a key counts once
    unattributed: int  # contributions without a participant key (flap, mondeling, import)
    velden: tuple[str, ...]
    kernvragen: tuple[int, ...]  # positions the members answered (rounds without one: none)
    steun: int  # +1s and votes
    is_starred: bool
    weight: float
    terms: tuple[str, ...]  # the vocabulary terms that bind it, seed first
    also: tuple[str, ...] = ()  # other nouns several members name, as they wrote them
    contrary: tuple[int, ...] = ()  # contributions that turn its stance ("geen windmolens")

    @property
    def spans_kernvragen(self) -> bool:
        return len(self.kernvragen) >= 2


@dataclass
class _Unit:
    """One cluster: the contributions that make one point, seen as a bag of terms."""

    ids: tuple[int, ...]
    roots: tuple[int, ...]
    terms: frozenset[str]  # what it is about, compounds' parts included
    whole: frozenset[str]  # the words it says itself
    kernvragen: frozenset[int | None]  # of its contributions
    backing: int  # their +1s and dots


def rode_draden(
    records: Sequence[ContributionRecord],
    *,
    clustering: Clustering | None = None,
    topic: str = "",
    limit: int = MAX_RODE_DRADEN,
    lex: Lexicon | None = None,
) -> tuple[RodeDraad, ...]:
    """The rode draden of ``records``, heaviest first.

    ``clustering`` saves clustering again when the caller has it, and ``lex`` (made from the
    same records and clustering) the vocabulary; ``topic`` (a werkplaats' title, a
    programme's theme) names words that every contribution is about anyway.
    """
    by_id: dict[int, ContributionRecord] = {}
    for r in sorted(records, key=lambda r: (r.number, r.id)):
        by_id.setdefault(r.id, r)
    if not by_id:
        return ()
    records = tuple(by_id.values())
    if clustering is None:
        clustering = cluster_contributions(records)
    lex = lex or lexicon(by_id, clustering)
    root_ids, analysed, canonical = lex.root_ids, lex.analysed, lex.canonical
    term_parts, whole, about = lex.term_parts, lex.whole, lex.about

    units = [
        _Unit(
            g.ids,
            g.root_ids,
            _characteristic(g.root_ids, about),
            _characteristic(g.root_ids, whole),
            frozenset(by_id[i].kernvraag_position for i in g.ids),
            sum(by_id[i].backing for i in g.ids),
        )
        for g in clustering.groups
    ]
    df: Counter[str] = Counter()
    for rid in root_ids:
        df.update(about[rid])
    generic = {t for t, d in df.items() if d > GENERIC_SHARE * len(root_ids)}
    if len(root_ids) < 6:
        generic = set()
    topical = topic_terms(topic, canonical)
    # "Luchtkwaliteit in de Stad": "lucht" is no theme of its own there, but the topic again.
    topical |= {p for t in topical for p in term_parts.get(t, ())}
    topical |= {p for ps in compound_parts(map(fold, words(topic)), canonical).values() for p in ps}
    words_of = lex.words_of

    postings: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        for t in u.terms:
            postings[t].append(i)
    # A room that said one thing uses its words in every post: then those words are the
    # theme, not the topic ("no rode draden" over twelve equal posts would be false).
    if generic and _best_seed(postings, units, set(), generic | topical, by_id) is None:
        generic = set()
    taken: set[int] = set()
    refused: set[str] = set(generic) | topical
    found: list[tuple[str, list[int], str, list[int]]] = []  # label, units, seed, contrary
    while len(found) < limit:
        best = _best_seed(postings, units, taken, refused, by_id)
        if best is None:
            break
        seed, members = best
        # Agreement and disagreement on one subject are two things: the minority stance is
        # left out (an afwijkend geluid, not a voice for the rode draad) and counts nowhere.
        members, contrary = _one_stance(members, units, analysed, canonical, seed)
        if sum(len(units[i].ids) for i in members) < MIN_CONTRIBUTIONS or (
            voices(by_id[c] for i in members for c in units[i].ids) < 2
        ):
            refused.add(seed)
            continue
        label = label_for(
            seed,
            [r for i in members for r in units[i].roots],
            words_of,
            about,
            generic | topical,
            term_parts,
        )
        said = [by_id[r].text for i in members for r in units[i].roots]
        if label is None or verb_label(label, said):
            refused.add(seed)
            continue
        taken.update(members)
        taken.update(contrary)
        # "bodem" remarks belong with "bodemdaling": a seed that is part of another's word.
        same = next(
            (
                f
                for f in found
                if fold(f[0]) == fold(label) or seed in term_parts.get(f[2], ()) or f[2].startswith(seed)
            ),
            None,
        )
        if same is not None:
            same[1].extend(members)
            same[3].extend(contrary)
        else:
            found.append((label, list(members), seed, list(contrary)))

    out = [
        _rode_draad(label, sorted(ms), seed, units, by_id, analysed, about, words_of, against)
        for label, ms, seed, against in found
    ]
    out.sort(key=lambda d: (-d.weight, -d.bijdragen, min(by_id[i].number for i in d.members)))
    return tuple(out)


def _one_stance(
    members: list[int],
    units: Sequence[_Unit],
    analysed: Mapping[int, Analysed],
    canonical: Mapping[str, str],
    seed: str,
) -> tuple[list[int], list[int]]:
    """The clusters that take the majority's stance on ``seed``, and those that turn it.

    A text turns it when it sets itself against something ("juist", "onzin") or puts a
    negation just before the word ("geen windmolens"); "wateroverlast is niet altijd te
    voorkomen" is about wateroverlast, not against it. A cluster takes its texts' majority
    stance. On a tie the plain statement stands; the negation answers it.
    """

    def turned(rid: int) -> bool:
        a = analysed[rid]
        # "X in plaats van Y" is for X: only a contrast that sets the text against something.
        if any(c != "in plaats van" for c in a.strong_contrast):
            return True
        for token, _, i in a.terms:
            if canonical.get(token) == seed or seed in canonical.get(token, ""):
                return any(t in NEGATIONS for t in a.tokens[max(0, i - 2) : i])
        return False

    stance: dict[int, bool] = {}
    weight: Counter[bool] = Counter()
    for i in members:
        n = sum(1 for r in units[i].roots if turned(r))
        stance[i] = 2 * n > len(units[i].roots)
        weight[stance[i]] += len(units[i].ids)
    majority = weight[True] > weight[False]
    keep = [i for i in members if stance[i] == majority]
    return keep, [i for i in members if stance[i] != majority]


def _characteristic(roots: Sequence[int], about: Mapping[int, Set[str]]) -> frozenset[str]:
    """The terms at least half of a cluster's texts name: an aside in one of a hundred
    paraphrases must not carry the whole cluster into another theme."""
    if len(roots) == 1:
        return frozenset(about[roots[0]])
    n = Counter(t for r in roots for t in about[r])
    return frozenset(t for t, k in n.items() if 2 * k >= len(roots))


def _best_seed(
    postings: dict[str, list[int]],
    units: Sequence[_Unit],
    taken: set[int],
    refused: set[str],
    by_id: dict[int, ContributionRecord],
) -> tuple[str, list[int]] | None:
    """The term that binds most free contributions, and the clusters it binds.

    A term is counted where it is said as a word of its own, so that "wateroverlast" seeds
    before the "water" inside every compound; the clusters that join include those that
    only say it inside a compound ("bodemdalingsprobleem" joins "bodemdaling").
    """
    best: tuple[float, int, str] | None = None
    best_members: list[int] = []
    for term, unit_ids in postings.items():
        if term in refused or term.isdigit() or len(term) < 3:
            continue
        free = [i for i in unit_ids if i not in taken]
        n = sum(len(units[i].ids) for i in free if term in units[i].whole)
        if n < MIN_CONTRIBUTIONS:
            continue
        kernvragen = set().union(*(units[i].kernvragen for i in free))
        backing = sum(units[i].backing for i in free)
        score = n + KERNVRAAG_BONUS * (len(kernvragen) - 1) + 0.25 * backing
        key = (-score, -len(term), term)  # on a tie the more specific word
        if best is not None and key >= best:
            continue  # whoever says it, it does not win
        if voices(by_id[c] for i in free for c in units[i].ids) < 2:
            continue  # one person repeating themselves is not a rode draad
        best, best_members = key, free
    return None if best is None else (best[2], best_members)


def _rode_draad(
    label, unit_ids, seed, units, by_id, analysed, about, words_of, against
) -> RodeDraad:
    ids = sorted({c for i in unit_ids for c in units[i].ids}, key=lambda c: by_id[c].number)
    members = [by_id[c] for c in ids]
    roots = [r for i in unit_ids for r in units[i].roots]
    common = Counter(t for r in roots for t in about[r])
    shared = {t for t, n in common.items() if n >= 2}

    def fit(rid: int) -> tuple:
        r = by_id[rid]
        text = without_lead_in(r.text)
        return (
            -r.backing,
            seed not in about[rid],
            -len(about[rid] & shared),
            len(text) > WORDING_LIMIT,
            r.number,
        )

    rep = min(roots, key=fit)
    return RodeDraad(
        label=capitalise(label),
        phrase=label,
        members=tuple(ids),
        representative_id=rep,
        wording=as_sentence(shorten(without_lead_in(by_id[rep].text), WORDING_LIMIT)),
        **weighed(members),
        terms=(seed, *sorted(t for t, n in common.items() if n >= 2 and t != seed)[:4]),
        also=also_named(label, seed, roots, common, words_of),
        contrary=tuple(
            sorted({c for i in against for c in units[i].ids}, key=lambda c: by_id[c].number)
        ),
    )


def weighed(members: Sequence[ContributionRecord]) -> dict[str, object]:
    """A rode draad's counts and weight from its members (the engine's, and again after the
    trekker merged or moved contributions): bijdragen, deelnemers, velden, kernvragen, steun."""
    kernvragen = sorted({m.kernvraag_position for m in members if m.kernvraag_position})
    steun = sum(m.backing for m in members)
    starred = any(m.is_starred for m in members)
    n_voices = voices(members)
    velden = Counter(m.veld for m in members if m.veld)
    return {
        "bijdragen": len(members),
        "deelnemers": n_voices,
        "unattributed": sum(1 for m in members if not m.participant_key),
        "velden": tuple(sorted(velden, key=lambda v: (-velden[v], v))),
        "kernvragen": tuple(kernvragen),
        "steun": steun,
        "is_starred": starred,
        "weight": VOICE_WEIGHT * n_voices
        + steun
        + (STAR_WEIGHT if starred else 0.0)
        + KERNVRAAG_BONUS * max(0, len(kernvragen) - 1),
    }


def voices(records: Iterable[ContributionRecord]) -> int:
    """Distinct participants; each contribution without a participant key counts once."""
    keys: set[str] = set()
    anonymous = 0
    for r in records:
        if r.participant_key:
            keys.add(r.participant_key)
        else:
            anonymous += 1
    return len(keys) + anonymous


__all__ = [
    "MAX_RODE_DRADEN", "STAR_WEIGHT", "VOICE_WEIGHT", "RodeDraad", "rode_draden", "voices", "weighed",
]
