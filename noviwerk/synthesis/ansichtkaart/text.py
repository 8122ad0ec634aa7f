"""The words of an ansichtkaart: its title and three paragraphs, written from a draft.

The paragraphs follow the real cards of the Werkplaats NOVI (2016):

1. what was discussed: "Onder de noemer ‘Werkplaats …’ discussieerden we samen over" the
   kinds of points made and the heaviest terms, after the heaviest trend when there is room;
2. what was heard, in prose that names the leading points by their labels (never pasting a
   contribution): "Uit de gespreksronden tijdens de werkplaats klinkt het vaakst een geluid
   over wateroverlast en piekbuien, ingebracht door vier deelnemers." (only when that point
   carried the most weight; "vooral" or "onder meer" otherwise), then the heaviest point of
   each other kernvraag ("Daarnaast gaat het over …", "Ook … komt aan bod.");
3. the closing message: "De werkplaats geeft het Rijk mee:" what must not be missing and
   how to work together, an open dilemma, a citaat.

Every point is used once, and each paragraph keeps the provenance of what it names.

A paragraph is built from fragments; while the card is too full, the least needed fragment
goes first (in this order: the fourth and third point heard, the second message, the second
point heard, the dilemma, the citaat, the opening trend), then the topics of the opening
sentence are named fewer, and only then is a wording shortened, a clause or else a word at
a time, with "…" (``fitting`` does the cutting). Nothing is ever cut inside a word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import noviwerk.synthesis.ansichtkaart.layout as measure
from noviwerk.synthesis.ansichtkaart.draden import draden, tafel_count
from noviwerk.synthesis.ansichtkaart.fitting import Fragment, capped, fit, fit_title
from noviwerk.synthesis.ansichtkaart.heard import heard, themes_heard
from noviwerk.synthesis.ansichtkaart.nouns import (
    Usage,
    content_words,
    is_content_phrase,
    word_usage,
)
from noviwerk.synthesis.ansichtkaart.terms import as_written, point_weight
from noviwerk.synthesis.document import (
    CITATEN,
    Cluster,
    Document,
    Head,
    Paragraph,
    PointList,
    Provenance,
    Quote,
)
from noviwerk.synthesis.phrasing import as_sentence, count, join, squash, without_end_stop
from noviwerk.synthesis.text import fold

TITLE_PREFIX = "NOVI-werkplaats"
POINT_CHARS = 220  # one point's wording, before the card's budget is even considered
QUOTE_CHARS = 150
TOPICS = 4


class Named(Protocol):
    """A term as the opening sentence names it."""

    text: str
    provenance: Provenance


def write(
    document: Document, terms: Sequence[Named], proper: frozenset[str], geo: measure.Geometry
) -> tuple[str, tuple[tuple[str, Provenance], ...]]:
    """The card's title and its three paragraphs (text, provenance), fitting ``geo``."""
    points = _points(document, proper)
    werkplaats = _werkplaats_name(document.head.title)
    used: set[int] = set()
    # The closing takes its messages first; what was heard is the rode draden, or where the
    # draft has none (an early draft, a hand-written section), the heaviest remaining points.
    closing = _closing(points, _quotes(document), used, proper)
    usage = word_usage(i.text for i in document.appendix_items())
    nameable = [d for d in draden(document) if d.nameable(usage, proper)]
    themes = themes_heard(nameable, points, used, proper)
    top = max((p.weight for p in points), default=0.0)
    said = heard(themes, top, proper, tafels=tafel_count(document))
    opening = _opening(document, werkplaats, points, terms, proper)
    return (fit_title(f"{TITLE_PREFIX} {werkplaats}", geo), fit([opening, said, closing], geo))


def point_texts(document: Document) -> list[str]:
    """The wordings the card may quote (for telling names from ordinary words)."""
    return [p.text for p in _points(document)]


@dataclass(frozen=True)
class _Point:
    text: str  # a sentence, as in the draft
    provenance: Provenance
    weight: float
    kernvraag: int | None
    labels: tuple[str, ...]
    order: int
    name: str = ""  # what the point is about, from its label: "regionale bereikbaarheid"
    voices: int = 1

    @property
    def carried_weight(self) -> bool:
        return self.weight > 2.0  # more than one participant, or backed, or starred

    @property
    def is_dilemma(self) -> bool:
        return "dilemma" in self.labels


def _name(parts: Sequence[str], usage: Usage, proper: frozenset[str]) -> str:
    """A point's topic: its label when that is one noun phrase, else its first two content
    parts ("Wateroverlast, piekbuien, Rijk" → "wateroverlast en piekbuien"); "" for none."""
    good = [" ".join(p.split()) for p in parts if is_content_phrase(p.strip(), usage, proper)]
    return join([as_written(p, proper) for p in good[:2]])


def _werkplaats_name(title: str) -> str:
    name = squash(title)
    for prefix in ("novi-werkplaats ", "werkplaats "):
        if name.casefold().startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
    return name or "zonder titel"


def _points(document: Document, proper: frozenset[str] = frozenset()) -> list[_Point]:
    """The draft's points, heaviest first: its clusters, or a hand-written section's sentences."""
    usage = word_usage(i.text for i in document.appendix_items())
    found: list[_Point] = []
    for section in document.sections:
        if not section.id.startswith("kernvraag-") and section.id != "overig":
            continue
        kernvraag = int(section.id.split("-")[1]) if section.id.startswith("kernvraag-") else None
        for block in section.blocks:
            if isinstance(block, Cluster):
                found.append(
                    _Point(
                        block.wording,
                        block.provenance,
                        point_weight(block),
                        kernvraag,
                        block.labels,
                        len(found),
                        _name(block.label.split(","), usage, proper),
                        block.participants,
                    )
                )
            elif isinstance(block, Paragraph | PointList):
                sentences = block.sentences if isinstance(block, Paragraph) else block.items
                for s in sentences:
                    found.append(
                        _Point(
                            as_sentence(s.text),
                            s.provenance,
                            2.0 * max(1, len(s.provenance.ids)),
                            kernvraag,
                            (),
                            len(found),
                            _name(content_words(s.text, usage, proper), usage, proper),
                            max(1, len(s.provenance.ids)),
                        )
                    )
    found.sort(key=lambda p: (-p.weight, p.kernvraag is None, p.kernvraag or 0, p.order))
    return [p for p in found if p.text]


def _quotes(document: Document) -> list[tuple[str, Provenance]]:
    section = document.section(CITATEN)
    out: list[tuple[str, Provenance]] = []
    for block in section.blocks if section else ():
        if isinstance(block, Quote):
            out.append((block.text, block.provenance))
        elif isinstance(block, Paragraph):
            out.extend((s.text.strip('\u201c\u201d"‘’ '), s.provenance) for s in block.sentences)
    return [(squash(t), p) for t, p in out if squash(t)]


def _after_colon(sentence: str, proper: frozenset[str]) -> str:
    """A sentence continuing after a colon: lower case first, unless it starts with a name."""
    first = sentence.split(" ", 1)[0]
    letters = "".join(c for c in first if c.isalpha())
    if not letters or fold(letters) in proper or (len(letters) > 1 and not letters[1:].islower()):
        return sentence  # a name, an abbreviation, "NOVI", "iPhone"
    return sentence[:1].lower() + sentence[1:]


def _wording(point: _Point, limit: int = POINT_CHARS) -> tuple[str, str]:
    """A point's sentence split into its words and its closing mark, capped to ``limit``."""
    text = capped(as_sentence(point.text), limit)
    if text.endswith(("?", "!", ".")):
        return text[:-1], text[-1]
    return text, ""


def _opening(
    document: Document,
    werkplaats: str,
    points: list[_Point],
    terms: Sequence[Named],
    proper: frozenset[str],
) -> list[Fragment]:
    """What the werkplaats was: its setting, then "Onder de noemer …" what it was about.

    Never a contribution's own words: the heaviest terms are the rode draden's labels and
    the nouns people used, and the setting is the werkplaats' own facts.
    """
    fragments: list[Fragment] = []
    setting = _setting(document.head, proper)
    if setting:
        fragments.append(Fragment([("", setting, ".")], Provenance(), drop=3))
    lead = f"Onder de noemer \u2018Werkplaats {werkplaats}\u2019 discussieerden we samen over "
    kinds = _kinds(points)
    dilemmas = any(p.is_dilemma for p in points)
    topics = [t for t in terms[:TOPICS]]
    variants: list[tuple[str, str, str]] = []
    for n in range(len(topics), 0, -1):
        about = join([t.text for t in topics[:n]])
        subject = f"{kinds} rond {about}" if kinds else about
        if dilemmas:
            subject += ", en over de dilemma\u2019s die daarbij spelen"
        variants.append((lead, subject, "."))
    theme = (document.head.theme or "").strip()
    variants.append(
        (
            lead,
            kinds or (f"het thema {theme.lower()}" if theme else "de opgaven voor de leefomgeving"),
            ".",
        )
    )
    fragments.append(Fragment(variants, Provenance.union(t.provenance for t in topics), drop=0))
    return fragments


def _setting(head: Head, proper: frozenset[str]) -> str:
    """``Het thema klimaat stond centraal in vier gespreksronden, met 28 bijdragen van twaalf
    deelnemers uit drie velden``; "" while nothing was said."""
    if not head.contributions:
        return ""
    said = count(head.contributions, "bijdrage", "bijdragen")
    if head.participants:
        said += f" van {count(head.participants, 'deelnemer', 'deelnemers')}"
        if len(head.velden) > 1:
            said += f" uit {count(len(head.velden), 'veld', 'velden')}"
    rounds = count(head.rounds, "gespreksronde", "gespreksronden") if head.rounds else ""
    theme = squash(head.theme or "")
    if theme and rounds:
        return f"Het thema {as_written(theme, proper)} stond centraal in {rounds}, met {said}"
    if rounds:
        return f"In {rounds} kwamen {said} binnen"
    return f"Er kwamen {said} binnen"


def _kinds(points: list[_Point]) -> str:
    labels = {label for p in points for label in p.labels}
    positions = {p.kernvraag for p in points}
    kinds = []
    if labels & {"trend", "ontwikkeling"} or 1 in positions:
        kinds.append("trends")
    if "opgave" in labels or 2 in positions:
        kinds.append("opgaven")
    if "kans" in labels:
        kinds.append("kansen")
    return f"de {join(kinds)}" if kinds else ""


def _closing(
    points: list[_Point],
    quotes: list[tuple[str, Provenance]],
    used: set[int],
    proper: frozenset[str],
) -> list[Fragment]:
    lead = "De werkplaats geeft het Rijk mee: "
    messages = [p for p in points if p.kernvraag == 5 and not p.is_dilemma]
    messages += [p for p in points if p.kernvraag == 4 and not p.is_dilemma]
    fragments: list[Fragment] = []
    if messages:
        first = messages[0]
        words_, stop = _wording(first)
        fragments.append(
            Fragment([(lead, _after_colon(words_, proper), stop or ".")], first.provenance)
        )
        used.add(first.order)
        if len(messages) > 1:
            words_, stop = _wording(messages[1], 160)
            fragments.append(Fragment([("", words_, stop or ".")], messages[1].provenance, drop=7))
            used.add(messages[1].order)
    dilemma = next((p for p in points if p.is_dilemma and p.order not in used), None)
    if dilemma is not None:
        words_, stop = _wording(dilemma, 160)
        lead_d = "Een open vraag blijft: " if stop == "?" else "Een dilemma blijft: "
        fragments.append(
            Fragment(
                [(lead_d, _after_colon(words_, proper), stop or ".")], dilemma.provenance, drop=5
            )
        )
        used.add(dilemma.order)
    said = {i for p in points if p.order in used for i in p.provenance.ids}
    quote = next(((t, p) for t, p in quotes if not set(p.ids) & said), None)
    if quote is None and quotes and not fragments:
        quote = quotes[0]
    if quote is not None:
        text = capped(without_end_stop(quote[0]), QUOTE_CHARS)
        fragments.append(
            Fragment(
                [("In de woorden van een deelnemer: \u2018", text, "\u2019.")], quote[1], drop=4
            )
        )
    if not fragments:
        fragments.append(
            Fragment(
                [(lead, "de boodschap volgt uit de gespreksronden die nog komen", ".")],
                Provenance(),
            )
        )
    elif not fragments[0].variants[0][0].startswith(lead):
        # No message of its own: the dilemma or the citaat is what the Rijk is given.
        first_lead, wording, close = fragments[0].variants[0]
        carried = {
            "Een open vraag blijft: ": "een open vraag",
            "Een dilemma blijft: ": "een dilemma",
        }.get(first_lead)
        if carried is None:
            first_lead = "De werkplaats geeft het Rijk de woorden van een deelnemer mee: \u2018"
        else:
            first_lead = f"De werkplaats geeft het Rijk {carried} mee: "
        fragments[0].variants[0] = (first_lead, wording, close)
        fragments[0].drop = 0
    return fragments


__all__ = ["TITLE_PREFIX", "Named", "point_texts", "write"]
