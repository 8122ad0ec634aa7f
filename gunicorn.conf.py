"""gunicorn settings for noviwerk, the same file for SQLite and PostgreSQL:

    .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app

gunicorn manages the processes; inside each, waitress (serve.py) serves HTTP: one I/O
thread reads every request whole before one of the worker threads runs the app, so a slow or
silent client holds a socket, never a thread. Phones poll, so a thread is busy only for the
length of one short request. Walls, beamer and regie hold one request each while they wait
for push (services/live.py): it occupies a thread for up to NOVIWERK_PUSH_HOLD_SECONDS (25),
so a process holds at most NOVIWERK_PUSH_MAX of them (all its threads but 8: a room with 20
tafel screens, a beamer and the regie); past that a screen is answered at once and polls,
and the 8 threads left stay for everyone else. A held thread waits without a database
connection.

- SQLite (no DATABASE_URL): two processes on one machine (one per core, at most two), each
  with many threads; one process is bound to one core by Python's GIL. SQLite takes one
  writer at a time: writers of both processes queue on one lock file (database.py), and
  the rate limits count in a file both share (web/limit_storage.py).
- PostgreSQL (DATABASE_URL=postgresql+psycopg://...): several processes. A wall served by one
  process sees posts accepted by any other, because walls read the database cursor
  ("everything after seq N"), not process memory. The processes of one machine share
  the rate-limit counts in a file of the instance, as on SQLite; processes on several
  machines need Redis for them (NOVIWERK_RATELIMIT_STORAGE=redis://...). A database on the
  same machine is best reached through its Unix socket (README).

Environment (all optional):

    NOVIWERK_BIND        address to listen on                 127.0.0.1:8000
    NOVIWERK_WORKERS     processes   SQLite: min(2, cores); PostgreSQL: min(4, max(2, cores))
    NOVIWERK_THREADS     threads per process                  32
    NOVIWERK_POLL_THREADS  of those, how many may serve the phones' polls of their round
                         at once (serving.Dispatcher: a post is taken first)       1
    NOVIWERK_POLL_PATIENCE  seconds a poll waits before it goes first   5
    NOVIWERK_ACTIVE_THREADS  of a process' threads, how many run the app at once (one
                         waiting without CPU, such as a screen's held wait, does not
                         count; 0: all). Python runs one thread at a time, and many at
                         once cost CPU in thread switches. SQLite: 1; PostgreSQL: 2
    NOVIWERK_PUSH_MAX    held push requests per process (screens)   threads - 8
    NOVIWERK_PRELOAD     1: import the app once in the master, then fork (fast worker
                         restarts); 0: every worker imports it     1
    NOVIWERK_KEEPALIVE   seconds a connection may sit idle, between requests or stalled
                         in the middle of one, before it is closed          15
    NOVIWERK_REQUEST_TIMEOUT  seconds a request (line, headers, body) may take to
                         arrive whole; a client trickling bytes is cut off  30
    NOVIWERK_WORKER_CONNECTIONS  open connections per process               4000
    NOVIWERK_ACCESS_LOG  path, or "-" for stdout; unset: no access log
    NOVIWERK_CONTROL_SOCKET  path of gunicorn's control socket; unset: none (the default
                         path is one per user, so two servers on one host would clash)

With PostgreSQL the database pool of each process is sized to the threads that are not held
by push, plus 8 for held waits starting, at most one per thread (NOVIWERK_DB_POOL_SIZE, set
here unless you set it yourself: 16 by default, 32 with push off). More requests at once
than the pool and its 5 extra wait for a connection; in one process they take turns on the
GIL anyway. Keep NOVIWERK_WORKERS x (NOVIWERK_DB_POOL_SIZE + 5) below PostgreSQL's
max_connections (100 by default).
"""

from __future__ import annotations

import os
import resource


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _uses_postgres() -> bool:
    url = os.environ.get("DATABASE_URL") or os.environ.get("NOVIWERK_DATABASE_URL") or ""
    return url.startswith(("postgres://", "postgresql"))


_cores = os.cpu_count() or 1
_postgres = _uses_postgres()

bind = [os.environ.get("NOVIWERK_BIND", "127.0.0.1:8000")]
worker_class = "serve.WaitressWorker"  # serve.py, next to this file
workers = _int("NOVIWERK_WORKERS", min(4, max(2, _cores)) if _postgres else min(2, _cores))
os.environ["NOVIWERK_WORKERS"] = str(workers)  # the app reads it too (config._shared_limits)
threads = _int("NOVIWERK_THREADS", 32)
push_max = _int("NOVIWERK_PUSH_MAX", max(1, threads - 8))  # the app reads it too (config.py)
os.environ.setdefault("NOVIWERK_PUSH_MAX", str(push_max))
# Read by serve.py. With PostgreSQL a request also waits for the database: two at work.
os.environ.setdefault("NOVIWERK_ACTIVE_THREADS", "2" if _postgres else "1")
# Open connections per process (idle keep-alives included); phones poll every few seconds,
# and a browser opens a second connection when it posts while its poll is still out.
worker_connections = _int("NOVIWERK_WORKER_CONNECTIONS", 4000)
backlog = 2048
# Longer than a phone's poll interval (5 s), so its next poll finds the connection still
# open; also how long a client that stops mid-request keeps its socket (never a thread). With 5 s the two raced: now and then the server closed a connection just as the phone
# sent on it, and the request failed ("server disconnected"; 5 polls in a 30-minute soak).
keepalive = _int("NOVIWERK_KEEPALIVE", 15)
timeout = 30  # the worker heartbeats from its I/O loop: only a stuck process is killed
graceful_timeout = 10  # on stop or restart, requests in flight get this long to finish
preload_app = os.environ.get("NOVIWERK_PRELOAD", "1") == "1"

if os.environ.get("NOVIWERK_CONTROL_SOCKET"):
    control_socket = os.environ["NOVIWERK_CONTROL_SOCKET"]
else:
    control_socket_disable = True

accesslog = os.environ.get("NOVIWERK_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("NOVIWERK_LOG_LEVEL", "info")

if _postgres:
    # A pooled connection per thread not held by push, and 8 for held waits as they start
    # (they close theirs before they wait), at most one per thread (read by config.py).
    os.environ.setdefault(
        "NOVIWERK_DB_POOL_SIZE", str(min(threads, max(1, threads - push_max) + 8))
    )


def post_fork(server, worker):
    """A preloaded app was imported in the master: give each worker its own DB connections.

    SQLAlchemy's pool must never hand a connection opened before fork() to two processes.
    ``dispose(close=False)`` drops the inherited pool without closing the parent's sockets.
    """
    app = getattr(server.app, "callable", None)  # set only when the app was preloaded
    extensions = getattr(app, "extensions", None) or {}
    ext = extensions.get("sqlalchemy")
    if ext is None:
        return
    with app.app_context():
        for engine in ext.engines.values():
            engine.dispose(close=False)


def on_starting(server):
    """Every phone keeps a connection open: raise the open-files limit from the usual soft
    1024 to the hard limit, so a room of 1,000 does not run out of file descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        except (ValueError, OSError) as e:  # not allowed here: keep what we have
            server.log.warning("open-files limit stays at %s: %s", soft, e)
