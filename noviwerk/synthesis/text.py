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
CONTRAST_PHRASES: tuple[tuple[str, ...], ...] = (
    ("in", "plaats", "van"),
    ("niet", "eens"),
    ("helemaal", "niet"),
    ("geen", "behoefte"),
    ("te", "ver"),
    ("niet", "nodig"),
)

# A few domain synonyms folded onto one word (after typo correction, before stemming), so
# that the people who say "boeren" and those who say "agrariërs" are heard as one.
SYNONYMS: dict[str, str] = {
    "agrarier": "boer", "agrariers": "boer", "boeren": "boer", "landbouwer": "boer",
    "landbouwers": "boer", "veehouder": "boer", "veehouders": "boer",
    "steden": "stad", "stedelijk": "stad", "stedelijke": "stad", "binnenstad": "stad",
    "binnensteden": "stad",
    "rijksoverheid": "rijk", "kabinet": "rijk",
    "overheden": "overheid",
    "huizen": "woning", "woningen": "woning", "huis": "woning", "huisvesting": "woning",
    "windturbine": "windmolen", "windturbines": "windmolen", "windmolens": "windmolen",
    "zonnepanelen": "zonnepaneel", "zonneweides": "zonneweide", "zonneparken": "zonneweide",
    "autos": "auto",
    "inwoners": "burger", "inwoner": "burger", "bewoners": "burger", "bewoner": "burger",
    "burgers": "burger",
    "ondernemers": "bedrijf", "ondernemer": "bedrijf", "bedrijven": "bedrijf",
    "bedrijfsleven": "bedrijf",
    "klimaatadaptatie": "klimaatbestendig", "klimaatadaptief": "klimaatbestendig",
    "mobiliteit": "vervoer", "verkeer": "vervoer",
    "gezonde": "gezond", "gezondheid": "gezond",
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


def without_lead_in(text: str) -> str:
    """``Volgens mij: bodemdaling …`` → ``bodemdaling …`` (never down to nothing)."""
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
    )


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
