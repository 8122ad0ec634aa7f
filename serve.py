"""The HTTP server inside every gunicorn worker: waitress (gunicorn.conf.py names it).

gunicorn's gthread worker gives a connection to a thread as soon as it is readable, so 16
clients that send half a request and stop stall the room. waitress reads every request whole,
on one I/O thread, before a worker thread runs the app: a slow client costs a socket. gunicorn stays the process manager
(several processes with PostgreSQL, a killed worker replaced, graceful restarts, preload).

Two deadlines cut slow clients off: a connection idle for NOVIWERK_KEEPALIVE seconds (between
requests or stalled in the middle of one) is closed by waitress, and a request that has not
arrived whole within NOVIWERK_REQUEST_TIMEOUT seconds (one byte a second) is closed here.

The I/O loop keeps its epoll set (``Poller``); the threads take what a person waits for
before the phones' polls (``Dispatcher``); the garbage collector is tuned (``tune_gc``).
"""

from __future__ import annotations

import collections
import contextlib
import gc
import logging
import os
import re
import select
import threading
import time
import weakref

from gunicorn.workers.base import Worker
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ThreadedTaskDispatcher

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
                **adjustments) -> tuple[Poller, Dispatcher]:
    """waitress serving ``app`` with this module's threads (``Dispatcher``) and I/O loop
    (``Poller``: the caller turns it); ``adjustments`` are waitress's own settings."""
    dispatcher = Dispatcher(background_max=poll_threads, patience=poll_patience)
    dispatcher.set_thread_count(threads)

    def app_with_idle(environ, start_response):
        environ["noviwerk.idle"] = dispatcher.idle
        return app(environ, start_response)

    create_server(app_with_idle, map=socket_map, _dispatcher=dispatcher, threads=threads,
                  # poll(): select() cannot watch file descriptors above 1024; waitress's
                  # own loop runs only while the worker stops (_stop_gracefully).
                  asyncore_use_poll=True, **adjustments)
    poller = Poller(socket_map)
    for server in socket_map.values():
        if isinstance(server, BaseWSGIServer):
            server.channel_class = poller.channel_class
    return poller, dispatcher


_IN = select.EPOLLIN | select.EPOLLPRI  # the same bits as poll()'s, which wasyncore reads


class Poller:
    """One turn of waitress's I/O loop, with an epoll set kept from turn to turn.

    waitress's own turn (``wasyncore.poll2``) asks every connection what it waits for and
    builds a new poll set: 0.6 ms a turn with 1,000 phones connected, hundreds of turns a
    second in a busy room. What a connection waits for changes only when something happens
    to it: an event on its socket, its request served by a worker thread, its opening, and
    the upkeep (idle and slow connections marked to close, once a second). So a turn asks
    just those; same answers (``flags``) and handlers (``wasyncore.readwrite``) as waitress.
    """

    def __init__(self, socket_map: dict):
        self.map = socket_map
        self.epoll = select.epoll()
        self.known: dict[int, tuple[object, int]] = {}  # fd -> (dispatcher, flags in epoll)
        self.others: set[int] = set()  # listening sockets and the wake-up pipe: every turn
        self.serving: set[int] = set()  # connections a worker thread is serving now
        self.touched: set[int] = set()  # connections to ask next turn (this thread only)
        self.served: collections.deque = collections.deque()  # from worker threads
        self.everything = True
        poller = self

        class Channel(HTTPChannel):
            def add_channel(self, map=None):
                super().add_channel(map)
                poller.touched.add(self._fileno)

            def service(self):
                # Asked every turn while served (the answer is written meanwhile), and once
                # more in the turn woken after: the last of it (the request off the queue,
                # a "100 Continue" for the next) comes after waitress's own wake-up.
                fd = self._fileno
                poller.serving.add(fd)
                try:
                    super().service()
                finally:
                    poller.served.append(fd)
                    poller.serving.discard(fd)
                    self.server.pull_trigger()

        self.channel_class = Channel

    @staticmethod
    def flags(obj) -> int:
        flags = _IN if obj.readable() else 0
        if obj.writable() and not obj.accepting:
            flags |= select.EPOLLOUT
        return flags

    def _ask(self, fd: int) -> None:
        obj = self.map.get(fd)
        known = self.known.get(fd)
        if obj is None:  # closed (closing removed it from the epoll set)
            self.known.pop(fd, None)
            self.others.discard(fd)
            return
        flags = self.flags(obj)
        if known is not None and known[0] is obj:
            if known[1] == flags:
                return
            if known[1] and flags:
                self.epoll.modify(fd, flags)
            elif known[1]:
                self.epoll.unregister(fd)
            else:
                self.epoll.register(fd, flags)
        else:  # new, or a new connection on the number of a closed one
            if known is not None and known[1]:
                try:
                    self.epoll.unregister(fd)
                except OSError:
                    pass  # its socket was closed, and left the set with it
            if flags:
                self.epoll.register(fd, flags)
        self.known[fd] = (obj, flags)

    def turn(self, timeout: float) -> None:
        socket_map = self.map
        if self.everything:
            self.everything = False
            self.others = {fd for fd, obj in socket_map.items()
                           if not isinstance(obj, self.channel_class)}
            asked = set(socket_map) | set(self.known)
            self.touched.clear()
        else:
            asked = self.touched | self.serving  # (a copy: threads add to serving)
            self.touched = set()
            served = self.served
            while served:
                asked.add(served.popleft())
        for fd in self.others:  # the listening socket's turn also does waitress's upkeep
            self._ask(fd)
        for fd in asked:
            if fd not in self.others:
                self._ask(fd)
        try:
            events = self.epoll.poll(timeout)
        except InterruptedError:
            return
        touched = self.touched
        for fd, flags in events:
            obj = socket_map.get(fd)
            if obj is None:
                continue
            wasyncore.readwrite(obj, flags)
            touched.add(fd)

    def close(self) -> None:
        self.epoll.close()


# The phone's poll of its round: it asks again in a few seconds whatever the answer, and a
# late answer loses nothing (it carries everything after the phone's cursor).
_BACKGROUND = re.compile(r"/w/[^/]+/status")
# An overloaded room queues hundreds of requests; waitress logs each one it queues.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


class Dispatcher(ThreadedTaskDispatcher):
    """waitress's threads, taking what a person waits for first.

    In a full room the phones' polls are two thirds of all requests; in one queue a post, a
    +1 or a wall's wait queued behind hundreds of them. Here a poll waits in a queue of its
    own, and a thread takes one only while no other request is being served (a screen's held
    wait, which sleeps, does not count: ``idle``) or once it has waited ``patience`` seconds,
    at most ``background_max`` at a time (the threads share one core: Python's GIL). When the
    server cannot keep up, the polls come later, not everything; but they do come, or a phone
    would never see the next round open.
    """

    def __init__(self, background_max: int, patience: float):
        super().__init__()
        self.later: collections.deque = collections.deque()  # (queued at, channel)
        self.background_max = background_max
        self.patience = patience
        self.background = 0  # threads serving a poll now
        self.working = 0  # threads serving anything else, less those in a held wait
        self.serving_now = threading.local()

    @staticmethod
    def is_background(channel) -> bool:
        request = channel.requests[0] if channel.requests else None
        return (request is not None and request.command == "GET"
                and _BACKGROUND.fullmatch(request.path or "") is not None)

    def add_task(self, task) -> None:
        if not self.is_background(task):
            super().add_task(task)
            return
        with self.lock:
            self.later.append((time.monotonic(), task))
            self.queue_cv.notify()

    def _may_take_later(self) -> bool:
        if not self.later or self.background >= self.background_max:
            return False
        return not (self.working or self.queue) or self._overdue()

    def _overdue(self) -> bool:
        return time.monotonic() - self.later[0][0] >= self.patience

    def _done(self, background: bool) -> None:
        with self.lock:
            if background:
                self.background -= 1
            else:
                self.working -= 1
            if self._may_take_later():
                self.queue_cv.notify()

    @contextlib.contextmanager
    def idle(self):
        """Around a request's wait that uses no CPU (a screen's held wait, web/wall.py): the
        phones' polls may run meanwhile. The app finds it as ``environ["noviwerk.idle"]``."""
        if not getattr(self.serving_now, "foreground", False):
            yield
            return
        self._done(background=False)
        try:
            yield
        finally:
            with self.lock:
                self.working += 1

    def handler_thread(self, thread_no: int) -> None:  # waitress's, with the second queue
        while True:
            with self.lock:
                while not self.queue and not self._may_take_later() and self.stop_count == 0:
                    self.active_count -= 1
                    # A poll that waits is taken when its patience runs out, woken or not.
                    self.queue_cv.wait(self.patience / 4 if self.later else None)
                    self.active_count += 1
                if self.stop_count > 0:
                    self.active_count -= 1
                    self.stop_count -= 1
                    self.threads.discard(thread_no)
                    self.thread_exit_cv.notify()
                    break
                # An overdue poll goes before the others, else it might never go.
                background = self._may_take_later()
                if background:
                    task = self.later.popleft()[1]
                    self.background += 1
                else:
                    task = self.queue.popleft()
                    self.working += 1
            self.serving_now.foreground = not background
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)
            finally:
                self.serving_now.foreground = False
                self._done(background)

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        with self.lock:  # polls still waiting are cancelled like the rest
            self.queue.extend(task for _, task in self.later)
            self.later.clear()
        return super().shutdown(cancel_pending, timeout)
