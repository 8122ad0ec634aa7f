"""What the programme's overviews read of each bouwsteen's current version: one part of its
Document (the points of its opgaven section, the tags of its rode draden), not the whole.

A Document of 750 contributions is some 360 kB of JSON, most of it the bijlage; decoding 30
of them takes longer than the page may. So each part is read once per version and kept in
this process under a key that changes whenever what it was read from can change: the
version's id and time (every save is a new version) and its werkplaats' ``last_seq`` (a
withdrawal, the one change made to a saved version, scrubs the text out of it in the
transaction that records the change in that counter: ``withdrawal.forget`` with
``participation.touch``). Each request reads the keys afresh, so every process sees every
other's saves and withdrawals; a part whose key is no longer asked for ages out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa

from ..extensions import db
from ..models import Bouwsteen, BouwsteenVersion, Werkplaats
from ..synthesis.document import Document, from_dict

T = TypeVar("T")
KEEP = 1024  # parts kept per process: a few kB each


@dataclass(frozen=True)
class Current:
    """A bouwsteen's current version, without its Document."""

    bouwsteen_id: int
    version_id: int
    number: int
    key: tuple


_kept: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


def current_versions(bouwsteen_ids: Iterable[int]) -> dict[int, Current]:
    """The current version of each of the bouwstenen that has one, by bouwsteen id."""
    ids = list(bouwsteen_ids)
    if not ids:
        return {}
    latest = (
        sa.select(BouwsteenVersion.bouwsteen_id, sa.func.max(BouwsteenVersion.number).label("n"))
        .where(BouwsteenVersion.bouwsteen_id.in_(ids))
        .group_by(BouwsteenVersion.bouwsteen_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            BouwsteenVersion.id,
            BouwsteenVersion.bouwsteen_id,
            BouwsteenVersion.number,
            BouwsteenVersion.created_at,
            Werkplaats.last_seq,
        )
        .join(
            latest,
            (latest.c.bouwsteen_id == BouwsteenVersion.bouwsteen_id)
            & (latest.c.n == BouwsteenVersion.number),
        )
        .join(Bouwsteen, Bouwsteen.id == BouwsteenVersion.bouwsteen_id)
        .join(Werkplaats, Werkplaats.id == Bouwsteen.werkplaats_id)
    )
    return {
        bid: Current(bid, vid, number, (vid, bid, number, created_at, last_seq))
        for vid, bid, number, created_at, last_seq in rows
    }


def partial_document(data: Mapping[str, Any], sections: Iterable[str]) -> Document:
    """The stored Document with only ``sections`` (its head and draad edits stay)."""
    wanted = set(sections)
    return from_dict({**data, "sections": [s for s in data["sections"] if s["id"] in wanted]})


def read(
    current: Iterable[Current], part: str, sections: tuple[str, ...], fn: Callable[[Document], T]
) -> dict[int, T]:
    """``fn`` of each current version's Document, holding only ``sections``, by bouwsteen id.
    ``part`` names what ``fn`` reads (one name per ``fn``): it is part of the key."""
    found: dict[int, T] = {}
    missing: list[Current] = []
    with _lock:
        for c in current:
            key = (part, *c.key)
            if key in _kept:
                _kept.move_to_end(key)
                found[c.bouwsteen_id] = _kept[key]
            else:
                missing.append(c)
    if not missing:
        return found
    by_version = {c.version_id: c for c in missing}
    # One Document at a time, each let go before the next is decoded: all of them at once
    # would be millions of live objects, which the garbage collector walks over and over.
    rows = db.session.connection().execute(  # Core: rows decoded as they are taken
        sa.select(BouwsteenVersion.id, BouwsteenVersion.document).where(
            BouwsteenVersion.id.in_(list(by_version))
        )
    )
    for version_id, data in rows:  # a version gone since the keys were read is not here
        c = by_version[version_id]
        value = fn(partial_document(data, sections))
        del data
        found[c.bouwsteen_id] = value
        with _lock:
            _kept[(part, *c.key)] = value
            while len(_kept) > KEEP:
                _kept.popitem(last=False)
    return found


def forget_all() -> None:
    """Empty this process's parts (for tests that measure the first read)."""
    with _lock:
        _kept.clear()
