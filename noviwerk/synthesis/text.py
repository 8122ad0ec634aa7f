"""Dutch text handling for clustering: folding, tokens, stop words, stems, markers.

Stop words come from the ``stop-words`` package (the Snowball Dutch list, shipped with the
package, no download) plus a short list of words that carry no topic in workshop input
("moeten", "belangrijk", "denk"…). Stems come from Snowball's classic Dutch (Porter) stemmer;
``cluster`` smooths over its inconsistencies (``windmolen``/``windmol``) and over typos at the
vocabulary level.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from stop_words import get_stop_words

# Words that appear in nearly every workshop answer whatever its point. Kept short on
# purpose: a word listed here can never make two contributions look alike.
_WORKSHOP_STOP = frozenset(
    """
    moeten kunnen kun gaan gaat ga komen komt kom worden wordt werd maken maakt
    laat laten zien ziet zie denk denken vind vinden vindt graag belangrijk belangrijke
    steeds vooral echt heel erg zeer goed goede beter meer minder veel weinig mogelijk
    elkaar onze ons alle allemaal ieder iedere elke bijvoorbeeld zoals via per hierin daarin
    daarmee daardoor waarbij waardoor welke welk zullen zouden jullie jij hen die dat deze
    nodig ander anderen andere nieuwe nieuw groot grote kleine klein eigen daar hier
    gewoon vraagt mag mogen zorg zorgen zet zetten houden blijft blijven krijgen krijgt
    geven geeft staat staan ligt liggen speelt spelen ervoor erbij eraan volgens mij
    """.split()
)

# Markers that turn a statement around. Negations flip polarity (a "niet X" is kept apart
# from "X" in clustering); contrast markers flag a possible afwijkend geluid.
NEGATIONS = frozenset({"niet", "geen", "nooit", "niets", "nergens", "noch"})
STRONG_CONTRAST = frozenset(
    {
        "juist",
        "integendeel",
        "daarentegen",
        "oneens",
        "tegenstander",
        "tegenstanders",
        "bezwaar",
        "onzin",
        "overschat",
        "overdreven",
        "onwenselijk",
    }
)
# "tegen" is weak: "bestand tegen zout" and "maatregelen tegen wateroverlast" oppose nothing.
WEAK_CONTRAST = frozenset(
    {"maar", "toch", "echter", "anderzijds", "ondanks", "nee", "hoewel", "tegen"}
)
# Words that judge what a text is about. With negation they give a text's stance, so that
# "zonneweides op landbouwgrond zijn prima" and "… zijn geen goed idee" (or "… zijn zonde")
# are kept apart. No Dutch sentiment lexicon ships as a package; these are the judgements
# workshop answers use.
STANCE_AGAINST = frozenset(
    """
    slecht slechte onzin zonde onwenselijk rampzalig afwijzen tegenstander tegenstanders
    oneens bezwaar verkeerd verkeerde fout onverstandig schadelijk
    """.split()
)
# "niet alleen …, maar ook" negates nothing.
_NOT_NEGATING = frozenset({"alleen", "enkel", "slechts"})
CONTRAST_PHRASES: tuple[tuple[str, ...], ...] = (
    ("in", "plaats", "van"),
    ("niet", "eens"),
    ("helemaal", "niet"),
    ("geen", "behoefte"),
    ("te", "ver"),
    ("niet", "nodig"),
)

# Domain synonyms, keyed by lemma (after typo correction and lemmatising, before stemming),
# so that the people who say "boeren" and those who say "agrariërs" are heard as one. Only
# words that mean the same in a werkplaats: inflections are simplemma's job, adjectives'
# nouns ``noun_of``'s.
SYNONYMS: dict[str, str] = {
    "agrarier": "boer", "landbouwer": "boer", "veehouder": "boer",
    "binnenstad": "stad",
    "rijksoverheid": "rijk", "kabinet": "rijk",
    "huis": "woning", "huisvesting": "woning",
    "windturbine": "windmolen", "zonnepark": "zonneweide",
    "inwoner": "burger", "bewoner": "burger",
    "ondernemer": "bedrijf", "bedrijfsleven": "bedrijf",
    "klimaatadaptatie": "klimaatbestendig", "klimaatadaptief": "klimaatbestendig",
    "mobiliteit": "vervoer", "verkeer": "vervoer",
    "gezondheid": "gezond",
}  # fmt: skip

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# How people open a contribution without adding to it; dropped where the draft speaks.
_LEAD_IN = re.compile(
    r"^\s*(?:ik denk dat|ik vind dat|ik denk|ik vind|volgens mij|wat mij betreft|"
    r"mijns inziens|ik zou zeggen|belangrijk|let op|tip)\s*[:,\-\u2013]?\s+",
    re.IGNORECASE,
)


def has_lead_in(text: str) -> bool:
    return bool(_LEAD_IN.match(text))


# A list's bullet pasted in with the text: "• Start van uitwerking", "- Meer groen".
_BULLET = re.compile(r"^\s*(?:[\u2022\u00b7\u25aa\u25cf\u25e6\uf0b7*\-\u2013\u2014]+\s+)+")


def without_bullet(text: str) -> str:
    """``• Start van uitwerking`` → ``Start van uitwerking`` (never down to nothing)."""
    return _BULLET.sub("", text, count=1) or text


def without_lead_in(text: str) -> str:
    """``Volgens mij: bodemdaling …`` → ``bodemdaling …`` (never down to nothing), and
    without a bullet pasted in front."""
    text = without_bullet(text)
    stripped = _LEAD_IN.sub("", text, count=1)
    return stripped if len(stripped) >= 8 else text


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(fold(w) for w in get_stop_words("dutch")) | _WORKSHOP_STOP


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    # Snowball 3 renamed the classic Dutch algorithm and made "dutch" a new, more aggressive
    # one (it maps "duurzamer" and "duurzaam" apart); keep the classic where it is offered.
    algorithms = snowballstemmer.algorithms()
    return snowballstemmer.stemmer("dutch_porter" if "dutch_porter" in algorithms else "dutch")


_STEM_CACHE: dict[str, str] = {}
# Snowball undoubles the vowel of "besparen" (bespar) but not of "bespaart" or "straat";
# undoubling every closing syllable makes the forms meet.
_DOUBLE_VOWEL = re.compile(r"(?<=[^aeiou])(aa|ee|oo|uu)(?=[^aeiou]+$)")


def stem(word: str) -> str:
    cached = _STEM_CACHE.get(word)
    if cached is None:
        cached = _stemmer().stemWord(word)
        if len(cached) >= 4:
            cached = _DOUBLE_VOWEL.sub(lambda m: m.group(1)[0], cached)
        if len(_STEM_CACHE) < 200_000:
            _STEM_CACHE[word] = cached
    return cached


@lru_cache(maxsize=1)
def dutch_words() -> dict[str, float]:
    """Dutch words a reader knows, folded, with their Zipf frequency (3 = once per million).

    wordfreq's "small" Dutch list (its data ships in the wheel; CC-BY-SA 4.0, attributed in
    the README): about 29,000 words, loaded once per process.
    """
    from wordfreq import get_frequency_dict, zipf_frequency

    out: dict[str, float] = {}
    for word in get_frequency_dict("nl", wordlist="small"):
        folded = fold(word)
        if folded.isalpha() and folded not in out:
            out[folded] = zipf_frequency(word, "nl", wordlist="small")
    return out


def warm() -> None:
    """Load every dictionary now (about 0.85 s of CPU), so that the first draft or repeat
    signal of a live room does not pay for it: stop words, stemmer, wordfreq, simplemma."""
    stop_words()
    _stemmer()
    dutch_words()
    lemma("steden")


_LEMMA_CACHE: dict[str, str] = {}


def lemma(word: str) -> str:
    """The dictionary form of a folded word (simplemma's Dutch lemmas): steden → stad."""
    cached = _LEMMA_CACHE.get(word)
    if cached is None:
        # Imported here so that modules that only fold text do not load the dictionary.
        import simplemma

        cached = fold(simplemma.lemmatize(word, lang="nl")) if word.isalpha() else word
        if not cached.isalpha() or len(cached) < 2:
            cached = word
        if len(_LEMMA_CACHE) < 200_000:
            _LEMMA_CACHE[word] = cached
    return cached


# How a Dutch adjective is made from a noun, undone: (ending, what may stand in its place).
# "regionaal" → "regio", "stedelijk" → "stad" (the vowel turns), "economisch" → "economie".
# A candidate counts only if it is a Dutch word in ``dutch_words``.
_ADJECTIVE_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ionaal", ("io", "ie")),
    ("aal", ("", "e")),
    ("ieel", ("ie", "ien")),
    ("iel", ("ie", "ien")),  # "industriële" folded and unknown to simplemma
    ("ioneel", ("ie",)),
    ("eel", ("e", "en", "+")),
    ("isch", ("ie", "iek", "ijk", "ier")),
    ("elijk", ("", "e", "ij", "~")),
    ("lijk", ("", "e")),
    ("ief", ("ie",)),
)
_VOWEL_TURN = re.compile(r"e(?=[^aeiou]+$)")


@lru_cache(maxsize=65536)
def noun_of(word: str) -> str | None:
    """The noun an adjective (as a lemma, or inflected) is made from, if Dutch has it."""
    if len(word) < 7:
        return None
    known = dutch_words()
    stops = stop_words()
    # "natuurlijk" mostly means "of course", "normaal" is no "norm": only a noun that is
    # commoner than the adjective is what the adjective is about.
    floor = max(3.0, known.get(word, 0.0))
    stripped = word[:-1] if word.endswith("e") else word
    for ending, replacements in _ADJECTIVE_ENDINGS:
        if not stripped.endswith(ending):
            continue
        root = stripped[: -len(ending)]
        if len(root) < 3:
            return None
        best: tuple[float, str] | None = None
        for rep in replacements:
            if rep == "+":  # structureel → structuur: the vowel of the closing syllable doubles
                candidate = re.sub(r"([aeiou])([^aeiou]+)$", r"\1\1\2", root)
            elif rep == "~":  # stedelijk → stad
                candidate = _VOWEL_TURN.sub("a", root)
            else:
                candidate = root + rep
            for form in {candidate, re.sub(r"([^aeiou])\1$", r"\1", candidate)}:
                z = known.get(form)
                if z and z >= floor and form not in stops and form != word:
                    if best is None or (z, form) > best:
                        best = (z, form)
        return best[1] if best else None
    return None


@lru_cache(maxsize=1)
def _synonym_by_stem() -> dict[str, str]:
    # Keyed by stem, so a plural simplemma does not know ("agrariers") meets its synonym too.
    return {stem(k): v for k, v in SYNONYMS.items()}


def base(word: str) -> str:
    """A folded word as clustering counts it, before stemming: lemma, adjective's noun, synonym."""
    lem = lemma(word)
    lem = noun_of(lem) or lem
    return SYNONYMS.get(lem) or _synonym_by_stem().get(stem(lem), lem)


def word_key(word: str) -> str:
    """The stem a folded word counts as: "Steden", "stedelijke" and "stad" all give one key."""
    return stem(base(word))


def fold(text: str) -> str:
    """Lower case without accents: ``Agrariërs`` and ``agrariers`` are one word."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Analysed:
    """What clustering needs from one text."""

    tokens: tuple[str, ...]  # folded words, stop words included (for markers and themes)
    # (folded word, word as written, index among all words) for each content word
    terms: tuple[tuple[str, str, int], ...]
    negated: bool
    strong_contrast: tuple[str, ...]
    weak_contrast: tuple[str, ...]
    lead_in: bool = False
    # +1 for a text that says yes to what it is about, -1 for one that says no ("geen goed
    # idee", "zonde", but "niet slecht" is +1): negation times judgement.
    stance: int = 1


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=8192)
def analyse(text: str) -> Analysed:
    surface = words(text)
    tokens = tuple(fold(w) for w in surface)
    stops = stop_words()
    terms: list[tuple[str, str, int]] = []
    for i, (word, token) in enumerate(zip(surface, tokens, strict=True)):
        if token in stops or (len(token) < 3 and not token.isdigit()) or len(token) > 40:
            continue
        terms.append((token, word, i))
    strong = [t for t in tokens if t in STRONG_CONTRAST]
    joined = " " + " ".join(tokens) + " "
    strong.extend(" ".join(p) for p in CONTRAST_PHRASES if " " + " ".join(p) + " " in joined)
    return Analysed(
        tokens=tokens,
        terms=tuple(terms),
        negated=any(t in NEGATIONS for t in tokens),
        strong_contrast=tuple(strong),
        weak_contrast=tuple(t for t in tokens if t in WEAK_CONTRAST),
        lead_in=has_lead_in(text),
        stance=_stance(tokens),
    )


def _stance(tokens: Sequence[str]) -> int:
    sign = 1
    for i, t in enumerate(tokens):
        if t in NEGATIONS:
            if not (t == "niet" and i + 1 < len(tokens) and tokens[i + 1] in _NOT_NEGATING):
                sign = -sign
        elif t in STANCE_AGAINST:
            sign = -sign
    return sign


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition counts once), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        row_min = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, prev2[j - 2] + 1)
            cur[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)
