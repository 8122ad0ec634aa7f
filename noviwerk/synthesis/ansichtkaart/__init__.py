"""The ansichtkaart: its text, key terms and layout, written from a bouwsteen's Document.

``assemble`` writes the machine's ansichtkaart, ``text`` its paragraphs (``heard`` the second,
naming the rode draden that ``draden`` reads from the draft) and ``fitting`` cuts them to
size, ``terms`` finds the word picture's key terms; ``content`` is the record, ``colours`` its
schemes, ``editing`` takes the trekker's changes and ``storage`` keeps one; ``layout``
measures text as the exports will set it, in the ``fonts``' widths."""

from noviwerk.synthesis.ansichtkaart.assemble import generate
from noviwerk.synthesis.ansichtkaart.colours import DEFAULT_LAYOUT, LAYOUTS, Layout, contrast_ratio
from noviwerk.synthesis.ansichtkaart.content import (
    MAX_TERM_CHARS,
    SCHEMA,
    AnsichtkaartContent,
    AnsichtkaartError,
    ContentParagraph,
    Term,
    alt_text,
    get_layout,
    layout_geometry,
)
from noviwerk.synthesis.ansichtkaart.editing import MAX_TEXT_CHARS, edit, problems
from noviwerk.synthesis.ansichtkaart.fitting import shorten_once
from noviwerk.synthesis.ansichtkaart.storage import from_dict, to_dict

__all__ = [
    "DEFAULT_LAYOUT", "LAYOUTS", "MAX_TERM_CHARS", "MAX_TEXT_CHARS", "SCHEMA",
    "AnsichtkaartContent", "AnsichtkaartError", "ContentParagraph", "Layout", "Term",
    "alt_text", "contrast_ratio", "edit", "from_dict", "generate", "get_layout",
    "layout_geometry", "problems", "shorten_once", "to_dict",
]  # fmt: skip
