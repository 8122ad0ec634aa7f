"""Hints of a Dutch word's class, for the modules that name things (cluster labels, rode
draden, an ansichtkaart's terms). Dutch texts carry no word-class marks and no tagger ships
Dutch data we may use, so a word's ending and the company it keeps are the evidence; each
module weighs these hints its own way."""

from __future__ import annotations

from collections.abc import Iterable

from noviwerk.synthesis.text import fold, lemma

# Endings that make a word a noun ("bereikbaarheid", "samenwerking", "waterkwaliteit").
NOUN_ENDINGS = (
    "ing", "heid", "schap", "tie", "sie", "isme", "teit", "nis", "dom", "ment", "agenda",
    "gebied", "gebieden", "systeem", "beleid", "kwaliteit", "overlast",
)  # fmt: skip
# Endings of adjectives and participles ("regionale", "dalende", "economisch").
ADJECTIVE_ENDINGS = (
    "ale", "ele", "ieke", "ische", "lijke", "ige", "end", "ende", "bare", "zame", "aire",
    "iele", "ieve", "ste", "isch", "lijk", "baar", "zaam", "ig", "ief", "aal", "aam", "amer",
    "ust", "eel", "air",
)  # fmt: skip


def adjective_like(word: str) -> bool:
    """ "regionale", "duurzame" (but not "energie", "zee"): it goes with the next word."""
    token = fold(word)
    return len(token) >= 3 and token.endswith("e") and not token.endswith(("ee", "ie", "oe", "ue"))


def infinitive_in_eren(token: str) -> bool:
    """ "organiseren", "investeren": a verb, unless its lemma is a noun ("rivieren": rivier,
    "dieren", "manieren") or it ends like one."""
    return (
        token.endswith("eren") and len(token) > 6 and not token.endswith(NOUN_ENDINGS)
        and lemma(token) == token
    )  # fmt: skip


def verb_by_form(cue: str, token: str) -> bool:
    """A verb by its form and the word before it: a long -eren ("organiseren"), or an
    infinitive after "meer" or "minder" ("minder praten, meer doen"), known as one because its
    third person leads back to it ("praat", "doet"); "meer groen", "minder regen" are nouns."""
    if token.endswith("eren") and len(token) > 6:
        return True
    return cue in ("meer", "minder") and infinitive(token)


def infinitive(token: str) -> bool:
    """ "praten" (praat), "doen" (doet), "beslissen" (beslist): an infinitive, by simplemma's
    lemma of the third person that Dutch spelling makes of it; not "groen", "regen", "open"."""
    if not token.endswith("en") or len(token) < 4 or lemma(token) != token:
        return False
    stem = token[:-2]
    if token[-3] in "aeiou":
        stem = token[:-1]  # "doen": doe(t), "gaan": gaa(t)
    elif len(stem) >= 2 and stem[-1] == stem[-2]:
        stem = stem[:-1]  # "beslissen": beslis
    elif len(stem) >= 3 and [c in "aeiou" for c in stem[-3:]] == [False, True, False]:
        stem = stem[:-1] + stem[-2] + stem[-1]  # "praten": praat (an open syllable)
    stem = stem[:-1] + {"v": "f", "z": "s"}.get(stem[-1:], stem[-1:])  # "leven": leef
    third = stem if stem.endswith("t") else stem + "t"
    return third != token and lemma(third) == token


def verb_label(label: str, texts: Iterable[str]) -> bool:
    """A label of one verb that names what is done, not to what: no theme. "Versterken" said
    inside ("de positie te versterken", "het versterken van"), "Aanpassen van de bouw" (with
    its object). An activity that opens what was said is a theme, as a noun: "Wonen in kleine
    kernen", "Samenwerken tussen stad en land"."""
    word = fold(label)
    if len(label.split()) != 1 or not infinitive(word):
        return False
    said = [[fold(w) for w in text.split()[:2]] for text in texts]
    opens = [ws for ws in said if ws and ws[0].strip(".,:;!?") == word]
    activity = [ws for ws in opens if len(ws) < 2 or ws[1] != "van"]
    return 2 * len(activity) < len(said)


def imperative(word: str) -> bool:
    """A text opening with a command names no subject: "Vergeet …", "Bespreek …" (a verb
    prefix and no noun or adjective ending), "Kies …", "Maak …" (a stem whose lemma is the
    infinitive: kiezen, maken)."""
    token = fold(word)
    if token.startswith(("be", "ver", "ont", "ge")):
        return not token.endswith(NOUN_ENDINGS + ADJECTIVE_ENDINGS)
    base = lemma(token)
    return base != token and base.endswith("en") and not token.endswith("en")


def surface(word: str, position: int) -> str:
    """A word as a label writes it: lower case, unless a name (capitalised mid-sentence:
    Gouda) or an abbreviation (NOVI)."""
    if word.isupper() and len(word) > 1:
        return word
    return word if position > 0 and word[:1].isupper() else word.lower()


# Dutch prepositions: inside a noun phrase ("Natuur langs de rivieren"), never at its end.
PREPOSITIONS = frozenset(
    "van in op voor met naar over bij door om uit zonder tussen onder vanuit als achter rond "
    "rondom tegen na langs aan boven binnen buiten".split()
)
