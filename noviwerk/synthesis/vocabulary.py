"""The vocabulary of one werkplaats: which written words count as the same term.

Smoothing happens once over the distinct words, never over pairs of texts, so it stays
cheap at any size: typos are mapped onto the common word they are one edit from, words are
taken to their lemma (simplemma), an adjective to its noun and a synonym to its word
(``text.base``), stems that differ by an inflection ending are joined, and compounds are split
against wordfreq's Dutch word list (Dutch glues words: "energietransitie" is also about
"energie", "subsidieregels" about "regels").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from noviwerk.synthesis.text import Analysed, base, dutch_words, edit_distance, stem, stop_words

# Endings that make a stem another form of the same word once Snowball is done with it.
_INFLECTIONS = ("e", "en", "er", "ere", "s", "n", "ig", "ige", "iger", "st", "t", "d")
# Linking sounds between the parts of a Dutch compound (water|s|nood, boer|en|land).
_LINKS = ("", "s", "en", "e")
# Endings that are words too ("lijk", "schap", "baar"): "natuurlijk" is no corpse, and
# "landschap" no shelf. A tail that is one of these makes no compound.
_SUFFIX_WORDS = frozenset(
    "lijk lijke heid heden schap schappen baar bare loos loze achtig matig zaam waardig "
    "ling lingen tje tjes isme iteit".split()
)
_MIN_TAIL = 4
# Prefixes that are words too ("ver"): "verstand" is no "stand".
_PREFIXES = frozenset({"ver", "ont", "her", "mis"})


def vocabulary(texts: Sequence[Analysed], typos: set[str]) -> dict[str, str]:
    """Map every content word to the term it counts as: typos and inflections smoothed.

    Words taken for typos are added to ``typos``.
    """
    word_df: Counter[str] = Counter()
    for a in texts:
        word_df.update({t[0] for t in a.terms})
    corrected = _correct_typos(word_df)
    typos.update(w for w, c in corrected.items() if w != c)
    stem_df: Counter[str] = Counter()
    stem_of = {w: stem(base(corrected[w])) for w in word_df}
    for w, d in word_df.items():
        stem_df[stem_of[w]] += d
    canonical = _join_inflections(stem_df)
    return {w: canonical[stem_of[w]] for w in word_df}


def compound_parts(
    words: Iterable[str], canonical: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """The terms the parts of each compound word count as, for the words that are compounds.

    ``canonical`` is ``vocabulary``'s map: a part someone also wrote on its own is that term
    ("regels" and "regel" both), otherwise the part's stem.
    """
    terms = set(canonical.values())
    out: dict[str, tuple[str, ...]] = {}
    for word in words:
        split = split_compound(base(word))
        if split:
            out[word] = tuple(_term(stem(base(p)), terms) for p in split)
    return out


def split_compound(word: str) -> tuple[str, ...]:
    """A folded word's parts if it is a Dutch compound of known words, else ().

    The parts must be words in wordfreq's Dutch list, none a stop word, and the whole rarer
    than each part (a true compound is rarer than its parts; "samenwerking" is commoner than
    "werking" and stays whole). The first part may itself be a compound ("zoet|water|
    productie"). Of several splits, the one whose rarest part is the commonest wins
    ("landbouw|grond" over "land|bouwgrond"). Where the first part is no word on its own
    ("omme|land"), the last part, which names what a Dutch compound is, still counts when it
    is a common word.
    """
    found = _split(word)
    return found[1] if found and found[1] != (word,) else ()


@lru_cache(maxsize=65536)
def _split(word: str) -> tuple[float, tuple[str, ...]] | None:
    """(how common the rarest part is, the parts) for a known word or a compound of them."""
    if not word.isalpha():
        return None
    known = dutch_words()
    whole = known.get(word, 0.0)
    best: tuple[float, int, tuple[str, ...]] | None = None
    if len(word) >= 7:
        stops = stop_words()
        for i in range(3, len(word) - _MIN_TAIL + 1):
            head = word[:i]
            if head in stops or head in _PREFIXES:
                continue
            for link in _LINKS:
                if not word.startswith(link, i):
                    continue
                tail = word[i + len(link) :]
                zt = known.get(tail, 0.0)
                if len(tail) < _MIN_TAIL or tail in stops or tail in _SUFFIX_WORDS or zt <= whole:
                    continue
                zh = known.get(head, 0.0)
                # A known first part stays whole ("landbouw|grond", not "land|bouw|grond").
                head_split = (zh, (head,)) if zh >= 3.0 else _split(head) if len(head) > 3 else None
                if len(head) == 3 and zh < 4.0:
                    head_split = None
                evenness = -abs(len(head) - len(tail))
                if head_split and head_split[0] > whole:
                    candidate = (min(head_split[0], zt), evenness, (*head_split[1], tail))
                elif len(head) >= 4 and zt >= 4.5 and (len(head) <= 6 or len(tail) >= 5):
                    candidate = (zt - 2.5, evenness, (tail,))
                else:
                    continue
                if best is None or candidate > best:
                    best = candidate
    if best is not None:
        return best[0], best[2]
    return (whole, (word,)) if whole else None


def _term(part: str, terms: set[str]) -> str:
    if part in terms:
        return part
    for ending in _INFLECTIONS:
        if len(part) > len(ending) + 3 and part.endswith(ending) and part[: -len(ending)] in terms:
            return part[: -len(ending)]
        if part + ending in terms:
            return part + ending
    return part


def _correct_typos(df: Mapping[str, int]) -> dict[str, str]:
    """A rare word one edit (two, when long) from a commoner one is taken as a typo of it.

    Same first letter, at least 7 letters and rarer than the word it is mapped to: short words
    differ by one letter too often to guess ("kosten", "kusten").
    """
    out: dict[str, str] = {}
    deletes: dict[str, list[str]] = defaultdict(list)  # one-deletion variants -> anchors
    for w in sorted(df, key=lambda w: (-df[w], w)):
        target = None
        if len(w) >= 7 and df[w] <= 2 and not w.isdigit():
            limit = 2 if len(w) >= 10 else 1
            candidates: set[str] = set()
            for variant in [w] + [w[:i] + w[i + 1 :] for i in range(len(w))]:
                candidates.update(deletes.get(variant, ()))
            best: tuple[int, int, str] | None = None
            for anchor in candidates:
                if anchor[0] != w[0] or df[anchor] < df[w]:
                    continue
                d = edit_distance(w, anchor, limit)
                if d <= limit and (best is None or (d, -df[anchor], anchor) < best):
                    best = (d, -df[anchor], anchor)
            target = best[2] if best else None
        if target is not None:
            out[w] = out[target]
            continue
        out[w] = w
        if len(w) >= 6:
            deletes[w].append(w)
            for i in range(len(w)):
                deletes[w[:i] + w[i + 1 :]].append(w)
    return out


def _join_inflections(df: Mapping[str, int]) -> dict[str, str]:
    """Stems that are another stem plus an inflection ending count as that stem."""
    canonical: dict[str, str] = {}
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for s in sorted(df, key=lambda s: (len(s), -df[s], s)):
        target = None
        if len(s) >= 5 and not s.isdigit():
            for anchor in by_prefix.get(s[:5], ()):
                if s.startswith(anchor) and s[len(anchor) :] in _INFLECTIONS:
                    target = anchor
                    break
        canonical[s] = canonical[target] if target else s
        if target is None and len(s) >= 5:
            by_prefix[s[:5]].append(s)
    return canonical
