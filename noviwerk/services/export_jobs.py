"""Bouwsteen PDF and docx: printed in a child process, kept on disk by content.

A PDF of 2,000 contributions costs about 4 s of CPU (docs/benchmarks.md, Bouwsteen).
Printed in the web worker it would hold the GIL all that time, and in SQLite mode that one
process also serves the live room. So the two heavy formats are printed, each in one piece,
by one spawned child per process, which imports only ``noviwerk.export`` and
``noviwerk.synthesis`` (never the app; ``export/child.py``). Each result is kept under
``instance/exports/<sha256>.<ext>``, by content (``export/cache.py``).

After a new version is saved, its PDF and docx are printed in the background (``prerender``,
newest version per bouwsteen first), so the trekker's download is usually a file read. A
download of a file that is being printed waits for that print rather than starting another.
Where no child process can be started, downloads print in-process and nothing is printed
ahead. The settings are given once at start (``configure``, from ``create_app``).
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..export import child
from ..export.cache import cache_key, cached, store
from ..serving import waiting
from ..synthesis.document import Document

log = logging.getLogger(__name__)

HEAVY = child.HEAVY


@dataclass(frozen=True)
class Settings:
    cache_dir: Path
    in_child: bool = True
    # Whether a save should call ``prerender``: the caller's to read, so a test or a command
    # can switch it without reaching in here.
    prerender: bool = True

    @classmethod
    def from_config(cls, config: Mapping, instance_path: str) -> Settings:
        """From an app's NOVIWERK_EXPORT_* settings (``config.py``)."""
        directory = config.get("NOVIWERK_EXPORT_CACHE_DIR") or Path(instance_path) / "exports"
        return cls(Path(directory), bool(config.get("NOVIWERK_EXPORT_IN_CHILD", True)),
                   bool(config.get("NOVIWERK_EXPORT_PRERENDER", True)))


_settings: Settings | None = None


def configure(options: Settings) -> None:
    """Set this process's settings (``create_app`` does, once at start)."""
    global _settings
    _settings = options


def settings() -> Settings:
    if _settings is None:
        raise RuntimeError("export_jobs.configure() was not called (create_app does)")
    return _settings


def _keep(directory: Path, key: str, fmt: str, body: bytes) -> None:
    """``store``, where a full or read-only disk costs only the next download its speed."""
    try:
        store(directory, key, fmt, body)
    except OSError:
        log.warning("could not keep the %s export in %s", fmt, directory, exc_info=True)


# --- this process's child and what it is printing --------------------------------------


class _NoChildren(Exception):
    """Process pools are unavailable here."""


@dataclass
class _Jobs:
    lock: threading.Lock = field(default_factory=threading.Lock)
    pool: ProcessPoolExecutor | None = None
    no_children: bool = False
    running: dict[str, Future] = field(default_factory=dict)  # by cache key
    wanted: dict[object, tuple[Document, Path]] = field(default_factory=dict)  # by bouwsteen
    prerendering: bool = False
    prerenderer: threading.Thread | None = None
    rendered: Counter = field(default_factory=Counter)  # ("child"|"here", fmt): renders begun
    wake: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.wake = threading.Condition(self.lock)


# By process id: a forked process (a gunicorn worker) must not use its parent's pool or
# futures; it makes its own on first use.
_jobs: dict[int, _Jobs] = {}
_jobs_lock = threading.Lock()


def _here() -> _Jobs:
    pid = os.getpid()
    jobs = _jobs.get(pid)
    if jobs is None:
        with _jobs_lock:
            jobs = _jobs.setdefault(pid, _Jobs())
    return jobs


def _forget_parent() -> None:
    global _jobs_lock
    _jobs_lock = threading.Lock()  # the parent's could have been held by one of its threads
    _jobs.clear()


os.register_at_fork(after_in_child=_forget_parent)


def child_pids() -> list[int]:
    """The pids of this process's export children (for tests and operators)."""
    pool = _here().pool
    return list(getattr(pool, "_processes", None) or {}) if pool else []


def rendered() -> Counter:
    """Renders begun in this process so far, by (``"child"`` or ``"here"``, format)."""
    jobs = _here()
    with jobs.lock:
        return Counter(jobs.rendered)


def _submit(jobs: _Jobs, fmt: str, document: Document) -> Future:
    """Hand one render to the child (under ``jobs.lock``), replacing a broken pool once."""
    for _attempt in range(2):
        if jobs.pool is None:
            if jobs.no_children:
                raise _NoChildren
            try:
                jobs.pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=child.watch_parent,
                    initargs=(os.getpid(),),
                )
            except (ImportError, NotImplementedError, OSError) as e:
                jobs.no_children = True
                log.warning("no child process for exports; printing in-process: %s", e)
                raise _NoChildren from e
        pool = jobs.pool
        try:
            future = pool.submit(child.render, fmt, document)
        except BrokenProcessPool:  # the child died (killed, out of memory): a new one
            jobs.pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            continue
        except RuntimeError as e:
            # Shut down by concurrent.futures' exit hook (which waits for the prints under way
            # first): the process is leaving, e.g. a flask command that saved a version.
            raise _NoChildren from e
        except OSError as e:  # the child could not be started at all
            jobs.pool = None
            jobs.no_children = True
            pool.shutdown(wait=False, cancel_futures=True)
            log.warning("cannot start a child for exports; printing in-process: %s", e)
            raise _NoChildren from e
        jobs.rendered["child", fmt] += 1
        return future
    raise BrokenProcessPool("the export child died twice in a row")


def _usable(future: Future) -> bool:
    return not future.done() or (not future.cancelled() and future.exception() is None)


def _finished(jobs: _Jobs, key: str, fmt: str, directory: Path, future: Future) -> None:
    # The file goes first: a download between the two steps then finds it.
    if not future.cancelled() and future.exception() is None:
        _keep(directory, key, fmt, future.result())
    with jobs.lock:
        if jobs.running.get(key) is future:
            del jobs.running[key]


def _start(jobs: _Jobs, fmt: str, document: Document, key: str, directory: Path) -> Future:
    """The render of ``key`` already under way, or a new one."""
    with jobs.lock:
        future = jobs.running.get(key)
        if future is not None and _usable(future):
            return future
        future = _submit(jobs, fmt, document)
        jobs.running[key] = future
    future.add_done_callback(functools.partial(_finished, jobs, key, fmt, directory))
    return future


def _in_child(fmt: str, document: Document, key: str, directory: Path) -> bytes:
    jobs = _here()
    for attempt in (1, 2):
        future = _start(jobs, fmt, document, key, directory)
        try:
            with waiting():  # the child prints: other requests may run meanwhile
                return future.result()
        except BrokenProcessPool:
            if attempt == 2:
                raise
            log.warning("the export child died while printing %s; once more in a new one", fmt)
    raise AssertionError("unreachable")


def render(fmt: str, document: Document, options: Settings) -> bytes:
    """The ``fmt`` ("pdf" or "docx") file of ``document``: from disk, or printed now."""
    key = cache_key(fmt, document)
    body = cached(options.cache_dir, key, fmt)
    if body is not None:
        return body
    if options.in_child:
        try:
            return _in_child(fmt, document, key, options.cache_dir)
        except _NoChildren:
            pass
    jobs = _here()
    with jobs.lock:
        jobs.rendered["here", fmt] += 1
    body = HEAVY[fmt].render(document)
    _keep(options.cache_dir, key, fmt, body)
    return body


# --- printing ahead ---------------------------------------------------------------------


def prerender(slot: object, document: Document, options: Settings) -> None:
    """Print ``document`` as PDF and docx in the background; returns at once.

    ``slot`` is the bouwsteen: a newer version replaces one that is still waiting, so ten
    quick saves print once, not ten times. Only with a child process: printing ahead in
    the web process itself would cost the room what this module is there to spare it.
    """
    jobs = _here()
    if not options.in_child or jobs.no_children:
        return
    with jobs.wake:
        jobs.wanted.pop(slot, None)
        jobs.wanted[slot] = (document, options.cache_dir)
        if jobs.prerenderer is None or not jobs.prerenderer.is_alive():
            jobs.prerenderer = threading.Thread(
                target=_prerender_loop, args=(jobs,), name="noviwerk-prerender", daemon=True
            )
            jobs.prerenderer.start()
        jobs.wake.notify()


def _prerender_loop(jobs: _Jobs) -> None:
    while True:
        with jobs.wake:
            jobs.prerendering = False
            jobs.wake.notify_all()
            while not jobs.wanted:
                jobs.wake.wait()
            slot = next(iter(jobs.wanted))
            document, directory = jobs.wanted.pop(slot)
            jobs.prerendering = True
        for fmt in ("pdf", "docx"):
            with jobs.lock:
                if slot in jobs.wanted:  # already out of date
                    break
            try:
                key = cache_key(fmt, document)
                if cached(directory, key, fmt) is None:
                    _in_child(fmt, document, key, directory)
            except _NoChildren:
                break
            except Exception:
                log.exception("printing bouwsteen %s ahead as %s failed", slot, fmt)


def settle(timeout: float = 60.0) -> bool:
    """Wait until nothing is printing or waiting to be printed (tests, benchmarks)."""
    jobs = _here()
    deadline = time.monotonic() + timeout
    with jobs.wake:
        while jobs.wanted or jobs.prerendering or jobs.running:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            jobs.wake.wait(min(left, 0.05))  # running renders end in the pool's thread
    return True
