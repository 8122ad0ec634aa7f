"""A bouwsteen as JSON: the whole Document, provenance included, for archives and reuse.

The shape is ``noviwerk.synthesis.document.to_dict`` (schema ``noviwerk.bouwsteen/1``), so
``from_dict(json.loads(render(doc)))`` gives the Document back. ``<``, ``>`` and ``&`` are
written as \\u escapes: the JSON stays valid and inert even when pasted into an HTML page.
"""

from __future__ import annotations

import json

from noviwerk.export.bouwsteen.common import clean
from noviwerk.synthesis.document import Document, to_dict

MIMETYPE = "application/json"

_HTML_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def _cleaned(value: object) -> object:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    return value


def render(document: Document) -> str:
    text = json.dumps(_cleaned(to_dict(document)), ensure_ascii=False, indent=1)
    return text.translate(_HTML_SAFE) + "\n"
