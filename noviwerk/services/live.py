"""Wake-ups for the room's screens: "werkplaats W moved" as soon as it did, in any process.

A wall, beamer or regie waits (``wait``) with the cursor (last_seq) and state version it
shows; the answer comes as soon as the werkplaats' ``last_seq`` passes the cursor or its
``state_version`` passes the version, or after ``hold`` seconds. The screen then fetches what
changed by cursor exactly as its poll does: a wake-up carries no data, so a missed or late one
costs time, never a card, and a wall still catches up by cursor after any gap.

How a change is seen, the same way in every process and on both databases: one watcher
thread per process (per app) reads last_seq and state_version of the werkplaatsen someone
waits for, every ``interval`` seconds (50 ms) and at once after any commit in this process
(``poke``). It runs only while someone waits and stops with the last one. So a post accepted
by another process (PostgreSQL: several gunicorn workers) reaches a waiting wall within
about 50 ms; one accepted by this process at once. One indexed read of a few rows 20 times a
second while screens wait costs next to nothing; it needs no notification to be sent by each
of the many write paths that move the cursor (PostgreSQL's LISTEN/NOTIFY would), and no
connection of its own that could silently drop.

Held waits occupy a server thread each (waitress: NOVIWERK_THREADS per process), so a
process holds at most ``NOVIWERK_PUSH_MAX`` at once (``slots``); past that the wait is
refused at once and the screen polls as it did before push.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import Counter

import sqlalchemy as sa

from ..extensions import db
from ..models import Werkplaats

log = logging.getLogger(__name__)
_T = Werkplaats.__table__


class Watcher:
    """This process's view of the werkplaatsen someone waits for: id → (last_seq, version)."""

    def __init__(self, engine: sa.Engine, interval: float, slots: int):
        self.engine = engine
        self.interval = interval
        self.slots = threading.BoundedSemaphore(slots) if slots > 0 else None
        self.cond = threading.Condition()
        self.waiting: Counter[int] = Counter()
        self.known: dict[int, tuple[int, int]] = {}
        self.poked = threading.Event()
        self.thread: threading.Thread | None = None
        self.stopped = False
        _watchers.add(self)

    def stop(self, timeout: float = 5.0) -> None:
        """End every wait now and the thread with it, before the engine goes (an app torn
        down: its held waits would otherwise read through a pool nobody closes)."""
        with self.cond:
            self.stopped = True
            thread = self.thread
            self.cond.notify_all()
        self.poked.set()
        if thread is not None:
            thread.join(timeout)

    def take_slot(self) -> bool:
        """One of this process's push slots, or False when all are held (the screen polls)."""
        return self.slots is not None and self.slots.acquire(blocking=False)

    def give_slot(self) -> None:
        self.slots.release()

    def poke(self) -> None:
        """Something was committed here: look again now, not at the next tick."""
        if self.waiting:
            self.poked.set()

    def _merge(self, wid: int, seq: int, version: int) -> bool:
        """Both only ever grow: keep the larger of what we knew and what we read."""
        old = self.known.get(wid, (-1, -1))
        new = (max(old[0], seq), max(old[1], version))
        self.known[wid] = new
        return new != old

    def wait(self, wid: int, state: tuple[int, int], after: int, version: int,
             hold: float) -> tuple[int, int]:
        """Until werkplaats ``wid`` has a seq above ``after`` or a version above ``version``,
        at most ``hold`` seconds; ``state`` is its (seq, version) as just read. Returns the
        (seq, version) last known."""
        deadline = time.monotonic() + hold
        with self.cond:
            self._merge(wid, *state)
            self.waiting[wid] += 1
            if self.thread is None and not self.stopped:
                self.thread = threading.Thread(target=self._run, name="noviwerk-live",
                                               daemon=True)
                self.thread.start()
            try:
                while True:
                    seq, v = self.known[wid]
                    left = deadline - time.monotonic()
                    if seq > after or v > version or left <= 0 or self.stopped:
                        return seq, v
                    self.cond.wait(left)
            finally:
                self.waiting[wid] -= 1
                if not self.waiting[wid]:
                    del self.waiting[wid]
                    self.known.pop(wid, None)

    def _read(self, ids: list[int]) -> list[tuple[int, int, int]]:
        query = sa.select(_T.c.id, _T.c.last_seq, _T.c.state_version).where(_T.c.id.in_(ids))
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":
                # One statement, no BEGIN and no ROLLBACK around it: psycopg's rollback()
                # also drops every statement the connection has prepared (DEALLOCATE ALL),
                # and this runs 20 times a second on connections the requests share.
                conn.execution_options(isolation_level="AUTOCOMMIT")
            rows = [tuple(r) for r in conn.execute(query)]
            conn.rollback()
        return rows

    def _run(self) -> None:
        while True:
            with self.cond:
                ids = list(self.waiting)
                if not ids or self.stopped:
                    self.thread = None
                    return
            try:
                rows = self._read(ids)
            except Exception:  # the database away for a moment: waits end by their hold
                log.warning("live: could not read the werkplaatsen", exc_info=True)
                rows = []
                time.sleep(1)
            with self.cond:
                changed = False
                for wid, seq, version in rows:
                    if wid in self.waiting:
                        changed = self._merge(wid, seq or 0, version or 0) or changed
                if changed:
                    self.cond.notify_all()
            self.poked.wait(self.interval)
            self.poked.clear()


def _after_commit(_session) -> None:
    for found in list(_watchers):
        found.poke()


_watchers: weakref.WeakSet[Watcher] = weakref.WeakSet()  # every watcher of this process
_listening = False


def listen() -> None:
    """Every commit in this process pokes the process's watchers (listened to once)."""
    global _listening
    if not _listening:
        sa.event.listen(db.session, "after_commit", _after_commit)
        _listening = True
