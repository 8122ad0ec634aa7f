"""The ansichtkaart: the one-page postcard of a werkplaats, written from its draft bouwsteen.

``generate`` turns a ``Document`` into a ``Card``: "NOVI-werkplaats <titel>", the date, three
short paragraphs in the voice of the real cards of the Werkplaats NOVI (2016), the key terms
for the word visual, a layout and the URL its QR code points to. Pure and deterministic, like
``assemble``.

The three paragraphs follow the real cards:

1. what was discussed: "Onder de noemer ‘Werkplaats …’ discussieerden we samen over …",
   after the heaviest trend when there is room for it;
2. what was heard: "Uit de gespreksronden tijdens de werkplaats klinkt …", the heaviest
   points on opgaven, kansen and verbindingen;
3. the closing message to the Rijk: what must not be missing and how to work together, an
   open dilemma, a citaat.

Each paragraph keeps the provenance of the points it names. The text always fits the card
(``ansichtkaart_layout`` measures it as the exports will set it): whole sentences go first,
then the least needed clauses; only a sentence that alone is too long is shortened, at a
word, with "…". ``edit`` takes the trekker's own texts and refuses, with a Dutch message, what
is empty, carries control characters or would not fit: hand text is never cut.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from noviwerk.domain import TextProblem, text_problem
from noviwerk.synthesis import ansichtkaart_layout as layout
from noviwerk.synthesis.ansichtkaart_terms import MAX_TERMS, key_terms, point_weight, proper_words
from noviwerk.synthesis.document import (
    CITATEN,
    HAND,
    MACHINE,
    Cluster,
    Document,
    Paragraph,
    PointList,
    Provenance,
    Quote,
    format_date_nl,
)
from noviwerk.synthesis.phrasing import as_sentence, join, squash, without_end_stop
from noviwerk.synthesis.text import fold

SCHEMA = "noviwerk.ansichtkaart/1"
TITLE_PREFIX = "NOVI-werkplaats"
MAX_TERM_CHARS = 40
MAX_TEXT_CHARS = 2000  # refused before measuring: no card holds this much
MAX_URL_CHARS = 300
POINT_CHARS = 220  # one point's wording, before the card's budget is even considered
QUOTE_CHARS = 150
TOPICS = 4


class CardError(ValueError):
    """A card text or setting that cannot be accepted; the message says why (Dutch)."""


# --- layouts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A colour scheme, after the Rijkshuisstijl palette, and the side of the image panel.

    Every text colour meets WCAG AA (4.5:1) on what it stands on; a test computes it.
    """

    name: str
    label: str  # as the trekker sees it
    side: str  # where the word visual goes: "right" or "left"
    band: str  # the title band
    on_band: str  # title and date
    background: str  # behind the paragraphs
    text: str  # the paragraphs
    panel: str  # behind the word visual
    term_strong: str  # the heaviest terms
    term: str
    term_soft: str  # the lightest terms
    caption: str  # "Lees de bouwsteen", on the panel

    def contrast_pairs(self) -> tuple[tuple[str, str, str], ...]:
        """(what, foreground, background) for every text on the card."""
        return (
            ("titel en datum", self.on_band, self.band),
            ("alinea's", self.text, self.background),
            ("kernwoorden (zwaarst)", self.term_strong, self.panel),
            ("kernwoorden", self.term, self.panel),
            ("kernwoorden (lichtst)", self.term_soft, self.panel),
            ("onderschrift QR-code", self.caption, self.panel),
        )


LAYOUTS: dict[str, Layout] = {
    layout_.name: layout_
    for layout_ in (
        Layout("rijksblauw", "Rijksblauw", "right", band="#154273", on_band="#FFFFFF",
               background="#FFFFFF", text="#1A1A1A", panel="#E6EEF6", term_strong="#154273",
               term="#01689B", term_soft="#3D4F63", caption="#154273"),
        Layout("groen", "Groen", "left", band="#275937", on_band="#FFFFFF",
               background="#FFFFFF", text="#1A1A1A", panel="#E9F2E4", term_strong="#275937",
               term="#2F6B12", term_soft="#44523F", caption="#275937"),
        Layout("oker", "Oker", "right", band="#FFB612", on_band="#1A1A1A",
               background="#FFFFFF", text="#1A1A1A", panel="#FFF3D6", term_strong="#673327",
               term="#8A4100", term_soft="#4D4A42", caption="#673327"),
        Layout("donker", "Donker", "right", band="#42145F", on_band="#FFFFFF",
               background="#FFFFFF", text="#1A1A1A", panel="#2A0D3D", term_strong="#FFFFFF",
               term="#F0C8FF", term_soft="#CDB8DC", caption="#FFFFFF"),
    )
}
DEFAULT_LAYOUT = "rijksblauw"


def get_layout(name: str) -> Layout:
    found = LAYOUTS.get(name)
    if found is None:
        raise CardError(f"Onbekende opmaak ‘{_shown(name)}’. Kies uit: {', '.join(LAYOUTS)}.")
    return found


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#RRGGBB`` colours."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# --- the card -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardParagraph:
    text: str
    provenance: Provenance = field(default_factory=Provenance)
    origin: str = MACHINE

    @property
    def ids(self) -> tuple[int, ...]:
        return self.provenance.ids


@dataclass(frozen=True)
class Term:
    text: str
    weight: float  # relative: the heaviest term of a generated card is 1.0
    provenance: Provenance = field(default_factory=Provenance)
    origin: str = MACHINE


@dataclass(frozen=True)
class Card:
    title: str
    date_text: str
    paragraphs: tuple[CardParagraph, ...]  # always three
    terms: tuple[Term, ...]  # heaviest first
    layout: str = DEFAULT_LAYOUT
    qr_url: str | None = None
    schema: str = SCHEMA

    @property
    def provenance(self) -> Provenance:
        total = Provenance()
        for p in self.paragraphs:
            total = total + p.provenance
        return total


# --- generate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    text: str  # a sentence, as in the draft
    provenance: Provenance
    weight: float
    kernvraag: int | None
    labels: tuple[str, ...]
    order: int

    @property
    def carried_weight(self) -> bool:
        return self.weight > 2.0  # more than one participant, or backed, or starred

    @property
    def is_dilemma(self) -> bool:
        return "dilemma" in self.labels


def generate(document: Document, *, share_url: str | None = None,
             layout: str = DEFAULT_LAYOUT) -> Card:
    """The machine's ansichtkaart for ``document``; always fits the card."""
    get_layout(layout)
    url = _checked_url(share_url)
    geo = layout_geometry(layout)
    points = _points(document)
    texts = [i.text for i in document.appendix_items()] + [p.text for p in points]
    proper = proper_words(texts)
    terms = tuple(Term(t.text, t.weight, t.provenance) for t in key_terms(document))
    terms = _fitting_terms(terms, geo, url is not None)
    werkplaats = _werkplaats_name(document.head.title)
    used: set[int] = set()
    closing = _closing(points, _quotes(document), used, proper)
    opening = _opening(document, werkplaats, points, terms, used)
    heard = _heard(points, used, proper)
    paragraphs = _fit([opening, heard, closing], geo)
    return Card(
        title=_fit_title(f"{TITLE_PREFIX} {werkplaats}", geo),
        date_text=format_date_nl(document.head.date),
        paragraphs=paragraphs,
        terms=terms,
        layout=layout,
        qr_url=url,
    )


def layout_geometry(name: str) -> layout.Geometry:
    return layout.geometry(get_layout(name).side)


def _werkplaats_name(title: str) -> str:
    name = squash(title)
    for prefix in ("novi-werkplaats ", "werkplaats "):
        if name.casefold().startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):]
    return name or "zonder titel"


def _points(document: Document) -> list[_Point]:
    """The draft's points, heaviest first: its clusters, or a hand-written section's sentences."""
    found: list[_Point] = []
    for section in document.sections:
        if not section.id.startswith("kernvraag-") and section.id != "overig":
            continue
        kernvraag = int(section.id.split("-")[1]) if section.id.startswith("kernvraag-") else None
        for block in section.blocks:
            if isinstance(block, Cluster):
                found.append(_Point(block.wording, block.provenance, point_weight(block),
                                    kernvraag, block.labels, len(found)))
            elif isinstance(block, Paragraph | PointList):
                sentences = block.sentences if isinstance(block, Paragraph) else block.items
                for s in sentences:
                    found.append(_Point(as_sentence(s.text), s.provenance,
                                        2.0 * max(1, len(s.provenance.ids)), kernvraag, (),
                                        len(found)))
    found.sort(key=lambda p: (-p.weight, p.kernvraag is None, p.kernvraag or 0, p.order))
    return [p for p in found if p.text]


def _quotes(document: Document) -> list[tuple[str, Provenance]]:
    section = document.section(CITATEN)
    out: list[tuple[str, Provenance]] = []
    for block in section.blocks if section else ():
        if isinstance(block, Quote):
            out.append((block.text, block.provenance))
        elif isinstance(block, Paragraph):
            out.extend((s.text.strip("\u201c\u201d\"‘’ "), s.provenance) for s in block.sentences)
    return [(squash(t), p) for t, p in out if squash(t)]


# A paragraph is made of fragments; fitting drops optional ones (highest ``drop`` first),
# then takes shorter variants, then shortens a wording at a word.


@dataclass
class _Fragment:
    variants: list[tuple[str, str, str]]  # (lead, wording, close): the text is their join
    provenance: Provenance
    drop: int = 0  # 0: never dropped; higher: dropped sooner
    chosen: int = 0

    @property
    def text(self) -> str:
        return "".join(self.variants[self.chosen])

    def shorter(self) -> bool:
        """One step shorter: the next variant, or one clause or word less with "…"."""
        if self.chosen + 1 < len(self.variants):
            self.chosen += 1
            return True
        lead, wording, close = self.variants[self.chosen]
        cut = shorten_once(wording)
        if cut is None:
            return False
        close = close.rstrip(".") if close not in (".", "?", "!") else ""
        self.variants[self.chosen] = (lead, cut, close)
        return True


def shorten_once(wording: str) -> str | None:
    """A wording one clause (or else one word) shorter, ending in "…"; None when too short."""
    body = wording[:-1] if wording.endswith("\u2026") else without_end_stop(wording)
    words_ = body.split()
    if len(words_) <= 3:
        return None
    half = len(body) * 0.5
    for mark in ("; ", ": ", " \u2014 ", " \u2013 ", ", "):
        at = body.rfind(mark)
        if at >= half:
            return body[:at].rstrip(" ,;:") + "\u2026"
    return " ".join(words_[:-1]).rstrip(" ,;:\u2013\u2014") + "\u2026"


def _capped(text: str, limit: int) -> str:
    while len(text) > limit:
        shorter = shorten_once(text)
        if shorter is None:
            break
        text = shorter
    return text


def _after_colon(sentence: str, proper: frozenset[str]) -> str:
    """A sentence continuing after a colon: lower case first, unless it starts with a name."""
    first = sentence.split(" ", 1)[0]
    letters = "".join(c for c in first if c.isalpha())
    if not letters or fold(letters) in proper or (len(letters) > 1 and not letters[1:].islower()):
        return sentence  # a name, an abbreviation, "NOVI", "iPhone"
    return sentence[:1].lower() + sentence[1:]


def _wording(point: _Point, limit: int = POINT_CHARS) -> tuple[str, str]:
    """A point's sentence split into its words and its closing mark, capped to ``limit``."""
    text = _capped(as_sentence(point.text), limit)
    if text.endswith(("?", "!", ".")):
        return text[:-1], text[-1]
    return text, ""


def _opening(document: Document, werkplaats: str, points: list[_Point], terms: tuple[Term, ...],
             used: set[int]) -> list[_Fragment]:
    fragments: list[_Fragment] = []
    trend = next((p for p in points if p.kernvraag == 1 and p.order not in used), None)
    if trend is not None:
        words_, stop = _wording(trend, 180)
        fragments.append(_Fragment([("", words_, stop)], trend.provenance, drop=3))
        used.add(trend.order)
    lead = f"Onder de noemer \u2018Werkplaats {werkplaats}\u2019 discussieerden we samen over "
    kinds = _kinds(points)
    dilemmas = any(p.is_dilemma for p in points)
    topics = [t for t in terms[:TOPICS]]
    variants: list[tuple[str, str, str]] = []
    provenances = Provenance()
    for n in range(len(topics), 0, -1):
        about = join([t.text for t in topics[:n]])
        subject = f"{kinds} rond {about}" if kinds else about
        if dilemmas:
            subject += ", en over de dilemma\u2019s die daarbij spelen"
        variants.append((lead, subject, "."))
    for t in topics:
        provenances = provenances + t.provenance
    theme = (document.head.theme or "").strip()
    variants.append((lead, kinds or (f"het thema {theme.lower()}" if theme else
                                     "de opgaven voor de leefomgeving"), "."))
    fragments.append(_Fragment(variants, provenances, drop=0))
    return fragments


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


def _heard(points: list[_Point], used: set[int], proper: frozenset[str]) -> list[_Fragment]:
    lead = "Uit de gespreksronden tijdens de werkplaats klinkt "
    # Opgaven, kansen and verbindingen first; trends next; samen werken last (the closing's).
    group = {2: 0, 3: 0, 1: 1, None: 1, 4: 2, 5: 2}
    pool = sorted((p for p in points if p.order not in used and not p.is_dilemma),
                  key=lambda p: (-p.weight, group.get(p.kernvraag, 1), p.kernvraag or 0, p.order))
    if not pool:
        return [_Fragment([(lead, "nog geen gedeeld geluid: er zijn (nog) weinig bijdragen",
                            ".")], Provenance())]
    chosen = [pool[0]]
    # Then the heaviest point of each other kernvraag, then the rest by weight.
    for p in pool[1:]:
        if p.kernvraag not in {c.kernvraag for c in chosen}:
            chosen.append(p)
    chosen += [p for p in pool if p not in chosen]
    chosen = chosen[:4]
    first = chosen[0]
    opener = "het vaakst: " if first.carried_weight else "onder meer: "
    words_, stop = _wording(first)
    fragments = [_Fragment([(lead + opener, _after_colon(words_, proper), stop or ".")],
                           first.provenance)]
    for n, p in enumerate(chosen[1:], start=1):
        words_, stop = _wording(p, 180)
        fragments.append(_Fragment([("", words_, stop or ".")], p.provenance,
                                   drop={1: 6, 2: 8, 3: 9}[n]))
    used.update(p.order for p in chosen)
    return fragments


def _closing(points: list[_Point], quotes: list[tuple[str, Provenance]], used: set[int],
             proper: frozenset[str]) -> list[_Fragment]:
    lead = "De werkplaats geeft het Rijk mee: "
    messages = [p for p in points if p.kernvraag == 5 and not p.is_dilemma]
    messages += [p for p in points if p.kernvraag == 4 and not p.is_dilemma]
    fragments: list[_Fragment] = []
    if messages:
        first = messages[0]
        words_, stop = _wording(first)
        fragments.append(_Fragment([(lead, _after_colon(words_, proper), stop or ".")],
                                   first.provenance))
        used.add(first.order)
        if len(messages) > 1:
            words_, stop = _wording(messages[1], 160)
            fragments.append(_Fragment([("", words_, stop or ".")], messages[1].provenance,
                                       drop=7))
            used.add(messages[1].order)
    dilemma = next((p for p in points if p.is_dilemma and p.order not in used), None)
    if dilemma is not None:
        words_, stop = _wording(dilemma, 160)
        lead_d = "Een open vraag blijft: " if stop == "?" else "Een dilemma blijft: "
        fragments.append(_Fragment([(lead_d, _after_colon(words_, proper), stop or ".")],
                                   dilemma.provenance, drop=5))
        used.add(dilemma.order)
    said = {i for p in points if p.order in used for i in p.provenance.ids}
    quote = next(((t, p) for t, p in quotes if not set(p.ids) & said), None)
    if quote is None and quotes and not fragments:
        quote = quotes[0]
    if quote is not None:
        text = _capped(without_end_stop(quote[0]), QUOTE_CHARS)
        fragments.append(_Fragment([("In de woorden van een deelnemer: \u2018", text,
                                     "\u2019.")], quote[1], drop=4))
    if not fragments:
        fragments.append(_Fragment([(lead, "de boodschap volgt uit de gespreksronden die nog "
                                     "komen", ".")], Provenance()))
    elif not fragments[0].variants[0][0].startswith(lead):
        # No message of its own: the dilemma or citaat carries it.
        first_lead, wording, close = fragments[0].variants[0]
        fragments[0].variants[0] = ("De werkplaats geeft het Rijk mee. " + first_lead, wording,
                                    close)
        fragments[0].drop = 0
    return fragments


def _fit(paragraphs: list[list[_Fragment]], geo: layout.Geometry) -> tuple[CardParagraph, ...]:
    """The three paragraphs, cut down until each and all together fit the card."""
    while True:
        texts = [_join(fs) for fs in paragraphs]
        lines = [len(layout.body_lines(t, geo)) for t in texts]
        over = [i for i in range(3) if lines[i] > geo.paragraph_max_lines]
        if not over and sum(lines) <= geo.total_lines:
            break
        if over:  # a paragraph too long by itself gives up its own least needed part
            targets = over
        else:  # too long together: the least needed part of the whole card goes first
            ranked = sorted(((f.drop, i) for i in range(3) for f in paragraphs[i] if f.drop),
                            reverse=True)
            targets = [ranked[0][1]] if ranked else sorted(range(3), key=lambda i: -lines[i])
        if not any(_cut_down(paragraphs[i]) for i in targets):
            raise AssertionError("a card paragraph cannot be made to fit")  # pragma: no cover
    return tuple(
        CardParagraph(_join(fs), _union(f.provenance for f in fs)) for fs in paragraphs
    )


def _join(fragments: list[_Fragment]) -> str:
    return " ".join(f.text for f in fragments).strip()


def _union(provenances) -> Provenance:
    total = Provenance()
    for p in provenances:
        total = total + p
    return total


def _cut_down(fragments: list[_Fragment]) -> bool:
    optional = [f for f in fragments if f.drop > 0]
    if optional:
        fragments.remove(max(optional, key=lambda f: (f.drop, fragments.index(f))))
        return True
    return any(f.shorter() for f in sorted(fragments, key=lambda f: -len(f.text)))


def _fit_title(title: str, geo: layout.Geometry) -> str:
    title = squash(title)
    while len(layout.title_lines(title, geo)) > geo.title_max_lines:
        shorter = shorten_once(title)
        if shorter is None:  # pragma: no cover - the prefix alone always fits
            break
        title = shorter
    return title


def _fitting_terms(terms: tuple[Term, ...], geo: layout.Geometry, with_qr: bool
                   ) -> tuple[Term, ...]:
    """The heaviest terms that the word visual holds (all of them, nearly always)."""
    box = geo.cloud if with_qr else geo.cloud_full
    terms = tuple(t for t in terms if len(t.text) <= MAX_TERM_CHARS)
    while terms and layout.place_terms([(t.text, t.weight) for t in terms], box) is None:
        terms = terms[:-1]
    return terms


# --- edit ---------------------------------------------------------------------------------


def edit(
    card: Card,
    *,
    title: str | None = None,
    paragraphs: Sequence[str] | None = None,
    terms: Sequence[str] | None = None,
    layout: str | None = None,
    share_url: str | None | object = ...,
) -> Card:
    """The card with the trekker's changes, or ``CardError`` saying what cannot be accepted.

    ``paragraphs`` are the three texts; one left as it was keeps its origin and provenance,
    a changed one becomes hand-written and keeps the provenance of the paragraph it replaces.
    ``terms`` are the texts of the terms to show, in order; one the card already has keeps its
    weight and sources, a new one is a hand-written term as light as the lightest. Pass
    ``share_url=None`` to drop the QR code. Nothing is ever cut: what does not fit is refused.
    """
    name = card.layout if layout is None else layout
    get_layout(name)
    geo = layout_geometry(name)
    url = card.qr_url if share_url is ... else _checked_url(share_url)  # type: ignore[arg-type]
    new_title = card.title if title is None else _checked_title(title, geo)
    new_paragraphs = card.paragraphs if paragraphs is None else _edited_paragraphs(
        card.paragraphs, paragraphs)
    _check_paragraphs([p.text for p in new_paragraphs], geo)
    new_terms = card.terms if terms is None else _edited_terms(card.terms, terms)
    _check_terms(new_terms, geo, url is not None)
    return replace(card, title=new_title, paragraphs=new_paragraphs, terms=new_terms,
                   layout=name, qr_url=url)


def _clean(raw: object, what: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    if not isinstance(raw, str):
        raise CardError(f"{what} ontbreekt.")
    text = unicodedata.normalize("NFC", raw)
    if text_problem(text.replace("\n", " ").replace("\r", " ").replace("\t", " "),
                    limit=10 * limit) is TextProblem.CONTROL:
        raise CardError(f"{what} bevat een onzichtbaar stuurteken (bijvoorbeeld een "
                        "richtingsteken); haal het weg en probeer het opnieuw.")
    text = squash(text)
    if not text:
        raise CardError(f"{what} is leeg.")
    if len(text) > limit:
        raise CardError(f"{what} is te lang voor de kaart: hooguit {limit} tekens.")
    return text


def _checked_title(raw: str, geo: layout.Geometry) -> str:
    text = _clean(raw, "De titel", limit=200)
    lines = layout.title_lines(text, geo)
    if len(lines) > geo.title_max_lines:
        over = _chars_over(text, len(lines), geo.title_max_lines)
        raise CardError(f"De titel is te lang voor de kaart: hij past niet op "
                        f"{geo.title_max_lines} regels. Maak hem ongeveer {over} tekens korter.")
    return text


def _edited_paragraphs(current: tuple[CardParagraph, ...], texts: Sequence[str]
                       ) -> tuple[CardParagraph, ...]:
    if isinstance(texts, str) or len(texts) != 3:
        raise CardError("Een ansichtkaart heeft precies drie alinea\u2019s.")
    out = []
    for n, (old, raw) in enumerate(zip(current, texts, strict=True), start=1):
        text = _clean(raw, f"Alinea {n}")
        out.append(old if text == old.text else CardParagraph(text, old.provenance, HAND))
    return tuple(out)


def _check_paragraphs(texts: Sequence[str], geo: layout.Geometry) -> None:
    counts = []
    for n, text in enumerate(texts, start=1):
        lines = len(layout.body_lines(text, geo))
        if lines > geo.paragraph_max_lines:
            over = _chars_over(text, lines, geo.paragraph_max_lines)
            raise CardError(
                f"Alinea {n} is te lang voor de kaart: ze beslaat {lines} regels, er passen er "
                f"hooguit {geo.paragraph_max_lines}. Maak haar ongeveer {over} tekens korter."
            )
        counts.append(lines)
    if sum(counts) > geo.total_lines:
        over = _chars_over(" ".join(texts), sum(counts), geo.total_lines)
        raise CardError(
            f"De drie alinea\u2019s samen zijn te lang voor de kaart: ze beslaan {sum(counts)} "
            f"regels, er passen er {geo.total_lines}. Maak de tekst ongeveer {over} tekens korter."
        )


def _chars_over(text: str, lines: int, allowed: int) -> int:
    return max(1, -(-len(text) * (lines - allowed) // lines))


def _edited_terms(current: tuple[Term, ...], texts: Sequence[str]) -> tuple[Term, ...]:
    if isinstance(texts, str):
        raise CardError("Geef de kernwoorden als een lijst.")
    known = {t.text.casefold(): t for t in current}
    lightest = min((t.weight for t in current), default=0.5)
    out: list[Term] = []
    seen: set[str] = set()
    for raw in texts:
        text = _clean(raw, "Een kernwoord", limit=MAX_TERM_CHARS)
        key = text.casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append(known.get(key) or Term(text, lightest, Provenance(), HAND))
    if not out:
        raise CardError("Kies ten minste één kernwoord voor het beeld.")
    if len(out) > MAX_TERMS:
        raise CardError(f"Kies hooguit {MAX_TERMS} kernwoorden voor het beeld.")
    return tuple(sorted(out, key=lambda t: -t.weight))


def _check_terms(terms: tuple[Term, ...], geo: layout.Geometry, with_qr: bool) -> None:
    box = geo.cloud if with_qr else geo.cloud_full
    for term in terms:
        if layout.text_width(term.text, "sans", layout.TERM_MIN) > box.w:
            raise CardError(f"Het kernwoord ‘{_shown(term.text)}’ is te lang voor het beeld.")
    if layout.place_terms([(t.text, t.weight) for t in terms], box) is None:
        raise CardError("De kernwoorden passen niet samen in het beeld: kies er minder of "
                        "kortere.")


_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def _checked_url(url: str | None) -> str | None:
    if url is None:
        return None
    if not isinstance(url, str) or not url.strip():
        raise CardError("De link voor de QR-code is leeg.")
    url = url.strip()
    if text_problem(url, limit=10 * MAX_URL_CHARS) is TextProblem.CONTROL or any(
        c.isspace() for c in url
    ):
        raise CardError("De link voor de QR-code bevat spaties of stuurtekens.")
    if not _URL.match(url):
        raise CardError("De link voor de QR-code moet met http:// of https:// beginnen.")
    if len(url) > MAX_URL_CHARS:
        raise CardError(f"De link is te lang voor een goed leesbare QR-code (hooguit "
                        f"{MAX_URL_CHARS} tekens).")
    return url


def _shown(text: object) -> str:
    """A refused value, safe to repeat in a message."""
    return squash(re.sub(r"[^\w .,:;!?'\-]", "", str(text)))[:40]


def problems(card: Card) -> list[str]:
    """Why a stored card would not fit its layout (empty when it does), e.g. after a change."""
    try:
        edit(card, title=card.title, paragraphs=[p.text for p in card.paragraphs],
             terms=[t.text for t in card.terms])
    except CardError as error:
        return [str(error)]
    return []


# --- text alternative ---------------------------------------------------------------------


def alt_text(card: Card) -> str:
    """What the card says, for someone who cannot see the picture (the PNG's alt text)."""
    parts = [f"Ansichtkaart \u2018{card.title}\u2019"]
    if card.date_text:
        parts[0] += f", {card.date_text}"
    parts[0] += "."
    if card.terms:
        parts.append(f"Beeld met kernwoorden: {', '.join(t.text for t in card.terms)}.")
    parts.extend(p.text for p in card.paragraphs)
    if card.qr_url:
        parts.append(f"QR-code naar de bouwsteen: {card.qr_url}")
    return " ".join(parts)


# --- storage ------------------------------------------------------------------------------


def to_dict(card: Card) -> dict[str, Any]:
    def prov(p: Provenance) -> dict[str, list[int]]:
        return {"ids": list(p.ids), "numbers": list(p.numbers)}

    return {
        "schema": card.schema,
        "title": card.title,
        "date_text": card.date_text,
        "paragraphs": [{"text": p.text, "provenance": prov(p.provenance), "origin": p.origin}
                       for p in card.paragraphs],
        "terms": [{"text": t.text, "weight": t.weight, "provenance": prov(t.provenance),
                   "origin": t.origin} for t in card.terms],
        "layout": card.layout,
        "qr_url": card.qr_url,
    }


def from_dict(data: Mapping[str, Any]) -> Card:
    """A card stored with ``to_dict``; ValueError on an unknown schema or a broken record."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"unknown ansichtkaart schema: {data.get('schema')!r}")

    def prov(value: Mapping[str, Any]) -> Provenance:
        return Provenance(tuple(int(i) for i in value["ids"]),
                          tuple(int(n) for n in value["numbers"]))

    try:
        paragraphs = tuple(CardParagraph(str(p["text"]), prov(p["provenance"]),
                                         _origin(p.get("origin"))) for p in data["paragraphs"])
        terms = tuple(Term(str(t["text"]), float(t["weight"]), prov(t["provenance"]),
                           _origin(t.get("origin"))) for t in data["terms"])
        card = Card(title=str(data["title"]), date_text=str(data.get("date_text") or ""),
                    paragraphs=paragraphs, terms=terms, layout=str(data["layout"]),
                    qr_url=data.get("qr_url") or None)
    except (KeyError, TypeError) as error:
        raise ValueError(f"broken ansichtkaart record: {error}") from error
    if len(card.paragraphs) != 3 or card.layout not in LAYOUTS:
        raise ValueError("broken ansichtkaart record: three paragraphs and a known layout")
    return card


def _origin(value: object) -> str:
    return value if value in (MACHINE, HAND) else MACHINE  # type: ignore[return-value]


__all__ = [
    "DEFAULT_LAYOUT", "LAYOUTS", "SCHEMA", "Card", "CardError", "CardParagraph", "Layout",
    "Term", "alt_text", "contrast_ratio", "edit", "from_dict", "generate", "get_layout",
    "layout_geometry", "problems", "to_dict",
]  # fmt: skip
