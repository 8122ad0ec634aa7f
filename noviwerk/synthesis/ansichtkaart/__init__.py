"""The ansichtkaart: its text, key terms and layout, written from a bouwsteen's Document.

``assemble`` writes and edits the card, ``text`` its paragraphs, ``terms`` the word
picture's key terms, ``layout`` measures text as the exports will set it."""

from noviwerk.synthesis.ansichtkaart.assemble import (
    DEFAULT_LAYOUT,
    LAYOUTS,
    MAX_TERM_CHARS,
    MAX_TEXT_CHARS,
    SCHEMA,
    Card,
    CardError,
    CardParagraph,
    Layout,
    Term,
    alt_text,
    contrast_ratio,
    edit,
    from_dict,
    generate,
    get_layout,
    layout_geometry,
    problems,
    to_dict,
)
from noviwerk.synthesis.ansichtkaart.fitting import shorten_once

__all__ = [
    "DEFAULT_LAYOUT", "LAYOUTS", "MAX_TERM_CHARS", "MAX_TEXT_CHARS", "SCHEMA", "Card",
    "CardError", "CardParagraph", "Layout", "Term", "alt_text", "contrast_ratio", "edit",
    "from_dict", "generate", "get_layout", "layout_geometry", "problems", "shorten_once", "to_dict",
]
