"""The machine's ansichtkaart: the one-page postcard of a werkplaats, from its draft bouwsteen.

``generate`` turns a ``Document`` into an ``AnsichtkaartContent``: "NOVI-werkplaats
<titel>", the date, three short paragraphs in the voice of the real cards of the Werkplaats
NOVI (``text``), the key terms for the word visual (``terms``), a layout and the URL its QR
code points to. Pure and deterministic, like the bouwsteen's ``assemble``. The text always
fits the card: ``layout`` measures it as the exports will set it, and ``fitting`` gives up
whole sentences first, then clauses, and only shortens a single sentence at a word, with "…".
"""

from __future__ import annotations

import noviwerk.synthesis.ansichtkaart.layout as measure
from noviwerk.synthesis.ansichtkaart.colours import DEFAULT_LAYOUT
from noviwerk.synthesis.ansichtkaart.content import (
    MAX_TERM_CHARS,
    AnsichtkaartContent,
    ContentParagraph,
    Term,
    get_layout,
    layout_geometry,
)
from noviwerk.synthesis.ansichtkaart.editing import checked_url
from noviwerk.synthesis.ansichtkaart.terms import key_terms, proper_words
from noviwerk.synthesis.ansichtkaart.text import point_texts, write
from noviwerk.synthesis.document import Document
from noviwerk.synthesis.phrasing import format_date_nl


def generate(
    document: Document, *, share_url: str | None = None, layout: str = DEFAULT_LAYOUT
) -> AnsichtkaartContent:
    """The machine's ansichtkaart for ``document``; always fits the card."""
    get_layout(layout)
    url = checked_url(share_url)
    geo = layout_geometry(layout)
    proper = proper_words([i.text for i in document.appendix_items()] + point_texts(document))
    terms = tuple(Term(t.text, t.weight, t.provenance) for t in key_terms(document))
    terms = _fitting_terms(terms, geo)
    title, paragraphs = write(document, terms, proper, geo)
    return AnsichtkaartContent(
        title=title,
        date_text=format_date_nl(document.head.date),
        paragraphs=tuple(ContentParagraph(text, provenance) for text, provenance in paragraphs),
        terms=terms,
        layout=layout,
        qr_url=url,
    )


def _fitting_terms(terms: tuple[Term, ...], geo: measure.Geometry) -> tuple[Term, ...]:
    """The heaviest terms that the word visual holds (all of them, nearly always).

    Measured against the smaller box, beside a QR code, so that adding a link later never
    leaves terms without room.
    """
    terms = tuple(t for t in terms if len(t.text) <= MAX_TERM_CHARS)
    while terms and measure.place_terms([(t.text, t.weight) for t in terms], geo.cloud) is None:
        terms = terms[:-1]
    return terms


__all__ = ["generate"]
