"""Naming a rode draad as a person would: a noun phrase in the members' own words.

Without a part-of-speech tagger, the company a word keeps is the evidence that it is a noun
(after an article, a preposition or an adjective; a noun's ending), a verb (after "te",
"kunnen", a pronoun) or an adjective that needs the noun after it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from stop_words import get_stop_words

from noviwerk.synthesis.cluster import Clustering
from noviwerk.synthesis.text import dutch_words, fold, lemma, stop_words, words
from noviwerk.synthesis.wordclass import (
    ADJECTIVE_ENDINGS,
    NOUN_ENDINGS,
    PREPOSITIONS,
    adjective_like,
    imperative,
    infinitive_in_eren,
    verb_by_form,
)
from noviwerk.synthesis.wordclass import surface as as_written

CO_TERM_SHARE = 2 / 3  # a second word joins the label when most members name it too

# Words a noun follows ("de stad", "voor de landbouw", "meer energie"); not "dat"/"die",
# which open a clause as often as a noun.
_BEFORE_NOUN = frozenset(
    "de het een van in op voor met naar over bij door om uit zonder tussen onder deze dit "
    "ons onze hun meer minder veel geen elke ieder iedere alle welke zijn haar als".split()
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
        self._uses: dict[int, dict[str, tuple[str, str, str, str]]] = {}

    def _uses_in(self, rid: int) -> dict[str, tuple[str, str, str, str]]:
        """Each term's first whole-word use in one contribution, worked out once."""
        found = self._uses.get(rid)
        if found is None:
            a = self.clustering.analysed(rid)
            surface = words(self.by_id[rid].text)
            content = {i for _, _, i in a.terms}
            found = {}
            for token, word, i in a.terms:
                term = self.canonical.get(token)
                if term is None or term in found:
                    continue
                before = as_written(surface[i - 1], i - 1) if i - 1 in content else ""
                after = as_written(surface[i + 1], i + 1) if i + 1 in content else ""
                cue = a.tokens[i - 1] if i > 0 else ""
                found[term] = (before, as_written(word, i), after, cue)
            self._uses[rid] = found
        return found

    def occurrences(self, term: str, roots: Iterable[int]) -> list[tuple[str, str, str, str]]:
        """(word before, this word, word after, token before) for each whole-word use."""
        return [use for rid in roots if (use := self._uses_in(rid).get(term)) is not None]


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
    word = _spelling(uses, words_of.typos, loose=True)
    if not _acceptable(word):
        return None
    phrase = word
    if _adjective(word):
        nouns = Counter(a for _, w, a, _ in uses if a and w == word)
        noun, n = min(nouns.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
        if not noun or n * 2 < len(uses) or not _acceptable(noun) or adjective_like(noun):
            return None  # an adjective alone is no label
        phrase = f"{word} {noun}"
    else:
        adjectives = Counter(b for b, _, _, _ in uses if b and adjective_like(b))
        adj, n = min(adjectives.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
        if adj and n * 2 > len(uses) and _acceptable(adj) and adj not in words_of.typos:
            phrase = f"{adj} {word}"
    # A second word only as the members join them themselves: "regie op het stroomnet",
    # "stad en ommeland"; never "stroomnet en regie" from two words that merely co-occur.
    joined = _joined_phrase(seed, roots, words_of, about, common)
    if joined:
        return joined
    if " " not in phrase and _generic(phrase):
        return None  # "Wereld", "Aanpak", "Regio": a generic word alone names no theme
    partner = _partner(seed, phrase, roots, words_of, about, common, parts)
    return f"{phrase} en {partner}" if partner else phrase


PAIR_MEMBERS = 3  # "Landbouw en waterkwaliteit": a pair names a rode draad of three or more


def _partner(seed, phrase, roots, words_of: Words, about, common, parts) -> str:
    """A second noun that nearly every member names too, as the seed's own labels pair two
    subjects ("Water en energie", "Landbouw en waterkwaliteit"): in at least two thirds of
    three or more members, written as a noun, not a part of the label's word nor a word
    made of it, and the most specific such word ("waterkwaliteit" over "water")."""
    if len(roots) < PAIR_MEMBERS:
        return ""
    seed_parts = set(parts.get(seed, ())) | {seed}
    in_phrase = {fold(w) for w in words(phrase)}
    shared = Counter(t for r in roots for t in about[r])
    best: tuple | None = None
    for term, n in shared.items():
        if n < CO_TERM_SHARE * len(roots) or term in seed_parts or term in common:
            continue
        if seed in parts.get(term, ()) or len(term) < 4:
            continue
        uses = words_of.occurrences(term, roots)
        if not uses or not _nounish(uses):
            continue
        word = _spelling(uses, words_of.typos, loose=True)
        if (
            not _acceptable(word)
            or _adjective(word)
            or adjective_like(word)
            or _generic(word)
            or fold(word) in in_phrase
            or word in words_of.typos
        ):
            continue
        key = (-n, -len(parts.get(term, ())), -len(term), term)
        if best is None or key < best[0]:
            best = (key, word)
    return best[1].lower() if best and not best[1].isupper() else (best[1] if best else "")


def _joined_phrase(seed: str, roots: list[int], words_of: Words, about, common) -> str:
    """The phrase in which the members join the seed to a second word most of them name.

    "Regie op het stroomnet", "de ondergrens van ongelijkheid", "stad en ommeland": the
    words between are only connectors, and at least half of the members write it so.
    """
    if len(roots) < 2:
        return ""
    shared: Counter[str] = Counter()
    for rid in roots:
        shared.update(t for t in about[rid] if t != seed)
    partners = {
        t
        for t, n in shared.items()
        if n >= max(2, CO_TERM_SHARE * len(roots))
        and _nounish(words_of.occurrences(t, roots), loose=False)  # not "nemen"
    }
    if not partners:
        return ""
    found: Counter[str] = Counter()
    spelled: dict[str, Counter[str]] = {}
    for rid in roots:
        a = words_of.clustering.analysed(rid)
        surface = words(words_of.by_id[rid].text)
        at = {i: words_of.canonical.get(token, "") for token, _, i in a.terms}
        seen: set[str] = set()
        for i, term in at.items():
            if term != seed:
                continue
            for j, other in at.items():
                if other not in partners or not 2 <= abs(i - j) <= 4:
                    continue
                lo, hi = min(i, j), max(i, j)
                between = [fold(w) for w in surface[lo + 1 : hi]]
                if not between or not all(w in _CONNECTORS for w in between):
                    continue
                if between[0] not in _LINKS:
                    continue
                text = " ".join(as_written(surface[k], k) for k in range(lo, hi + 1))
                key = fold(text)
                if key not in seen:
                    seen.add(key)
                    found[key] += 1
                    spelled.setdefault(key, Counter())[text] += 1
    if not found:
        return ""
    key, n = min(found.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    if n * 2 < len(roots):
        return ""
    text = min(spelled[key], key=lambda t: (-spelled[key][t], fold(t) == t.lower(), t))
    last = words(text)[-1]
    if not _acceptable(words(text)[0]) or not _acceptable(last) or _adjective(last):
        return ""
    return text


def also_named(label: str, seed: str, roots, common: Counter[str], words_of: Words) -> tuple[str, ...]:
    """Up to three nouns besides the label that at least two members name, as they wrote
    them: what the samenvatting says a rode draad was about ("kosten, beheer")."""
    out: list[str] = []
    in_label = {fold(w) for w in words(label)}
    for term, _ in sorted(common.items(), key=lambda kv: (-kv[1], kv[0])):
        if common[term] < 2 or term == seed or len(out) == 3:
            continue
        uses = words_of.occurrences(term, roots)
        if len(uses) < 2 or not _nounish(uses, loose=False):
            continue
        word = _spelling(uses, words_of.typos, loose=False)
        if _acceptable(word) and not _adjective(word) and fold(word) not in in_label:
            out.append(word)
    return tuple(out)


def _spelling(uses, typos: set[str], *, loose: bool) -> str:
    """The surface the members use most as a noun, in their own spelling: a form with its
    diacritics ("energiecoöperaties") over the same word typed without them."""
    by_fold: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for u in uses:
        by_fold[fold(u[1])] += _noun_score(u, loose)
        forms.setdefault(fold(u[1]), Counter())[u[1]] += 1
    best = min(
        by_fold,
        key=lambda f: (-by_fold[f], f in typos, _adjective(f), len(f), f),
    )
    return min(forms[best], key=lambda s: (fold(s) == s.lower(), -forms[best][s], s))


# --- word checks --------------------------------------------------------------------------

# Words that join two nouns into one theme's name ("regie op het stroomnet"); the first word
# between them must be one of _LINKS.
_LINKS = frozenset("en van voor op over tussen met in bij".split())
_CONNECTORS = _LINKS | frozenset("de het een".split())
# Nouns that frame rather than name a subject: alone they are no theme ("Aanpak", "Rijk").
_FRAMING = frozenset(
    "aanpak rijk rijksoverheid overheid overheden regio buren grens grenzen manier wereld "
    "nederland land stad mensen partijen zaken dingen toekomst".split()
)
GENERIC_ZIPF = 5.55  # as common as "stad" or "wereld" (wordfreq's Zipf scale): too broad


# Words a leading noun phrase may hold between its nouns ("Bodemdaling als nationale opgave",
# "Keuzes over privacy en inclusiviteit").
_PHRASE_JOINS = _CONNECTORS | PREPOSITIONS  # inside a phrase, never at its end
PHRASE_WORDS = 6  # content words: a phrase, not the whole post
SINGLE_ZIPF = 4.7  # alone, a word as common as "burgers" or "gezond" is no subject
_CLAUSE_OPENERS = frozenset("zodat omdat waardoor waarbij zodra terwijl opdat".split())


def leading_noun_phrase(text: str) -> str:
    """The noun phrase a text opens with, as written: its subject, briefly.

    "Experimenteerruimte en fysieke ruimte voor voedsel", "Bodemdaling als nationale opgave"
    (before the comma), "Open data" (before "delen"), "Algenboerderij" (before "om … te"); ""
    when the text opens with a verb, a question word or only a generic word ("Het Rijk …").
    """
    clause = re.split(r"[,:;?!()\u2013\u2014]| - | om (?=[^,:;?!]* te )", text, maxsplit=1)[0]
    out: list[str] = []
    content = 0
    stops = stop_words()
    for raw in clause.split():
        w = raw.strip("'\"\u2018\u2019\u201c\u201d.")
        token = fold(w)
        if not token:
            break
        if token in _PHRASE_JOINS:
            if not out and token not in ("de", "het", "een"):
                break
            out.append(w)
            continue
        if (
            token in stops
            or token in _CLAUSE_OPENERS
            or not token.replace("-", "").isalpha()
            or content == PHRASE_WORDS
        ):
            break
        if out and finite_verb(token):
            break  # "Grondexploitatie kijkt …", "Bodemdaling raakt …": the verb ends the subject
        prev = fold(out[-1]) if out else ""
        # An infinitive or plural verb after a noun ends the phrase ("Open data delen");
        # after an article, a join or an adjective it is a plural noun ("van netwerken").
        verbish = infinitive_in_eren(token)
        # "Lock-ins ontstaan", "kosten gaan omhoog": the -aan verbs, after a noun.
        verbish = verbish or bool(out and token.endswith(("gaan", "staan", "slaan")))
        if token.endswith("en") and out and prev not in _PHRASE_JOINS and not adjective_like(prev):
            verbish = verbish or not token.endswith(NOUN_ENDINGS)
        if verbish:
            break
        out.append(w)
        content += 1
    # Ending on a join or an adjective ("regionale"), never on a noun that merely ends in
    # -e ("opgave", "middenklasse").
    while out and (fold(out[-1]) in _PHRASE_JOINS or fold(out[-1]).endswith(ADJECTIVE_ENDINGS)):
        out.pop()
    nouns = [
        w
        for w in out
        if fold(w) not in _PHRASE_JOINS
        and _acceptable(w)
        and not _generic(w)
        and not fold(w).endswith(ADJECTIVE_ENDINGS)
    ]
    if not nouns or (content == 1 and dutch_words().get(fold(nouns[0]), 0.0) >= SINGLE_ZIPF):
        return ""  # "Burgers", "Gezond": one everyday word names no subject
    if imperative(out[0]):
        return ""  # "Vergeet de menselijke kant", "Kies voor …": no subject
    return " ".join(out)


def finite_verb(token: str) -> bool:
    """ "kijkt", "raakt", "geldt": a verb in the third person, whose lemma is an infinitive
    (simplemma's), unlike a noun in -t ("markt", "kwaliteit", "staat")."""
    if len(token) < 3 or not token.endswith("t"):
        return False
    base = lemma(token)
    return base != token and base.endswith("en")


def generic_word(word: str) -> bool:
    """A word too broad to name a subject alone ("Rijk", "overheid", "stad")."""
    return _generic(word)


def _generic(word: str) -> bool:
    token = fold(word)
    return token in _FRAMING or dutch_words().get(token, 0.0) >= GENERIC_ZIPF


@lru_cache(maxsize=1)
def _not_label_words() -> frozenset[str]:
    return stop_words() | frozenset(fold(w) for w in get_stop_words("english"))


def _acceptable(word: str) -> bool:
    token = fold(word)
    return (
        (len(token) >= 4 or word.isupper()) and token.isalpha() and token not in _not_label_words()
    )


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
    if token.endswith(NOUN_ENDINGS):
        return 1.0
    if cue in _VERB_CUES or verb_by_form(cue, token):
        return 0.0
    if _adjective(word) and after:
        return 0.0
    if cue in _BEFORE_NOUN or (before and adjective_like(before)):
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
    return adjective_like(word) or fold(word).endswith(ADJECTIVE_ENDINGS)


__all__ = [
    "CO_TERM_SHARE", "Words", "also_named", "finite_verb", "generic_word", "label_for",
    "leading_noun_phrase",
]
