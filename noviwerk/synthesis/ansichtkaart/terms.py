"""The key terms of an ansichtkaart's word visual, taken from a draft bouwsteen.

The rode draden come first: each label is a term, offered whole when it is short
("Regionale bereikbaarheid", "Stad en ommeland") and else as its key nouns ("Landbouw en
waterkwaliteit" → "landbouw", "waterkwaliteit"), weighing what its contributions weigh. A
label keeps its own wording when a cluster's word is the same or inside it. The clusters already carry the words their members share (their labels, from
``labels.key_terms``). A term's weight is the weight of the points that name it, as the
samenvatting counts it (each participant twice, every +1 and vote once, a star three), the
first word of a label counting in full and later ones a little less; a label that is one
noun phrase ("Regionale bereikbaarheid") is offered whole. Terms that are the same word
(after stems and the domain synonyms) or one inside the other ("landbouw", "duurzame
landbouw") are joined. Only content nouns and noun phrases become terms (``nouns``): no
function words, verbs, adverbs, lone adjectives or vague words ("waar", "willen", "plekken"). Where the clusters name
too few terms (an early draft, a hand-written one), the content words of the contributions
fill up; an empty werkplaats gets the words of its title and theme.

Every term keeps the contributions it comes from (the ones whose text says it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from noviwerk.synthesis.ansichtkaart.content import MAX_TERM_CHARS
from noviwerk.synthesis.ansichtkaart.draden import draden
from noviwerk.synthesis.ansichtkaart.nouns import (
    Usage,
    content_words,
    is_content_phrase,
    word_usage,
)
from noviwerk.synthesis.document import (
    CITATEN,
    Cluster,
    Document,
    Paragraph,
    PointList,
    Provenance,
    Quote,
    Sentence,
)
from noviwerk.synthesis.phrasing import squash
from noviwerk.synthesis.rode_draden import STAR_WEIGHT, VOICE_WEIGHT
from noviwerk.synthesis.text import analyse, fold, stop_words, word_key, words

MIN_TERMS = 8
MAX_TERMS = 20
LABEL_RANK_FACTORS = (1.0, 0.75, 0.55)
FILL_FACTOR = 0.5  # a word from the contributions counts half a label word
SHORT_LABEL = 24  # a rode draad's label this long or shorter stands on the card whole

_PROPER = frozenset(
    {
        "nederland",
        "rijk",
        "europa",
        "novi",
        "randstad",
        "noordzee",
        "duitsland",
        "belgie",
        "den",
        "haag",
    }
)


@dataclass
class _Candidate:
    key: tuple[str, ...]
    weight: float = 0.0
    order: int = 0  # first seen, for ties
    surfaces: dict[str, float] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=Provenance)
    label: str = ""  # a rode draad's label: the term's wording, whatever else joins it

    def add(self, surface: str, weight: float, provenance: Provenance, label: bool) -> None:
        self.weight += weight
        self.surfaces[surface] = self.surfaces.get(surface, 0.0) + weight
        self.provenance = self.provenance + provenance
        if label and not self.label:
            self.label = surface

    @property
    def surface(self) -> str:
        if self.label:
            return self.label
        return min(self.surfaces.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]


@dataclass(frozen=True)
class RawTerm:
    text: str
    weight: float  # relative: the heaviest term is 1.0
    provenance: Provenance


def point_weight(cluster: Cluster) -> float:
    """The weight the samenvatting ranks a point by (``points.Point.weight``)."""
    return (
        VOICE_WEIGHT * cluster.participants
        + cluster.support
        + (STAR_WEIGHT if cluster.is_starred else 0.0)
    )


def term_key(text: str) -> tuple[str, ...]:
    """The words of a term as clustering counts them: folded, synonyms joined, stemmed."""
    out = []
    for w in words(text):
        folded = fold(w)
        out.append(word_key(folded))
    return tuple(out)


def proper_words(texts: Iterable[str]) -> frozenset[str]:
    """Folded words written with a capital in the middle of a sentence: names (Gouda, Rijk)."""
    found = set(_PROPER)
    for text in texts:
        for sentence in text.replace("?", ".").replace("!", ".").split(". "):
            for w in words(sentence)[1:]:
                if w[:1].isupper() and not w.isupper():
                    found.add(fold(w))
    return frozenset(found)


def as_written(phrase: str, proper: frozenset[str]) -> str:
    """Lower case, except names and abbreviations (``Rijk``, ``NOVI``, ``Gouda``)."""
    out = []
    for w in phrase.split():
        letters = "".join(c for c in w if c.isalpha())
        if (letters.isupper() and len(letters) > 1) or fold(letters) in proper:
            out.append(w)
        else:
            out.append(w.lower())
    return " ".join(out)


def key_terms(document: Document) -> tuple[RawTerm, ...]:
    """Between ``MIN_TERMS`` and ``MAX_TERMS`` terms, heaviest first (fewer if little was said)."""
    items = {i.contribution_id: i for i in document.appendix_items()}
    texts = [i.text for i in items.values()]
    proper = proper_words(texts)
    usage = word_usage(texts)
    candidates: dict[tuple[str, ...], _Candidate] = {}
    order = 0

    def offer(
        phrase: str,
        weight: float,
        provenance: Provenance,
        *,
        named: bool = False,
        label: bool = False,
    ) -> None:
        nonlocal order
        phrase = " ".join(phrase.split()).strip(" ,.;:!?")
        key = term_key(phrase)
        if not key or not (named or is_content_phrase(phrase, usage, proper)):
            return
        candidate = candidates.get(key)
        if candidate is None:
            order += 1
            candidate = candidates[key] = _Candidate(key, order=order)
        candidate.add(as_written(phrase, proper), weight, provenance, label)

    for draad in draden(document):
        if not draad.nameable(usage, proper):
            continue  # "Tweede tabblad en verstuurd" is no theme to show
        for phrase, whole in label_terms(draad.label, usage, proper):
            offer(phrase, draad.weight, draad.provenance, named=whole, label=True)
    for cluster in document.clusters():
        weight = max(1.0, point_weight(cluster))
        parts = [p for p in cluster.label.split(",") if p.strip()]
        for rank, part in enumerate(parts[: len(LABEL_RANK_FACTORS)]):
            offer(part, weight * LABEL_RANK_FACTORS[rank], cluster.provenance)
    # A hand-written kernvraag section has no clusters: its own words stand in for the labels.
    for sentence in _hand_sentences(document):
        for word in content_words(sentence.text, usage, proper):
            offer(word, 1.0, sentence.provenance)
    joined = _join_nested(candidates)
    if len(joined) < MIN_TERMS:
        for item in items.values():
            weight = FILL_FACTOR * (1 + max(0, item.plus_ones) + max(0, item.votes))
            for word in content_words(item.text, usage, proper):
                offer(word, weight, item.provenance)
        joined = _join_nested(candidates)
    if not joined:
        # The organisers' own names for the werkplaats: its title and theme, as phrases.
        for name in (_without_prefix(document.head.title), document.head.theme):
            if name and any(len(w) >= 4 and fold(w) not in stop_words() for w in words(name)):
                offer(name, 1.0, Provenance(), named=len(name) <= MAX_TERM_CHARS)
        joined = _join_nested(candidates)
    ranked = sorted(joined, key=lambda c: (-round(c.weight, 6), c.order, c.surface))
    ranked = ranked[:MAX_TERMS]
    if not ranked:
        return ()
    top = ranked[0].weight
    # The square root, so that a term's area rather than its height follows its weight: one
    # heavy rode draad does not shrink every other term to the smallest size.
    return tuple(
        RawTerm(c.surface, round(math.sqrt(c.weight / top), 3), _narrowed(c, items)) for c in ranked
    )


def label_terms(label: str, usage: Usage, proper: frozenset[str]) -> list[tuple[str, bool]]:
    """A rode draad's label as terms: (phrase, whether it is the whole label).

    The whole label when it is short; else its parts ("Segregatie en ongelijkheid"), each
    whole when it is a short noun phrase, else its content nouns.
    """
    label = squash(label)
    if len(label) <= SHORT_LABEL and len(label.split()) <= 3:
        return [(label, True)]
    out: list[tuple[str, bool]] = []
    for part in re.split(r",|;| en | & | of ", label):
        part = part.strip()
        if len(part) <= SHORT_LABEL and len(part.split()) <= 2:
            if is_content_phrase(part, usage, proper):
                out.append((part, False))
                continue
        out.extend((w, False) for w in content_words(part, usage, proper))
    return out


def _without_prefix(title: str) -> str:
    folded = title.casefold()
    for prefix in ("novi-werkplaats ", "werkplaats "):
        if folded.startswith(prefix):
            return title[len(prefix) :]
    return title


def _hand_sentences(document: Document) -> Iterable[Sentence]:
    for section in document.sections:
        if not section.id.startswith("kernvraag-") and section.id != CITATEN:
            continue
        for block in section.blocks:
            if isinstance(block, Paragraph) and block.origin == "hand":
                yield from block.sentences
            elif isinstance(block, PointList) and block.origin == "hand":
                yield from block.items
            elif isinstance(block, Quote) and block.origin == "hand":
                yield Sentence(block.text, block.provenance, block.origin)


def _join_nested(candidates: dict[tuple[str, ...], _Candidate]) -> list[_Candidate]:
    """One term per word: the same stem, or one term inside another, counts once.

    The weights and sources add up. Of two nested terms the closing noun stays ("landbouw"
    rather than "robuuste landbouw"), but a word that only qualifies the phrase gives way to
    it ("zoute kwel" rather than "zout"); of two forms of one word, the heavier. A rode
    draad's label is never replaced by a word inside it.
    """
    ranked = sorted(candidates.values(), key=lambda c: (-c.weight, c.order))
    kept: list[_Candidate] = []
    joined: dict[int, set[str]] = {}
    for candidate in ranked:
        # The words of every phrase a term took in count as its own: a label that took in
        # "robuuste landbouw" also takes a lone "robuust".
        home = next(
            (
                k
                for k in kept
                if _same_or_nested(k.key, candidate.key) or joined[id(k)] >= set(candidate.key)
            ),
            None,
        )
        if home is None:
            kept.append(
                _Candidate(
                    candidate.key,
                    candidate.weight,
                    candidate.order,
                    dict(candidate.surfaces),
                    candidate.provenance,
                    candidate.label,
                )
            )
            joined[id(kept[-1])] = set(candidate.key)
            continue
        joined[id(home)].update(candidate.key)
        home.weight += candidate.weight
        home.provenance = home.provenance + candidate.provenance
        if home.label or candidate.label:
            # A rode draad's label is the term, in its own words; of two, the heavier.
            if not home.label:
                home.key, home.surfaces, home.label = candidate.key, {}, candidate.label
        elif _is_head_of(candidate.key, home.key):
            home.key, home.surfaces = candidate.key, dict(candidate.surfaces)
        elif len(candidate.key) > len(home.key) and not _is_head_of(home.key, candidate.key):
            home.key, home.surfaces = candidate.key, dict(candidate.surfaces)
    return kept


def _is_head_of(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short`` closes ``long`` as its noun ("landbouw" in "duurzame landbouw")."""
    return len(short) < len(long) and long[-len(short) :] == short


def _same_or_nested(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    sa, sb = set(a), set(b)
    if sa <= sb or sb <= sa:
        return True
    if len(a) == len(b) == 1:
        x, y = sorted((a[0], b[0]), key=len)
        return len(x) >= 5 and y.startswith(x) and len(y) - len(x) <= 2
    return False


def _narrowed(candidate: _Candidate, items: dict) -> Provenance:
    """Of the contributions behind a term, those whose own text says it."""
    wanted = set(candidate.key)
    ids, numbers = [], []
    for cid in candidate.provenance.ids:
        item = items.get(cid)
        if item is None:
            continue
        said = {word_key(t) for t, _, _ in analyse(item.text).terms}
        folded = fold(item.text)
        if all(
            w in folded or any(s.startswith(w) or w.startswith(s) for s in said) for w in wanted
        ):
            ids.append(item.contribution_id)
            numbers.append(item.number)
    if not ids:
        return candidate.provenance
    return Provenance(tuple(sorted(ids)), tuple(sorted(numbers)))


__all__ = [
    "MAX_TERMS",
    "MIN_TERMS",
    "RawTerm",
    "as_written",
    "key_terms",
    "label_terms",
    "point_weight",
    "proper_words",
    "term_key",
]
