"""What the rode draden engine and the point labels know of a set of contributions' words.

Per standing contribution (a root of the clustering): the terms it says as words of its own
(``whole``) and what it is about, compounds' parts included (``about``), with the shared
vocabulary (typos and inflections smoothed) and how the members wrote each term.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from noviwerk.domain import ContributionRecord
from noviwerk.synthesis.cluster import Clustering
from noviwerk.synthesis.rode_draden.naming import Words
from noviwerk.synthesis.text import Analysed, fold, lemma, stop_words, word_key, words
from noviwerk.synthesis.vocabulary import compound_parts, vocabulary


@dataclass(frozen=True)
class Lexicon:
    root_ids: list[int]  # standing contributions, in bijlage order
    analysed: dict[int, Analysed]
    canonical: dict[str, str]  # word: the term it counts as
    term_parts: dict[str, tuple[str, ...]]  # "bodemdaling" is made of "bodem" and "daling"
    whole: dict[int, set[str]]
    about: dict[int, frozenset[str]]
    words_of: Words


def lexicon(by_id: Mapping[int, ContributionRecord], clustering: Clustering) -> Lexicon:
    """``by_id`` in bijlage order."""
    order = {cid: i for i, cid in enumerate(by_id)}
    root_ids = sorted({clustering.root_of(cid) for cid in by_id}, key=order.__getitem__)
    analysed = {rid: clustering.analysed(rid) for rid in root_ids}
    typos: set[str] = set()
    canonical = vocabulary(list(analysed.values()), typos)
    parts = compound_parts(canonical, canonical)  # by word, as the terms the parts count as
    term_parts = {canonical[w]: ps for w, ps in sorted(parts.items())}
    whole: dict[int, set[str]] = {}
    about: dict[int, frozenset[str]] = {}
    for rid in root_ids:
        written = [t[0] for t in analysed[rid].terms if not t[0].isdigit()]
        ws = {canonical[w] for w in written}
        whole[rid] = ws
        about[rid] = frozenset(ws | {p for w in written for p in parts.get(w, ())})
    words_of = Words(by_id, clustering, canonical, typos)
    return Lexicon(root_ids, analysed, canonical, term_parts, whole, about, words_of)


def topic_terms(topic: str, canonical: Mapping[str, str]) -> set[str]:
    """The terms of a title or theme: what every contribution is about anyway."""
    out: set[str] = set()
    for w in words(topic):
        token = fold(w)
        if token in stop_words():
            continue
        out.add(canonical.get(token) or canonical.get(lemma(token)) or word_key(token))
    return out
