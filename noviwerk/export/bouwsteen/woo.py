"""A bouwsteen without personal names, for publication under the Woo (Wet open overheid).

``redact(document, names)`` gives the same Document with every name of a person the werkplaats
knows (its participants' chosen names, its trekkers and facilitators, whoever signed it off)
replaced by ``[naam]``, wherever it stands: the head, the status line, the trekker's own text,
and what participants typed into their contributions and so into clusters, quotes and the
bijlage. E-mail addresses and telephone numbers become ``[e-mailadres]`` and
``[telefoonnummer]``. Organisations, velden and counts stay: they are no personal data
of a natural person, and the Woo asks for them. Then any format renders it as usual.

A name is found:

- whole: "Jan de Vries" in any case and spacing; a name of one word besides tussenvoegsels
  ("De Boer", "Jansen") only with its capital, so "de boer" (the farmer) stays;
- by its parts: the family name ("De Vries", "de Vries") and the first name ("Jan"), written
  with a capital as names are.

A "name" with a word in it that is no name ("Provincie Utrecht", "Team Water": people type
organisations into the name field too), or with a word of the werkplaats' own title, place
or theme, only goes whole, never by its parts; such a name of one word not at all.

What it cannot know stays: a nickname, a misspelling, someone the werkplaats never saw.
The Woo-versie says on its first page that names were replaced; whoever publishes it still
reads it through. Pure: strings in, Document out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

from noviwerk.synthesis.document import Cluster, Document, Sentence

PLACEHOLDER = "[naam]"
EMAIL_PLACEHOLDER = "[e-mailadres]"
PHONE_PLACEHOLDER = "[telefoonnummer]"
NOTE = (
    "Woo-versie: namen van personen zijn vervangen door [naam], e-mailadressen en "
    "telefoonnummers ook."
)
MIN_PART = 3  # a first or family name of one or two letters ("Bo", "Li") only goes whole

# Fields that name structure, not content: never rewritten (ids, anchors, enum values).
_STRUCTURE = {"id", "cluster_id", "origin", "schema", "stage", "veld", "source", "op", "kind"}
# Lower-case parts of a Dutch family name ("van der Berg", "ter Horst", "in 't Veld").
TUSSENVOEGSELS = {
    "van", "de", "der", "den", "het", "'t", "t", "ten", "ter", "te", "in", "op", "aan",
    "bij", "uit", "onder", "over", "voor", "von", "la", "le", "du", "d'", "del", "da", "di",
}  # fmt: skip
# Words that are no name even when someone typed them into the name field.
NOT_NAMES = {
    "anoniem", "deelnemer", "gast", "naam", "geen", "onbekend", "team", "groep", "tafel",
    "gemeente", "provincie", "rijk", "rijkswaterstaat", "ministerie", "waterschap",
    "stichting", "vereniging", "bureau", "college", "raad", "dienst", "directie", "afdeling",
    "regio", "stad", "land", "water", "natuur", "klimaat", "energie", "wonen", "werk",
    "mobiliteit", "landbouw", "ruimte", "omgeving", "nederland", "europa", "noord", "zuid",
    "oost", "west",
}  # fmt: skip
TITLES = {"dhr", "mevr", "mw", "mr", "drs", "ir", "ing", "dr", "prof", "meneer", "mevrouw"}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Dutch numbers as people write them: 06-12345678, 06 1234 5678, +31 6 12345678, 070-1234567.
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[\s-]?(?:\(0\))?[\s-]?[1-9](?:[\s-]?\d){8}(?!\d)")


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"\s+", name.strip()) if w]


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def known_names(raw: Iterable[str]) -> list[str]:
    """The distinct names in ``raw``, tidied: a field that holds several ("Jan Jansen, Piet
    Puk (IenM)") split into its people, titles and what is in brackets left out."""
    out: dict[str, str] = {}
    for text in raw:
        text = re.sub(r"\([^)]*\)", " ", text or "")
        for piece in re.split(r"\s*(?:[,;/&+]|\ben\b)\s*", text):
            words = [w for w in _words(piece) if w.casefold().rstrip(".") not in TITLES]
            if (name := " ".join(words)) and _letters(name) >= 2:
                out.setdefault(name.casefold(), name)
    return list(out.values())


def _whole(words: list[str]) -> str:
    return r"\s+".join(re.escape(w) for w in words)


def _name_word(word: str, loose: bool) -> str:
    """``word`` as a name is written: its first letter a capital, the rest in any case
    (``loose``: in any case at all)."""
    if loose:
        return f"(?i:{re.escape(word)})"
    first, rest = word[0], word[1:]
    return re.escape(first.upper()) + (f"(?i:{re.escape(rest)})" if rest else "")


def _is_tussenvoegsel(word: str) -> bool:
    return word.casefold() in TUSSENVOEGSELS


def _family(words: list[str], loose: bool) -> str:
    """A family name with its tussenvoegsels in any case and its core with a capital."""
    n = next(i for i, w in enumerate(words) if not _is_tussenvoegsel(w))
    prefix = f"(?i:{_whole(words[:n])})" + r"\s+" if n else ""
    return prefix + r"\s+".join(
        f"(?i:{re.escape(w)})" if _is_tussenvoegsel(w) else _name_word(w, loose) for w in words[n:]
    )


def _patterns(name: str, unwanted: set[str], loose: bool) -> tuple[list[str], list[str]]:
    """(whole, parts): the patterns that find ``name`` whole, and by its parts."""
    words = _words(name)
    core = [w for w in words if not _is_tussenvoegsel(w)]
    if not core:
        return [], []
    whole = ["(?i:" + _whole(words) + ")" if len(core) > 1 else _family(words, loose)]
    if any(w.casefold().rstrip(".") in unwanted for w in words):
        return (whole if len(words) > 1 else []), []
    parts = []
    if len(core) > 1 and not _is_tussenvoegsel(words[0]):
        given, family = words[0], words[1:]  # "Jan", and "de Vries", "Vries"
        if len(given) >= MIN_PART:
            parts.append(_name_word(given, loose))
        if any(len(w) >= MIN_PART for w in family):
            parts.append(_family(family, loose))
            if _is_tussenvoegsel(family[0]):
                parts.append(_family([w for w in family if not _is_tussenvoegsel(w)], loose))
    return whole, parts


def name_pattern(
    names: Iterable[str], common: Iterable[str] = (), *, loose: bool = False
) -> re.Pattern[str] | None:
    """One pattern for every name in ``names`` (whole, or by its parts); ``common``: words
    of this werkplaats that are no name (its title, place, themes), never matched alone.
    ``loose``: the parts in any case, for labels the machine made of the words it read
    ("Bodem, vries"), where a capital says nothing."""
    unwanted = NOT_NAMES | {w.casefold() for text in common for w in _words(text)}
    whole: set[str] = set()
    parts: set[str] = set()
    for name in known_names(names):
        found_whole, found_parts = _patterns(name, unwanted, loose)
        whole.update(found_whole)
        parts.update(found_parts)
    if not whole:
        return None
    # Longest first, so "Jan de Vries" goes whole before "Jan" or "de Vries" could match.
    alternatives = sorted(whole, key=len, reverse=True) + sorted(parts, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def redact_text(text: str, pattern: re.Pattern[str] | None) -> str:
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    text = _PHONE.sub(PHONE_PLACEHOLDER, text)
    return pattern.sub(PLACEHOLDER, text) if pattern is not None else text


@dataclass(frozen=True)
class _Patterns:
    strict: re.Pattern[str] | None  # text as people write it
    loose: re.Pattern[str] | None  # labels the machine made of single words


def _redacted(value: Any, patterns: _Patterns) -> Any:
    if isinstance(value, str):
        return redact_text(value, patterns.strict)
    if isinstance(value, tuple):
        return tuple(_redacted(v, patterns) for v in value)
    if not (is_dataclass(value) and not isinstance(value, type)):
        return value
    changes = {
        f.name: _redacted(getattr(value, f.name), patterns)
        for f in fields(value)
        if f.init and f.name not in _STRUCTURE
    }
    if isinstance(value, Cluster):
        changes["label"] = redact_text(value.label, patterns.loose)
    elif isinstance(value, Sentence) and value.strong:
        # The bold label ahead of the sentence ("Vries kwam terug in…"): loose, and the
        # bold part stays exactly the label however long its replacement is.
        label = redact_text(value.text[: value.strong], patterns.loose)
        changes["text"] = label + redact_text(value.text[value.strong :], patterns.strict)
        changes["strong"] = len(label)
    return replace(value, **changes)


def redact(document: Document, names: Iterable[str], common: Iterable[str] = ()) -> Document:
    """``document`` without the personal names ``names`` (see the module's docstring),
    saying so in its status line; ``common``: words that are no name here."""
    names, common = list(names), list(common)
    patterns = _Patterns(name_pattern(names, common), name_pattern(names, common, loose=True))
    redacted: Document = _redacted(document, patterns)
    head = redacted.head
    if head.trekker:
        head = replace(head, trekker=PLACEHOLDER)
    return replace(redacted, head=head, status_note=f"{redacted.status_note} {NOTE}".strip())
