"""The ansichtkaart as a record: its paragraphs and terms with their sources, its colour
scheme, the error every refusal raises, and what it says for someone who cannot see it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import noviwerk.synthesis.ansichtkaart.layout as measure
from noviwerk.synthesis.ansichtkaart.colours import DEFAULT_LAYOUT, LAYOUTS, Layout
from noviwerk.synthesis.document import MACHINE, Provenance
from noviwerk.synthesis.phrasing import squash

SCHEMA = "noviwerk.ansichtkaart/1"
MAX_TERM_CHARS = 40


class AnsichtkaartError(ValueError):
    """An ansichtkaart's text or setting that cannot be accepted; the message says why (Dutch)."""


@dataclass(frozen=True)
class ContentParagraph:
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
class AnsichtkaartContent:
    title: str
    date_text: str
    paragraphs: tuple[ContentParagraph, ...]  # always three
    terms: tuple[Term, ...]  # heaviest first
    layout: str = DEFAULT_LAYOUT
    qr_url: str | None = None
    schema: str = SCHEMA

    @property
    def provenance(self) -> Provenance:
        return Provenance.union(p.provenance for p in self.paragraphs)


def get_layout(name: str) -> Layout:
    found = LAYOUTS.get(name)
    if found is None:
        raise AnsichtkaartError(
            f"Onbekende opmaak ‘{shown(name)}’. Kies uit: {', '.join(LAYOUTS)}."
        )
    return found


def layout_geometry(name: str) -> measure.Geometry:
    return measure.geometry(get_layout(name).side)


def shown(text: object) -> str:
    """A refused value, safe to repeat in a message."""
    return squash(re.sub(r"[^\w .,:;!?'\-]", "", str(text)))[:40]


def alt_text(content: AnsichtkaartContent) -> str:
    """What the card says, for someone who cannot see the picture (the PNG's alt text)."""
    parts = [f"Ansichtkaart \u2018{content.title}\u2019"]
    if content.date_text:
        parts[0] += f", {content.date_text}"
    parts[0] += "."
    if content.terms:
        parts.append(f"Beeld met kernwoorden: {', '.join(t.text for t in content.terms)}.")
    parts.extend(p.text for p in content.paragraphs)
    if content.qr_url:
        parts.append(f"QR-code naar de bouwsteen: {content.qr_url}")
    return " ".join(parts)


__all__ = [
    "MAX_TERM_CHARS", "SCHEMA", "AnsichtkaartContent", "AnsichtkaartError",
    "ContentParagraph", "Term", "alt_text", "get_layout", "layout_geometry", "shown",
]  # fmt: skip
