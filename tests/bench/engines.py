"""The database engine the load benchmark's plain apps share with noviwerk's settings.

SQLite: WAL, busy timeout, synchronous NORMAL, and BEGIN IMMEDIATE for every transaction
(as noviwerk's writes). PostgreSQL: psycopg 3 with a pool sized like noviwerk's.
"""

from __future__ import annotations

import os

import sqlalchemy as sa


def engine_from_environment() -> sa.Engine:
    """An engine for ``DATABASE_URL``, set up as noviwerk sets up its own."""
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if not url.startswith("sqlite"):
        return sa.create_engine(
            url,
            pool_size=int(os.environ.get("NOVIWERK_DB_POOL_SIZE", "10")),
            max_overflow=5,
            pool_pre_ping=True,
        )
    engine = sa.create_engine(url)

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "busy_timeout=10000", "synchronous=NORMAL"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
