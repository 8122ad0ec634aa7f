"""Engine set-up that the ORM cannot express: SQLite pragmas and write transactions.

SQLite allows one writer. A deferred transaction that reads and then writes cannot wait for
the lock (SQLITE_BUSY at once, busy_timeout ignored), so every service write starts its
transaction with BEGIN IMMEDIATE and waits its turn instead of failing with
"database is locked". Reads stay plain BEGIN and run beside the writer (WAL).

Within one process, writers also queue on a lock of their own before BEGIN IMMEDIATE: a
thread waiting there is woken the moment the previous write commits, whereas SQLite's busy
handler polls in sleeps of up to 100 ms, which under a burst of posts turned into seconds of
tail latency. busy_timeout still covers writers in other processes.
"""

from __future__ import annotations

import contextvars
import threading
import time
import weakref
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)

# One write lock per SQLite engine (weak: test suites make and drop many engines).
_sqlite_write_locks: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()

# SQLite's busy handler sleeps up to 100 ms between tries for the lock: a writer that
# pauses longer than that between transactions lets a waiting writer of any process in.
_SQLITE_WRITER_PAUSE = 0.12
_SQLITE_WRITER_TURN = 0.3  # seconds a long job writes before it pauses
_job = threading.local()

P = ParamSpec("P")
T = TypeVar("T")


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    _sqlite_write_locks[engine] = threading.Lock()

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def _commit(session, expire: bool) -> None:
    if expire:
        session.commit()
        return
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def write_transaction(
    fn: Callable[P, T] | None = None, *, keep_loaded: bool = False
) -> Callable[P, T]:
    """Run ``fn`` as one write transaction: committed when it returns, rolled back if it raises.

    Any read transaction the request already holds is ended first, so the write starts
    fresh with the write lock (SQLite) and sees the latest committed state.

    ``keep_loaded=True`` (for hot paths) keeps what the session loaded across both commits
    instead of expiring it, which saves reloading it. Only for a function that re-reads,
    inside the write, everything it must see fresh (``populate_existing``) and whose writes
    all go through the ORM, so that nothing kept is stale afterwards.
    """
    if fn is None:
        return lambda f: write_transaction(f, keep_loaded=keep_loaded)  # type: ignore[return-value]
    expire = not keep_loaded

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        session = db.session()
        if _write_intent.get():  # nested call inside a write: join the outer transaction
            return fn(*args, **kwargs)
        if session.in_transaction():
            _commit(session, expire)
        lock = _sqlite_write_locks.get(db.engine)  # SQLite: this process's writers queue here
        if lock is not None:
            lock.acquire()
        token = _write_intent.set(True)
        try:
            result = fn(*args, **kwargs)
            _commit(session, expire)
            return result
        except BaseException:
            session.rollback()
            raise
        finally:
            _write_intent.reset(token)
            if lock is not None:
                lock.release()

    return wrapper


def let_other_writers_in() -> None:
    """Call between the write transactions of a long job (an import in batches): once the
    job has written for ``_SQLITE_WRITER_TURN`` seconds since its last pause, pause, so that
    a writer waiting for the lock gets it rather than the job again: neither SQLite's busy
    handler (other processes) nor the lock above (this process) is first come, first served.
    A short job never pauses; no pause on PostgreSQL, whose writers wait on rows."""
    if db.engine.dialect.name != "sqlite":
        return
    now = time.monotonic()
    last = getattr(_job, "resumed", None)
    if last is None or now - last > 10 * _SQLITE_WRITER_TURN:  # a new job: start its clock
        _job.resumed = now
    elif now - last >= _SQLITE_WRITER_TURN:
        time.sleep(_SQLITE_WRITER_PAUSE)
        _job.resumed = time.monotonic()
