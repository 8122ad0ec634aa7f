"""Short labels for clusters, from the words their members share.

Without a part-of-speech tagger, a label leans on the company words keep: a word after an
article or preposition is likely a noun, one after "te" a verb, and an adjective brings the
noun it stands before ("circulaire economie").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from noviwerk.synthesis.text import Analysed
from noviwerk.synthesis.wordclass import NOUN_ENDINGS, adjective_like, surface


def key_terms(
    member_roots: Sequence[int],
    analysed: Mapping[int, Analysed],
    canonical: Mapping[str, str],
    vectors: Mapping[int, Mapping[str, float]],
    representative: int,
    limit: int = 3,
) -> tuple[str, ...]:
    """The words that carry the group, strongest first, as a phrase where they stand together.

    Words are ranked by how many members use them, then by weight. Words that stand side by
    side in the representative text are kept together ("nationale opgave"), in its order.
    """
    weight: dict[str, float] = defaultdict(float)
    spread: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for rid in member_roots:
        seen: set[str] = set()
        tokens = analysed[rid].tokens
        for token, word, position in analysed[rid].terms:
            c = canonical[token]
            if c.isdigit():
                continue
            surfaces[c][surface(word, position)] += 1
            if c not in seen:
                weight[c] += vectors[rid].get(c, 0.0) * _nounish(tokens, position)
                spread[c] += 1
                seen.add(c)
    ranked = sorted(weight, key=lambda c: (-spread[c], -weight[c], c))[:limit]
    if not ranked:
        return ()
    # Where the representative says these words, and how it writes them.
    at: dict[str, tuple[int, str]] = {}
    rep_terms = {pos: (token, word) for token, word, pos in analysed[representative].terms}
    for position, (token, word) in sorted(rep_terms.items()):
        c = canonical[token]
        if c in ranked and c not in at:
            at[c] = (position, surface(word, position))
    placed_at = {at[c][0]: at[c][1] for c in ranked if c in at}
    # An adjective brings its noun along: "circulaire economie", not "circulaire".
    for position in list(placed_at):
        nxt = rep_terms.get(position + 1)
        if nxt and adjective_like(rep_terms[position][0]) and position + 1 not in placed_at:
            placed_at[position + 1] = surface(nxt[1], position + 1)
    placed = sorted(placed_at.items())
    phrases: list[list[str]] = []
    last = -2
    for position, word in placed:
        if phrases and position == last + 1 and adjective_like(rep_terms[last][0]):
            phrases[-1].append(word)
        else:
            phrases.append([word])
        last = position
    out = [" ".join(p) for p in phrases]
    for c in ranked:
        if c not in at:
            out.append(min(surfaces[c].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0])
    deduped: list[str] = []
    for phrase in out:
        if not any(phrase in other or other in phrase for other in deduped):
            deduped.append(phrase)
    return tuple(deduped)


# A label reads best as nouns. Without a tagger, the company a word keeps is the hint: after
# an article or preposition it is likely a noun, after "te" a verb; some endings are nouns.
_BEFORE_NOUN = frozenset(
    "de het een van in op voor met naar over bij door om uit zonder tussen onder deze die "
    "dit dat ons onze hun meer minder veel geen".split()
)


def _nounish(tokens: Sequence[str], position: int) -> float:
    word = tokens[position]
    before = tokens[position - 1] if position > 0 else ""
    factor = 1.0
    if before == "te" or (position + 1 < len(tokens) and tokens[position + 1] == "te"):
        factor *= 0.5
    elif before in _BEFORE_NOUN:
        factor *= 1.5
    if word.endswith(NOUN_ENDINGS):
        factor *= 1.3
    return factor


