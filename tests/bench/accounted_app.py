"""noviwerk's app, with the CPU each kind of request costs the server counted (a benchmark aid).

``bench_room --account`` serves ``tests.bench.accounted_app:app`` instead of ``wsgi:app``.
Every request is timed by its thread's CPU clock (``time.thread_time``), from the call into
the app until its answer's body is closed, and added to its kind: method, path with the join
code and numbers replaced (``/w/<code>/steun/<n>``), and the answer's status class. Each process
writes its totals as JSON to ``$NOVIWERK_ACCOUNT_DIR/<pid>.json`` every second;
``bench_room.read_accounts`` adds the processes up. What it cannot see is the work around the app: waitress' I/O loop
reading requests and sending answers, and the threads' hand-over.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import defaultdict
from pathlib import Path

from wsgi import app as _app

_DIR = Path(os.environ["NOVIWERK_ACCOUNT_DIR"])  # bench_room sets it
_EVERY = 1.0  # seconds between writes
_CODE = re.compile(r"^/w/[^/]+")
_NUMBER = re.compile(r"/\d+")
_lock = threading.Lock()
_totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])  # kind: [requests, CPU s]
_written = [time.monotonic()]


def _kind(environ: dict, status: str) -> str:
    path = _NUMBER.sub("/<n>", _CODE.sub("/w/<code>", environ.get("PATH_INFO", "")))
    return f"{environ.get('REQUEST_METHOD')} {path} {status[:1]}xx"


def _add(kind: str, cpu: float) -> None:
    with _lock:
        entry = _totals[kind]
        entry[0] += 1
        entry[1] += cpu
        now = time.monotonic()
        if now - _written[0] < _EVERY:
            return
        _written[0] = now
        snapshot = dict(_totals)
    _DIR.mkdir(parents=True, exist_ok=True)
    target = _DIR / f"{os.getpid()}.json"
    target.with_suffix(".tmp").write_text(json.dumps(snapshot))
    target.with_suffix(".tmp").replace(target)


class _Counted:
    """The app's answer body, its CPU counted until the server closes it."""

    def __init__(self, body, environ: dict, status: list[str], spent: float):
        self.body, self.environ, self.status, self.spent = body, environ, status, spent

    def __iter__(self):
        started = time.thread_time()
        try:
            yield from self.body
        finally:
            self.spent += time.thread_time() - started

    def close(self):
        started = time.thread_time()
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            kind = _kind(self.environ, self.status[0] if self.status else "?")
            _add(kind, self.spent + time.thread_time() - started)


def app(environ, start_response):
    seen: list[str] = []

    def starting(status, headers, exc_info=None):
        seen.append(status)
        return start_response(status, headers, exc_info)

    started = time.thread_time()
    body = _app(environ, starting)
    return _Counted(body, environ, seen, time.thread_time() - started)
