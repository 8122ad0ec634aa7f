"""The subject of one contribution, named from its own content nouns: a label for a point
said once ("Integrale aanpak", "Kennis en technologie over duurzame en robuuste landbouw").

What a text says is *nodig* is its point ("… is niet genoeg; er is een integrale aanpak
nodig"); otherwise the noun phrase it opens with, up to its verb. A label is no sentence: it
drops a leading article and stops before its second preposition. A phrase of everyday words
only ("Burgers en bedrijven") names no subject.
"""

from __future__ import annotations

import re

from noviwerk.synthesis.rode_draden.naming import generic_word, leading_noun_phrase
from noviwerk.synthesis.text import dutch_words, fold, lemma, stop_words, without_lead_in, words
from noviwerk.synthesis.wordclass import PREPOSITIONS  # open a phrase's complement ("visie met …")

SPECIFIC_ZIPF = 4.7  # a label needs one word rarer than "burgers" or "gezond"
_ARTICLES = frozenset({"de", "het", "een"})
# "er is een integrale aanpak nodig", "steden hebben beleidsvrijheid nodig"; not "geen … nodig".
_DEMAND = re.compile(
    r"\b(?:er\s+(?:is|zijn)|hebben|heeft)\s+(?:(?:we|wij|ze|zij|hij|het)\s+)?(.{3,80}?)\s+nodig\b",
    re.IGNORECASE,
)


def demanded(text: str) -> str:
    """The noun phrase a text says is needed, as written; "" when it asks for nothing."""
    for m in _DEMAND.finditer(text):
        phrase = m.group(1)
        if any(fold(w) in ("geen", "niet") for w in words(phrase)):
            continue
        found = leading_noun_phrase(phrase) or _framed(phrase)
        if found:
            return found
    return ""


def _framed(phrase: str) -> str:
    """A short phrase whose noun only frames, made specific by its adjective ("een integrale
    aanpak", where "aanpak" alone would name nothing)."""
    ws = [w for w in phrase.split() if fold(w) not in _ARTICLES]
    if not 2 <= len(ws) <= 3 or not all(fold(w).isalpha() for w in ws):
        return ""
    if any(fold(w) in stop_words() for w in ws) or not _specific(ws):
        return ""
    return " ".join(ws)


# What a question opens with before its subject: "Moet het Rijk …", "Welke lock-ins …".
QUESTION_OPENERS = frozenset(
    "wie wat welke welk hoe waar wanneer waarom hoeveel moet moeten mag mogen kan kunnen is "
    "zijn wil willen zal zullen gaat gaan".split()
)
_BEFORE_SUBJECT = _ARTICLES | PREPOSITIONS | QUESTION_OPENERS
QUESTION_WORDS = 8


def asked_about(text: str) -> str:
    """The first noun phrase a question asks about, as written: "Moet het Rijk een nationale
    norm bepalen …?" asks about "nationale norm" (the Rijk is who is asked, too broad to
    name); "" for a text that is no question or names nothing specific."""
    clause = re.split(r"[?;:]", text, maxsplit=1)[0].split()
    if not clause or fold(clause[0]) not in QUESTION_OPENERS:
        return ""
    for i in range(1, min(len(clause), QUESTION_WORDS)):
        if fold(clause[i - 1]) not in _BEFORE_SUBJECT or fold(clause[i]) in _BEFORE_SUBJECT:
            continue
        if generic_word(clause[i]):
            continue  # "het Rijk", "de overheid": who is asked, not what about
        found = leading_noun_phrase(" ".join(clause[i:]))
        if found and _specific(found.split()):
            return found
    return ""


def subject_label(text: str) -> str:
    """A label for the subject of ``text``, capitalised; "" when it names none."""
    text = without_lead_in(text)
    return _as_label(demanded(text) or leading_noun_phrase(text) or asked_about(text))


# ", en hittestress in de zomer" at a text's end: a second subject, said without a verb.
_ADDED = re.compile(r",\s+en\s+(?:ook\s+)?([^,;:?!]+?)[.!]?\s*$", re.IGNORECASE)


def added_subject(text: str) -> str:
    """A label for the second subject a text adds at its end, without a verb of its own
    ("Meer wateroverlast in de stad na hevige buien, en hittestress in de zomer" adds
    "Hittestress in de zomer"); "" when it adds none ("…, en daarmee stijgen de kosten",
    "…, en stad en land verbinden": a clause, said of the first subject), or only one word,
    which may as well be an adverb ("…, en andersom")."""
    m = _ADDED.search(without_lead_in(text))
    if not m:
        return ""
    rest = m.group(1).strip()
    found = leading_noun_phrase(rest)
    if not found or found != rest or len(found.split()) < 2:
        return ""
    if any(fold(w) in ("geen", "niet") for w in words(rest)):
        return ""
    return _as_label(found)


def _as_label(phrase: str) -> str:
    ws = phrase.split()
    while ws and fold(ws[0]) in _ARTICLES:
        ws.pop(0)
    seen = 0
    for i, w in enumerate(ws):
        if fold(w) in PREPOSITIONS:
            seen += 1
            if seen == 2:
                ws = ws[:i]
                break
    while ws and (fold(ws[-1]) in PREPOSITIONS or fold(ws[-1]) in _ARTICLES or fold(ws[-1]) == "en"):
        ws.pop()
    if not ws or not _specific(ws):
        return ""
    label = " ".join(ws)
    return label[:1].upper() + label[1:]


def head(label: str) -> list[str]:
    """The folded words a label opens with, before its first preposition: "Kennis en
    technologie" of "Kennis en technologie over duurzame landbouw"."""
    out: list[str] = []
    for w in words(label):
        folded = fold(w)
        if folded in PREPOSITIONS:
            # "Halen van de normen", "Monitoren van luchtkwaliteit": after a verb used as a
            # noun, what is done is the subject.
            if folded == "van" and out and all(_infinitive(o) for o in out):
                continue
            break
        if folded not in _ARTICLES | {"en"}:
            out.append(folded)
    return out


def _infinitive(word: str) -> bool:
    return word.endswith("en") and lemma(word) == word and len(word) > 4


def _specific(ws: list[str]) -> bool:
    freq = dutch_words()
    return any(
        freq.get(fold(w), 0.0) < SPECIFIC_ZIPF
        for w in ws
        if fold(w) not in PREPOSITIONS and fold(w) not in _ARTICLES and fold(w) != "en"
    )


__all__ = ["added_subject", "asked_about", "demanded", "head", "subject_label"]
