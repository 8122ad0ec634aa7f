"""The trekker's changes to an ansichtkaart, refused with a Dutch message
(``AnsichtkaartError``) when a text is empty, carries control characters or would not fit:
hand text is never cut.
``problems`` runs the same checks on a stored ansichtkaart."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

import noviwerk.synthesis.ansichtkaart.layout as measure
from noviwerk.synthesis.ansichtkaart.content import (
    MAX_TERM_CHARS,
    AnsichtkaartContent,
    AnsichtkaartError,
    ContentParagraph,
    Term,
    get_layout,
    layout_geometry,
    shown,
)
from noviwerk.synthesis.ansichtkaart.terms import MAX_TERMS
from noviwerk.synthesis.document import HAND, Provenance
from noviwerk.synthesis.phrasing import squash
from noviwerk.text_rules import TextProblem, text_problem

MAX_TEXT_CHARS = 2000  # refused before measuring: no card holds this much
MAX_URL_CHARS = 300

KEEP = object()  # ``edit(share_url=…)`` left out: the card keeps its link


def edit(
    content: AnsichtkaartContent,
    *,
    title: str | None = None,
    paragraphs: Sequence[str] | None = None,
    terms: Sequence[str] | None = None,
    layout: str | None = None,
    share_url: str | None | object = KEEP,
) -> AnsichtkaartContent:
    """The card with the trekker's changes, or ``AnsichtkaartError`` saying what cannot be accepted.

    ``paragraphs`` are the three texts; one left as it was keeps its origin and provenance,
    a changed one becomes hand-written and keeps the provenance of the paragraph it replaces.
    ``terms`` are the texts of the terms to show, in order; one the card already has keeps its
    weight and sources, a new one is a hand-written term as light as the lightest. Pass
    ``share_url=None`` to drop the QR code. Nothing is ever cut: what does not fit is refused.
    """
    name = content.layout if layout is None else layout
    get_layout(name)
    geo = layout_geometry(name)
    url = content.qr_url if share_url is KEEP else checked_url(share_url)  # type: ignore[arg-type]
    new_title = content.title if title is None else _checked_title(title, geo)
    new_paragraphs = (
        content.paragraphs
        if paragraphs is None
        else _edited_paragraphs(content.paragraphs, paragraphs)
    )
    _check_paragraphs([p.text for p in new_paragraphs], geo)
    new_terms = content.terms if terms is None else _edited_terms(content.terms, terms)
    _check_terms(new_terms, geo)
    return replace(
        content,
        title=new_title,
        paragraphs=new_paragraphs,
        terms=new_terms,
        layout=name,
        qr_url=url,
    )


def _clean(raw: object, what: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    if not isinstance(raw, str):
        raise AnsichtkaartError(f"{what} ontbreekt.")
    text = unicodedata.normalize("NFC", raw)
    problem = text_problem(
        text.replace("\n", " ").replace("\r", " ").replace("\t", " "), limit=10 * limit
    )
    if problem is TextProblem.CONTROL:
        raise AnsichtkaartError(
            f"{what} bevat een onzichtbaar stuurteken (bijvoorbeeld een "
            "richtingsteken); haal het weg en probeer het opnieuw."
        )
    if problem is TextProblem.MARKS:
        raise AnsichtkaartError(
            f"{what} bevat te veel gestapelde accenttekens op één letter; typ het opnieuw."
        )
    text = squash(text)
    if not text:
        raise AnsichtkaartError(f"{what} is leeg.")
    if len(text) > limit:
        raise AnsichtkaartError(f"{what} is te lang voor de kaart: hooguit {limit} tekens.")
    return text


def _checked_title(raw: str, geo: measure.Geometry) -> str:
    text = _clean(raw, "De titel", limit=200)
    lines = measure.title_lines(text, geo)
    if len(lines) > geo.title_max_lines:
        over = _chars_over(text, len(lines), geo.title_max_lines)
        raise AnsichtkaartError(
            f"De titel is te lang voor de kaart: hij past niet op "
            f"{geo.title_max_lines} regels. Maak hem ongeveer {over} tekens korter."
        )
    return text


def _edited_paragraphs(
    current: tuple[ContentParagraph, ...], texts: Sequence[str]
) -> tuple[ContentParagraph, ...]:
    if isinstance(texts, str) or len(texts) != 3:
        raise AnsichtkaartError("Een ansichtkaart heeft precies drie alinea\u2019s.")
    out = []
    for n, (old, raw) in enumerate(zip(current, texts, strict=True), start=1):
        text = _clean(raw, f"Alinea {n}")
        out.append(old if text == old.text else ContentParagraph(text, old.provenance, HAND))
    return tuple(out)


def _check_paragraphs(texts: Sequence[str], geo: measure.Geometry) -> None:
    counts = []
    for n, text in enumerate(texts, start=1):
        lines = len(measure.body_lines(text, geo))
        if lines > geo.paragraph_max_lines:
            over = _chars_over(text, lines, geo.paragraph_max_lines)
            raise AnsichtkaartError(
                f"Alinea {n} is te lang voor de kaart: ze beslaat {lines} regels, er passen er "
                f"hooguit {geo.paragraph_max_lines}. Maak haar ongeveer {over} tekens korter."
            )
        counts.append(lines)
    if sum(counts) > geo.total_lines:
        over = _chars_over(" ".join(texts), sum(counts), geo.total_lines)
        raise AnsichtkaartError(
            f"De drie alinea\u2019s samen zijn te lang voor de kaart: ze beslaan {sum(counts)} "
            f"regels, er passen er {geo.total_lines}. Maak de tekst ongeveer {over} tekens korter."
        )


def _chars_over(text: str, lines: int, allowed: int) -> int:
    return max(1, -(-len(text) * (lines - allowed) // lines))


def _edited_terms(current: tuple[Term, ...], texts: Sequence[str]) -> tuple[Term, ...]:
    if isinstance(texts, str):
        raise AnsichtkaartError("Geef de kernwoorden als een lijst.")
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
        raise AnsichtkaartError("Kies ten minste één kernwoord voor het beeld.")
    if len(out) > MAX_TERMS:
        raise AnsichtkaartError(f"Kies hooguit {MAX_TERMS} kernwoorden voor het beeld.")
    return tuple(sorted(out, key=lambda t: -t.weight))


def _check_terms(terms: tuple[Term, ...], geo: measure.Geometry) -> None:
    box = geo.cloud  # the smaller box, beside a QR code: the terms fit with or without one
    for term in terms:
        if measure.text_width(term.text, "sans", measure.TERM_MIN) > box.w:
            raise AnsichtkaartError(
                f"Het kernwoord ‘{shown(term.text)}’ is te lang voor het beeld."
            )
    if measure.place_terms([(t.text, t.weight) for t in terms], box) is None:
        raise AnsichtkaartError(
            "De kernwoorden passen niet samen in het beeld: kies er minder of kortere."
        )


_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def checked_url(url: str | None) -> str | None:
    if url is None:
        return None
    if not isinstance(url, str) or not url.strip():
        raise AnsichtkaartError("De link voor de QR-code is leeg.")
    url = url.strip()
    if text_problem(url, limit=10 * MAX_URL_CHARS) is TextProblem.CONTROL or any(
        c.isspace() for c in url
    ):
        raise AnsichtkaartError("De link voor de QR-code bevat spaties of stuurtekens.")
    if not _URL.match(url):
        raise AnsichtkaartError("De link voor de QR-code moet met http:// of https:// beginnen.")
    if len(url) > MAX_URL_CHARS:
        raise AnsichtkaartError(
            f"De link is te lang voor een goed leesbare QR-code (hooguit {MAX_URL_CHARS} tekens)."
        )
    return url


def problems(content: AnsichtkaartContent) -> list[str]:
    """Why a stored card would not fit its layout (empty when it does), e.g. after a change."""
    try:
        edit(
            content,
            title=content.title,
            paragraphs=[p.text for p in content.paragraphs],
            terms=[t.text for t in content.terms],
        )
    except AnsichtkaartError as error:
        return [str(error)]
    return []


__all__ = ["MAX_TEXT_CHARS", "checked_url", "edit", "problems"]
