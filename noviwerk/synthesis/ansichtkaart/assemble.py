"""The ansichtkaart: the one-page postcard of a werkplaats, written from its draft bouwsteen.

``generate`` turns a ``Document`` into a ``Card``: "NOVI-werkplaats <titel>", the date, three
short paragraphs in the voice of the real cards of the Werkplaats NOVI (``ansichtkaart_text``),
the key terms for the word visual (``ansichtkaart_terms``), a layout and the URL its QR code
points to. Pure and deterministic, like ``assemble``.

The text always fits the card: ``ansichtkaart_layout`` measures it as the exports will set it,
and the machine's text gives up whole sentences first, then clauses, and only shortens a
single sentence at a word, with "…". ``edit`` takes the trekker's own texts and refuses, with a
Dutch message (``CardError``), what is empty, carries control characters or would not fit:
hand text is never cut. ``to_dict``/``from_dict`` store a card; ``alt_text`` says what it
shows for those who cannot see it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from noviwerk.domain import TextProblem, text_problem
from noviwerk.synthesis.ansichtkaart import layout as measure
from noviwerk.synthesis.ansichtkaart.fitting import shorten_once
from noviwerk.synthesis.ansichtkaart.terms import MAX_TERMS, key_terms, proper_words
from noviwerk.synthesis.ansichtkaart.text import point_texts, write
from noviwerk.synthesis.document import HAND, MACHINE, Document, Provenance, format_date_nl
from noviwerk.synthesis.phrasing import squash

SCHEMA = "noviwerk.ansichtkaart/1"
MAX_TERM_CHARS = 40
MAX_TEXT_CHARS = 2000  # refused before measuring: no card holds this much
MAX_URL_CHARS = 300


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
        Layout(
            "rijksblauw",
            "Rijksblauw",
            "right",
            band="#154273",
            on_band="#FFFFFF",
            background="#FFFFFF",
            text="#1A1A1A",
            panel="#E6EEF6",
            term_strong="#154273",
            term="#01689B",
            term_soft="#3D4F63",
            caption="#154273",
        ),
        Layout(
            "groen",
            "Groen",
            "left",
            band="#275937",
            on_band="#FFFFFF",
            background="#FFFFFF",
            text="#1A1A1A",
            panel="#E9F2E4",
            term_strong="#275937",
            term="#2F6B12",
            term_soft="#44523F",
            caption="#275937",
        ),
        Layout(
            "oker",
            "Oker",
            "right",
            band="#FFB612",
            on_band="#1A1A1A",
            background="#FFFFFF",
            text="#1A1A1A",
            panel="#FFF3D6",
            term_strong="#673327",
            term="#8A4100",
            term_soft="#4D4A42",
            caption="#673327",
        ),
        Layout(
            "donker",
            "Donker",
            "right",
            band="#42145F",
            on_band="#FFFFFF",
            background="#FFFFFF",
            text="#1A1A1A",
            panel="#2A0D3D",
            term_strong="#FFFFFF",
            term="#F0C8FF",
            term_soft="#CDB8DC",
            caption="#FFFFFF",
        ),
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
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
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
        return Provenance.union(p.provenance for p in self.paragraphs)


# --- generate -----------------------------------------------------------------------------


def generate(
    document: Document, *, share_url: str | None = None, layout: str = DEFAULT_LAYOUT
) -> Card:
    """The machine's ansichtkaart for ``document``; always fits the card."""
    get_layout(layout)
    url = _checked_url(share_url)
    geo = layout_geometry(layout)
    proper = proper_words([i.text for i in document.appendix_items()] + point_texts(document))
    terms = tuple(Term(t.text, t.weight, t.provenance) for t in key_terms(document))
    terms = _fitting_terms(terms, geo)
    title, paragraphs = write(document, terms, proper, geo)
    return Card(
        title=title,
        date_text=format_date_nl(document.head.date),
        paragraphs=tuple(CardParagraph(text, provenance) for text, provenance in paragraphs),
        terms=terms,
        layout=layout,
        qr_url=url,
    )


def layout_geometry(name: str) -> measure.Geometry:
    return measure.geometry(get_layout(name).side)


def _fitting_terms(terms: tuple[Term, ...], geo: measure.Geometry) -> tuple[Term, ...]:
    """The heaviest terms that the word visual holds (all of them, nearly always).

    Measured against the smaller box, beside a QR code, so that adding a link later never
    leaves terms without room.
    """
    terms = tuple(t for t in terms if len(t.text) <= MAX_TERM_CHARS)
    while terms and measure.place_terms([(t.text, t.weight) for t in terms], geo.cloud) is None:
        terms = terms[:-1]
    return terms


# --- edit ---------------------------------------------------------------------------------

KEEP = object()  # ``edit(share_url=…)`` left out: the card keeps its link


def edit(
    card: Card,
    *,
    title: str | None = None,
    paragraphs: Sequence[str] | None = None,
    terms: Sequence[str] | None = None,
    layout: str | None = None,
    share_url: str | None | object = KEEP,
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
    url = card.qr_url if share_url is KEEP else _checked_url(share_url)  # type: ignore[arg-type]
    new_title = card.title if title is None else _checked_title(title, geo)
    new_paragraphs = (
        card.paragraphs if paragraphs is None else _edited_paragraphs(card.paragraphs, paragraphs)
    )
    _check_paragraphs([p.text for p in new_paragraphs], geo)
    new_terms = card.terms if terms is None else _edited_terms(card.terms, terms)
    _check_terms(new_terms, geo)
    return replace(
        card, title=new_title, paragraphs=new_paragraphs, terms=new_terms, layout=name, qr_url=url
    )


def _clean(raw: object, what: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    if not isinstance(raw, str):
        raise CardError(f"{what} ontbreekt.")
    text = unicodedata.normalize("NFC", raw)
    if (
        text_problem(
            text.replace("\n", " ").replace("\r", " ").replace("\t", " "), limit=10 * limit
        )
        is TextProblem.CONTROL
    ):
        raise CardError(
            f"{what} bevat een onzichtbaar stuurteken (bijvoorbeeld een "
            "richtingsteken); haal het weg en probeer het opnieuw."
        )
    text = squash(text)
    if not text:
        raise CardError(f"{what} is leeg.")
    if len(text) > limit:
        raise CardError(f"{what} is te lang voor de kaart: hooguit {limit} tekens.")
    return text


def _checked_title(raw: str, geo: measure.Geometry) -> str:
    text = _clean(raw, "De titel", limit=200)
    lines = measure.title_lines(text, geo)
    if len(lines) > geo.title_max_lines:
        over = _chars_over(text, len(lines), geo.title_max_lines)
        raise CardError(
            f"De titel is te lang voor de kaart: hij past niet op "
            f"{geo.title_max_lines} regels. Maak hem ongeveer {over} tekens korter."
        )
    return text


def _edited_paragraphs(
    current: tuple[CardParagraph, ...], texts: Sequence[str]
) -> tuple[CardParagraph, ...]:
    if isinstance(texts, str) or len(texts) != 3:
        raise CardError("Een ansichtkaart heeft precies drie alinea\u2019s.")
    out = []
    for n, (old, raw) in enumerate(zip(current, texts, strict=True), start=1):
        text = _clean(raw, f"Alinea {n}")
        out.append(old if text == old.text else CardParagraph(text, old.provenance, HAND))
    return tuple(out)


def _check_paragraphs(texts: Sequence[str], geo: measure.Geometry) -> None:
    counts = []
    for n, text in enumerate(texts, start=1):
        lines = len(measure.body_lines(text, geo))
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


def _check_terms(terms: tuple[Term, ...], geo: measure.Geometry) -> None:
    box = geo.cloud  # the smaller box, beside a QR code: the terms fit with or without one
    for term in terms:
        if measure.text_width(term.text, "sans", measure.TERM_MIN) > box.w:
            raise CardError(f"Het kernwoord ‘{_shown(term.text)}’ is te lang voor het beeld.")
    if measure.place_terms([(t.text, t.weight) for t in terms], box) is None:
        raise CardError("De kernwoorden passen niet samen in het beeld: kies er minder of kortere.")


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
        raise CardError(
            f"De link is te lang voor een goed leesbare QR-code (hooguit {MAX_URL_CHARS} tekens)."
        )
    return url


def _shown(text: object) -> str:
    """A refused value, safe to repeat in a message."""
    return squash(re.sub(r"[^\w .,:;!?'\-]", "", str(text)))[:40]


def problems(card: Card) -> list[str]:
    """Why a stored card would not fit its layout (empty when it does), e.g. after a change."""
    try:
        edit(
            card,
            title=card.title,
            paragraphs=[p.text for p in card.paragraphs],
            terms=[t.text for t in card.terms],
        )
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
        "paragraphs": [
            {"text": p.text, "provenance": prov(p.provenance), "origin": p.origin}
            for p in card.paragraphs
        ],
        "terms": [
            {
                "text": t.text,
                "weight": t.weight,
                "provenance": prov(t.provenance),
                "origin": t.origin,
            }
            for t in card.terms
        ],
        "layout": card.layout,
        "qr_url": card.qr_url,
    }


def from_dict(data: Mapping[str, Any]) -> Card:
    """A card stored with ``to_dict``; ValueError on an unknown schema or a broken record."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"unknown ansichtkaart schema: {data.get('schema')!r}")

    def prov(value: Mapping[str, Any]) -> Provenance:
        return Provenance(
            tuple(int(i) for i in value["ids"]), tuple(int(n) for n in value["numbers"])
        )

    try:
        paragraphs = tuple(
            CardParagraph(str(p["text"]), prov(p["provenance"]), _origin(p.get("origin")))
            for p in data["paragraphs"]
        )
        terms = tuple(
            Term(
                str(t["text"]), float(t["weight"]), prov(t["provenance"]), _origin(t.get("origin"))
            )
            for t in data["terms"]
        )
        card = Card(
            title=str(data["title"]),
            date_text=str(data.get("date_text") or ""),
            paragraphs=paragraphs,
            terms=terms,
            layout=str(data["layout"]),
            qr_url=data.get("qr_url") or None,
        )
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
    "layout_geometry", "problems", "shorten_once", "to_dict",
]  # fmt: skip
