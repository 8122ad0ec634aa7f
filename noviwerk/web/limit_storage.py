"""Rate-limit counts that every server process on one machine shares: a small SQLite file.

Flask-Limiter keeps its counts in ``memory://`` by default, one count per process; with the
several server processes of gunicorn.conf.py (either database) a phone would get each limit
once per process. ``limits`` ships storages for Redis, Memcached and MongoDB, which one
machine should not need, so this is one more for it: ``noviwerk-sqlite:///<path>``, the fixed-window
counts (Flask-Limiter's default strategy) in a file of their own beside the database, so
that counting never waits on the database's writer.

Each count is one short write (an upsert) with ``synchronous=OFF``: a count lost in a crash
of the machine costs nothing worth an fsync. Writers queue on a lock file as the database's
do (database.WriterLock): SQLite's own busy handler sleeps up to 100 ms between tries, and
two processes counting every post and +1 of a full room met often enough to queue posts
behind those sleeps.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from limits.storage import Storage

from ..database import WriterLock

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hits ("
    " key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
)
# A window that ended starts afresh; one still running counts on.
_INCR = (
    "INSERT INTO hits (key, count, expires) VALUES (:key, :amount, :expires) "
    "ON CONFLICT (key) DO UPDATE SET"
    " count = CASE WHEN expires <= :now THEN excluded.count ELSE count + excluded.count END,"
    " expires = CASE WHEN expires <= :now THEN excluded.expires ELSE expires END "
    "RETURNING count"
)
_SWEEP_EVERY = 1000  # counts, then windows that ended are deleted


class SQLiteStorage(Storage):
    """``limits`` storage (fixed window) in a SQLite file shared by processes."""

    STORAGE_SCHEME = ["noviwerk-sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        self.path = uri.split("://", 1)[1]
        self._local = threading.local()
        self._counted = 0
        self._writer = WriterLock(self.path + "-writer.lock")
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        """One connection per thread and process (a forked child opens its own)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(_SCHEMA)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        db = self._db()
        with self._writer:
            (count,) = db.execute(
                _INCR, {"key": key, "amount": amount, "expires": now + expiry, "now": now}
            ).fetchone()
            self._counted += 1
            if self._counted % _SWEEP_EVERY == 0:
                db.execute("DELETE FROM hits WHERE expires <= ?", (now,))
        return count

    def get(self, key: str) -> int:
        row = self._db().execute(
            "SELECT count FROM hits WHERE key = ? AND expires > ?", (key, time.time())
        ).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = self._db().execute(
            "SELECT expires FROM hits WHERE key = ? AND expires > ?", (key, now)
        ).fetchone()
        return row[0] if row else now

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._writer:
            return self._db().execute("DELETE FROM hits").rowcount

    def clear(self, key: str) -> None:
        with self._writer:
            self._db().execute("DELETE FROM hits WHERE key = ?", (key,))
