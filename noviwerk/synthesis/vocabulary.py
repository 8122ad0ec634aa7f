"""The vocabulary of one werkplaats: which written words count as the same term.

Smoothing happens once over the distinct words, never over pairs of texts, so it stays
cheap at any size: typos are mapped onto the common word they are one edit from, stems
that differ by an inflection ending are joined, and long compounds are split into known
parts (Dutch glues words: "waterbesparing" is also about water).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache

from noviwerk.synthesis.lexicon import THEMES
from noviwerk.synthesis.text import SYNONYMS, Analysed, edit_distance, stem

# Endings that make a stem another form of the same word once Snowball is done with it.
_INFLECTIONS = ("e", "en", "er", "ere", "s", "n", "ig", "ige", "iger", "st", "t", "d")
# Linking sounds between the parts of a Dutch compound (water|s|nood, boer|en|land).
_LINKS = ("", "s", "e", "en")
_MIN_PART = 4


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
    stem_of = {w: stem(SYNONYMS.get(corrected[w], corrected[w])) for w in word_df}
    for w, d in word_df.items():
        stem_df[stem_of[w]] += d
    canonical = _join_inflections(stem_df)
    return {w: canonical[stem_of[w]] for w in word_df}


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


def compound_parts(vocabulary: set[str]) -> dict[str, tuple[str, str]]:
    """Split long stems into two known stems (with a Dutch linking sound allowed between).

    A part may be a known stem give or take an inflection ending ("waterbespar" splits into
    water + bespart when someone wrote "bespaart"); parts are returned as the known stems.
    """
    known = vocabulary | _lexicon_stems()
    parts: dict[str, tuple[str, str]] = {}
    for s in sorted(vocabulary):
        if len(s) < 2 * _MIN_PART + 1:
            continue
        best: tuple[int, str, str] | None = None
        for i in range(_MIN_PART, len(s) - _MIN_PART + 1):
            head = _known_form(s[:i], known)
            if head is None:
                continue
            for link in _LINKS:
                if not s.startswith(link, i):
                    continue
                tail_text = s[i + len(link) :]
                tail = _known_form(tail_text, known) if len(tail_text) >= _MIN_PART else None
                if tail is not None and tail != s:
                    # Prefer the most even split: "water|bespar" over "wat|erbespar".
                    score = abs(i - len(tail_text))
                    if best is None or (score, head, tail) < best:
                        best = (score, head, tail)
        if best is not None:
            parts[s] = (best[1], best[2])
    return parts


def _known_form(part: str, known: set[str] | frozenset[str]) -> str | None:
    if part in known:
        return part
    for ending in _INFLECTIONS:
        if part + ending in known:
            return part + ending
    return None


@lru_cache(maxsize=1)
def _lexicon_stems() -> frozenset[str]:
    """Stems of common theme words, so "waterbesparing" splits even if nobody wrote "water"."""
    words = {w.lstrip("^") for _, ws in THEMES for w in ws if " " not in w and len(w) >= 4}
    words |= {
        "water",
        "energie",
        "bodem",
        "natuur",
        "klimaat",
        "landbouw",
        "voedsel",
        "wonen",
        "ruimte",
        "gebied",
        "stad",
        "land",
        "zee",
        "lucht",
        "kust",
    }
    return frozenset(stem(w) for w in words if w.isalpha())
