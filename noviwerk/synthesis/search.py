"""Full-text search, the pure part: a query read into terms, a text made into the stemmed copy
SQLite's FTS5 indexes, highlights and excerpts, and a bouwsteen's text per section.

The databases do the searching (services/search.py). PostgreSQL stems with its own ``dutch``
configuration; FTS5 has no Dutch stemmer, so it indexes the copy made here with the same
classic Snowball Dutch stemmer (``text.stem``), and the query is stemmed alike. Both meet
inflections the stemmer joins ("boeren" and "boer", "woningen" and "woning", "regio's" and
"regio"), never what only a dictionary knows ("steden" and "stad") nor the parts of a
compound ("bodemdaling" does not find "dalende bodem").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from stop_words import get_stop_words

from .document import (
    BIJLAGE,
    Cluster,
    Document,
    Note,
    Paragraph,
    PointList,
    Quote,
    Section,
    Table,
)
from .text import fold, stem

MAX_QUERY_CHARS = 200
MAX_TERMS = 12  # a pasted paragraph is no query; the first words are
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_GROUP = re.compile(r'"([^"]*)"?|([^"\s]+)')


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Snowball's Dutch stop list: PostgreSQL's ``dutch`` drops these (and a few less)."""
    return frozenset(fold(w) for w in get_stop_words("dutch"))


def _keeps(word: str) -> bool:
    return len(word) > 1 and word not in stop_words()


def stems(text: str) -> list[str]:
    """The stems of ``text``'s words that a search can ask for, in order."""
    return [stem(w) for w in (fold(m) for m in _WORD.findall(text)) if _keeps(w)]


def index_text(text: str) -> str:
    """The stemmed copy of ``text`` that FTS5 indexes (stop words and single letters left
    out on both sides, so that a phrase across a stop word still meets)."""
    return " ".join(stems(text))


@dataclass(frozen=True)
class Query:
    """What a person typed, read: groups of words that must all occur, a quoted group as a
    phrase. ``words`` per group are folded and kept (for PostgreSQL, which stems itself);
    ``terms`` the stems (for FTS5 and for highlighting)."""

    typed: str
    groups: tuple[tuple[str, ...], ...]

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(stem(w) for group in self.groups for w in group)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def fts5(self) -> str:
        """The FTS5 MATCH expression: each group a quoted phrase of stems, all required.
        Only stems go in, each quoted, so nothing typed is read as FTS5 syntax."""
        return " ".join('"' + " ".join(stem(w) for w in group) + '"' for group in self.groups)

    def phrases(self) -> list[str]:
        """Each group as words for PostgreSQL's ``phraseto_tsquery``."""
        return [" ".join(group) for group in self.groups]


def parse_query(typed: str) -> Query:
    """``boeren "dalende bodem"`` → two groups: (boeren,) and (dalende, bodem)."""
    typed = " ".join(typed.split())[:MAX_QUERY_CHARS]
    groups: list[tuple[str, ...]] = []
    count = 0
    for quoted, bare in _GROUP.findall(typed):
        words = tuple(w for w in (fold(m) for m in _WORD.findall(quoted or bare)) if _keeps(w))
        words = words[: MAX_TERMS - count]
        if words and words not in groups:
            groups.append(words)
            count += len(words)
        if count >= MAX_TERMS:
            break
    return Query(typed, tuple(groups))


def has_words(typed: str) -> bool:
    """Whether ``typed`` holds any word at all (else: only stop words, or only signs)."""
    return bool(_WORD.search(typed))


# --- highlighting -------------------------------------------------------------------------

Segment = tuple[str, bool]  # (text, is a hit): a template wraps hits in <mark>


def highlight(text: str, terms: frozenset[str]) -> tuple[Segment, ...]:
    """``text`` cut into plain runs and hits: the words whose stem is one of ``terms``."""
    out: list[Segment] = []
    start = 0
    for m in _WORD.finditer(text):
        if stem(fold(m.group())) in terms:
            if m.start() > start:
                out.append((text[start : m.start()], False))
            out.append((m.group(), True))
            start = m.end()
    if start < len(text):
        out.append((text[start:], False))
    return tuple(out)


def excerpt(text: str, terms: frozenset[str], words: int = 40) -> tuple[Segment, ...]:
    """About ``words`` words of ``text`` around its first hit, "…" where cut, highlighted."""
    spans = [m.span() for m in _WORD.finditer(text)]
    if len(spans) <= words:
        return highlight(text, terms)
    first = next((i for i, (a, b) in enumerate(spans) if stem(fold(text[a:b])) in terms), 0)
    lo = max(0, min(first - words // 4, len(spans) - words))
    hi = lo + words
    begin = spans[lo][0] if lo else 0
    end = spans[hi - 1][1] if hi < len(spans) else len(text)
    cut = list(highlight(text[begin:end], terms))
    if lo:
        cut.insert(0, ("… ", False))
    if hi < len(spans):
        cut.append((" …", False))
    return tuple(cut)


# --- a bouwsteen's text -------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """One section of a bouwsteen as a search finds it: its id (the page's anchor), title
    and plain text. The bijlage is left out: its items are the contributions, found as such."""

    section_id: str
    title: str
    text: str


def _block_texts(block) -> Iterator[str]:
    if isinstance(block, Note):
        yield block.text
    elif isinstance(block, Paragraph):
        yield " ".join(s.text for s in block.sentences)
    elif isinstance(block, PointList):
        yield from (s.text for s in block.items)
    elif isinstance(block, Cluster):
        yield f"{block.label}: {block.wording}" if block.label else block.wording
        yield from (s.text for s in block.variants)
    elif isinstance(block, Table):
        yield from (" — ".join(c for c in row.cells if c) for row in block.rows)
    elif isinstance(block, Quote):
        yield f"\u201c{block.text}\u201d" + (f" ({block.attribution})" if block.attribution else "")


def section_text(section: Section) -> str:
    return "\n".join(t for block in section.blocks for t in _block_texts(block) if t.strip())


def passages(document: Document) -> list[Passage]:
    """The sections of ``document`` that hold text, in order, bijlage left out."""
    out = []
    for section in document.sections:
        if section.id == BIJLAGE:
            continue
        text = section_text(section)
        if text:
            out.append(Passage(section.id, section.title, text))
    return out
