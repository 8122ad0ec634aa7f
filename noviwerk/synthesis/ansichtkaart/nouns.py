"""Which words and phrases may stand on a card as a key term: content nouns and noun phrases.

A term names a topic: "wateroverlast", "zoute kwel", "Regionale bereikbaarheid". Function
words ("waar", "vanuit", "tweede"), verbs ("willen", "bereiken", "koppel"), adverbs and lone
adjectives ("lager", "slecht", "economisch") and vague nouns ("plekken", "aandacht") are not.

Dutch has no word-class marks, so the texts of the werkplaats are the evidence: a word counts
as a noun when people wrote it as one somewhere (after an article, a preposition or an
adjective, or opening a clause before a preposition or verb, "Wateroverlast door
piekbuien…"), or when its ending makes it one ("-ing", "-heid", "-tie"). A word is no noun
when it is only ever used as a verb or an adjective, or its ending says so ("-isch",
"-lijk", "regionale"). The closed word classes (function words, numerals, a few common
adjectives) are short lists, as in any grammar; the open classes are judged by use.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from noviwerk.synthesis.text import fold, stop_words, words
from noviwerk.synthesis.wordclass import ADJECTIVE_ENDINGS, NOUN_ENDINGS, adjective_like

MAX_PHRASE_CHARS = 40

# Words that name no topic on a card, however often they are said.
EMPTY = frozenset(
    """
    aandacht wens wensen nee mits tenzij ja gebied gebieden deel delen manier vraag vragen punt
    punten zaak zaken rol ding dingen kant keer jaar jaren mensen iemand iets niets anders
    groter grotere kleiner belangrijker makkelijker moeilijker beter sneller minder overal
    altijd nooit vaak direct bewust geschikt doelmatig samen verder weer even wel zelfs
    opgave opgaven kans kansen dilemma trend trends ontwikkeling ontwikkelingen verbinding
    bijdrage bijdragen werkplaats deelnemer deelnemers niveau lang lange termijn pen
    plek plekken plaats onderwerp onderwerpen thema themas situatie probleem problemen
    oplossing oplossingen aanpak belang behoefte sprake vorm stuk stukken beeld idee ideeen
    voorbeeld voorbeelden mogelijkheid mogelijkheden richting stap stappen soort kader
    """.split()
)
# Closed classes the stop list leaves out: question words, prepositions, numerals and
# ordinals, adverbs, and common adjectives that never name a topic by themselves.
_NOT_NOUN = frozenset(
    """
    waar wanneer waarom waarheen vanuit vanaf tijdens sinds binnen buiten naast langs rond
    eerste tweede derde vierde vijfde zesde laatste twee drie vier vijf zes zeven acht negen
    tien honderd duizend nog ook alleen eerder later vroeger zelf misschien wellicht daarom
    dus echter juist soms enkel slechts ongeveer bijna helemaal opnieuw liever
    slecht lager hoger laag hoog sterk zwak snel traag oud jong vol leeg ver dicht breed smal
    duur goedkoop lokaal regionaal nationaal internationaal sociaal integraal structureel
    fysiek divers actief groot klein
    """.split()
)
# Words after which a noun is likely.
BEFORE_NOUN = frozenset(
    "de het een van in op voor met naar over bij door om uit zonder tussen onder tegen deze "
    "die dit dat ons onze hun meer minder veel geen elke ieder als aan tot per naast binnen "
    "weinig genoeg extra".split()
)
# Words that may follow a noun opening a clause ("Wateroverlast door…", "Bodemdaling gaat…");
# not articles, which follow an imperative as often ("Koppel de…", "Bouw extra…").
_AFTER_SUBJECT = frozenset(
    "van in op voor met naar over bij door om uit zonder tussen onder tegen aan tot per als "
    "is zijn wordt worden neemt nemen blijft blijven moet moeten kan kunnen gaat gaan zit "
    "zitten vraagt vragen biedt bieden hangt hangen speelt spelen bepaalt staat".split()
)
_VERB_ENDINGS = ("eren",)
# A past participle ("ingericht", "gebruikt"): as a clause's last word it is no noun, even
# after a preposition ("daar niet op ingericht").
_PARTICIPLE = re.compile(r"(?:aan|af|in|op|uit|om|mee|toe|voor|na|door)?ge\w{3,}[dt]")
_NOT_VERB_ENDINGS = ("deren", "ieren")

Usage = dict[str, list[int]]  # folded word: [times written as a noun, as a verb or adjective]


def word_usage(texts: Iterable[str]) -> Usage:
    """How each folded word is used across ``texts``: [as a noun, otherwise]."""
    stops = stop_words()
    usage: Usage = defaultdict(lambda: [0, 0])
    for text in texts:
        for clause in _clauses(text):
            tokens = [fold(w) for w in words(clause)]
            for i, token in enumerate(tokens):
                before = tokens[i - 1] if i else ""
                before2 = tokens[i - 2] if i >= 2 else ""
                after = tokens[i + 1] if i + 1 < len(tokens) else ""
                after2 = tokens[i + 2] if i + 2 < len(tokens) else ""
                if (
                    before in BEFORE_NOUN
                    or (not before and after in _AFTER_SUBJECT)
                    or (adjective_like(before) and before not in stops and before2 != "te")
                ):
                    usage[token][0] += 1
                if not after and _PARTICIPLE.fullmatch(token):
                    usage[token][1] += 2  # outweighs the preposition before it
                elif before == "te" or after == "te":
                    usage[token][1] += 1
                elif after in ("en", "of") and adjective_like(token) and adjective_like(after2):
                    usage[token][1] += 1  # "duurzame en robuuste landbouw"
                elif (
                    after
                    and after not in stops
                    and (adjective_like(token) or token.endswith(ADJECTIVE_ENDINGS))
                ):
                    usage[token][1] += 1  # "dalende bodem": says something about the next word
                elif (
                    not after
                    and i >= 2
                    and token.endswith("en")
                    and before not in BEFORE_NOUN
                    and not before.endswith("e")
                ):
                    usage[token][1] += 1  # "… dan ze gebruiken": a verb closing the clause
    return usage


def is_content_phrase(phrase: str, usage: Usage, proper: frozenset[str] = frozenset()) -> bool:
    """Whether ``phrase`` names a topic: a content noun, or words closing on one."""
    folded = [fold(w) for w in words(phrase)]
    if not folded or len(phrase) > MAX_PHRASE_CHARS or all(w.isdigit() for w in folded):
        return False
    stops = stop_words()
    *front, head = folded
    if front:
        # "zoute kwel", "stad en ommeland": no function word leads, and a noun closes.
        if front[0] in stops or front[0] in _NOT_NOUN or front[0] in EMPTY:
            return False
        if any(w in _NOT_NOUN for w in front):
            return False
        return head in proper or (head not in EMPTY and _nounish(head, usage))
    return is_content_noun(head, usage, proper)


def is_content_noun(word: str, usage: Usage, proper: frozenset[str] = frozenset()) -> bool:
    """A single folded word that names a topic."""
    if word in proper and word not in stop_words():
        return len(word) >= 3
    if len(word) < 4 or word in EMPTY or word in stop_words() or word.isdigit():
        return False
    return _nounish(word, usage)


def content_words(text: str, usage: Usage, proper: frozenset[str] = frozenset()) -> list[str]:
    """The words of ``text`` that could be terms, as written."""
    return [w for w in words(text) if len(w) >= 5 and is_content_noun(fold(w), usage, proper)]


def _nounish(word: str, usage: Usage) -> bool:
    if word in _NOT_NOUN or word in stop_words():
        return False
    as_noun, otherwise = usage.get(word, (0, 0))
    if otherwise > as_noun:
        return False
    if word.endswith(NOUN_ENDINGS):
        return True
    if word.endswith(ADJECTIVE_ENDINGS) or (
        word.endswith(_VERB_ENDINGS) and not word.endswith(_NOT_VERB_ENDINGS)
    ):
        return False
    return as_noun > 0  # written as a noun somewhere, not only as a verb ("willen", "koppel")


def _clauses(text: str) -> list[str]:
    out = [text]
    for mark in (".", ";", ":", "?", "!", ","):
        out = [part for chunk in out for part in chunk.split(mark)]
    return [c for c in out if c.strip()]


__all__ = [
    "BEFORE_NOUN", "EMPTY", "Usage", "content_words", "is_content_noun", "is_content_phrase",
    "word_usage",
]  # fmt: skip
