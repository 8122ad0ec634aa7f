"""An ansichtkaart stored as a plain record (``to_dict``) and read back (``from_dict``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from noviwerk.synthesis.ansichtkaart.colours import LAYOUTS
from noviwerk.synthesis.ansichtkaart.content import (
    SCHEMA,
    AnsichtkaartContent,
    ContentParagraph,
    Term,
)
from noviwerk.synthesis.document import HAND, MACHINE, Provenance


def to_dict(content: AnsichtkaartContent) -> dict[str, Any]:
    def prov(p: Provenance) -> dict[str, list[int]]:
        return {"ids": list(p.ids), "numbers": list(p.numbers)}

    return {
        "schema": content.schema,
        "title": content.title,
        "date_text": content.date_text,
        "paragraphs": [
            {"text": p.text, "provenance": prov(p.provenance), "origin": p.origin}
            for p in content.paragraphs
        ],
        "terms": [
            {
                "text": t.text,
                "weight": t.weight,
                "provenance": prov(t.provenance),
                "origin": t.origin,
            }
            for t in content.terms
        ],
        "layout": content.layout,
        "qr_url": content.qr_url,
    }


def from_dict(data: Mapping[str, Any]) -> AnsichtkaartContent:
    """Content stored with ``to_dict``; ValueError on an unknown schema or a broken record."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"unknown ansichtkaart schema: {data.get('schema')!r}")

    def prov(value: Mapping[str, Any]) -> Provenance:
        return Provenance(
            tuple(int(i) for i in value["ids"]), tuple(int(n) for n in value["numbers"])
        )

    try:
        paragraphs = tuple(
            ContentParagraph(str(p["text"]), prov(p["provenance"]), _origin(p.get("origin")))
            for p in data["paragraphs"]
        )
        terms = tuple(
            Term(
                str(t["text"]), float(t["weight"]), prov(t["provenance"]), _origin(t.get("origin"))
            )
            for t in data["terms"]
        )
        content = AnsichtkaartContent(
            title=str(data["title"]),
            date_text=str(data.get("date_text") or ""),
            paragraphs=paragraphs,
            terms=terms,
            layout=str(data["layout"]),
            qr_url=data.get("qr_url") or None,
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"broken ansichtkaart record: {error}") from error
    if len(content.paragraphs) != 3 or content.layout not in LAYOUTS:
        raise ValueError("broken ansichtkaart record: three paragraphs and a known layout")
    return content


def _origin(value: object) -> str:
    return value if value in (MACHINE, HAND) else MACHINE  # type: ignore[return-value]


__all__ = ["from_dict", "to_dict"]
