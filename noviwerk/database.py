"""Engine set-up that the ORM cannot express: SQLite pragmas and write transactions.

SQLite allows one writer. A deferred transaction that reads and then writes cannot wait for
the lock (SQLITE_BUSY at once, busy_timeout ignored), so every service write starts its
transaction with BEGIN IMMEDIATE and waits its turn instead of failing with
"database is locked". Reads stay plain BEGIN and run beside the writer (WAL).

Writers also queue on a lock of their own before BEGIN IMMEDIATE (``WriterLock``): a
thread waiting there is woken the moment the previous write commits, whereas SQLite's busy
handler polls in sleeps of up to 100 ms, which under a burst of posts turned into seconds of
tail latency. The lock holds across processes (a lock file beside the database, flock), so
two server processes on one SQLite file hand the write over as promptly as two threads do;
busy_timeout still covers writers that do not take it (migrations, a second tool).
"""

from __future__ import annotations

import contextvars
import fcntl
import os
import threading
import time
import weakref
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from .extensions import db
from .serving import waiting

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


class WriterLock:
    """This process's writers one at a time (a thread lock), and one process at a time
    (``flock`` on ``path``; none for a database in memory). A forked child starts afresh:
    its own lock file descriptor (a shared one would make both processes one holder) and
    a free thread lock (one held by a thread of the parent would never be released)."""

    def __init__(self, path: str | None):
        self.path = path
        self._forget()
        _writer_locks.add(self)

    def _forget(self, inherited: bool = False) -> None:
        if inherited and self.fd is not None:
            os.close(self.fd)  # the parent's: it alone unlocks it
        self.threads = threading.Lock()
        self.fd: int | None = None
        self.pid = 0

    def acquire(self) -> None:
        self.threads.acquire()
        if self.path is None:
            return
        try:
            if self.pid != os.getpid():
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                self.pid = os.getpid()
            fcntl.flock(self.fd, fcntl.LOCK_EX)  # waits without the GIL
        except BaseException:
            self.threads.release()
            raise

    def release(self) -> None:
        try:
            if self.path is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.threads.release()

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *_exc) -> None:
        self.release()


_writer_locks: weakref.WeakSet[WriterLock] = weakref.WeakSet()
os.register_at_fork(
    after_in_child=lambda: [lock._forget(inherited=True) for lock in list(_writer_locks)]
)

# One write lock per SQLite engine (weak: test suites make and drop many engines).
_sqlite_write_locks: weakref.WeakKeyDictionary[Engine, WriterLock] = weakref.WeakKeyDictionary()

# SQLite's busy handler sleeps up to 100 ms between tries for the lock: a writer that
# pauses longer than that between transactions lets a waiting writer of any process in.
_SQLITE_WRITER_PAUSE = 0.12
_SQLITE_WRITER_TURN = 0.3  # seconds a long job writes before it pauses
_job = threading.local()

P = ParamSpec("P")
T = TypeVar("T")


def configure_engine(engine: Engine, ping_idle: float) -> None:
    if engine.dialect.name != "sqlite":
        _ping_when_idle(engine, ping_idle)
        return
    database = engine.url.database
    in_file = bool(database) and database != ":memory:" and not database.startswith("file:")
    _sqlite_write_locks[engine] = WriterLock(f"{database}-writer.lock" if in_file else None)

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


def _ping_when_idle(engine: Engine, after: float) -> None:
    """Test a pooled connection before use only if it sat idle ``after`` seconds or more.

    SQLAlchemy's ``pool_pre_ping`` tests it before every use, which cost a phone's "Wat
    anderen inbrachten" about 1.3 of its 3.3 ms of CPU on PostgreSQL (measured in-process on
    the benchmark machine, 2026-12-03). A connection in steady use was alive a moment ago;
    one that sat idle may have been closed by the server, a restart or the network. A dead
    one is dropped and the pool takes another. A database that goes away while connections
    are in use costs one failed request per connection at most: SQLAlchemy then discards
    every connection of the pool opened before it."""

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _idle_from_now(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, _proxy):
        if time.monotonic() - record.info.get("idle_since", 0.0) < after:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)  # what pool_pre_ping runs
            dbapi_conn.rollback()
        except Exception as error:  # any failure: a connection not to use
            raise exc.DisconnectionError() from error


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
        lock = _sqlite_write_locks.get(db.engine)  # SQLite: writers queue here
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


def reads_without_transaction() -> None:
    """PostgreSQL: the session's reads from here on run each on its own, without a
    transaction around them, which saves a BEGIN and a ROLLBACK (two round trips to the
    database) per request; call it before a hot read path's first statement. READ
    COMMITTED gives every statement its own snapshot either way, so a read sees the same.
    Writes still go through ``write_transaction``, which ends this and begins a real
    transaction on a connection as the pool keeps it. No effect on SQLite (no round trips)
    or once the session has begun."""
    session = db.session()
    if session.in_transaction() or _write_intent.get() or db.engine.dialect.name == "sqlite":
        return
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def let_other_writers_in() -> None:
    """Call between the write transactions of a long job (an import in batches): once the
    job has written for ``_SQLITE_WRITER_TURN`` seconds since its last pause, pause, so that
    a writer waiting for the lock gets it rather than the job again: neither SQLite's busy
    handler nor the lock above is first come, first served.
    A short job never pauses; no pause on PostgreSQL, whose writers wait on rows."""
    if db.engine.dialect.name != "sqlite":
        return
    now = time.monotonic()
    last = getattr(_job, "resumed", None)
    if last is None or now - last > 10 * _SQLITE_WRITER_TURN:  # a new job: start its clock
        _job.resumed = now
    elif now - last >= _SQLITE_WRITER_TURN:
        with waiting():  # in a request: the process' other requests (writers too) run
            time.sleep(_SQLITE_WRITER_PAUSE)
        _job.resumed = time.monotonic()
