"""Engine set-up that the ORM cannot express: SQLite pragmas and write transactions.

SQLite allows one writer. A deferred transaction that reads and then writes cannot wait for
the lock (SQLITE_BUSY at once, busy_timeout ignored), so every service write starts its
transaction with BEGIN IMMEDIATE and waits its turn instead of failing with
"database is locked". Reads stay plain BEGIN and run beside the writer (WAL).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)

P = ParamSpec("P")
T = TypeVar("T")


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

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


def write_transaction(fn: Callable[P, T]) -> Callable[P, T]:
    """Run ``fn`` as one write transaction: committed when it returns, rolled back if it raises.

    Any read transaction the request already holds is ended first, so the write starts
    fresh with the write lock (SQLite) and sees the latest committed state.
    """

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        session = db.session()
        if _write_intent.get():  # nested call inside a write: join the outer transaction
            return fn(*args, **kwargs)
        if session.in_transaction():
            session.commit()
        token = _write_intent.set(True)
        try:
            result = fn(*args, **kwargs)
            session.commit()
            return result
        except BaseException:
            session.rollback()
            raise
        finally:
            _write_intent.reset(token)

    return wrapper
