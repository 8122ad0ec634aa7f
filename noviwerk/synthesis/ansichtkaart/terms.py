"""The key terms of an ansichtkaart's word visual, taken from a draft bouwsteen.

The clusters already carry the words their members share (their labels, from
``labels.key_terms``). A term's weight is the weight of the points that name it, as the
samenvatting counts it (each participant twice, every +1 and vote once, a star three), the
first word of a label counting in full and later ones a little less. Terms that are the same
word (after stems and the domain synonyms) or one inside the other ("landbouw", "duurzame
landbouw") are joined. Words a card says nothing with ("aandacht", "groter") and words that
the texts use as verbs or as adjectives before a noun are left out. Where the clusters name
too few terms (an early draft, a hand-written one), the content words of the contributions
fill up; an empty werkplaats gets the words of its title and theme.

Every term keeps the contributions it comes from (the ones whose text says it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

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
from noviwerk.synthesis.points import STAR_WEIGHT, VOICE_WEIGHT
from noviwerk.synthesis.text import analyse, fold, stop_words, word_key, words

MIN_TERMS = 8
MAX_TERMS = 20
LABEL_RANK_FACTORS = (1.0, 0.75, 0.55)
FILL_FACTOR = 0.5  # a word from the contributions counts half a label word

# Words that name no topic on a card, however often they are said.
_EMPTY = frozenset(
    """
    aandacht wens wensen nee mits tenzij ja gebied gebieden deel delen manier vraag vragen punt
    punten zaak zaken rol ding dingen kant keer jaar jaren mensen iemand iets niets anders
    groter grotere kleiner belangrijker makkelijker moeilijker beter sneller minder overal
    altijd nooit vaak direct bewust geschikt doelmatig samen verder weer even wel zelfs
    opgave opgaven kans kansen dilemma trend trends ontwikkeling ontwikkelingen verbinding
    bijdrage bijdragen werkplaats deelnemer deelnemers niveau lang lange termijn pen
    """.split()
)
# Words that may stand before a noun (after them, a word is likely a noun).
_BEFORE_NOUN = frozenset(
    "de het een van in op voor met naar over bij door om uit zonder tussen onder tegen deze "
    "die dit dat ons onze hun meer minder veel geen elke ieder".split()
)
# Endings of Dutch adjectives and participles ("regionale", "dalende"), and of infinitives.
_ADJECTIVE_ENDINGS = (
    "ale",
    "ele",
    "ieke",
    "ische",
    "lijke",
    "ige",
    "end",
    "ende",
    "bare",
    "zame",
    "aire",
    "iele",
    "ieve",
    "ste",
)
_VERB_ENDINGS = ("eren",)
_NOT_VERB_ENDINGS = ("deren", "ieren")
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

    def add(self, surface: str, weight: float, provenance: Provenance) -> None:
        self.weight += weight
        self.surfaces[surface] = self.surfaces.get(surface, 0.0) + weight
        self.provenance = self.provenance + provenance

    @property
    def surface(self) -> str:
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
    usage = _usage(texts)
    candidates: dict[tuple[str, ...], _Candidate] = {}
    order = 0

    def offer(phrase: str, weight: float, provenance: Provenance) -> None:
        nonlocal order
        phrase = " ".join(phrase.split()).strip(" ,.;:!?")
        key = term_key(phrase)
        if not key or not _worth_showing(phrase, key, usage):
            return
        candidate = candidates.get(key)
        if candidate is None:
            order += 1
            candidate = candidates[key] = _Candidate(key, order=order)
        candidate.add(as_written(phrase, proper), weight, provenance)

    for cluster in document.clusters():
        weight = max(1.0, point_weight(cluster))
        parts = [p for p in cluster.label.split(",") if p.strip()]
        for rank, part in enumerate(parts[: len(LABEL_RANK_FACTORS)]):
            offer(part, weight * LABEL_RANK_FACTORS[rank], cluster.provenance)
    # A hand-written kernvraag section has no clusters: its own words stand in for the labels.
    for sentence in _hand_sentences(document):
        for word in _content_words(sentence.text, usage):
            offer(word, 1.0, sentence.provenance)
    joined = _join_nested(candidates)
    if len(joined) < MIN_TERMS:
        for item in items.values():
            weight = FILL_FACTOR * (1 + max(0, item.plus_ones) + max(0, item.votes))
            for word in _content_words(item.text, usage):
                offer(word, weight, item.provenance)
        joined = _join_nested(candidates)
    if not joined:
        for word in words(" ".join(filter(None, (document.head.title, document.head.theme)))):
            if len(word) >= 4 and fold(word) not in stop_words():
                offer(word, 1.0, Provenance())
        joined = _join_nested(candidates)
    ranked = sorted(joined, key=lambda c: (-round(c.weight, 6), c.order, c.surface))
    ranked = ranked[:MAX_TERMS]
    if not ranked:
        return ()
    top = ranked[0].weight
    return tuple(RawTerm(c.surface, round(c.weight / top, 3), _narrowed(c, items)) for c in ranked)


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


def _usage(texts: Iterable[str]) -> dict[str, list[int]]:
    """Per folded word: [times after a noun-introducing word, times as a verb or adjective]."""
    stops = stop_words()
    usage: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for text in texts:
        for clause in _clauses(text):
            tokens = [fold(w) for w in words(clause)]
            for i, token in enumerate(tokens):
                before = tokens[i - 1] if i else ""
                after = tokens[i + 1] if i + 1 < len(tokens) else ""
                if before in _BEFORE_NOUN:
                    usage[token][0] += 1
                after2 = tokens[i + 2] if i + 2 < len(tokens) else ""
                if before == "te" or after == "te":
                    usage[token][1] += 1
                elif after in ("en", "of") and _adjective_like(token) and _adjective_like(after2):
                    usage[token][1] += 1  # "duurzame en robuuste landbouw"
                elif (
                    after
                    and after not in stops
                    and (_adjective_like(token) or token.endswith(_ADJECTIVE_ENDINGS))
                ):
                    usage[token][1] += 1  # "dalende bodem": says something about the next word
                elif (
                    not after
                    and i >= 2
                    and token.endswith("en")
                    and before not in _BEFORE_NOUN
                    and not before.endswith("e")
                ):
                    usage[token][1] += 1  # "… dan ze gebruiken": a verb closing the clause
    return usage


def _clauses(text: str) -> list[str]:
    out = [text]
    for mark in (".", ";", ":", "?", "!", ","):
        out = [part for chunk in out for part in chunk.split(mark)]
    return [c for c in out if c.strip()]


def _worth_showing(phrase: str, key: tuple[str, ...], usage: dict[str, list[int]]) -> bool:
    folded = [fold(w) for w in words(phrase)]
    if not folded or all(w.isdigit() for w in folded):
        return False
    if len(folded) == 1:
        word = folded[0]
        if len(word) < 4 or word in _EMPTY or word in stop_words():
            return False
        as_noun, otherwise = usage.get(word, (0, 0))
        if otherwise > as_noun or (_looks_like_no_noun(word) and as_noun <= otherwise):
            return False
    elif fold(folded[-1]) in _EMPTY:
        return False
    return len(phrase) <= 40


def _adjective_like(token: str) -> bool:
    return token.endswith("e") and not token.endswith(("ee", "ie", "oe", "ue"))


def _looks_like_no_noun(word: str) -> bool:
    """An adjective or participle by its ending, or an infinitive ("produceren")."""
    if word.endswith(_ADJECTIVE_ENDINGS):
        return True
    return word.endswith(_VERB_ENDINGS) and not word.endswith(_NOT_VERB_ENDINGS)


def _content_words(text: str, usage: dict[str, list[int]]) -> list[str]:
    out = []
    for w in words(text):
        folded = fold(w)
        if len(folded) < 5 or folded in stop_words() or folded.isdigit():
            continue
        as_noun, otherwise = usage.get(folded, (0, 0))
        if otherwise <= as_noun and not (_looks_like_no_noun(folded) and as_noun <= otherwise):
            out.append(w)
    return out


def _join_nested(candidates: dict[tuple[str, ...], _Candidate]) -> list[_Candidate]:
    """One term per word: the same stem, or one term inside another, counts once.

    The weights and sources add up. Of two nested terms the closing noun stays ("landbouw"
    rather than "robuuste landbouw"), but a word that only qualifies the phrase gives way to
    it ("zoute kwel" rather than "zout"); of two forms of one word, the heavier.
    """
    ranked = sorted(candidates.values(), key=lambda c: (-c.weight, c.order))
    kept: list[_Candidate] = []
    for candidate in ranked:
        home = next((k for k in kept if _same_or_nested(k.key, candidate.key)), None)
        if home is None:
            kept.append(
                _Candidate(
                    candidate.key,
                    candidate.weight,
                    candidate.order,
                    dict(candidate.surfaces),
                    candidate.provenance,
                )
            )
            continue
        home.weight += candidate.weight
        home.provenance = home.provenance + candidate.provenance
        if _is_head_of(candidate.key, home.key):
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
    "point_weight",
    "proper_words",
    "term_key",
]
