"""A withdrawn contribution's text taken out of what was stored before it was withdrawn.

Bouwsteen versions keep a whole Document (``document.to_dict``) and ansichtkaart versions
their content (``ansichtkaart.storage.to_dict``); a contribution's words stand in them as
the bijlage's item, a cluster's wording, a table cell, a quote, or inside a sentence or a
card's paragraph, whole or shortened ("…"). ``scrub`` replaces them by ``WITHDRAWN`` in
that plain data, so every version, and every export made from it, no longer shows them:

- a passage whose sources are all withdrawn loses its text altogether (a term of the card
  is dropped);
- a passage that also rests on others keeps its own words, and loses the withdrawn text
  where it quotes it, whole or as a shortened start;
- anywhere else (text a trekker typed) the whole text of a withdrawn contribution of three
  words or more is taken out where it stands.

Pure: plain data in, plain data out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

WITHDRAWN = "[ingetrokken]"
# A shortened start of a text counts as that text from this many words on.
MIN_PREFIX_WORDS = 4
# Outside the passages it is a source of, a text is taken out from this many words on:
# shorter ones ("Water") would take ordinary words out of other texts.
MIN_LOOSE_WORDS = 3
_TEXT_FIELDS = ("text", "wording", "label", "cells")
_END = ".…;,:"


def _words(text: str) -> list[str]:
    words = text.split()
    while words and words[-1].rstrip(_END) == "":
        words.pop()
    if words:
        words[-1] = words[-1].rstrip(_END)
    return words


def _phrase(words: list[str]) -> str:
    return r"\s+".join(re.escape(w) for w in words)


def _full(words: list[str]) -> str:
    """The text as written, with or without a closing stop."""
    return rf"(?<!\w){_phrase(words)}(?:[{re.escape(_END)}]+|(?!\w))"


def _patterns(text: str, *, prefixes: bool) -> list[str]:
    words = _words(text)
    if not words:
        return []
    found = [_full(words)]
    if prefixes:
        for n in range(len(words) - 1, MIN_PREFIX_WORDS - 1, -1):
            start = words[:n]
            start[-1] = start[-1].rstrip(_END)
            found.append(rf"(?<!\w){_phrase(start)}[{re.escape(_END)}]*\s*…")
    return found


class _Scrubber:
    def __init__(self, withdrawn: Mapping[int, str]) -> None:
        self.ids = set(withdrawn)
        self.texts = dict(withdrawn)
        loose = [
            p
            for text in withdrawn.values()
            if len(_words(text)) >= MIN_LOOSE_WORDS
            for p in _patterns(text, prefixes=False)
        ]
        self.loose = re.compile("|".join(loose), re.IGNORECASE) if loose else None
        self._sourced: dict[frozenset[int], re.Pattern] = {}

    def sourced(self, hit: frozenset[int]) -> re.Pattern:
        """The withdrawn texts behind a passage, whole or shortened, longest first."""
        if hit not in self._sourced:
            patterns = [p for i in sorted(hit) for p in _patterns(self.texts[i], prefixes=True)]
            patterns.sort(key=len, reverse=True)
            self._sourced[hit] = re.compile("|".join(patterns), re.IGNORECASE)
        return self._sourced[hit]

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.string(value, None)[0]
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return self.node(value)
        return value

    def string(self, text: str, pattern: re.Pattern | None, strong: int = 0) -> tuple[str, int]:
        for p in (pattern, self.loose):
            if p is not None:
                text, strong = _replace(p, text, strong)
        return text, strong

    def node(self, data: dict) -> dict:
        sources = _sources(data)
        hit = frozenset(sources & self.ids)
        whole = bool(hit) and sources <= self.ids
        out: dict[str, Any] = {}
        strong = data.get("strong", 0) if isinstance(data.get("strong"), int) else 0
        for key, value in data.items():
            if key == "terms" and isinstance(value, list):
                value = [t for t in value if not self._only_withdrawn(t)]
            if key not in _TEXT_FIELDS or not hit:
                out[key] = self.value(value)
            elif key == "cells" and isinstance(value, list):
                out[key] = [self._cell(c, hit, whole) for c in value]
            elif not isinstance(value, str):
                out[key] = self.value(value)
            elif whole or (key == "wording" and data.get("representative_id") in self.ids):
                out[key] = WITHDRAWN
                strong = 0
            elif key == "label":
                # A cluster's label names what several said, unless it is the phrase the
                # withdrawn representative opened with ("Kennis en technologie over …").
                rep = data.get("representative_id")
                own = rep in self.ids and len(value.split()) >= 3
                if own and " ".join(value.lower().split()) in " ".join(self.texts[rep].lower().split()):
                    out[key] = WITHDRAWN
                else:
                    out[key] = value
            else:
                out[key], strong = self.string(value, self.sourced(hit), strong)
        if "strong" in out:
            out["strong"] = strong if out.get("text") != data.get("text") else data["strong"]
            out["strong"] = min(out["strong"], len(out.get("text", "")))
        return out

    def _cell(self, cell: Any, hit: frozenset[int], whole: bool) -> Any:
        if not isinstance(cell, str):
            return self.value(cell)
        if whole and len(cell.split()) > 1:  # a soort ("Opgave") or a count stays
            return WITHDRAWN
        return self.string(cell, self.sourced(hit))[0]

    def _only_withdrawn(self, item: Any) -> bool:
        sources = _sources(item) if isinstance(item, dict) else set()
        return bool(sources) and sources <= self.ids


def _sources(data: Mapping[str, Any]) -> set[int]:
    """The contributions a passage rests on: its provenance, or the bijlage item's own."""
    found: set[int] = set()
    provenance = data.get("provenance")
    if isinstance(provenance, Mapping):
        found.update(i for i in provenance.get("ids", ()) if isinstance(i, int))
    if isinstance(data.get("contribution_id"), int):
        found.add(data["contribution_id"])
    return found


def _replace(pattern: re.Pattern, text: str, strong: int) -> tuple[str, int]:
    """``text`` with every match of ``pattern`` replaced; ``strong`` (the length of its bold
    opening) moved along, and ending after a replacement it reached into."""
    pieces: list[str] = []
    at = 0
    new_strong = strong
    for match in pattern.finditer(text):
        start, end = match.span()
        if start == end:
            continue
        pieces.append(text[at:start])
        if strong > start:
            shift = len(WITHDRAWN) - (end - start)
            new_strong = (
                new_strong + shift
                if strong >= end
                else new_strong - (strong - start) + len(WITHDRAWN)
            )
        pieces.append(WITHDRAWN)
        at = end
    if not pieces:
        return text, strong
    pieces.append(text[at:])
    return "".join(pieces), max(0, new_strong)


def scrub(data: Any, withdrawn: Mapping[int, str]) -> Any:
    """``data`` (a stored Document or ansichtkaart content) without the texts of
    ``withdrawn`` (contribution id → its text as it was); equal to ``data`` when none of
    them is in it."""
    if not withdrawn:
        return data
    return _Scrubber(withdrawn).value(data)
