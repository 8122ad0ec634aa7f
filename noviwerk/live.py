"""Change notification for walls and phones.

The database is the source of truth: every contribution write takes the next value of its
werkplaats' ``last_seq`` inside the same transaction, so commit order equals seq order and a
wall that asks for "everything after cursor N" never misses a row, whatever process served
the write. This module only *nudges*: it remembers the newest seq it has seen per werkplaats
so a wall waiting in this process can be woken without asking the database. Walls that miss
a nudge (another process, a restart) still catch up on their next cursor fetch.
"""

from __future__ import annotations

import threading


class LocalNotifier:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._seq: dict[int, int] = {}

    def publish(self, werkplaats_id: int, seq: int) -> None:
        with self._cond:
            if seq > self._seq.get(werkplaats_id, 0):
                self._seq[werkplaats_id] = seq
            self._cond.notify_all()

    def latest(self, werkplaats_id: int) -> int:
        with self._cond:
            return self._seq.get(werkplaats_id, 0)

    def wait(self, werkplaats_id: int, seen: int, timeout: float) -> int:
        """Block until a seq newer than ``seen`` is published here, or ``timeout`` passes."""
        with self._cond:
            self._cond.wait_for(lambda: self._seq.get(werkplaats_id, 0) > seen, timeout)
            return self._seq.get(werkplaats_id, 0)


notifier = LocalNotifier()
