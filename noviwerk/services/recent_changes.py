"""The werkplaats' latest changed contributions, kept per process for the phones' polls.

Every phone asks every few seconds "what changed after my cursor?". In a busy room (1,000
phones, 40 posts and +1s a second) the answer is a few hundred rows for each of 200 polls a
second; reading them from the database for every poll took most of the server's CPU
(bench_room, docs/benchmarks.md). They are the same rows for every phone: this process reads
each change once, in seq order, and each poll takes its slice from memory.

Why it is safe to read "everything after the highest seq we have" and never look back: a
contribution's seq is taken from the werkplaats row (``participation.touch``), whose lock
is held until the change commits, so changes become visible in seq order, in every process.
Changes of other processes are read as soon as a request sees the werkplaats' ``last_seq``
ahead of what we read. A contribution that changed again appears twice; its last row counts.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa

from ..extensions import db
from ..models import Contribution

KEEP = 5000  # rows per werkplaats; a phone further behind is answered from the database


class Change(NamedTuple):
    seq: int
    id: int
    participant_id: int | None
    round_id: int
    tafel_id: int | None  # where it was posted; a move does not change it
    on_wall: bool


_COLUMNS = (
    Contribution.seq,
    Contribution.id,
    Contribution.participant_id,
    Contribution.round_id,
    Contribution.tafel_id,
    Contribution.is_on_wall.label("on_wall"),
)


def _query(werkplaats_id: int, after: int, limit: int):
    return (
        sa.select(*_COLUMNS)
        .where(Contribution.werkplaats_id == werkplaats_id, Contribution.seq > after)
        .order_by(Contribution.seq)
        .limit(limit)
    )


@dataclass
class _Recent:
    floor: int  # rows after this seq are all here
    seqs: list[int] = field(default_factory=list)
    rows: list[Change] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def upto(self) -> int:
        return self.seqs[-1] if self.seqs else self.floor


# Per process: (database, werkplaats id) -> its recent changes.
_kept: dict[tuple[str, int], _Recent] = {}


def _recent(werkplaats_id: int, last_seq: int) -> _Recent:
    key = (str(db.engine.url), werkplaats_id)
    found = _kept.get(key)
    # Below the floor: a werkplaats that got the id of a removed one (SQLite reuses the
    # highest id), so start afresh. With the floor KEEP below the first last_seq this only
    # catches a removed werkplaats of more than KEEP changes; the app removes none, and the
    # tests' reset calls ``forget``. (Not below ``upto``: a request that began earlier may
    # well read an older last_seq than the rows another request has read since.)
    if found is None or last_seq < found.floor:
        # Starts with the last KEEP changes (read at the first call), so the phones that
        # loaded their page before this process's first poll are answered from memory too;
        # with the cursor at the last seq, every phone of the room then read the database
        # once (bench_room: 889 of 1,000 phones at the round's start).
        found = _kept[key] = _Recent(floor=max(0, last_seq - KEEP))
    return found


def forget() -> None:
    """Drop what this process kept: for a database emptied under it (the tests' reset, which
    gives the next werkplaats the same id and seqs; the app itself never reuses them)."""
    _kept.clear()


def after(werkplaats_id: int, last_seq: int, cursor: int, limit: int) -> list[Change] | None:
    """Contributions changed after ``cursor`` (each once, its latest change, in seq order),
    at most ``limit``; None when more changed. ``last_seq`` is the werkplaats' as just read."""
    recent = _recent(werkplaats_id, last_seq)
    if cursor < recent.floor:
        rows = [Change(*r) for r in db.session.execute(_query(werkplaats_id, cursor, limit + 1))]
        return None if len(rows) > limit else rows
    with recent.lock:
        if last_seq > recent.upto:
            fresh = db.session.execute(_query(werkplaats_id, recent.upto, KEEP)).all()
            for r in fresh:
                recent.seqs.append(r.seq)
                recent.rows.append(Change(*r))
            if len(recent.seqs) > KEEP:
                cut = len(recent.seqs) - KEEP
                recent.floor = recent.seqs[cut - 1]
                del recent.seqs[:cut]
                del recent.rows[:cut]
        start = bisect.bisect_right(recent.seqs, cursor)
        tail = recent.rows[start:]
    latest = {row.id: row for row in tail}  # a contribution changed twice: its last change
    if len(latest) > limit:
        return None
    return sorted(latest.values())
