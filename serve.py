"""The HTTP server inside every gunicorn worker: waitress (gunicorn.conf.py names it).

gunicorn's gthread worker gives a connection to a thread as soon as it is readable, so 16
clients that send half a request and stop stall the room. waitress reads every request whole,
on one I/O thread, before a worker thread runs the app: a slow client costs a socket. gunicorn stays the process manager
(several processes with PostgreSQL, a killed worker replaced, graceful restarts, preload).

Two deadlines cut slow clients off: a connection idle for NOVIWERK_KEEPALIVE seconds (between
requests or stalled in the middle of one) is closed by waitress, and a request that has not
arrived whole within NOVIWERK_REQUEST_TIMEOUT seconds (one byte a second) is closed here.

The I/O loop keeps its epoll set (``Poller``); the threads take what a person waits for
before the phones' polls, a few at work at once (``Dispatcher``; both in noviwerk/serving.py);
the garbage collector is tuned (``tune_gc``).
"""

from __future__ import annotations

import gc
import os
import time
import weakref

from gunicorn.workers.base import Worker
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

from noviwerk.serving import Dispatcher, Poller

# How often the loop wakes to tell the master it lives and to cut slow requests off.
TICK = 1.0

# Python's cyclic GC as a server process needs it: what exists once the app is loaded is
# never scanned again, and the young are collected every 7,000 new objects instead of 700
# (with the defaults it took 13 % of bench_room_pages' CPU, see docs/benchmarks.md).
GC_THRESHOLDS = (7000, 10, 10)


def tune_gc() -> None:
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


class WaitressWorker(Worker):
    def run(self) -> None:
        tune_gc()  # the app is loaded (in the master with preload, else in this process)
        cfg = self.cfg
        self.request_timeout = _int("NOVIWERK_REQUEST_TIMEOUT", 30)
        self.map: dict = {}
        poller, self.dispatcher = make_server(
            self._access_logged(self.wsgi) if cfg.accesslog else self.wsgi,
            self.map,
            threads=cfg.threads,
            poll_threads=_int("NOVIWERK_POLL_THREADS", 1),
            poll_patience=_int("NOVIWERK_POLL_PATIENCE", 5),
            active_threads=_int("NOVIWERK_ACTIVE_THREADS", 0),
            sockets=[s.sock for s in self.sockets],
            connection_limit=cfg.worker_connections,
            backlog=cfg.backlog,
            channel_timeout=cfg.keepalive,
            cleanup_interval=1,
            # Flask refuses bigger bodies with 413; waitress need not spool more than that.
            max_request_body_size=_int("NOVIWERK_MAX_UPLOAD_BYTES", 5 * 1024 * 1024) + 65536,
            # The app's ProxyFix (NOVIWERK_PROXY_HOPS) reads X-Forwarded-*: leave them.
            clear_untrusted_proxy_headers=False,
            # No Server header: the name of the server (and so its weak spots) is nobody's
            # business. waitress sends one only when ident is set.
            ident="",
        )
        self._began: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        next_tick = 0.0
        try:
            while self.alive and self.ppid == os.getppid():
                poller.turn(TICK)
                now = time.monotonic()
                if now >= next_tick:
                    next_tick = now + TICK
                    self.notify()
                    self._cut_slow_requests(now)
                    poller.everything = True  # upkeep may have marked connections to close
        finally:
            poller.close()
        self._stop_gracefully()

    def _channels(self) -> list[HTTPChannel]:
        return [c for c in list(self.map.values()) if isinstance(c, HTTPChannel)]

    def _cut_slow_requests(self, now: float) -> None:
        """Close connections whose request (line, headers, body) is still arriving after
        request_timeout. waitress's idle timeout alone misses a client that trickles a byte
        now and then; it holds no thread here, but it holds a connection for ever."""
        for channel in self._channels():
            request = channel.request  # the request being read, None between requests
            if request is None:
                continue
            began = self._began.setdefault(request, now)
            if now - began > self.request_timeout and not channel.will_close:
                self.log.info("closing a request that took over %ss to arrive from %s",
                              self.request_timeout, channel.addr)
                channel.will_close = True

    def _stop_gracefully(self) -> None:
        """Stop accepting; let requests already read finish (graceful_timeout at most)."""
        for s in list(self.map.values()):
            if isinstance(s, BaseWSGIServer):
                s.accepting = False
                s.del_channel()
                s.socket.close()
        deadline = time.monotonic() + self.cfg.graceful_timeout
        while time.monotonic() < deadline:
            busy = False
            for channel in self._channels():
                if channel.requests or channel.total_outbufs_len:
                    busy = True
                else:
                    channel.will_close = True  # idle, or a request only half arrived
            if not busy and not self._channels():
                break
            self.notify()
            wasyncore.loop(timeout=0.1, map=self.map, use_poll=True, count=1)
        self.dispatcher.shutdown(timeout=1)
        wasyncore.close_all(self.map)

    def _access_logged(self, app):
        """gthread wrote gunicorn's access log; waitress has none, so log here."""
        log = self.log.access_log

        def logged(environ, start_response):
            started = time.perf_counter()
            status = ["-"]

            def recording(s, headers, exc_info=None):
                status[0] = s.split(" ", 1)[0]
                return start_response(s, headers, exc_info)

            try:
                return app(environ, recording)
            finally:
                log.info('%s "%s %s" %s %.0f ms', environ.get("REMOTE_ADDR", "-"),
                         environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), status[0],
                         (time.perf_counter() - started) * 1000)

        return logged


def make_server(app, socket_map: dict, threads: int, poll_threads: int, poll_patience: float,
                active_threads: int = 0, **adjustments) -> tuple[Poller, Dispatcher]:
    """waitress serving ``app`` with this module's threads (``Dispatcher``: ``active_threads``
    of them at work at once, 0 all) and I/O loop (``Poller``: the caller turns it);
    ``adjustments`` are waitress's own settings."""
    dispatcher = Dispatcher(background_max=poll_threads, patience=poll_patience,
                            active_max=active_threads)
    dispatcher.set_thread_count(threads)
    create_server(app, map=socket_map, _dispatcher=dispatcher, threads=threads,
                  # poll(): select() cannot watch file descriptors above 1024; waitress's
                  # own loop runs only while the worker stops (_stop_gracefully).
                  asyncore_use_poll=True, **adjustments)
    poller = Poller(socket_map)
    for server in socket_map.values():
        if isinstance(server, BaseWSGIServer):
            server.channel_class = poller.channel_class
    return poller, dispatcher
