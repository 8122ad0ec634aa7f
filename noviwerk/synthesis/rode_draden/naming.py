"""Naming a rode draad as a person would: a noun phrase in the members' own words.

Without a part-of-speech tagger, the company a word keeps is the evidence that it is a noun
(after an article, a preposition or an adjective; a noun's ending), a verb (after "te",
"kunnen", a pronoun) or an adjective that needs the noun after it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from stop_words import get_stop_words

from noviwerk.synthesis.cluster import Clustering
from noviwerk.synthesis.text import fold, stop_words, words

CO_TERM_SHARE = 2 / 3  # a second word joins the label when most members name it too

# Words a noun follows ("de stad", "voor de landbouw", "meer energie"); not "dat"/"die",
# which open a clause as often as a noun.
_BEFORE_NOUN = frozenset(
    "de het een van in op voor met naar over bij door om uit zonder tussen onder deze dit "
    "ons onze hun meer minder veel geen elke ieder iedere alle welke zijn haar".split()
)
_NOUN_ENDINGS = (
    "ing",
    "heid",
    "schap",
    "tie",
    "sie",
    "isme",
    "teit",
    "nis",
    "dom",
    "ment",
    "agenda",
    "gebied",
    "beleid",
    "systeem",
    "kwaliteit",
    "overlast",
)
_ADJECTIVE_ENDINGS = (
    "baar",
    "lijk",
    "ig",
    "isch",
    "aal",
    "ief",
    "aam",
    "amer",
    "ust",
    "eel",
    "air",
)
# Words that frame rather than name: "op het gebied van", "in de richting van", "verder".
_FILLERS = frozenset(
    "gebied richting manier kader vlak rol zaak punt kwestie aspect verder".split()
)
# Words before a verb at the end of a Dutch clause ("kunnen ... produceren", "te bouwen").
_VERB_CUES = frozenset(
    "te om kunnen kan moeten moet gaan gaat mogen mag zullen zal willen wil zou zouden "
    "ik je jij we wij ze zij hij men er".split()
)


class Words:
    """How the members wrote each term: surface forms and the words next to them."""

    def __init__(self, by_id, clustering: Clustering, canonical, typos: set[str]) -> None:
        self.canonical = canonical
        self.clustering = clustering
        self.by_id = by_id
        self.typos = typos

    def occurrences(self, term: str, roots: Iterable[int]) -> list[tuple[str, str, str, str]]:
        """(word before, this word, word after, token before) for each whole-word use."""
        out = []
        for rid in roots:
            a = self.clustering.analysed(rid)
            surface = words(self.by_id[rid].text)
            content = {i for _, _, i in a.terms}
            for token, word, i in a.terms:
                if self.canonical.get(token) != term:
                    continue
                before = _surface(surface[i - 1], i - 1) if i - 1 in content else ""
                after = _surface(surface[i + 1], i + 1) if i + 1 in content else ""
                cue = a.tokens[i - 1] if i > 0 else ""
                out.append((before, _surface(word, i), after, cue))
                break
        return out


def label_for(seed: str, roots: list[int], words_of: Words, about, common, parts) -> str | None:
    uses = words_of.occurrences(seed, roots)
    if not uses:
        return None
    # Named by the compound most members wrote when the seed mostly stands inside one
    # ("wereldmarkt", not "wereld").
    for term in sorted({t for r in roots for t in about[r] if seed in parts.get(t, ())}):
        more = words_of.occurrences(term, roots)
        if len(more) > len(uses) or (len(more) == len(uses) and len(more) * 2 >= len(roots)):
            seed, uses = term, more
    if not _nounish(uses):
        return None
    surfaces: Counter[str] = Counter()
    for u in uses:
        surfaces[u[1]] += _noun_score(u)
    word = min(
        surfaces,
        key=lambda s: (
            -surfaces[s],
            fold(s) in words_of.typos,
            fold(s) == s.lower(),
            _adjective(s),
            len(s),
            s,
        ),
    )
    if not _acceptable(word):
        return None
    phrase = word
    if _adjective(word):
        nouns = Counter(a for _, w, a, _ in uses if a and w == word)
        noun, n = min(nouns.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
        if not noun or n * 2 < len(uses) or not _acceptable(noun) or _adjective_like(noun):
            return None  # an adjective alone is no label
        phrase = f"{word} {noun}"
    else:
        adjectives = Counter(b for b, _, _, _ in uses if b and _adjective_like(b))
        adj, n = min(adjectives.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
        if adj and n * 2 > len(uses) and _acceptable(adj) and adj not in words_of.typos:
            phrase = f"{adj} {word}"
    co = _co_term(seed, roots, words_of, about, common)
    if co and fold(co) not in fold(phrase):
        phrase = f"{phrase} en {co}"
    return phrase


def _co_term(seed: str, roots: list[int], words_of: Words, about, common) -> str:
    """A second word nearly every member names; a specific one before the topic's own."""
    if len(roots) < 2:
        return ""
    shared: Counter[str] = Counter()
    for rid in roots:
        shared.update(t for t in about[rid] if t != seed)
    candidates = [(t, n) for t, n in shared.items() if n >= max(2, CO_TERM_SHARE * len(roots))]
    for term, _ in sorted(candidates, key=lambda kv: (kv[0] in common, -kv[1], kv[0])):
        uses = words_of.occurrences(term, roots)
        if not uses or not _nounish(uses, loose=False):
            continue
        surfaces: Counter[str] = Counter()
        for u in uses:
            surfaces[u[1]] += _noun_score(u, loose=False)
        word = min(
            surfaces,
            key=lambda s: (
                -surfaces[s],
                fold(s) in words_of.typos,
                fold(s) == s.lower(),
                len(s),
                s,
            ),
        )
        if _acceptable(word) and not _adjective(word):
            return word
    return ""


# --- word checks --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _not_label_words() -> frozenset[str]:
    return stop_words() | frozenset(fold(w) for w in get_stop_words("english"))


def _surface(word: str, position: int) -> str:
    """Lower case, unless a name (capitalised mid-sentence: Gouda) or an abbreviation (NOVI)."""
    if word.isupper() and len(word) > 1:
        return word
    return word if position > 0 and word[:1].isupper() else word.lower()


def _acceptable(word: str) -> bool:
    token = fold(word)
    return (
        (len(token) >= 4 or word.isupper()) and token.isalpha() and token not in _not_label_words()
    )


def _adjective_like(word: str) -> bool:
    """ "regionale", "duurzame" (but not "energie", "zee"): it goes with the next word."""
    token = fold(word)
    return token.endswith("e") and not token.endswith(("ee", "ie", "ue", "oe", "ie"))


def _noun_score(use: tuple[str, str, str, str], loose: bool = True) -> float:
    """How much one use reads as a noun: after an article, a preposition or an adjective,
    or with a noun's ending. Without a tagger, the company a word keeps is the evidence:
    "hangen" in "landbouw hangen samen", "geef" opening a sentence and "robuust" before
    "voedselsysteem" are no names for a theme. ``loose`` lets "water en energie" count
    half for "energie" (a seed); the second word of a label must show more."""
    before, word, after, cue = use
    token = fold(word)
    if token in _FILLERS:
        return 0.0
    if token.endswith(_NOUN_ENDINGS):
        return 1.0
    if cue in _VERB_CUES or (token.endswith("eren") and len(token) > 6):
        return 0.0
    if _adjective(word) and after:
        return 0.0
    if cue in _BEFORE_NOUN or (before and _adjective_like(before)):
        return 1.0
    if loose and cue in ("en", "of"):
        return 0.5
    # Opening a text: a noun as often as an imperative ("Geef", "Koppel", "Verbind"), so
    # half, and only for a word that does not look like one.
    if loose and not cue and len(token) >= 5 and not token.endswith(("eer", "el")):
        return 0.0 if token.startswith(("be", "ver", "ont", "ge")) else 0.5
    return 0.0


def _nounish(uses: Sequence[tuple[str, str, str, str]], *, loose: bool = True) -> bool:
    return sum(_noun_score(u, loose) for u in uses) * 2 >= len(uses)


def _adjective(word: str) -> bool:
    return _adjective_like(word) or fold(word).endswith(_ADJECTIVE_ENDINGS)


__all__ = ["CO_TERM_SHARE", "Words", "label_for"]
