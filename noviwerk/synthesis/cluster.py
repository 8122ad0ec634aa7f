"""Group contributions that make the same point (near-duplicates and paraphrases).

How, in order, and why:

1. **Words.** Each text becomes Dutch content words (``text.analyse``): folded accents,
   stop words out.
2. **Vocabulary smoothing** (``vocabulary``), once per werkplaats, over the distinct words
   rather than over pairs of texts (so it stays cheap): a rare word within a small edit
   distance of a more common one is a typo of it (``bodemdailng`` → ``bodemdaling``); words
   go to their lemma (simplemma: ``steden`` → ``stad``), adjectives to the noun they are
   made from (``regionale`` → ``regio``, ``stedelijke`` → ``stad``), a few domain synonyms
   are joined (boeren/agrariërs); Snowball stems; a stem that is another plus an inflection
   ending is the same word (``windmolen``/``windmol``).
3. **Compounds.** Dutch glues words together; a word that splits into words of wordfreq's
   Dutch list also counts, at half weight, as its parts (``energietransitie`` says something
   about ``energie``, ``subsidieregels`` about ``regels``).
4. **Weights.** TF-IDF over the werkplaats: a word everyone uses says little about which
   point is made. Presence counts, not frequency (in a sentence or two, a repeated word is
   style), and a word no other contribution uses is damped (``HAPAX_WEIGHT``): it cannot
   make two texts alike, only push paraphrases apart. Sparse dicts, L2-normalised.
5. **Similarity** is the cosine, computed only for pairs that share a term (an inverted index
   per block), and cut to a quarter when the texts' stances differ (``Analysed.stance``:
   "zonneweides op landbouwgrond zijn prima" and "… zijn geen goed idee" share every subject
   word and make opposite points), so such a pair never forms a group on its own.
6. **Grouping** is average-linkage agglomeration within a block (one block per kernvraag):
   repeatedly join the two groups with the highest mean pairwise similarity, while that mean
   is at least ``threshold``. Pairs below ``EDGE_FLOOR`` count as 0. Ties break on the lowest
   index, so the result depends only on the input, never on timing or hashing.

A contribution merged by the facilitator (``merged_into``) is not clustered by its own text:
it joins the group of the contribution it was merged into, and counts there.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.labels import key_terms
from noviwerk.synthesis.text import Analysed, analyse
from noviwerk.synthesis.vocabulary import compound_parts, vocabulary

DEFAULT_THRESHOLD = 0.3
EDGE_FLOOR = 0.12
STANCE_PENALTY = 0.25
REPRESENTATIVE_MARGIN = 0.1
COMPOUND_PART_WEIGHT = 0.5
HAPAX_WEIGHT = 0.6


BlockKey = tuple[str, int]


def block_key(c: ContributionRecord) -> tuple[str, int]:
    """Clusters never cross kernvragen; contributions without one stay within their round."""
    if c.kernvraag_position is not None:
        return ("kernvraag", c.kernvraag_position)
    return ("ronde", c.round_position)


@dataclass(frozen=True)
class Group:
    key: BlockKey
    ids: tuple[int, ...]  # every member, merged ones included, in bijlage order
    root_ids: tuple[int, ...]  # the members clustered by their own text
    representative_id: int
    terms: tuple[str, ...]  # key words as people wrote them, strongest first


class Clustering:
    """The groups found, plus the similarities later steps ask about."""

    def __init__(
        self,
        groups: Sequence[Group],
        vectors: Mapping[int, Mapping[str, float]],
        analysed: Mapping[int, Analysed],
        centrality: Mapping[int, float],
        roots: Mapping[int, int],
    ) -> None:
        self.groups = tuple(groups)
        self._vectors = vectors
        self._analysed = analysed
        self._centrality = centrality
        self._roots = roots
        self._group_of = {cid: g for g in self.groups for cid in g.ids}
        self._centroids: dict[int, dict[str, float]] = {}

    def group_of(self, contribution_id: int) -> Group:
        return self._group_of[contribution_id]

    def root_of(self, contribution_id: int) -> int:
        return self._roots[contribution_id]

    def analysed(self, contribution_id: int) -> Analysed:
        return self._analysed[self._roots[contribution_id]]

    def centrality(self, contribution_id: int) -> float:
        """How much a contribution shares with the rest of its block (sum of similarities)."""
        return self._centrality.get(self._roots[contribution_id], 0.0)

    def term_set(self, contribution_id: int) -> frozenset[str]:
        """The terms a text counts as saying, after typos, inflections and synonyms."""
        return frozenset(self._vectors[self._roots[contribution_id]])

    def similarity(self, a: int, b: int) -> float:
        return _cosine(self._vectors[self._roots[a]], self._vectors[self._roots[b]])

    def similarity_to_group(self, contribution_id: int, group: Group) -> float:
        """Cosine with the group's centroid, ignoring negation: "about the same thing"."""
        return _cosine(self._vectors[self._roots[contribution_id]], self._centroid(group))

    def similarities_to_groups(
        self, groups: Sequence[Group]
    ) -> Callable[[int], list[tuple[int, float]]]:
        """``near(contribution_id)``: (index in ``groups``, cosine with its centroid) for each
        group that shares a term with the text, in order; one index of the centroids' terms
        instead of one cosine per pair."""
        index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for k, group in enumerate(groups):
            for term, w in self._centroid(group).items():
                index[term].append((k, w))

        def near(contribution_id: int) -> list[tuple[int, float]]:
            # Terms in order, as the cosine adds them (on Python 3.11: the same sums to the bit).
            dots: dict[int, float] = {}
            for term, w in self._vectors[self._roots[contribution_id]].items():
                for k, wg in index.get(term, ()):
                    dots[k] = dots.get(k, 0.0) + w * wg
            return [(k, dots[k]) for k in sorted(dots)]

        return near

    def _centroid(self, group: Group) -> Mapping[str, float]:
        """The normalised sum of a group's vectors, in term order; worked out once."""
        key = group.representative_id
        centroid = self._centroids.get(key)
        if centroid is None:
            total: dict[str, float] = defaultdict(float)
            for rid in group.root_ids:
                for term, w in self._vectors[rid].items():
                    total[term] += w
            centroid = _normalised(total)
            self._centroids[key] = centroid
        return centroid


def cluster_contributions(
    contributions: Sequence[ContributionRecord], *, threshold: float = DEFAULT_THRESHOLD
) -> Clustering:
    by_id = {c.id: c for c in contributions}
    order = {c.id: i for i, c in enumerate(sorted(contributions, key=lambda c: (c.number, c.id)))}
    roots = {c.id: _root(c, by_id) for c in contributions}
    backing = {c.id: c.backing for c in contributions}
    root_ids = sorted({r for r in roots.values()}, key=order.__getitem__)

    analysed = {rid: analyse(by_id[rid].text) for rid in root_ids}
    typos: set[str] = set()
    canonical = vocabulary(list(analysed.values()), typos)
    parts = compound_parts(canonical, canonical)
    vectors = _tfidf({rid: _features(analysed[rid], canonical, parts) for rid in root_ids})

    blocks: dict[BlockKey, list[int]] = defaultdict(list)
    for rid in root_ids:
        blocks[block_key(by_id[rid])].append(rid)

    children: dict[int, list[int]] = defaultdict(list)
    for cid, rid in roots.items():
        children[rid].append(cid)

    groups: list[Group] = []
    centrality: dict[int, float] = {}
    for key in sorted(blocks):
        # Texts with identical vectors are one point said several times: cluster them once,
        # with their count as weight (the same result average linkage gives, for less work).
        unique: dict[object, list[int]] = {}
        for rid in blocks[key]:
            signature: object = (tuple(vectors[rid].items()), analysed[rid].stance)
            if not vectors[rid]:
                signature = rid
            unique.setdefault(signature, []).append(rid)
        copies = list(unique.values())
        heads = [rs[0] for rs in copies]
        weights = [len(rs) for rs in copies]
        edges = _edges(heads, vectors, analysed)
        shared = [float(w - 1) if vectors[h] else 0.0 for h, w in zip(heads, weights, strict=True)]
        for (i, j), sim in edges.items():
            shared[i] += sim * weights[j]
            shared[j] += sim * weights[i]
        for rs, value in zip(copies, shared, strict=True):
            for rid in rs:
                centrality[rid] = value
        for members in _agglomerate(weights, edges, threshold):
            member_roots = sorted((r for m in members for r in copies[m]), key=order.__getitem__)
            all_ids = sorted(
                (cid for r in member_roots for cid in children[r]), key=order.__getitem__
            )
            rep = _representative(member_roots, vectors, analysed, typos, backing)
            groups.append(
                Group(
                    key=key,
                    ids=tuple(all_ids),
                    root_ids=tuple(member_roots),
                    representative_id=rep,
                    terms=key_terms(member_roots, analysed, canonical, vectors, rep),
                )
            )
    return Clustering(groups, vectors, analysed, centrality, roots)


def _root(c: ContributionRecord, by_id: Mapping[int, ContributionRecord]) -> int:
    """Follow merged_into to the contribution that is still standing (guarding cycles)."""
    seen = {c.id}
    current = c
    while current.merged_into is not None and current.merged_into in by_id:
        if current.merged_into in seen:
            return min(seen)
        seen.add(current.merged_into)
        current = by_id[current.merged_into]
    return current.id


# --- vectors ------------------------------------------------------------------------------


def _features(
    a: Analysed, canonical: Mapping[str, str], parts: Mapping[str, tuple[str, ...]]
) -> dict[str, float]:
    counts: dict[str, float] = defaultdict(float)
    for token, _, _ in a.terms:
        counts[canonical[token]] += 1.0
        for p in parts.get(token, ()):
            counts[p] += COMPOUND_PART_WEIGHT
    return counts


def _tfidf(raw: Mapping[int, Mapping[str, float]]) -> dict[int, dict[str, float]]:
    n = len(raw)
    df: Counter[str] = Counter()
    for features in raw.values():
        df.update(features.keys())
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    # A word nobody else used cannot make two texts alike; at full weight it would only
    # make a text look unlike its paraphrases. Damped, it still counts for the label.
    for t, d in df.items():
        if d == 1:
            idf[t] *= HAPAX_WEIGHT
    out: dict[int, dict[str, float]] = {}
    for cid, features in raw.items():
        # Presence, not frequency: in a sentence or two a repeated word is style, not weight.
        weighted = {t: min(tf, 1.0) * idf[t] for t, tf in features.items()}
        out[cid] = _normalised(weighted)
    return out


def _normalised(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    if norm == 0:
        return {}
    return {t: w / norm for t, w in sorted(vector.items())}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _edges(
    ids: Sequence[int], vectors: Mapping[int, Mapping[str, float]], analysed: Mapping[int, Analysed]
) -> dict[tuple[int, int], float]:
    """Similarities of pairs in one block that share a term, above EDGE_FLOOR, i < j."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    edges: dict[tuple[int, int], float] = {}
    for j, cid in enumerate(ids):
        acc: dict[int, float] = defaultdict(float)
        vector = vectors[cid]
        for term, w in vector.items():
            for i, wi in postings[term]:
                acc[i] += w * wi
            postings[term].append((j, w))
        stance = analysed[cid].stance
        for i in sorted(acc):
            s = acc[i]
            if analysed[ids[i]].stance != stance:
                s *= STANCE_PENALTY
            if s >= EDGE_FLOOR:
                edges[(i, j)] = min(s, 1.0)
    return edges


def _agglomerate(
    weights: Sequence[int], edges: Mapping[tuple[int, int], float], threshold: float
) -> list[list[int]]:
    """Average linkage on a sparse similarity graph; returns groups in first-member order.

    ``weights[i]`` is how many identical texts item i stands for.
    """
    n = len(weights)
    size = list(weights)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    links: list[dict[int, float]] = [{} for _ in range(n)]  # summed similarity between groups
    heap: list[tuple[float, int, int]] = []
    for (i, j), s in edges.items():
        links[i][j] = links[j][i] = s * size[i] * size[j]
        if s >= threshold:
            heap.append((-s, i, j))
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        mean = links[a].get(b, 0.0) / (size[a] * size[b])
        if mean < threshold or abs(mean + neg) > 1e-12:
            continue  # stale: one of the groups has grown since this was pushed
        # Join b into a (a < b, so a group is always named by its first member).
        members[a].extend(members.pop(b))
        size[a] += size[b]
        del links[a][b]
        del links[b][a]
        for c, s in links[b].items():
            links[a][c] = links[a].get(c, 0.0) + s
            links[c][a] = links[a][c]
            del links[c][b]
        links[b] = {}
        for c in sorted(links[a]):
            m = links[a][c] / (size[a] * size[c])
            if m >= threshold:
                heapq.heappush(heap, (-m, min(a, c), max(a, c)))
    return [sorted(ms) for _, ms in sorted(members.items())]


def _representative(
    member_roots: Sequence[int],
    vectors: Mapping[int, Mapping[str, float]],
    analysed: Mapping[int, Analysed],
    typos: set[str],
    backing: Mapping[int, int],
) -> int:
    """The wording to show for a group.

    Among the members close to the group's centroid (within ``REPRESENTATIVE_MARGIN`` of the
    closest), the one others backed most (+1s and votes) – the room chose that wording –
    then the closest. A typo or an opening "volgens mij" counts against a text; a sentence
    that says more counts for it. Earliest on a tie.
    """
    if len(member_roots) == 1:
        return member_roots[0]
    total: dict[str, float] = defaultdict(float)
    for rid in member_roots:
        for term, w in vectors[rid].items():
            total[term] += w
    centroid = _normalised(total)
    scores: dict[int, float] = {}
    for rid in member_roots:
        score = _cosine(vectors[rid], centroid)
        score -= 0.1 * sum(1 for t in analysed[rid].terms if t[0] in typos)
        score -= 0.05 if analysed[rid].lead_in else 0.0
        score += 0.05 * min(len(analysed[rid].terms), 4)
        scores[rid] = round(score, 9)
    top = max(scores.values())
    close = [rid for rid in member_roots if scores[rid] >= top - REPRESENTATIVE_MARGIN]
    return max(close, key=lambda rid: (backing.get(rid, 0), scores[rid], -member_roots.index(rid)))


def nearest(
    contributions: Sequence[ContributionRecord], of_id: int, *, limit: int = 5
) -> list[tuple[int, float]]:
    """The contributions that make most nearly the same point as ``of_id``, most alike first:
    what a facilitator is offered to merge it with. Pairs below ``EDGE_FLOOR`` share too
    little to suggest; ties break on the earlier contribution."""
    clustering = cluster_contributions(contributions)
    scored = [
        (c.id, clustering.similarity(of_id, c.id))
        for c in contributions
        if c.id != of_id and c.merged_into is None
    ]
    alike = [(cid, sim) for cid, sim in scored if sim >= EDGE_FLOOR]
    return sorted(alike, key=lambda pair: (-pair[1], pair[0]))[:limit]
