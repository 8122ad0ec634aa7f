"""waitress's I/O loop and threads as a full room needs them (serve.py builds the server).

``Poller`` turns the I/O loop with an epoll set kept from turn to turn; ``Dispatcher`` gives
the threads what a person waits for before the phones' polls, and lets only a few of them run
the app at once. Plain waitress; nothing here knows Flask or the app.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import re
import select
import threading
import time

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.task import ThreadedTaskDispatcher

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


_serving = threading.local()  # .dispatcher: the Dispatcher whose foreground request this is
# .waited: seconds this thread's phone poll waited for a thread (0 for any other request)


def poll_waited() -> float:
    """Seconds the phone's poll being served waited in the queue for a thread: how far
    behind the room this process is (0 outside this server, or for other requests)."""
    return getattr(_serving, "waited", 0.0)


def backlog() -> int:
    """Requests this process has queued for a thread now, the phones' polls apart: a person
    waits for each (0 outside this server). A screen told so fetches less often."""
    dispatcher = getattr(_serving, "dispatcher", None)
    return len(dispatcher.queue) if dispatcher is not None else 0


@contextlib.contextmanager
def waiting():
    """Around a wait of a request that uses no CPU (a screen's held wait, a print in the
    export child, a mail server's answer): the phones' polls and other requests may run
    meanwhile. Outside this server (tests, a poll's thread) it does nothing."""
    dispatcher = getattr(_serving, "dispatcher", None)
    if dispatcher is None:  # not ours, or already waiting
        yield
        return
    _serving.dispatcher = None
    try:
        with dispatcher.idle():
            yield
    finally:
        _serving.dispatcher = dispatcher


# The phone's poll of its round: it asks again in a few seconds whatever the answer, and a
# late answer loses nothing (it carries everything after the phone's cursor).
_BACKGROUND = re.compile(r"/w/[^/]+/status")
# A screen's held wait for the next change and its fetch of what changed (wall, beamer,
# regie, tafel screen): few of them, each seen by the whole room or the facilitator.
_SCREEN = re.compile(
    r"/f/werkplaatsen/\d+/(?:live|wall/wijzigingen|regie/wijzigingen)|/tafel/[^/]+/(?:live|wijzigingen)"
)
# An overloaded room queues hundreds of requests; waitress logs each one it queues.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


class Dispatcher(ThreadedTaskDispatcher):
    """waitress's threads, taking what a person waits for first.

    In a full room the phones' polls are two thirds of all requests; in one queue a post, a
    +1 or a wall's wait queued behind hundreds of them. Here a poll waits in a queue of its
    own, and a thread takes one only while no other request is being served (one that waits
    without CPU, such as a screen's held wait, does not count: ``waiting``) or once it has
    waited ``patience`` seconds, at most ``background_max`` at a time. When the server cannot
    keep up, the polls come later, not everything; but they do come, or a phone would never
    see the next round open. A screen's held wait and its fetch of what changed go to the
    front of the queue: a handful of them show the room every post, which would otherwise
    reach the wall only after two more waits in the queue, each as long as the post's own.

    At most ``active_max`` threads run the app at once (``waiting`` ones do not count). The GIL
    lets one run Python at a time anyway, and every SQLite call hands it over: with 16
    requests at once a "Wat anderen inbrachten" took twice the CPU of one served alone, in
    400 thread switches (docs/benchmarks.md). The other threads stay for the held waits; a
    thread whose held wait ends waits for a turn before anyone new starts.
    """

    def __init__(self, background_max: int, patience: float, active_max: int = 0):
        super().__init__()
        self.later: collections.deque = collections.deque()  # (queued at, channel)
        self.background_max = background_max
        self.patience = patience
        self.active_max = active_max or 1 << 30  # 0: as many as there are threads
        self.background = 0  # threads serving a poll now
        self.working = 0  # threads serving anything else, less those in a held wait
        self.returning = 0  # threads whose held wait ended, waiting for a turn
        self.turn_cv = threading.Condition(self.lock)  # ... are woken by this

    @staticmethod
    def _path(channel) -> str | None:
        request = channel.requests[0] if channel.requests else None
        return request.path if request is not None and request.command == "GET" else None

    def add_task(self, task) -> None:
        path = self._path(task) or ""
        if _SCREEN.fullmatch(path):
            with self.lock:
                self.queue.appendleft(task)
                self.queue_cv.notify()
        elif _BACKGROUND.fullmatch(path):
            with self.lock:
                self.later.append((time.monotonic(), task))
                self.queue_cv.notify()
        else:
            super().add_task(task)

    def _has_turn(self) -> bool:
        return self.working + self.background + self.returning < self.active_max

    def _may_take_later(self) -> bool:
        if not self.later or self.background >= self.background_max or not self._has_turn():
            return False
        return not (self.working or self.queue) or self._overdue()

    def _overdue(self) -> bool:
        return time.monotonic() - self.later[0][0] >= self.patience

    def _done(self, background: bool, waits: bool = False) -> None:
        """A thread's turn ends: a thread whose held wait ended goes next, else one waiting
        for work. The thread goes on to the next request itself, unless it ``waits``."""
        with self.lock:
            if background:
                self.background -= 1
            else:
                self.working -= 1
            if self.returning:
                self.turn_cv.notify()
            elif self._may_take_later() or (waits and self.queue and self._has_turn()):
                self.queue_cv.notify()

    @contextlib.contextmanager
    def idle(self):
        """A foreground thread's wait that uses no CPU (``waiting``): its turn goes to
        another request meanwhile, and it waits for one when the wait is over."""
        self._done(background=False, waits=True)
        try:
            yield
        finally:
            with self.lock:
                self.returning += 1
                while self.working + self.background >= self.active_max:
                    self.turn_cv.wait()
                self.returning -= 1
                self.working += 1

    def handler_thread(self, thread_no: int) -> None:  # waitress's, with the second queue
        while True:
            with self.lock:
                while (not (self.queue and self._has_turn()) and not self._may_take_later()
                       and self.stop_count == 0):
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
                    queued_at, task = self.later.popleft()
                    self.background += 1
                else:
                    queued_at, task = None, self.queue.popleft()
                    self.working += 1
            _serving.waited = 0.0 if queued_at is None else time.monotonic() - queued_at
            _serving.dispatcher = None if background else self
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)
            finally:
                _serving.dispatcher = None
                self._done(background)

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        with self.lock:  # polls still waiting are cancelled like the rest
            self.queue.extend(task for _, task in self.later)
            self.later.clear()
        return super().shutdown(cancel_pending, timeout)
